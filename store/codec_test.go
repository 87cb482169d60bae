package store

import (
	"reflect"
	"testing"
	"time"

	"jibao/model"
)

func testDict(t testing.TB) *cellDict {
	c := &cellDict{ids: map[model.CellKey]uint64{}}
	for _, k := range testCells() {
		c.keys = append(c.keys, k)
		c.ids[k] = uint64(len(c.keys))
	}
	return c
}

func TestCodecRoundTrip(t *testing.T) {
	c := testDict(t)
	at := time.Unix(1758000000, 123456789)
	r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, model.Period{Year: 2025, Quarter: 3})
	cells := testCells()
	r.Values[cells[0]] = 0
	r.Values[cells[1]] = 123456789012
	r.Values[model.CellKey{Form: "t9", Row: "x", Col: "c1"}] = -5 // not in the directory
	r.Comments[cells[1]] = "含新建企业 12 家"
	r.Confirmed["t1.le/guobiao"] = model.Confirmation{Comment: "核实", By: "lin", At: at}
	r.Header = model.Header{Unit: "水头镇", Filler: "林", Phone: "0595", Date: "2025-09-30"}
	r.State, r.Updated, r.UpdatedBy = model.StateReopened, at, "wang"
	rk := reportKey(r.ID())
	got, err := decodeReport(c, rk, encodeReport(c, rk, r))
	if err != nil {
		t.Fatal(err)
	}
	r.Updated = r.Updated.Local()
	if !reflect.DeepEqual(got, r) {
		t.Errorf("report round trip:\n got %+v\nwant %+v", got, r)
	}
	// The checksum covers the key: the same record under another unit is damaged.
	other := reportKey(model.ReportID{Variant: "nanan", Unit: "英都", Period: r.Period})
	if _, err := decodeReport(c, other, encodeReport(c, rk, r)); err == nil {
		t.Errorf("a record under another key decoded")
	}

	in := model.ReportInfo{ID: r.ID(), UnitType: "xiangzhen", State: model.StateComplete, Filled: 3, Total: 172, Errors: 1, Warnings: 2, Updated: at, UpdatedBy: "lin"}
	gi, err := decodeInfo(rk, encodeInfo(rk, in))
	if err != nil || !reflect.DeepEqual(gi, in) {
		t.Errorf("info round trip: %+v %v", gi, err)
	}
	bk := seqKey(rk, 7)
	evs := []model.Event{{Seq: 7, Key: cells[2], New: num(4), By: "lin", At: at, Batch: 7},
		{Seq: 8, Key: cells[3], Old: num(4), By: "lin", At: at, Batch: 7},
		{Seq: 9, Key: cells[4], Old: num(1), New: num(-2), By: "lin", At: at, Batch: 7}}
	ge, err := decodeBlock(c, bk, encodeBlock(c, bk, evs))
	for i := range evs {
		evs[i].At = evs[i].At.Local()
	}
	if err != nil || !reflect.DeepEqual(ge, evs) {
		t.Errorf("history round trip:\n got %+v %v\nwant %+v", ge, err, evs)
	}
	st := stacks{undo: []uint64{1, 300, 1 << 40}, redo: []uint64{5}}
	if gs, err := decodeStacks(rk, encodeStacks(rk, st)); err != nil || !reflect.DeepEqual(gs, st) {
		t.Errorf("stacks round trip: %+v %v", gs, err)
	}
	for _, bad := range [][]byte{[]byte("nanan\x00水头"), []byte("nanan\x00水头\x002025Q5"), []byte("a\x00b\x0025Q1xx")} {
		if _, err := parseReportKey(bad); err == nil {
			t.Errorf("parseReportKey(%q) accepted", bad)
		}
	}
}

// TestEveryFlipDetected flips each bit of a sealed report: every one is caught.
func TestEveryFlipDetected(t *testing.T) {
	c := testDict(t)
	r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, model.Period{Year: 2025, Quarter: 3})
	for i, k := range testCells() {
		r.Values[k] = model.Whole(int64(i))
	}
	rk := reportKey(r.ID())
	rec := encodeReport(c, rk, r)
	for i := range rec {
		for bit := 0; bit < 8; bit++ {
			b := append([]byte(nil), rec...)
			b[i] ^= 1 << bit
			if _, err := decodeReport(c, rk, b); err == nil {
				t.Fatalf("flip of bit %d of byte %d went unnoticed", bit, i)
			}
		}
	}
}

// FuzzDecode feeds damaged records to every decoder: an error is fine, a panic or
// a huge allocation is not.
func FuzzDecode(f *testing.F) {
	c := testDict(f)
	r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, model.Period{Year: 2025, Quarter: 3})
	r.Values[testCells()[0]] = 5
	r.Comments[testCells()[0]] = "x"
	rk := reportKey(r.ID())
	f.Add(encodeReport(c, rk, r))
	f.Add(encodeInfo(rk, model.ReportInfo{UnitType: "x", Filled: 3}))
	f.Add(encodeBlock(c, seqKey(rk, 1), []model.Event{{Key: testCells()[0], Old: num(1)}}))
	f.Add(encodeStacks(rk, stacks{undo: []uint64{1, 2}}))
	f.Add(encodeCursor(rk, model.Cursor{Form: "t1", List: true}))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeReport(c, rk, b)
		decodeInfo(rk, b)
		decodeBlock(c, seqKey(rk, 1), b)
		decodeStacks(rk, b)
		decodeCursor(rk, b)
		parseReportKey(b)
		// Past the checksum: the payload decoders themselves must hold.
		for _, tag := range []byte{tagReport, tagHistory} {
			b2 := seal(tag, rk, b)
			decodeReport(c, rk, b2)
			decodeBlock(c, rk, b2)
		}
	})
}
