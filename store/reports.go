package store

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

func (s *impl) get(id model.ReportID) (*model.Report, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	var r *model.Report
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		r, err = s.load(tx, id)
		return err
	})
	if err == nil && r == nil {
		err = notFound(id)
	}
	return r, err
}

func (s *impl) ensure(id model.ReportID, unitType, by string) (*model.Report, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	// Opening an existing report is the common case: read it without a write
	// transaction (and its fsync).
	if r, err := s.get(id); err == nil || !isNotFound(err) {
		return r, err
	}
	var r *model.Report
	created := false
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if r, err = s.load(tx, id); err != nil || r != nil {
			return err // created meanwhile by another session
		}
		v, err := s.canonical(id.Variant)
		if err != nil {
			return err
		}
		if unitType == "" {
			if unitType, err = s.unitType(tx, id); err != nil {
				return err
			}
		}
		t, ok := v.UnitType(unitType)
		if !ok {
			return fmt.Errorf("单位类型 %q 不属于%s", unitType, v.Name)
		}
		r = model.NewReport(id.Variant, model.Unit{Name: id.Unit, Type: t.ID}, id.Period)
		r.Updated, r.UpdatedBy = s.now(), by
		rk := reportKey(id)
		if err := tx.Bucket(bReports).Put(rk, encodeReport(s.dict, rk, r)); err != nil {
			return err
		}
		if err := s.counted(tx, id.Variant, 1); err != nil {
			return err
		}
		created = true
		return s.putInfo(tx, r)
	})
	if err != nil {
		return nil, err
	}
	if created {
		s.notify(model.Notice{ID: id, By: by})
	}
	return r, nil
}

func (s *impl) putReport(in *model.Report, by string) error {
	if in == nil {
		return fmt.Errorf("报表为空")
	}
	id := in.ID()
	if err := checkID(id); err != nil {
		return err
	}
	if _, err := s.canonical(id.Variant); err != nil {
		return err
	}
	var t *txn
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		t, err = s.begin(tx, id, by)
		if err != nil {
			if !isNotFound(err) {
				return err
			}
			t = &txn{s: s, tx: tx, key: reportKey(id), by: by, at: s.now(),
				r: model.NewReport(id.Variant, model.Unit{Name: id.Unit, Type: in.UnitType}, id.Period)}
			if err := s.counted(tx, id.Variant, 1); err != nil {
				return err
			}
		}
		if in.UnitType != "" {
			t.r.UnitType = in.UnitType
		}
		if t.r.UnitType == "" {
			if t.r.UnitType, err = s.unitType(tx, id); err != nil {
				return err
			}
		}
		for k := range in.Values {
			if err := s.checkKey(t.r, k); err != nil {
				return err
			}
		}
		for _, k := range sortedKeys(t.r.Values) {
			if _, ok := in.Values[k]; !ok {
				t.set(k, nil)
			}
		}
		for _, k := range sortedKeys(in.Values) {
			n := in.Values[k]
			t.set(k, &n)
		}
		t.r.Header = in.Header
		t.r.Comments = map[model.CellKey]string{}
		for k, c := range in.Comments {
			t.r.Comments[k] = c
		}
		t.r.Confirmed = map[string]model.Confirmation{}
		for k, c := range in.Confirmed {
			t.r.Confirmed[k] = c
		}
		from := t.r.State
		state := model.MigrateState(string(in.State))
		if err := t.receiveState(from, state); err != nil {
			return err
		}
		if state.Delivered() {
			if err := s.checkComplete(tx, t.r); err != nil {
				return err
			}
		}
		t.touched = true
		if err := t.finish(modeEdit); err != nil {
			return err
		}
		// finish reopens a complete report whose values changed; an imported
		// report says its own state, checked above.
		if t.r.State != state {
			t.r.State = state
			if err := tx.Bucket(bReports).Put(t.key, encodeReport(s.dict, t.key, t.r)); err != nil {
				return err
			}
			return s.putInfo(tx, t.r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	keys := make([]model.CellKey, len(t.events))
	for i, ev := range t.events {
		keys[i] = ev.Key
	}
	s.notify(model.Notice{ID: id, By: by, Keys: keys})
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, model.ErrNotFound) }

func (s *impl) list(variant string, period *model.Period) ([]model.ReportInfo, error) {
	var out []model.ReportInfo
	var prefix []byte
	if variant != "" {
		if v := s.variantOf(variant); v != nil {
			variant = v.ID
		}
		prefix = append([]byte(variant), 0)
	}
	err := s.view(func(tx *bolt.Tx) error {
		seen := 0
		c := tx.Bucket(bInfo).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			seen++
			in, err := decodeInfo(k, v)
			if err != nil {
				// Listed as damaged, by unit and period; the rest stays readable.
				if in.ID.Unit == "" {
					return s.damaged(k, "报表概况", err)
				}
				in = model.ReportInfo{ID: in.ID, Damage: Damage{ID: in.ID, Part: "报表概况", Why: err.Error()}.String()}
			}
			if period != nil && in.ID.Period != *period {
				continue
			}
			out = append(out, in)
		}
		return s.checkCount(tx, variant, seen)
	})
	return out, err
}

// checkCount compares the number of List entries seen with the count kept in
// meta: a damaged page can hide entries from bbolt's cursor without any error.
func (s *impl) checkCount(tx *bolt.Tx, variant string, seen int) error {
	all, err := counts(tx.Bucket(bMeta))
	if err != nil {
		return corrupt(s.path, err)
	}
	want := all[variant]
	if variant == "" {
		want = 0
		for _, n := range all {
			want += n
		}
	}
	if seen != want {
		return corrupt(s.path, fmt.Errorf("报表列表应有 %d 份，只读到 %d 份（有的页面已损坏）", want, seen))
	}
	return nil
}

// counted adds n to a variant's count of reports.
func (s *impl) counted(tx *bolt.Tx, variant string, n int) error {
	meta := tx.Bucket(bMeta)
	cur, err := getCount(meta, variant)
	if err != nil {
		return corrupt(s.path, err)
	}
	return putCount(meta, variant, cur+n)
}

// unitType looks a report's unit up in the catalog's directory and the added units.
func (s *impl) unitType(tx *bolt.Tx, id model.ReportID) (string, error) {
	v := s.variantFor(id.Variant, id.Period)
	if v == nil {
		return "", fmt.Errorf("%s 没有名为 %q 的表式版本", id.Period.Label(), id.Variant)
	}
	added, err := loadUnits(tx, v.ID)
	if err != nil {
		return "", err
	}
	u, err := v.Unit(id.Unit, added...)
	if err != nil {
		return "", err
	}
	return u.Type, nil
}

// canonical insists on a variant's ID ("nanan", not "南安") in report keys, so that
// one report never ends up under two keys.
func (s *impl) canonical(variant string) (*model.Variant, error) {
	v := s.variantOf(variant)
	if v == nil {
		return nil, fmt.Errorf("没有名为 %q 的表式版本", variant)
	}
	if v.ID != variant {
		return nil, fmt.Errorf("报表的表式版本应写作 %q，而不是 %q", v.ID, variant)
	}
	return v, nil
}
