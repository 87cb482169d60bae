package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// The reporting cycle in the file: a report's state stays in its record (so List
// and every reader see it at once), and beside it, in a bucket of its own, every
// move (who, when, why) and the office's notes on cells. The bucket is made on the
// first move, so files written before the cycle open unchanged; their states
// (complete, reopened) are read as 已上报 and 草稿 by model.MigrateState.

// bReview holds report key -> review record (JSON: a few moves and notes per report).
var bReview = []byte("review")

// ErrFrozen is what a change to a submitted or accepted report's values returns.
var ErrFrozen = errors.New("报表已锁定")

// reviewRec is the stored form of a model.Review.
type reviewRec struct {
	Changes []model.StateChange `json:"changes,omitempty"`
	Notes   []noteRec           `json:"notes,omitempty"`
}

type noteRec struct {
	Key  string    `json:"key"`
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

func loadReview(tx *bolt.Tx, rk []byte) (model.Review, error) {
	rev := model.Review{Notes: map[model.CellKey]model.Note{}}
	b := tx.Bucket(bReview)
	if b == nil {
		return rev, nil
	}
	sealed := b.Get(rk)
	if sealed == nil {
		return rev, nil
	}
	raw, err := unseal(tagReview, rk, sealed)
	if err != nil {
		return rev, fmt.Errorf("审核记录 %q 损坏: %w", rk, err)
	}
	var rec reviewRec
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rev, fmt.Errorf("审核记录 %q 损坏: %w", rk, err)
	}
	rev.Changes = rec.Changes
	for _, n := range rec.Notes {
		k, err := model.ParseCellKey(n.Key)
		if err != nil {
			return rev, fmt.Errorf("审核记录 %q 损坏: %w", rk, err)
		}
		rev.Notes[k] = model.Note{Text: n.Text, By: n.By, At: n.At}
	}
	return rev, nil
}

func putReview(tx *bolt.Tx, rk []byte, rev model.Review) error {
	b, err := tx.CreateBucketIfNotExists(bReview)
	if err != nil {
		return err
	}
	rec := reviewRec{Changes: rev.Changes}
	for _, k := range sortedKeys(rev.Notes) {
		n := rev.Notes[k]
		rec.Notes = append(rec.Notes, noteRec{Key: k.String(), Text: n.Text, By: n.By, At: n.At})
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return b.Put(rk, seal(tagReview, rk, raw))
}

// frozen refuses a change to the values, header, comments or confirmations of a
// report the clerk has handed over.
func frozen(r *model.Report) error {
	if why := model.ValuesFrozen(r.State); why != "" {
		return fmt.Errorf("%w：%s %s：%s", ErrFrozen, r.Unit, r.Period.Label(), why)
	}
	return nil
}

// recordMove appends one move to the report's review record inside t's transaction.
func (t *txn) recordMove(a model.Action, from, to model.State, reason string, notes map[model.CellKey]string) error {
	rev, err := loadReview(t.tx, t.key)
	if err != nil {
		return corrupt(t.s.path, err)
	}
	for _, k := range sortedKeys(notes) {
		if err := t.s.checkKey(t.r, k); err != nil {
			return err
		}
		if notes[k] == "" {
			delete(rev.Notes, k)
			continue
		}
		rev.Notes[k] = model.Note{Text: notes[k], By: t.by, At: t.at}
	}
	if a != "" {
		rev.Changes = append(rev.Changes, model.StateChange{Action: a, From: from, To: to, By: t.by, At: t.at, Reason: reason})
	}
	return putReview(t.tx, t.key, rev)
}

// move makes one move of the reporting cycle, checked against model.MoveTable; a
// refused move is a *model.MoveError.
func (s *impl) move(id model.ReportID, a model.Action, who model.Actor, by, reason string, notes map[model.CellKey]string) (model.State, error) {
	var to model.State
	t, err := s.write(id, by, modeEdit, func(t *txn) error {
		var res *model.Result
		if a == model.ActSubmit || a == model.ActReceive {
			v := s.variantFor(t.r.Variant, t.r.Period)
			if v == nil {
				return &model.MoveError{Why: fmt.Sprintf("表式版本 %q 不在当前表式文件中，无法检查", t.r.Variant)}
			}
			prev, err := s.loadPrev(t.tx, id)
			if err != nil {
				return err
			}
			res = v.Check(t.r, prev)
		}
		from := model.MigrateState(string(t.r.State))
		var err error
		if to, err = model.Transition(from, a, who, reason, res); err != nil {
			var me *model.MoveError
			if errors.As(err, &me) && res != nil && !res.Complete() {
				me.Err = ErrIncomplete
				me.Why = fmt.Sprintf("%s %s %s", t.r.Unit, t.r.Period.Label(), me.Why)
			}
			return err
		}
		if a == model.ActSubmit {
			if err := t.submitOpen(); err != nil {
				return err
			}
		}
		if err := t.recordMove(a, from, to, reason, notes); err != nil {
			return err
		}
		t.r.State, t.touched, t.move = to, true, true
		return nil
	})
	if err != nil {
		return "", err
	}
	return t.r.State, nil
}

// submitOpen refuses a submission after the variant's SubmitDays without 延期.
func (t *txn) submitOpen() error {
	v := t.s.variantOf(t.r.Variant)
	if v == nil {
		return nil
	}
	rev, err := loadReview(t.tx, t.key)
	if err != nil {
		return corrupt(t.s.path, err)
	}
	if why := v.SubmitClosed(t.r.Period, t.at, rev); why != "" {
		return &model.MoveError{Why: why}
	}
	return nil
}

// setNotes changes the office's notes on cells without a move ("" removes one).
func (s *impl) setNotes(id model.ReportID, notes map[model.CellKey]string, by string) error {
	_, err := s.write(id, by, modeEdit, func(t *txn) error {
		t.touched, t.move = true, true
		return t.recordMove("", "", "", "", notes)
	})
	return err
}

func (s *impl) review(id model.ReportID) (model.Review, error) {
	if err := checkID(id); err != nil {
		return model.Review{}, err
	}
	var rev model.Review
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		rev, err = loadReview(tx, reportKey(id))
		return err
	})
	if err != nil {
		return rev, corrupt(s.path, err)
	}
	return rev, nil
}

// putReviewOf stores a whole review record (a copy of another file's), keeping
// its moves' own authors and times.
func (s *impl) putReviewOf(id model.ReportID, rev model.Review) error {
	if err := checkID(id); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bReports).Get(reportKey(id)) == nil {
			return notFound(id)
		}
		return putReview(tx, reportKey(id), rev)
	})
}

// reviews loads the review records of many reports in one read transaction, for
// the office's board; reports with none are left out.
func (s *impl) reviews(ids []model.ReportID) (map[model.ReportID]model.Review, error) {
	out := map[model.ReportID]model.Review{}
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bReview) == nil {
			return nil
		}
		for _, id := range ids {
			rev, err := loadReview(tx, reportKey(id))
			if err != nil {
				return err
			}
			if len(rev.Changes) > 0 || len(rev.Notes) > 0 {
				out[id] = rev
			}
		}
		return nil
	})
	if err != nil {
		return nil, corrupt(s.path, err)
	}
	return out, nil
}

// receiveState is putReport's part of the cycle: an accepted report is locked
// against any file, and a change of state by a file is recorded as 收到报表.
func (t *txn) receiveState(from, to model.State) error {
	if model.MigrateState(string(from)) == model.StateAccepted {
		return &model.MoveError{Why: fmt.Sprintf("%s %s 已审核，报表已锁定；如需更正请先解锁（jibao review --unlock 理由）",
			t.r.Unit, t.r.Period.Label())}
	}
	if from == to && (to != model.StateSubmitted || len(t.events) == 0) {
		return nil // a draft stays a draft; the same file again changes nothing
	}
	return t.recordMove(model.ActReceive, from, to, "", nil)
}

// Move makes one move of the reporting cycle (上报, 撤回, 审核通过, 退回, 解锁) as
// who, recording it with by, the time and the reason; notes ("" removes one) are
// the office's remarks on cells, kept with the move. A move the table does not
// allow is refused with a *model.MoveError that says why. It returns the new state.
func (s *Store) Move(id model.ReportID, a model.Action, who model.Actor, by, reason string, notes map[model.CellKey]string) (model.State, error) {
	return s.move(id, a, who, by, reason, notes)
}

// SetNotes changes the office's notes on cells of a report without a move.
func (s *Store) SetNotes(id model.ReportID, notes map[model.CellKey]string, by string) error {
	return s.setNotes(id, notes, by)
}

// Review is a report's moves, oldest first, and the office's notes; empty for a
// report no one has moved yet.
func (s *Store) Review(id model.ReportID) (model.Review, error) { return s.review(id) }

// Reviews is Review for many reports at once (the office's board); a report with
// no moves and no notes is left out.
func (s *Store) Reviews(ids []model.ReportID) (map[model.ReportID]model.Review, error) {
	return s.reviews(ids)
}

// PutReview stores a report's review record as it is (a copy of another file's).
func (s *Store) PutReview(id model.ReportID, rev model.Review) error { return s.putReviewOf(id, rev) }
