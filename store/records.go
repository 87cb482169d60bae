package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// The records of schema 3. A cell is written as a small number from the file's
// cell directory (bucket cells: id -> form, row, column), so that a report of
// 172 values and a commit of 172 changes take a few hundred bytes, not kilobytes;
// a cell the directory lacks (a report of a variant the catalog no longer has)
// is written as 0 and its key in full.

// cellDict is the file's cell directory in memory: read at open, extended only
// by a writer's open (migrate registers the catalog's cells), so that it is
// never changed while sessions share the store.
type cellDict struct {
	ids  map[model.CellKey]uint64
	keys []model.CellKey // keys[id-1]
}

func (c *cellDict) id(k model.CellKey) (uint64, bool) {
	if c == nil {
		return 0, false
	}
	id, ok := c.ids[k]
	return id, ok
}

func cellRecordKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// loadDict reads the cell directory; its ids run 1, 2, 3 … without a gap.
func loadDict(tx *bolt.Tx) (*cellDict, error) {
	c := &cellDict{ids: map[model.CellKey]uint64{}}
	b := tx.Bucket(bCells)
	if b == nil {
		return c, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		if len(k) != 8 || binary.BigEndian.Uint64(k) != uint64(len(c.keys)+1) {
			return fmt.Errorf("单元格目录的编号 %x 不连续", k)
		}
		body, err := unseal(tagCell, k, v)
		if err != nil {
			return fmt.Errorf("单元格目录第 %d 项: %w", len(c.keys)+1, err)
		}
		d := dec{b: body}
		key := d.key()
		if err := d.done("单元格目录"); err != nil {
			return err
		}
		c.keys = append(c.keys, key)
		c.ids[key] = uint64(len(c.keys))
		return nil
	})
	return c, err
}

// register gives every cell of the catalog an id, in the catalog's order.
func (c *cellDict) register(tx *bolt.Tx, cat *model.Catalog) error {
	b := tx.Bucket(bCells)
	add := func(k model.CellKey) error {
		if _, ok := c.ids[k]; ok {
			return nil
		}
		var e enc
		e.key(k)
		id := uint64(len(c.keys) + 1)
		key := cellRecordKey(id)
		if err := b.Put(key, seal(tagCell, key, e.b)); err != nil {
			return err
		}
		c.keys = append(c.keys, k)
		c.ids[k] = id
		return nil
	}
	if cat == nil {
		return nil
	}
	for _, vid := range cat.VariantIDs() {
		v, err := cat.Variant(vid)
		if err != nil {
			continue
		}
		for _, f := range v.Forms {
			for _, k := range f.Cells() {
				if err := add(k); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (e *enc) cell(c *cellDict, k model.CellKey) {
	if id, ok := c.id(k); ok {
		e.uint(id)
		return
	}
	e.uint(0)
	e.key(k)
}

func (d *dec) cell(c *cellDict) model.CellKey {
	id := d.uint()
	if d.err != nil {
		return model.CellKey{}
	}
	if id == 0 {
		return d.key()
	}
	if c == nil || id > uint64(len(c.keys)) {
		d.err, d.b = fmt.Errorf("单元格编号 %d 不在单元格目录中", id), nil
		return model.CellKey{}
	}
	return c.keys[id-1]
}

// byID orders cells by their directory id (keys without one last), which is
// also the catalog's reading order.
func byID(c *cellDict, ks []model.CellKey) []model.CellKey {
	slices.SortStableFunc(ks, func(a, b model.CellKey) int {
		ia, oka := c.id(a)
		ib, okb := c.id(b)
		switch {
		case oka && okb:
			return int(ia) - int(ib)
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	return ks
}

func encodeReport(c *cellDict, key []byte, r *model.Report) []byte {
	e := enc{b: make([]byte, 0, 64+len(r.Values)*5)}
	e.str(r.UnitType)
	e.str(r.Header.Unit)
	e.str(r.Header.Filler)
	e.str(r.Header.Phone)
	e.str(r.Header.Date)
	e.str(string(r.State))
	e.time(r.Updated)
	e.str(r.UpdatedBy)
	e.uint(uint64(len(r.Values)))
	for _, k := range byID(c, sortedKeys(r.Values)) {
		e.cell(c, k)
		e.int(int64(r.Values[k]))
	}
	e.uint(uint64(len(r.Comments)))
	for _, k := range byID(c, sortedKeys(r.Comments)) {
		e.cell(c, k)
		e.str(r.Comments[k])
	}
	ck := make([]string, 0, len(r.Confirmed))
	for k := range r.Confirmed {
		ck = append(ck, k)
	}
	sort.Strings(ck)
	e.uint(uint64(len(ck)))
	for _, k := range ck {
		cf := r.Confirmed[k]
		e.str(k)
		e.str(cf.Comment)
		e.str(cf.By)
		e.time(cf.At)
	}
	return seal(tagReport, key, e.b)
}

func decodeReport(c *cellDict, key, val []byte) (*model.Report, error) {
	id, err := parseReportKey(key)
	if err != nil {
		return nil, err
	}
	body, err := unseal(tagReport, key, val)
	if err != nil {
		return nil, err
	}
	d := dec{b: body}
	r := &model.Report{Variant: id.Variant, Unit: id.Unit, Period: id.Period, UnitType: d.str()}
	r.Header = model.Header{Unit: d.str(), Filler: d.str(), Phone: d.str(), Date: d.str()}
	r.State = model.MigrateState(d.str()) // files of before the reporting cycle
	r.Updated = d.time()
	r.UpdatedBy = d.str()
	n := d.count(2)
	r.Values = make(map[model.CellKey]model.Number, n)
	for i := 0; i < n; i++ {
		k := d.cell(c)
		r.Values[k] = model.Number(d.int())
	}
	n = d.count(2)
	r.Comments = make(map[model.CellKey]string, n)
	for i := 0; i < n; i++ {
		k := d.cell(c)
		r.Comments[k] = d.str()
	}
	n = d.count(4)
	r.Confirmed = make(map[string]model.Confirmation, n)
	for i := 0; i < n; i++ {
		k := d.str()
		r.Confirmed[k] = model.Confirmation{Comment: d.str(), By: d.str(), At: d.time()}
	}
	if d.err == nil && len(d.b) > 0 {
		d.err = fmt.Errorf("多出 %d 字节", len(d.b))
	}
	return r, d.done("报表")
}

func encodeInfo(key []byte, in model.ReportInfo) []byte {
	var e enc
	e.str(in.UnitType)
	e.str(string(in.State))
	e.uint(uint64(in.Filled))
	e.uint(uint64(in.Total))
	e.uint(uint64(in.Errors))
	e.uint(uint64(in.Warnings))
	e.time(in.Updated)
	e.str(in.UpdatedBy)
	return seal(tagInfo, key, e.b)
}

func decodeInfo(key, val []byte) (model.ReportInfo, error) {
	id, err := parseReportKey(key)
	if err != nil {
		return model.ReportInfo{}, err
	}
	body, err := unseal(tagInfo, key, val)
	if err != nil {
		return model.ReportInfo{ID: id}, err
	}
	d := dec{b: body}
	in := model.ReportInfo{ID: id, UnitType: d.str(), State: model.MigrateState(d.str())}
	in.Filled, in.Total = int(d.uint()), int(d.uint())
	in.Errors, in.Warnings = int(d.uint()), int(d.uint())
	in.Updated = d.time()
	in.UpdatedBy = d.str()
	return in, d.done("报表概况")
}

// A history block is one commit's changes to one report, under the report's key,
// a zero byte and the commit's batch number: who and when once, then for each
// change the cell, and its old and new value (either may be blank). The events
// of a block are numbered batch, batch+1, … as the per-cell records of schema
// 2 were.

const (
	hasOld byte = 1
	hasNew byte = 2
)

func encodeBlock(c *cellDict, key []byte, evs []model.Event) []byte {
	e := enc{b: make([]byte, 0, 16+len(evs)*6)}
	e.str(evs[0].By)
	e.time(evs[0].At)
	e.uint(uint64(len(evs)))
	for _, ev := range evs {
		e.cell(c, ev.Key)
		var f byte
		if ev.Old != nil {
			f |= hasOld
		}
		if ev.New != nil {
			f |= hasNew
		}
		e.byte(f)
		if ev.Old != nil {
			e.int(int64(*ev.Old))
		}
		if ev.New != nil {
			e.int(int64(*ev.New))
		}
	}
	return seal(tagHistory, key, e.b)
}

func decodeBlock(c *cellDict, key, val []byte) ([]model.Event, error) {
	if len(key) < 9 || key[len(key)-9] != 0 {
		return nil, fmt.Errorf("历史记录的键 %q 无效", key)
	}
	batch := binary.BigEndian.Uint64(key[len(key)-8:])
	body, err := unseal(tagHistory, key, val)
	if err != nil {
		return nil, err
	}
	d := dec{b: body}
	by, at := d.str(), d.time()
	n := d.count(2)
	evs := make([]model.Event, 0, n)
	for i := 0; i < n; i++ {
		ev := model.Event{Seq: batch + uint64(i), Batch: batch, By: by, At: at, Key: d.cell(c)}
		f := d.byte()
		if f&hasOld != 0 {
			o := model.Number(d.int())
			ev.Old = &o
		}
		if f&hasNew != 0 {
			v := model.Number(d.int())
			ev.New = &v
		}
		evs = append(evs, ev)
	}
	return evs, d.done("历史")
}

func encodeCursor(key []byte, cu model.Cursor) []byte {
	var e enc
	e.str(cu.Form)
	e.str(cu.Row)
	e.str(cu.Col)
	e.bool(cu.List)
	return seal(tagCursor, key, e.b)
}

func decodeCursor(key, val []byte) (model.Cursor, error) {
	body, err := unseal(tagCursor, key, val)
	if err != nil {
		return model.Cursor{}, err
	}
	d := dec{b: body}
	cu := model.Cursor{Form: d.str(), Row: d.str(), Col: d.str(), List: d.bool()}
	return cu, d.done("光标")
}

func encodeStacks(key []byte, st stacks) []byte {
	var e enc
	for _, l := range [][]uint64{st.undo, st.redo} {
		e.uint(uint64(len(l)))
		for _, b := range l {
			e.uint(b)
		}
	}
	return seal(tagStacks, key, e.b)
}

func decodeStacks(key, val []byte) (stacks, error) {
	body, err := unseal(tagStacks, key, val)
	if err != nil {
		return stacks{}, err
	}
	d := dec{b: body}
	var st stacks
	for _, l := range []*[]uint64{&st.undo, &st.redo} {
		n := d.count(1)
		for i := 0; i < n; i++ {
			*l = append(*l, d.uint())
		}
	}
	return st, d.done("撤销")
}

// The last-opened record holds a report key; a unit record the unit as JSON.

func encodeLast(user []byte, rk []byte) []byte { return seal(tagLast, user, rk) }

func decodeLast(user, val []byte) (model.ReportID, error) {
	body, err := unseal(tagLast, user, val)
	if err != nil {
		return model.ReportID{}, err
	}
	return parseReportKey(body)
}

func encodeUnit(key []byte, u model.Unit) ([]byte, error) {
	raw, err := json.Marshal(u)
	if err != nil {
		return nil, err
	}
	return seal(tagUnit, key, raw), nil
}

func decodeUnit(key, val []byte) (model.Unit, error) {
	var u model.Unit
	body, err := unseal(tagUnit, key, val)
	if err != nil {
		return u, err
	}
	if err := json.Unmarshal(body, &u); err != nil {
		return u, err
	}
	return u, nil
}

// The meta bucket counts each variant's reports, so that List notices a report
// that a damaged page hides (bbolt would simply not find it).

func countKey(variant string) []byte { return append([]byte("count\x00"), variant...) }

func getCount(meta *bolt.Bucket, variant string) (int, error) {
	k := countKey(variant)
	v := meta.Get(k)
	if v == nil {
		return 0, nil
	}
	body, err := unseal(tagCount, k, v)
	if err != nil {
		return 0, fmt.Errorf("报表数目记录: %w", err)
	}
	d := dec{b: body}
	n := d.uint()
	return int(n), d.done("报表数目")
}

func putCount(meta *bolt.Bucket, variant string, n int) error {
	k := countKey(variant)
	return meta.Put(k, seal(tagCount, k, binary.AppendUvarint(nil, uint64(n))))
}

// counts reads every variant's count.
func counts(meta *bolt.Bucket) (map[string]int, error) {
	out := map[string]int{}
	prefix := countKey("")
	c := meta.Cursor()
	for k, v := c.Seek(prefix); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
		variant := string(k[len(prefix):])
		body, err := unseal(tagCount, k, v)
		if err != nil {
			return nil, fmt.Errorf("%s 的报表数目记录: %w", variant, err)
		}
		d := dec{b: body}
		out[variant] = int(d.uint())
		if err := d.done("报表数目"); err != nil {
			return nil, err
		}
	}
	return out, nil
}
