package store

import (
	"reflect"
	"testing"
	"time"

	"jibao/model"
)

func TestCodecRoundTrip(t *testing.T) {
	at := time.Unix(1758000000, 123456789)
	r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, model.Period{Year: 2025, Quarter: 3})
	cells := testCells()
	r.Values[cells[0]] = 0
	r.Values[cells[1]] = 123456789012
	r.Comments[cells[1]] = "含新建企业 12 家"
	r.Confirmed["t1.le/guobiao"] = model.Confirmation{Comment: "核实", By: "lin", At: at}
	r.Header = model.Header{Unit: "水头镇", Filler: "林", Phone: "0595", Date: "2025-09-30"}
	r.State, r.Updated, r.UpdatedBy = model.StateReopened, at, "wang"
	got, err := decodeReport(encodeReport(r))
	if err != nil {
		t.Fatal(err)
	}
	r.Updated = r.Updated.Local()
	if !reflect.DeepEqual(got, r) {
		t.Errorf("report round trip:\n got %+v\nwant %+v", got, r)
	}

	in := model.ReportInfo{ID: r.ID(), UnitType: "xiangzhen", State: model.StateComplete, Filled: 3, Total: 172, Errors: 1, Warnings: 2, Updated: at, UpdatedBy: "lin"}
	gi, err := decodeInfo(reportKey(r.ID()), encodeInfo(in))
	if err != nil || !reflect.DeepEqual(gi, in) {
		t.Errorf("info round trip: %+v %v", gi, err)
	}
	ev := model.Event{Seq: 9, Key: cells[2], New: num(4), By: "lin", At: at, Batch: 7}
	ge, err := decodeEvent(9, encodeEvent(ev))
	if err != nil || !reflect.DeepEqual(ge, ev) {
		t.Errorf("event round trip: %+v %v", ge, err)
	}
	st := stacks{undo: []uint64{1, 300, 1 << 40}, redo: []uint64{5}}
	if gs, err := decodeStacks(encodeStacks(st)); err != nil || !reflect.DeepEqual(gs, st) {
		t.Errorf("stacks round trip: %+v %v", gs, err)
	}
	for _, bad := range [][]byte{[]byte("nanan\x00水头"), []byte("nanan\x00水头\x002025Q5"), []byte("a\x00b\x0025Q1xx")} {
		if _, err := parseReportKey(bad); err == nil {
			t.Errorf("parseReportKey(%q) accepted", bad)
		}
	}
}

// FuzzDecode feeds damaged records to every decoder: an error is fine, a panic or
// a huge allocation is not.
func FuzzDecode(f *testing.F) {
	r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, model.Period{Year: 2025, Quarter: 3})
	r.Values[testCells()[0]] = 5
	r.Comments[testCells()[0]] = "x"
	f.Add(encodeReport(r))
	f.Add(encodeInfo(model.ReportInfo{UnitType: "x", Filled: 3}))
	f.Add(encodeEvent(model.Event{Key: testCells()[0], Old: num(1)}))
	f.Add(encodeStacks(stacks{undo: []uint64{1, 2}}))
	f.Add(encodeCursor(model.Cursor{Form: "t1", List: true}))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := decodeReport(b)
		if serr := skimReport(b); (err == nil) != (serr == nil) {
			t.Errorf("decodeReport says %v, skimReport says %v", err, serr)
		}
		decodeInfo([]byte("nanan\x00水头\x002025Q3"), b)
		decodeEvent(1, b)
		decodeStacks(b)
		decodeCursor(b)
		parseReportKey(b)
	})
}
