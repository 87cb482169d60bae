package store

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"jibao/model"
)

func TestPersistAcrossReopen(t *testing.T) {
	path := tempDB(t)
	cells := testCells()
	id := testID(3)
	clock := time.Date(2025, 9, 20, 10, 0, 0, 0, time.UTC)
	s, err := Open(path, Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	set(t, s, id, "lin", cells[0], 5, cells[1], 7, cells[len(cells)-1], 9)
	h := model.Header{Unit: "水头镇", Filler: "林", Phone: "0595-1234567", Date: "2025-09-20"}
	if err := s.SetHeader(id, h, "lin"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetComment(id, cells[1], "含新建企业", "lin"); err != nil {
		t.Fatal(err)
	}
	if err := s.Confirm(id, "t1-le/guobiao", &model.Confirmation{Comment: "核实无误", By: "lin"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursor(id, "lin", model.Cursor{Form: "t2", Row: "shiji", Col: "c3"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openT(t, path)
	r, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if got := valueText(r, cells[0]) + valueText(r, cells[1]) + valueText(r, cells[len(cells)-1]) + valueText(r, cells[2]); got != "579-" {
		t.Errorf("values after reopen = %q, want 579-", got)
	}
	if r.Header != h || r.Comments[cells[1]] != "含新建企业" || r.Confirmed["t1-le/guobiao"].Comment != "核实无误" {
		t.Errorf("header/comment/confirmation lost: %+v %v %v", r.Header, r.Comments, r.Confirmed)
	}
	if !r.Confirmed["t1-le/guobiao"].At.Equal(clock) || !r.Updated.Equal(clock) || r.UpdatedBy != "lin" || r.UnitType != "xiangzhen" {
		t.Errorf("stamps: confirmed at %v, updated %v by %q, type %q", r.Confirmed["t1-le/guobiao"].At, r.Updated, r.UpdatedBy, r.UnitType)
	}
	c, ok, err := s.Cursor(id, "lin")
	if err != nil || !ok || c != (model.Cursor{Form: "t2", Row: "shiji", Col: "c3"}) {
		t.Errorf("Cursor = %+v %v %v", c, ok, err)
	}
	last, ok, err := s.LastOpened("lin")
	if err != nil || !ok || last != id {
		t.Errorf("LastOpened = %v %v %v", last, ok, err)
	}
	if _, ok, _ := s.LastOpened("wang"); ok {
		t.Errorf("LastOpened of a user who never opened anything")
	}
	infos, err := s.List("nanan", nil)
	if err != nil || len(infos) != 1 {
		t.Fatalf("List = %v, %v", infos, err)
	}
	if in := infos[0]; in.ID != id || in.Filled != 3 || in.Total != len(cells) || in.State != model.StateDraft || in.UpdatedBy != "lin" {
		t.Errorf("Info = %+v, want 3/%d filled", in, len(cells))
	}
	if _, err := s.Get(testID(2)); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("Get of a missing report: %v, want ErrNotFound", err)
	}
}

func TestSetCellsRefusesUnknownCells(t *testing.T) {
	s := openT(t, tempDB(t))
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []model.CellKey{
		{Form: "t9", Row: "r", Col: "c1"},
		{Form: "t1", Row: "guobiao", Col: "c999"},
		{Form: "t1", Row: "nosuch", Col: "c1"},
	} {
		if _, err := s.SetCells(id, []model.Change{{Key: k, Value: num(1)}}, "lin"); err == nil {
			t.Errorf("SetCells(%s) accepted a cell the forms do not have", k)
		}
	}
	// A refused change leaves the whole batch out.
	good := testCells()[0]
	if _, err := s.SetCells(id, []model.Change{{Key: good, Value: num(1)}, {Key: model.CellKey{Form: "t9", Row: "r", Col: "c1"}, Value: num(1)}}, "lin"); err == nil {
		t.Fatal("mixed batch accepted")
	}
	r, _ := s.Get(id)
	if len(r.Values) != 0 {
		t.Errorf("a refused batch left values behind: %v", r.Values)
	}
	if _, err := s.SetCells(testID(4), []model.Change{{Key: good, Value: num(1)}}, "lin"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("SetCells on a missing report: %v", err)
	}
}

func TestStateLifecycle(t *testing.T) {
	s := openT(t, tempDB(t))
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	err := s.SetState(id, model.StateComplete, "lin")
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "172 个空白") {
		t.Fatalf("SetState(complete) on an empty report: %v", err)
	}
	var all []model.Change
	for _, k := range testCells() {
		all = append(all, model.Change{Key: k, Value: num(0)})
	}
	r, err := s.SetCells(id, all, "lin")
	if err != nil {
		t.Fatal(err)
	}
	confirmWarnings(t, s, r)
	if err := s.SetState(id, model.StateComplete, "lin"); err != nil {
		t.Fatalf("SetState(complete) on an all-zero report: %v", err)
	}
	// A submitted report's values are frozen; withdrawing unfreezes them.
	if _, err := s.SetCells(id, []model.Change{{Key: testCells()[0], Value: num(3)}}, "lin"); !errors.Is(err, ErrFrozen) {
		t.Errorf("editing a submitted report: %v", err)
	}
	if err := s.SetState(id, model.StateReopened, "wang"); err != nil {
		t.Fatal(err)
	}
	r = set(t, s, id, "lin", testCells()[0], 3)
	if r.State != model.StateDraft {
		t.Errorf("state after editing a withdrawn report = %s", r.State)
	}
	ev, err := s.History(id, testCells()[0])
	if err != nil || len(ev) != 2 {
		t.Fatalf("History = %v, %v", ev, err)
	}
	infos, _ := s.List("", nil)
	if len(infos) != 1 || infos[0].State != model.StateDraft || infos[0].Filled != 172 {
		t.Errorf("List after edits = %+v", infos)
	}
}

func TestHistoryUndoRedo(t *testing.T) {
	path := tempDB(t)
	id := testID(2)
	cells := testCells()
	a, b, c := cells[0], cells[1], cells[2]
	s := openT(t, path)
	if _, err := s.Ensure(id, "xiangzhen", "lin"); err != nil {
		t.Fatal(err)
	}
	set(t, s, id, "lin", a, 1)
	set(t, s, id, "lin", a, 2, b, 3)
	set(t, s, id, "wang", c, 8)
	show := func(r *model.Report) string { return valueText(r, a) + valueText(r, b) + valueText(r, c) }
	get := func() string {
		r, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		return show(r)
	}
	hist, err := s.History(id, a)
	if err != nil || len(hist) != 2 || hist[0].Old != nil || *hist[0].New != model.Whole(1) ||
		*hist[1].Old != model.Whole(1) || *hist[1].New != model.Whole(2) || hist[1].By != "lin" || hist[0].Batch == hist[1].Batch {
		t.Fatalf("History(a) = %+v, %v", hist, err)
	}
	if ev, err := s.Undo(id, "lin"); err != nil || len(ev) != 2 || get() != "1-8" {
		t.Fatalf("first undo: %v %v, values %s", ev, err, get())
	}
	// Undo and redo survive a restart.
	s.Close()
	s = openT(t, path)
	if ev, _ := s.Undo(id, "lin"); len(ev) != 1 || get() != "--8" {
		t.Fatalf("second undo after reopen: %v, values %s", ev, get())
	}
	if ev, _ := s.Undo(id, "lin"); len(ev) != 0 || get() != "--8" {
		t.Fatalf("undo with nothing left: %v, values %s", ev, get())
	}
	if ev, _ := s.Redo(id, "lin"); len(ev) != 1 || get() != "1-8" {
		t.Fatalf("redo: %v, values %s", ev, get())
	}
	s.Close()
	s = openT(t, path)
	if ev, _ := s.Redo(id, "lin"); len(ev) != 2 || get() != "238" {
		t.Fatalf("second redo after reopen: %v, values %s", ev, get())
	}
	if ev, _ := s.Redo(id, "lin"); len(ev) != 0 {
		t.Fatalf("redo with nothing left: %v", ev)
	}
	// Undo is per user: wang undoes only wang's change.
	if ev, _ := s.Undo(id, "wang"); len(ev) != 1 || get() != "23-" {
		t.Fatalf("wang's undo: %v, values %s", ev, get())
	}
	// An undo never overwrites a value someone else changed since.
	set(t, s, id, "wang", b, 30)
	if _, err := s.Undo(id, "lin"); err != nil || get() != "130-" {
		t.Fatalf("lin's undo over wang's change: %v, values %s", err, get())
	}
	// A new edit clears the redo stack.
	set(t, s, id, "lin", a, 5)
	if ev, _ := s.Redo(id, "lin"); len(ev) != 0 || get() != "530-" {
		t.Fatalf("redo after a new edit: %v, values %s", ev, get())
	}
	hist, _ = s.History(id, a)
	// 1, 2, undo 1, undo -, redo 1, redo 2, undo 1 (b kept wang's 30), 5.
	if len(hist) != 8 {
		t.Errorf("History(a) has %d events, want 8 (undo and redo are recorded too)", len(hist))
	}
}

func TestPutReport(t *testing.T) {
	s := openT(t, tempDB(t))
	cells := testCells()
	id := testID(1)
	r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, id.Period)
	r.Values[cells[0]] = model.Whole(4)
	r.Values[cells[5]] = model.Whole(6)
	r.Header.Filler = "林"
	if err := s.PutReport(r, "import"); err != nil {
		t.Fatal(err)
	}
	r2 := r.Clone()
	delete(r2.Values, cells[0])
	r2.Values[cells[5]] = model.Whole(7)
	if err := s.PutReport(r2, "import"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(id)
	if err != nil || valueText(got, cells[0])+valueText(got, cells[5]) != "-7" || got.Header.Filler != "林" {
		t.Fatalf("after PutReport: %v %v", got, err)
	}
	h, _ := s.History(id, cells[5])
	if len(h) != 2 {
		t.Errorf("history of a re-imported cell: %d events, want 2", len(h))
	}
	r2.State = model.StateComplete
	if err := s.PutReport(r2, "import"); !errors.Is(err, ErrIncomplete) {
		t.Errorf("PutReport of an incomplete report marked complete: %v", err)
	}
}

func TestCumulativeUsesPreviousQuarter(t *testing.T) {
	s := openT(t, tempDB(t))
	var k model.CellKey
	for _, c := range testCells() {
		if c.Form == "t3" { // every 表三 column is cumulative
			k = c
			break
		}
	}
	q2, q3 := testID(2), testID(3)
	for _, id := range []model.ReportID{q2, q3} {
		if _, err := s.Ensure(id, "", "lin"); err != nil {
			t.Fatal(err)
		}
	}
	set(t, s, q3, "lin", k, 5)
	warnings := func() int {
		p := q3.Period
		in, err := s.List("nanan", &p)
		if err != nil || len(in) != 1 {
			t.Fatalf("List = %v %v", in, err)
		}
		return in[0].Warnings + in[0].Errors
	}
	before := warnings()
	// Raising last quarter's cumulative figure above this quarter's must show in
	// this quarter's List entry, though this quarter was not written.
	set(t, s, q2, "lin", k, 50)
	if after := warnings(); after != before+1 {
		t.Errorf("findings of 2025Q3 after 2025Q2 rose above it: %d, want %d", after, before+1)
	}
}

func TestSubscribe(t *testing.T) {
	s := openT(t, tempDB(t))
	id := testID(3)
	ch, cancel := s.Subscribe()
	slow, cancelSlow := s.Subscribe() // never read: must not block writers
	defer cancelSlow()
	_ = slow
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	if n := <-ch; n.ID != id || n.By != "lin" {
		t.Errorf("notice for Ensure = %+v", n)
	}
	k := testCells()[3]
	for i := 0; i < subscriberBuffer*2; i++ {
		set(t, s, id, "wang", k, i+1)
	}
	n := <-ch
	if n.ID != id || n.By != "wang" || len(n.Keys) != 1 || n.Keys[0] != k {
		t.Errorf("notice for SetCells = %+v", n)
	}
	cancel()
	cancel()
	for range ch { // drains what was buffered, then ends: cancel closed it
	}
}

func TestUnits(t *testing.T) {
	s := openT(t, tempDB(t))
	if err := s.AddUnit("nanan", model.Unit{Name: "南安市应急管理局", Type: "shizhi"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUnit("nanan", model.Unit{Name: "南安市应急管理局", Type: "shizhi"}); err == nil {
		t.Error("a unit was added twice")
	}
	if err := s.AddUnit("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}); err == nil {
		t.Error("a unit of the catalog's directory was added again")
	}
	if err := s.AddUnit("nanan", model.Unit{Name: "新单位", Type: "nosuch"}); err == nil {
		t.Error("a unit of an unknown type was added")
	}
	us, err := s.Units("nanan")
	if err != nil || len(us) != 1 || us[0].Name != "南安市应急管理局" || !us[0].Added {
		t.Fatalf("Units = %v, %v", us, err)
	}
	// An added unit can have reports, without naming its type again.
	r, err := s.Ensure(model.ReportID{Variant: "nanan", Unit: "南安市应急管理局", Period: model.Period{Year: 2025, Quarter: 3}}, "", "lin")
	if err != nil || r.UnitType != "shizhi" {
		t.Fatalf("Ensure for an added unit: %v %v", r, err)
	}
	if us, _ := s.Units("quanzhou-edu"); len(us) != 0 {
		t.Errorf("units leak across variants: %v", us)
	}
}

func TestBackupCopy(t *testing.T) {
	path := tempDB(t)
	s := openT(t, path)
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	set(t, s, id, "lin", testCells()[0], 42)
	copyPath := path + ".copy"
	f, err := os.Create(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.BackupTo(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s.Close()
	c := openT(t, copyPath, func(o *Options) { o.ReadOnly = true })
	r, err := c.Get(id)
	if err != nil || valueText(r, testCells()[0]) != "42" {
		t.Errorf("%s: %v %v", copyPath, r, err)
	}
}
