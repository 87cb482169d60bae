package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// Damage is one damaged record, named by the report it belongs to.
type Damage struct {
	ID   model.ReportID // zero when even the record's key is unreadable
	Part string         // 报表, 报表概况, 历史, ...
	Why  string
}

// String names the record for the clerk: "南安 水头 2025年第3季度 的报表记录：校验和不符".
func (d Damage) String() string {
	if d.ID.Unit == "" {
		return fmt.Sprintf("%s记录：%s", d.Part, d.Why)
	}
	return fmt.Sprintf("%s %s %s 的%s记录：%s", d.ID.Variant, d.ID.Unit, d.ID.Period.Label(), d.Part, d.Why)
}

// Verification is what Verify found.
type Verification struct {
	Reports int // report records read
	History int // history records read
	Damaged []Damage
}

// Verify reads every page and record of the file and checks each record's
// checksum and its agreement with the rest (every report has its List entry and
// the other way round). It costs a pass over the whole file: jibao verify, each
// backup, and serve's background check run it, an open does not. The error is
// ErrCorrupt, listing the damaged records by unit and period.
func (s *Store) Verify() (*Verification, error) {
	v := &Verification{}
	err := s.view(func(tx *bolt.Tx) error { return s.verifyTx(tx, v) })
	return v, err
}

// verifyTx is Verify inside a read transaction (so that a backup can verify the
// very snapshot it copies).
func (s *impl) verifyTx(tx *bolt.Tx, v *Verification) error {
	if err := walk(tx); err != nil {
		return corrupt(s.path, err)
	}
	if err := s.verifyRecords(tx, v); err != nil {
		return err
	}
	// bbolt's own tx.Check is not run: on a page whose overflow count is
	// damaged it builds a map entry for each of up to 4 billion pages (found by
	// the damage campaign: gigabytes, then the machine's memory).
	if len(v.Damaged) > 0 {
		var b strings.Builder
		for i, d := range v.Damaged {
			if i == 10 {
				fmt.Fprintf(&b, "；……共 %d 处", len(v.Damaged))
				break
			}
			if i > 0 {
				b.WriteString("；")
			}
			b.WriteString(d.String())
		}
		return corrupt(s.path, errors.New(b.String()))
	}
	return nil
}

// keyID names the report a key belongs to: report keys are variant 0 unit 0
// period, and the other buckets add a zero byte and more.
func keyID(k []byte) model.ReportID {
	if id, err := parseReportKey(k); err == nil {
		return id
	}
	if i := bytes.LastIndexByte(k, 0); i > 0 {
		for j := i; j > 0; j-- {
			if k[j] == 0 {
				if id, err := parseReportKey(k[:j]); err == nil {
					return id
				}
			}
		}
	}
	return model.ReportID{}
}

func (s *impl) verifyRecords(tx *bolt.Tx, v *Verification) error {
	bad := func(k []byte, part string, err error) {
		v.Damaged = append(v.Damaged, Damage{ID: keyID(k), Part: part, Why: err.Error()})
	}
	reports, info := tx.Bucket(bReports), tx.Bucket(bInfo)
	err := reports.ForEach(func(k, val []byte) error {
		v.Reports++
		if _, err := decodeReport(s.dict, k, val); err != nil {
			bad(k, "报表", err)
		} else if info.Get(k) == nil {
			bad(k, "报表概况", errors.New("缺失"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = info.ForEach(func(k, val []byte) error {
		if _, err := decodeInfo(k, val); err != nil {
			bad(k, "报表概况", err)
		} else if reports.Get(k) == nil {
			bad(k, "报表", errors.New("缺失（列表中有这份报表，数据却不见了）"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bHistory).ForEach(func(k, val []byte) error {
		evs, err := decodeBlock(s.dict, k, val)
		if err != nil {
			bad(k, "历史", err)
		}
		v.History += len(evs)
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bStacks).ForEach(func(k, val []byte) error {
		if _, err := decodeStacks(k, val); err != nil {
			bad(k, "撤销", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bCursors).ForEach(func(k, val []byte) error {
		if _, err := decodeCursor(k, val); err != nil {
			bad(k, "光标", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bLast).ForEach(func(k, val []byte) error {
		if _, err := decodeLast(k, val); err != nil {
			bad(nil, "上次打开", fmt.Errorf("%q: %v", k, err))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bUnits).ForEach(func(k, val []byte) error {
		if _, err := decodeUnit(k, val); err != nil {
			bad(nil, "添加的单位", fmt.Errorf("%q: %v", k, err))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.verifyAdded(tx, bad); err != nil {
		return err
	}
	all, err := counts(tx.Bucket(bMeta))
	if err != nil {
		bad(nil, "报表数目", err)
		return nil
	}
	want := 0
	for _, n := range all {
		want += n
	}
	if want != v.Reports {
		bad(nil, "报表数目", fmt.Errorf("应有 %d 份报表，读到 %d 份", want, v.Reports))
	}
	return nil
}

// Damaged is ErrCorrupt for the damaged records a caller met (List entries with
// Damage set), with the way to recover.
func (s *Store) Damaged(what []string) error {
	return corrupt(s.path, errors.New(strings.Join(what, "；")))
}

// verifyAdded checks the records of the buckets a file gains as it is used (the
// reporting cycle's, the added catalogs, the version each report was written
// with): each is sealed like every other record.
func (s *impl) verifyAdded(tx *bolt.Tx, bad func(k []byte, part string, err error)) error {
	for _, b := range []struct {
		name []byte
		tag  byte
		part string
	}{{bReview, tagReview, "审核记录"}, {bFilled, tagFilled, "表式版本"}} {
		bk := tx.Bucket(b.name)
		if bk == nil {
			continue
		}
		if err := bk.ForEach(func(k, val []byte) error {
			if _, err := unseal(b.tag, k, val); err != nil {
				bad(k, b.part, err)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if _, err := storedCatalogs(tx); err != nil {
		bad(nil, "表式", err)
	}
	return nil
}
