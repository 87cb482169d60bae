package store

import (
	"sort"

	"jibao/model"
)

// The encoders of the schema-2 records: the store only reads that format (to
// upgrade a file); the tests write it to make the files they upgrade.

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

func v2EncodeCursor(c model.Cursor) []byte {
	var e enc
	e.byte(recCursor)
	e.str(c.Form)
	e.str(c.Row)
	e.str(c.Col)
	e.bool(c.List)
	return e.b
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
