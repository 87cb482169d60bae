package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

func (s *impl) history(id model.ReportID, k model.CellKey) ([]model.Event, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	var out []model.Event
	err := s.view(func(tx *bolt.Tx) error {
		return s.scanBlocks(tx, reportKey(id), func(evs []model.Event) error {
			for _, ev := range evs {
				if ev.Key == k {
					out = append(out, ev)
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanBlocks calls fn for each of a report's history blocks, oldest first. A
// damaged block is ErrCorrupt naming the report and the batch.
func (s *impl) scanBlocks(tx *bolt.Tx, rk []byte, fn func([]model.Event) error) error {
	prefix := append(append([]byte(nil), rk...), 0)
	c := tx.Bucket(bHistory).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+8 {
			continue
		}
		evs, err := decodeBlock(s.dict, k, v)
		if err != nil {
			return s.damaged(rk, "历史", fmt.Errorf("第 %d 批: %w", binary.BigEndian.Uint64(k[len(prefix):]), err))
		}
		if err := fn(evs); err != nil {
			return err
		}
	}
	return nil
}

// block loads one commit's history block; nil when there is none.
func (s *impl) block(tx *bolt.Tx, rk []byte, batch uint64) ([]model.Event, error) {
	k := seqKey(rk, batch)
	v := tx.Bucket(bHistory).Get(k)
	if v == nil {
		return nil, nil
	}
	evs, err := decodeBlock(s.dict, k, v)
	if err != nil {
		return nil, s.damaged(rk, "历史", fmt.Errorf("第 %d 批: %w", batch, err))
	}
	return evs, nil
}

// damaged is ErrCorrupt for one damaged record of a report, named by unit and
// period; the rest of the file stays readable.
func (s *impl) damaged(rk []byte, part string, err error) error {
	return corrupt(s.path, errors.New(Damage{ID: keyID(rk), Part: part, Why: err.Error()}.String()))
}

func (s *impl) undo(id model.ReportID, user string) ([]model.Event, error) {
	return s.revert(id, user, modeUndo)
}

func (s *impl) redo(id model.ReportID, user string) ([]model.Event, error) {
	return s.revert(id, user, modeRedo)
}

// revert pops the user's undo (or redo) stack and reverts that batch: an undo sets
// each cell back to its old value, a redo reverts the undo. A cell that someone
// changed since is left alone, so that undo never overwrites another clerk's
// number; a batch with nothing left to revert is skipped for the next one.
func (s *impl) revert(id model.ReportID, user string, mode undoMode) ([]model.Event, error) {
	t, err := s.write(id, user, mode, func(t *txn) error {
		st, err := t.loadStacks()
		if err != nil {
			return err
		}
		stack := &st.undo
		if mode == modeRedo {
			stack = &st.redo
		}
		for len(*stack) > 0 && len(t.events) == 0 {
			batch := (*stack)[len(*stack)-1]
			*stack = (*stack)[:len(*stack)-1]
			t.touched = true // the stacks changed even if no value does
			evs, err := s.block(t.tx, t.key, batch)
			if err != nil {
				return err
			}
			for i := len(evs) - 1; i >= 0; i-- {
				ev := evs[i]
				cur, ok := t.r.Values[ev.Key]
				if same(cur, ok, ev.New) {
					t.set(ev.Key, ev.Old)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t.events, nil
}

func same(cur model.Number, ok bool, n *model.Number) bool {
	if n == nil {
		return !ok
	}
	return ok && cur == *n
}

func (s *impl) setCursor(id model.ReportID, user string, c model.Cursor) error {
	if err := checkID(id); err != nil {
		return err
	}
	rk := reportKey(id)
	return s.update(func(tx *bolt.Tx) error {
		ck := userKey(rk, user)
		if err := tx.Bucket(bCursors).Put(ck, encodeCursor(ck, c)); err != nil {
			return err
		}
		return tx.Bucket(bLast).Put([]byte(user), encodeLast([]byte(user), rk))
	})
}

func (s *impl) cursor(id model.ReportID, user string) (model.Cursor, bool, error) {
	if err := checkID(id); err != nil {
		return model.Cursor{}, false, err
	}
	var c model.Cursor
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		ck := userKey(reportKey(id), user)
		raw := tx.Bucket(bCursors).Get(ck)
		if raw == nil {
			return nil
		}
		var err error
		c, err = decodeCursor(ck, raw)
		found = err == nil
		if err != nil {
			return s.damaged(reportKey(id), "光标", err)
		}
		return nil
	})
	return c, found, err
}

func (s *impl) lastOpened(user string) (model.ReportID, bool, error) {
	var id model.ReportID
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bLast).Get([]byte(user))
		if raw == nil {
			return nil
		}
		var err error
		id, err = decodeLast([]byte(user), raw)
		found = err == nil
		if err != nil {
			return corrupt(s.path, fmt.Errorf("%s 上次打开的报表记录: %w", user, err))
		}
		return nil
	})
	return id, found, err
}

func unitPrefix(variant string) []byte { return append([]byte(variant), 0) }

// loadUnits lists a variant's added units inside tx, by name.
func loadUnits(tx *bolt.Tx, variant string) ([]model.Unit, error) {
	var out []model.Unit
	prefix := unitPrefix(variant)
	c := tx.Bucket(bUnits).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		u, err := decodeUnit(k, v)
		if err != nil {
			return nil, fmt.Errorf("添加的单位记录 %q 损坏: %w", k[len(prefix):], err)
		}
		out = append(out, u)
	}
	return out, nil
}

func (s *impl) units(variant string) ([]model.Unit, error) {
	if v := s.variantOf(variant); v != nil {
		variant = v.ID
	}
	var out []model.Unit
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = loadUnits(tx, variant)
		return err
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

func (s *impl) addUnit(variant string, u model.Unit) error {
	v := s.variantOf(variant)
	if v == nil {
		return fmt.Errorf("没有名为 %q 的表式版本", variant)
	}
	return s.update(func(tx *bolt.Tx) error {
		existing, err := loadUnits(tx, v.ID)
		if err != nil {
			return err
		}
		checked, err := v.NewUnit(u.Name, u.Type, existing)
		if err != nil {
			return err
		}
		u.Name, u.Type, u.Added = checked.Name, checked.Type, true
		k := append(unitPrefix(v.ID), u.Name...)
		raw, err := encodeUnit(k, u)
		if err != nil {
			return err
		}
		return tx.Bucket(bUnits).Put(k, raw)
	})
}
