package store

import "jibao/model"

// The records of schema versions 1 and 2 (no checksums, one history record per
// cell, cell keys as strings). Only the migration to version 3 reads them.

const (
	recReport byte = 1
	recInfo   byte = 1
	recEvent  byte = 1
	recCursor byte = 1
	recStacks byte = 1
)

func v2DecodeReport(b []byte) (*model.Report, error) {
	d := dec{b: b}
	if err := d.version(recReport, "报表"); err != nil {
		return nil, err
	}
	r := &model.Report{Variant: d.str(), Unit: d.str(), UnitType: d.str()}
	r.Period = model.Period{Year: int(d.uint()), Quarter: int(d.uint())}
	r.Header = model.Header{Unit: d.str(), Filler: d.str(), Phone: d.str(), Date: d.str()}
	r.State = model.MigrateState(d.str()) // files of before the reporting cycle
	r.Updated = d.time()
	r.UpdatedBy = d.str()
	n := d.count(4)
	r.Values = make(map[model.CellKey]model.Number, n)
	for i := 0; i < n; i++ {
		k := d.key()
		r.Values[k] = model.Number(d.int())
	}
	n = d.count(4)
	r.Comments = make(map[model.CellKey]string, n)
	for i := 0; i < n; i++ {
		k := d.key()
		r.Comments[k] = d.str()
	}
	n = d.count(4)
	r.Confirmed = make(map[string]model.Confirmation, n)
	for i := 0; i < n; i++ {
		k := d.str()
		r.Confirmed[k] = model.Confirmation{Comment: d.str(), By: d.str(), At: d.time()}
	}
	return r, d.done("报表")
}

func v2DecodeEvent(seq uint64, b []byte) (model.Event, error) {
	d := dec{b: b}
	if err := d.version(recEvent, "历史"); err != nil {
		return model.Event{}, err
	}
	ev := model.Event{Seq: seq, Batch: d.uint(), Key: d.key(), Old: d.num(), New: d.num(), By: d.str(), At: d.time()}
	return ev, d.done("历史")
}

func v2DecodeCursor(b []byte) (model.Cursor, error) {
	d := dec{b: b}
	if err := d.version(recCursor, "光标"); err != nil {
		return model.Cursor{}, err
	}
	c := model.Cursor{Form: d.str(), Row: d.str(), Col: d.str(), List: d.bool()}
	return c, d.done("光标")
}

func v2DecodeStacks(b []byte) (stacks, error) {
	d := dec{b: b}
	if err := d.version(recStacks, "撤销"); err != nil {
		return stacks{}, err
	}
	var s stacks
	for _, l := range []*[]uint64{&s.undo, &s.redo} {
		n := d.count(1)
		for i := 0; i < n; i++ {
			*l = append(*l, d.uint())
		}
	}
	return s, d.done("撤销")
}
