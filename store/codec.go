package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"jibao/model"
)

// The values in the file use a small binary format: uvarint lengths and counts,
// zig-zag varints for numbers and times. Decoding never trusts a length it has
// not checked. Records are sealed (see seal.go): a version byte, the payload and
// a checksum over the key and the payload.

var errShort = errors.New("记录被截断")

type enc struct{ b []byte }

func (e *enc) byte(c byte)   { e.b = append(e.b, c) }
func (e *enc) uint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *enc) int(n int64)   { e.b = binary.AppendVarint(e.b, n) }
func (e *enc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) time(t time.Time) {
	if t.IsZero() {
		e.int(0)
		return
	}
	e.int(t.UnixNano())
}
func (e *enc) bool(v bool) {
	if v {
		e.byte(1)
	} else {
		e.byte(0)
	}
}
func (e *enc) key(k model.CellKey) { e.str(k.Form); e.str(k.Row); e.str(k.Col) }
func (e *enc) num(n *model.Number) {
	if n == nil {
		e.byte(0)
		return
	}
	e.byte(1)
	e.int(int64(*n))
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) fail() { d.err = errShort; d.b = nil }

func (d *dec) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *dec) uint() uint64 {
	if d.err != nil {
		return 0
	}
	n, w := binary.Uvarint(d.b)
	if w <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[w:]
	return n
}

func (d *dec) int() int64 {
	if d.err != nil {
		return 0
	}
	n, w := binary.Varint(d.b)
	if w <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[w:]
	return n
}

// str copies, so that nothing decoded points into bbolt's memory map after the
// transaction ends.
func (d *dec) str() string {
	n := d.uint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// count reads a count of items, each taking at least min bytes, so that a damaged
// count cannot make us allocate gigabytes.
func (d *dec) count(min int) int {
	n := d.uint()
	if d.err != nil || n > uint64(len(d.b)/min) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *dec) time() time.Time {
	n := d.int()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (d *dec) bool() bool         { return d.byte() == 1 }
func (d *dec) key() model.CellKey { return model.CellKey{Form: d.str(), Row: d.str(), Col: d.str()} }
func (d *dec) num() *model.Number {
	if d.byte() == 0 {
		return nil
	}
	n := model.Number(d.int())
	return &n
}

func (d *dec) version(want byte, what string) error {
	if v := d.byte(); d.err == nil && v != want {
		return fmt.Errorf("%s记录的版本 %d 无法识别", what, v)
	}
	return d.err
}

func (d *dec) done(what string) error {
	if d.err != nil {
		return fmt.Errorf("%s记录损坏: %w", what, d.err)
	}
	return nil
}

func sortedKeys[V any](m map[model.CellKey]V) []model.CellKey {
	ks := make([]model.CellKey, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b model.CellKey) int {
		if c := strings.Compare(a.Form, b.Form); c != 0 {
			return c
		}
		if c := strings.Compare(a.Row, b.Row); c != 0 {
			return c
		}
		return strings.Compare(a.Col, b.Col)
	})
	return ks
}

// Keys. A report is variant 0 unit 0 period; names may not contain a zero byte,
// so keys sort by variant, then unit, then period, and a prefix scan finds one
// variant's reports.

func reportKey(id model.ReportID) []byte {
	k := make([]byte, 0, len(id.Variant)+len(id.Unit)+8)
	k = append(k, id.Variant...)
	k = append(k, 0)
	k = append(k, id.Unit...)
	k = append(k, 0)
	return append(k, id.Period.String()...)
}

func parseReportKey(k []byte) (model.ReportID, error) {
	bad := func() (model.ReportID, error) { return model.ReportID{}, fmt.Errorf("报表键 %q 无效", k) }
	i := bytes.IndexByte(k, 0)
	if i < 0 {
		return bad()
	}
	j := bytes.IndexByte(k[i+1:], 0)
	if j < 0 {
		return bad()
	}
	j += i + 1
	per, ok := parsePeriodKey(k[j+1:])
	if !ok {
		return bad()
	}
	return model.ReportID{Variant: string(k[:i]), Unit: string(k[i+1 : j]), Period: per}, nil
}

// parsePeriodKey reads the "2025Q3" of a key without fmt: List parses one per
// report.
func parsePeriodKey(b []byte) (model.Period, bool) {
	if len(b) != 6 || b[4] != 'Q' || b[5] < '1' || b[5] > '4' {
		return model.Period{}, false
	}
	y := 0
	for _, c := range b[:4] {
		if c < '0' || c > '9' {
			return model.Period{}, false
		}
		y = y*10 + int(c-'0')
	}
	return model.Period{Year: y, Quarter: int(b[5] - '0')}, true
}

func checkID(id model.ReportID) error {
	if id.Variant == "" || id.Unit == "" || strings.ContainsRune(id.Variant+id.Unit, 0) {
		return fmt.Errorf("报表标识无效: 表式版本 %q、单位 %q", id.Variant, id.Unit)
	}
	if id.Period.Quarter < 1 || id.Period.Quarter > 4 || id.Period.Year < 2000 || id.Period.Year > 2100 {
		return fmt.Errorf("报表期别 %v 无效", id.Period)
	}
	return nil
}

// seqKey is a history key: the report's key, a zero byte, the big-endian sequence
// number, so that one report's events are contiguous and in order.
func seqKey(rk []byte, seq uint64) []byte {
	k := make([]byte, 0, len(rk)+9)
	k = append(k, rk...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

func userKey(rk []byte, user string) []byte {
	k := make([]byte, 0, len(rk)+1+len(user))
	k = append(k, rk...)
	k = append(k, 0)
	return append(k, user...)
}
