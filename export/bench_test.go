package export

import (
	"io"
	"testing"
)

// BenchmarkExport is the export of a full report: four sheets built and the xlsx
// written out (target: under 100 ms).
func BenchmarkExport(b *testing.B) {
	v := variant(b, "nanan")
	r := Sample(v, unitOf(b, v, "水头"), q3, 1)
	b.ReportAllocs()
	for b.Loop() {
		x, err := Workbook(v, r, false)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := x.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport reads a full report back from its xlsx.
func BenchmarkImport(b *testing.B) {
	v := variant(b, "nanan")
	r := Sample(v, unitOf(b, v, "水头"), q3, 1)
	x, err := Workbook(v, r, false)
	if err != nil {
		b.Fatal(err)
	}
	y := reopen(b, x)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(y, v, nil); err != nil {
			b.Fatal(err)
		}
	}
}
