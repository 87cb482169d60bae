package export

import (
	"os"
	"path/filepath"
	"testing"

	"jibao/model"
)

// TestLookSample writes sample workbooks for a look by eye (scripts/look.sh); it
// only runs when JIBAO_LOOK_DIR names the directory to write them to.
func TestLookSample(t *testing.T) {
	dir := os.Getenv("JIBAO_LOOK_DIR")
	if dir == "" {
		t.Skip("JIBAO_LOOK_DIR not set")
	}
	v := variant(t, "nanan")
	r := Sample(v, unitOf(t, v, "水头"), q3, 1)
	x, err := Workbook(v, r, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(x, filepath.Join(dir, FileName(v, r, false)), true); err != nil {
		t.Fatal(err)
	}
	tpl, err := Template(variant(t, "quanzhou-edu"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(tpl, filepath.Join(dir, TemplateName(variant(t, "quanzhou-edu"))), true); err != nil {
		t.Fatal(err)
	}
	// The office's summary workbook of 63 units, for its printed pages.
	sum := scaleSummary(t, v, 63)
	sx, err := SummaryWorkbook(sum, model.Header{Unit: v.Office, Date: "2025-09-30"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(sx, filepath.Join(dir, SummaryFileName(sum)), true); err != nil {
		t.Fatal(err)
	}
}
