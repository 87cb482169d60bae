package store

import (
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

func TestReportIdentity(t *testing.T) {
	s := openT(t, tempDB(t))
	id := testID(3)
	id.Variant = "南安"
	if _, err := s.Ensure(id, "", "lin"); err == nil || !strings.Contains(err.Error(), "nanan") {
		t.Errorf("Ensure under the variant's Chinese name: %v", err)
	}
	if _, err := s.Ensure(model.ReportID{Variant: "nanan", Unit: "不存在的单位", Period: id.Period}, "", "lin"); err == nil {
		t.Errorf("Ensure of a unit that is in no directory")
	}
	// An imported report without a unit type takes it from the directory.
	r := model.NewReport("nanan", model.Unit{Name: "水头"}, id.Period)
	r.Values[testCells()[170]] = model.Whole(1) // a 表四 cell: township units only
	if err := s.PutReport(r, "import"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(testID(3)); got == nil || got.UnitType != "xiangzhen" {
		t.Errorf("imported report: %+v", got)
	}
	s.Close()
	if _, err := s.Get(testID(3)); err == nil {
		t.Errorf("Get after Close worked")
	}
}

// TestConcurrentSessions runs sessions of one server side by side: writers on
// different cells of one report, readers and a subscriber.
func TestConcurrentSessions(t *testing.T) {
	s := openT(t, tempDB(t))
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	ch, cancel := s.Subscribe()
	defer cancel()
	cells := testCells()
	const writers, each = 4, 25
	done := make(chan error, writers+1)
	for w := 0; w < writers; w++ {
		go func(w int) {
			user := string(rune('a' + w))
			for i := 0; i < each; i++ {
				n := model.Whole(int64(i))
				if _, err := s.SetCells(id, []model.Change{{Key: cells[w], Value: &n}}, user); err != nil {
					done <- err
					return
				}
				if _, err := s.List("nanan", nil); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}(w)
	}
	go func() {
		for i := 0; i < 50; i++ {
			if _, err := s.Get(id); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < writers+1; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	r, _ := s.Get(id)
	for w := 0; w < writers; w++ {
		if r.Values[cells[w]] != model.Whole(each-1) {
			t.Errorf("cell %s = %v", cells[w], r.Values[cells[w]])
		}
		if ev, _ := s.History(id, cells[w]); len(ev) != each {
			t.Errorf("cell %s has %d events, want %d", cells[w], len(ev), each)
		}
	}
	if n := len(ch); n == 0 {
		t.Errorf("the subscriber got no notice")
	}
}

// TestNoOpWritesCommitNothing: re-entering a value, re-opening a report or
// setting the state it has must not cost a commit (and its fsync).
func TestNoOpWritesCommitNothing(t *testing.T) {
	s := openT(t, tempDB(t))
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	set(t, s, id, "lin", testCells()[0], 5)
	txid := func() int {
		var n int
		s.db.View(func(tx *bolt.Tx) error { n = tx.ID(); return nil })
		return n
	}
	before := txid()
	set(t, s, id, "lin", testCells()[0], 5)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(id, model.StateDraft, "lin"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetComment(id, testCells()[0], "", "lin"); err != nil {
		t.Fatal(err)
	}
	if ev, err := s.Redo(id, "lin"); err != nil || len(ev) != 0 {
		t.Fatal(ev, err)
	}
	if after := txid(); after != before {
		t.Errorf("no-op writes committed %d transactions", after-before)
	}
	set(t, s, id, "lin", testCells()[0], 6)
	if after := txid(); after != before+1 {
		t.Errorf("a real change committed %d transactions, want 1", after-before)
	}
}
