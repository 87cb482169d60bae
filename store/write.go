package store

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// maxUndo bounds a user's undo stack per report; older batches stay in the history
// but can no longer be undone with one key.
const maxUndo = 1000

// undoMode says what a committed batch does to the user's undo and redo stacks.
type undoMode int

const (
	modeEdit undoMode = iota // a new edit: undoable, and it clears the redo stack
	modeUndo                 // an undo: redoable
	modeRedo                 // a redo: undoable again, the rest of the redo stack stays
)

// txn is one write transaction on one report: it loads the report, records each
// cell change as an event, and in finish stores the report, its List entry, the
// history and the undo stacks, all in the same bbolt transaction.
type txn struct {
	s       *impl
	tx      *bolt.Tx
	key     []byte
	r       *model.Report
	by      string
	at      time.Time
	events  []model.Event
	touched bool // something other than a cell value changed
	move    bool // a move of the reporting cycle, not a change of values (workflow.go)
	stacks  *stacks
}

// errNothing rolls back a write transaction that changed nothing.
var errNothing = errors.New("nothing to write")

func notFound(id model.ReportID) error {
	return fmt.Errorf("%w：%s %s %s", model.ErrNotFound, id.Variant, id.Unit, id.Period.Label())
}

// begin loads the report for a write; ErrNotFound when there is none.
func (s *impl) begin(tx *bolt.Tx, id model.ReportID, by string) (*txn, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	key := reportKey(id)
	r, err := s.load(tx, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, notFound(id)
	}
	return &txn{s: s, tx: tx, key: key, r: r, by: by, at: s.now()}, nil
}

// set changes one cell, recording the change when there is one.
func (t *txn) set(k model.CellKey, v *model.Number) {
	old, had := t.r.Values[k]
	switch {
	case v == nil && !had, v != nil && had && old == *v:
		return
	case v == nil:
		delete(t.r.Values, k)
	default:
		t.r.Values[k] = *v
	}
	ev := model.Event{Key: k, By: t.by, At: t.at}
	if had {
		o := old
		ev.Old = &o
	}
	if v != nil {
		n := *v
		ev.New = &n
	}
	t.events = append(t.events, ev)
}

func (t *txn) loadStacks() (*stacks, error) {
	if t.stacks != nil {
		return t.stacks, nil
	}
	t.stacks = &stacks{}
	sk := userKey(t.key, t.by)
	if raw := t.tx.Bucket(bStacks).Get(sk); raw != nil {
		st, err := decodeStacks(sk, raw)
		if err != nil {
			return nil, t.s.damaged(t.key, "撤销", err)
		}
		t.stacks = &st
	}
	return t.stacks, nil
}

// finish writes everything the transaction changed; it does nothing when nothing
// changed, so that a no-op edit costs no fsync worth of history.
func (t *txn) finish(mode undoMode) error {
	if len(t.events) == 0 && !t.touched {
		return nil
	}
	t.r.Updated, t.r.UpdatedBy = t.at, t.by
	if err := t.tx.Bucket(bReports).Put(t.key, encodeReport(t.s.dict, t.key, t.r)); err != nil {
		return err
	}
	if err := t.s.recordFilled(t.tx, t.key, t.r.Period); err != nil {
		return err
	}
	if len(t.events) > 0 {
		// One block per commit; its events keep the numbers batch, batch+1, …
		hist := t.tx.Bucket(bHistory)
		batch, err := hist.NextSequence()
		if err != nil {
			return err
		}
		if err := hist.SetSequence(batch + uint64(len(t.events)) - 1); err != nil {
			return err
		}
		for i := range t.events {
			t.events[i].Seq, t.events[i].Batch = batch+uint64(i), batch
		}
		bk := seqKey(t.key, batch)
		if err := hist.Put(bk, encodeBlock(t.s.dict, bk, t.events)); err != nil {
			return err
		}
		st, err := t.loadStacks()
		if err != nil {
			return err
		}
		switch mode {
		case modeEdit:
			st.undo, st.redo = append(st.undo, batch), nil
		case modeUndo:
			st.redo = append(st.redo, batch)
		case modeRedo:
			st.undo = append(st.undo, batch)
		}
		if len(st.undo) > maxUndo {
			st.undo = append([]uint64(nil), st.undo[len(st.undo)-maxUndo:]...)
		}
	}
	if t.stacks != nil {
		sk := userKey(t.key, t.by)
		if err := t.tx.Bucket(bStacks).Put(sk, encodeStacks(sk, *t.stacks)); err != nil {
			return err
		}
	}
	return t.s.putInfo(t.tx, t.r)
}

// putInfo refreshes the List entry of a report and of the next quarter's report,
// whose cumulative checks compare against this one.
func (s *impl) putInfo(tx *bolt.Tx, r *model.Report) error {
	prev, err := s.loadPrev(tx, r.ID())
	if err != nil {
		return err
	}
	info := tx.Bucket(bInfo)
	rk := reportKey(r.ID())
	if err := info.Put(rk, encodeInfo(rk, s.info(r, prev))); err != nil {
		return err
	}
	if r.Period.Quarter >= 4 {
		return nil
	}
	nid := r.ID()
	nid.Period.Quarter++
	next, err := s.load(tx, nid)
	if err != nil || next == nil {
		return err
	}
	nk := reportKey(nid)
	return info.Put(nk, encodeInfo(nk, s.info(next, r)))
}

// load decodes a report inside tx; nil when there is none.
func (s *impl) load(tx *bolt.Tx, id model.ReportID) (*model.Report, error) {
	key := reportKey(id)
	raw := tx.Bucket(bReports).Get(key)
	if raw == nil {
		if tx.Bucket(bInfo).Get(key) != nil {
			// Listed but not found: a damaged page hides the report.
			return nil, s.damaged(key, "报表", errors.New("缺失（列表中有这份报表，数据却读不到）"))
		}
		return nil, nil
	}
	r, err := decodeReport(s.dict, key, raw)
	if err != nil {
		return nil, s.damaged(key, "报表", err)
	}
	return r, nil
}

// loadPrev is the same unit's report for the previous quarter, across the year
// boundary (the rules read only its long-running figures then: CarryOver),
// which the cumulative rule compares against.
func (s *impl) loadPrev(tx *bolt.Tx, id model.ReportID) (*model.Report, error) {
	if v := s.variantFor(id.Variant, id.Period); v != nil {
		return v.LoadPrev(id, func(pid model.ReportID) (*model.Report, error) { return s.load(tx, pid) })
	}
	id.Period = id.Period.Before()
	return s.load(tx, id)
}

// info computes a report's List entry with the catalog's rules.
func (s *impl) info(r, prev *model.Report) model.ReportInfo {
	in := model.ReportInfo{ID: r.ID(), UnitType: r.UnitType, State: r.State, Updated: r.Updated, UpdatedBy: r.UpdatedBy}
	v := s.variantFor(r.Variant, r.Period)
	if v == nil {
		in.Filled = len(r.Values)
		return in
	}
	res := v.Check(r, prev)
	in.Filled, in.Total = res.Filled()
	in.Errors, in.Warnings = res.Errors(), res.Warnings()
	return in
}

// checkKey refuses a cell the report's forms do not have, so that a wrong key is
// never silently kept.
func (s *impl) checkKey(r *model.Report, k model.CellKey) error {
	v := s.variantFor(r.Variant, r.Period)
	if v == nil {
		return nil
	}
	var f *model.Form
	for _, ff := range v.FormsFor(r.UnitType) {
		if ff.ID == k.Form {
			f = ff
		}
	}
	switch {
	case f == nil:
		return fmt.Errorf("单元格 %s：%s 的报表没有表 %q", k, r.Unit, k.Form)
	case f.Column(k.Col) == nil:
		return fmt.Errorf("单元格 %s：%s 没有栏目 %q", k, f.Name(), k.Col)
	}
	if _, ok := f.Row(k.Row); !ok {
		return fmt.Errorf("单元格 %s：%s 没有行 %q", k, f.Name(), k.Row)
	}
	if !f.Applicable(k.Row, k.Col) {
		return fmt.Errorf("单元格 %s：%s 此格不需填写（%s）", k, f.Name(), f.NotApplicableWhy(k.Row, k.Col))
	}
	if f.Merged(k.Row, k.Col) {
		return fmt.Errorf("单元格 %s：%s 此栏每类单位只填一次，应记在 %s 行", k, f.Name(), f.CellRow(k.Row, k.Col))
	}
	return nil
}

// write runs one report transaction and tells subscribers after it committed.
func (s *impl) write(id model.ReportID, by string, mode undoMode, fn func(t *txn) error) (*txn, error) {
	var t *txn
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if t, err = s.begin(tx, id, by); err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
		if err := frozen(t.r); err != nil && !t.move {
			return err
		}
		if len(t.events) == 0 && !t.touched {
			if s.group {
				// In a batch an error would make bbolt rerun every other write of
				// the batch alone; an empty part of a shared commit costs nothing.
				return nil
			}
			return errNothing // roll back: a commit would cost an fsync for nothing
		}
		return t.finish(mode)
	})
	if err == errNothing {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	if len(t.events) > 0 || t.touched {
		keys := make([]model.CellKey, len(t.events))
		for i, ev := range t.events {
			keys[i] = ev.Key
		}
		s.notify(model.Notice{ID: id, By: by, Keys: keys})
	}
	return t, nil
}

func (s *impl) setCells(id model.ReportID, changes []model.Change, by string) (*model.Report, error) {
	t, err := s.write(id, by, modeEdit, func(t *txn) error {
		for _, c := range changes {
			if err := t.s.checkKey(t.r, c.Key); err != nil {
				return err
			}
			t.set(c.Key, c.Value)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t.r, nil
}

func (s *impl) setHeader(id model.ReportID, h model.Header, by string) error {
	_, err := s.write(id, by, modeEdit, func(t *txn) error {
		t.touched = t.r.Header != h
		t.r.Header = h
		return nil
	})
	return err
}

func (s *impl) setComment(id model.ReportID, k model.CellKey, text, by string) error {
	_, err := s.write(id, by, modeEdit, func(t *txn) error {
		if err := t.s.checkKey(t.r, k); err != nil {
			return err
		}
		t.touched = t.r.Comments[k] != text
		if text == "" {
			delete(t.r.Comments, k)
		} else {
			t.r.Comments[k] = text
		}
		return nil
	})
	return err
}

func (s *impl) confirm(id model.ReportID, key string, c *model.Confirmation) error {
	by := ""
	if c != nil {
		by = c.By
	}
	_, err := s.write(id, by, modeEdit, func(t *txn) error {
		t.touched = true
		if c == nil {
			delete(t.r.Confirmed, key)
			t.by = t.r.UpdatedBy
			return nil
		}
		cc := *c
		if cc.At.IsZero() {
			cc.At = t.at
		}
		t.r.Confirmed[key] = cc
		return nil
	})
	return err
}

// setState is the two-state API of before the reporting cycle, as the clerk's
// moves: complete (已上报) submits, draft or reopened withdraws.
func (s *impl) setState(id model.ReportID, st model.State, by string) error {
	if r, err := s.get(id); err != nil || r.State == model.MigrateState(string(st)) {
		return err // already there: nothing to write
	}
	switch model.MigrateState(string(st)) {
	case model.StateSubmitted:
		_, err := s.move(id, model.ActSubmit, model.ActorClerk, by, "", nil)
		return err
	case model.StateDraft:
		_, err := s.move(id, model.ActWithdraw, model.ActorClerk, by, "", nil)
		return err
	}
	return fmt.Errorf("报表状态 %q 不能直接设置；请用上报、撤回或审核", st)
}

// checkComplete runs the rules as the clerk would see them and refuses completion
// while any blank or error is left.
func (s *impl) checkComplete(tx *bolt.Tx, r *model.Report) error {
	v := s.variantFor(r.Variant, r.Period)
	if v == nil {
		return fmt.Errorf("%w：表式版本 %q 不在当前表式文件中，无法检查", ErrIncomplete, r.Variant)
	}
	prev, err := s.loadPrev(tx, r.ID())
	if err != nil {
		return err
	}
	res := v.Check(r, prev)
	if !res.Complete() {
		return fmt.Errorf("%w：%s %s 还有 %d 个空白、%d 个错误，不能上报（可用 jibao check 查看）",
			ErrIncomplete, r.Unit, r.Period.Label(), len(res.Blanks), res.Errors())
	}
	return nil
}
