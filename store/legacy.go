package store

import (
	"sort"

	"jibao/model"
)

// The records of schema versions 1 and 2 (no checksums, one history record per
// cell, cell keys as strings). Only the migration to version 3 reads them.

const (
	recReport byte = 1
	recInfo   byte = 1
	recEvent  byte = 1
	recCursor byte = 1
	recStacks byte = 1
)

func v2EncodeReport(r *model.Report) []byte {
	e := enc{b: make([]byte, 0, 64+len(r.Values)*16)}
	e.byte(recReport)
	e.str(r.Variant)
	e.str(r.Unit)
	e.str(r.UnitType)
	e.uint(uint64(r.Period.Year))
	e.uint(uint64(r.Period.Quarter))
	e.str(r.Header.Unit)
	e.str(r.Header.Filler)
	e.str(r.Header.Phone)
	e.str(r.Header.Date)
	e.str(string(r.State))
	e.time(r.Updated)
	e.str(r.UpdatedBy)
	e.uint(uint64(len(r.Values)))
	for _, k := range sortedKeys(r.Values) {
		e.key(k)
		e.int(int64(r.Values[k]))
	}
	e.uint(uint64(len(r.Comments)))
	for _, k := range sortedKeys(r.Comments) {
		e.key(k)
		e.str(r.Comments[k])
	}
	ck := make([]string, 0, len(r.Confirmed))
	for k := range r.Confirmed {
		ck = append(ck, k)
	}
	sort.Strings(ck)
	e.uint(uint64(len(ck)))
	for _, k := range ck {
		c := r.Confirmed[k]
		e.str(k)
		e.str(c.Comment)
		e.str(c.By)
		e.time(c.At)
	}
	return e.b
}

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

func v2EncodeInfo(in model.ReportInfo) []byte {
	var e enc
	e.byte(recInfo)
	e.str(in.UnitType)
	e.str(string(in.State))
	e.uint(uint64(in.Filled))
	e.uint(uint64(in.Total))
	e.uint(uint64(in.Errors))
	e.uint(uint64(in.Warnings))
	e.time(in.Updated)
	e.str(in.UpdatedBy)
	return e.b
}

func v2EncodeEvent(ev model.Event) []byte {
	var e enc
	e.byte(recEvent)
	e.uint(ev.Batch)
	e.key(ev.Key)
	e.num(ev.Old)
	e.num(ev.New)
	e.str(ev.By)
	e.time(ev.At)
	return e.b
}

func v2DecodeEvent(seq uint64, b []byte) (model.Event, error) {
	d := dec{b: b}
	if err := d.version(recEvent, "历史"); err != nil {
		return model.Event{}, err
	}
	ev := model.Event{Seq: seq, Batch: d.uint(), Key: d.key(), Old: d.num(), New: d.num(), By: d.str(), At: d.time()}
	return ev, d.done("历史")
}

func v2EncodeCursor(c model.Cursor) []byte {
	var e enc
	e.byte(recCursor)
	e.str(c.Form)
	e.str(c.Row)
	e.str(c.Col)
	e.bool(c.List)
	return e.b
}

func v2DecodeCursor(b []byte) (model.Cursor, error) {
	d := dec{b: b}
	if err := d.version(recCursor, "光标"); err != nil {
		return model.Cursor{}, err
	}
	c := model.Cursor{Form: d.str(), Row: d.str(), Col: d.str(), List: d.bool()}
	return c, d.done("光标")
}

func v2EncodeStacks(s stacks) []byte {
	var e enc
	e.byte(recStacks)
	for _, l := range [][]uint64{s.undo, s.redo} {
		e.uint(uint64(len(l)))
		for _, b := range l {
			e.uint(b)
		}
	}
	return e.b
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
