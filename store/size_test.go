package store

import (
	"fmt"
	"os"
	"testing"

	"jibao/model"
)

// TestFileSizeAt8000 imports 8,000 reports through the API as jibao import
// does (every cell of the unit, one commit each, all recorded in the history),
// edits some, and measures the file: at most 10 KB per report with its
// history, after jibao compact. The history stays complete.
func TestFileSizeAt8000(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 8,000 reports")
	}
	path := tempDB(t)
	s := openT(t, path)
	cells := testCells()
	const n = 8000
	for i := 0; i < n; i++ {
		id := model.ReportID{Variant: "nanan", Unit: fmt.Sprintf("单位%04d", i/4), Period: model.Period{Year: 2025, Quarter: i%4 + 1}}
		r := model.NewReport("nanan", model.Unit{Name: id.Unit, Type: "xiangzhen"}, id.Period)
		for j, k := range cells {
			r.Values[k] = model.Whole(int64(i*7 + j))
		}
		r.Header = model.Header{Unit: id.Unit, Filler: "林晓", Phone: "0595-86000000", Date: "2025-09-30"}
		if err := s.putReport(r, "lin"); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 { // a clerk corrects a few cells afterwards
			set(t, s, id, "wang", cells[0], 1, cells[1], 2, cells[2], 3)
		}
	}
	s.Close()
	before := fileSize(t, path)
	res, err := Compact(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	per := res.After / n
	t.Logf("8,000 reports: %d bytes before compact (%d per report), %d after (%d per report)", before, before/n, res.After, per)
	if per > 10<<10 {
		t.Errorf("%d bytes per report, want at most 10 KB", per)
	}
	s = openT(t, path, func(o *Options) { o.ReadOnly = true })
	id := model.ReportID{Variant: "nanan", Unit: "单位0000", Period: model.Period{Year: 2025, Quarter: 1}}
	evs, err := s.History(id, cells[0])
	if err != nil || len(evs) != 2 || evs[0].By != "lin" || evs[1].By != "wang" || *evs[1].Old != model.Whole(0) || *evs[1].New != model.Whole(1) {
		t.Errorf("history of a cell after compact: %+v %v", evs, err)
	}
	if v, err := s.Verify(); err != nil || v.Reports != n || v.History != n*len(cells)+n/10*3 {
		t.Errorf("verify: %+v %v", v, err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
