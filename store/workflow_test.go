package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// fillZero fills every cell of the report with 0 and confirms what warns (0
// is below 水头's 2024 企业底数): complete, no error, nothing left to confirm.
func fillZero(t *testing.T, s *Store, id model.ReportID) {
	t.Helper()
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
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
}

// confirmWarnings confirms every warning of a report, as its clerk would.
func confirmWarnings(t *testing.T, s *Store, r *model.Report) {
	t.Helper()
	v, _ := model.DefaultCatalog().Variant(r.Variant)
	for _, f := range v.Check(r, nil).Findings {
		if f.Severity == model.SeverityWarning {
			if err := s.Confirm(r.ID(), f.Key, &model.Confirmation{Comment: "据实填报", By: "lin"}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestReportingCycle(t *testing.T) {
	path := tempDB(t)
	s := openT(t, path)
	id := testID(3)
	k := testCells()[0]
	fillZero(t, s, id)
	mv := func(a model.Action, who model.Actor, by, reason string, notes map[model.CellKey]string) error {
		_, err := s.Move(id, a, who, by, reason, notes)
		return err
	}
	var me *model.MoveError
	if err := mv(model.ActAccept, model.ActorOffice, "市安委办", "", nil); !errors.As(err, &me) || !strings.Contains(err.Error(), "草稿") {
		t.Fatalf("accepting a draft: %v", err)
	}
	if err := mv(model.ActSubmit, model.ActorClerk, "lin", "", nil); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func() error{
		"SetCells":   func() error { _, err := s.SetCells(id, []model.Change{{Key: k, Value: num(1)}}, "lin"); return err },
		"SetComment": func() error { return s.SetComment(id, k, "说明", "lin") },
		"SetHeader":  func() error { return s.SetHeader(id, model.Header{Unit: "水头", Filler: "林"}, "lin") },
		"Confirm":    func() error { return s.Confirm(id, "x", &model.Confirmation{Comment: "对", By: "lin"}) },
		"Undo":       func() error { _, err := s.Undo(id, "lin"); return err },
	} {
		if err := f(); !errors.Is(err, ErrFrozen) || !strings.Contains(err.Error(), "已上报") {
			t.Errorf("%s on a submitted report: %v", name, err)
		}
	}
	if err := mv(model.ActReturn, model.ActorOffice, "市安委办", "", nil); err == nil {
		t.Fatal("a return without a reason was accepted")
	}
	if err := mv(model.ActReturn, model.ActorOffice, "市安委办", "表一底数与上季度不符", map[model.CellKey]string{k: "请核实"}); err != nil {
		t.Fatal(err)
	}
	set(t, s, id, "lin", k, 2) // returned: the clerk edits again
	set(t, s, id, "lin", k, 0)
	if err := mv(model.ActSubmit, model.ActorClerk, "lin", "", nil); err != nil {
		t.Fatal(err)
	}
	if err := mv(model.ActAccept, model.ActorOffice, "市安委办", "", nil); err != nil {
		t.Fatal(err)
	}
	if err := mv(model.ActWithdraw, model.ActorClerk, "lin", "", nil); !errors.As(err, &me) || !strings.Contains(err.Error(), "解锁") {
		t.Errorf("withdrawing an accepted report: %v", err)
	}
	r, _ := s.Get(id)
	r2 := r.Clone()
	r2.Values[k] = model.Whole(9)
	if err := s.PutReport(r2, "import"); err == nil || !strings.Contains(err.Error(), "已审核") {
		t.Errorf("importing over an accepted report: %v", err)
	}
	if err := mv(model.ActUnlock, model.ActorOffice, "市安委办", "更正表二", nil); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openT(t, path)
	rev, err := s.Review(id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rev.Changes {
		got = append(got, string(c.Action)+":"+string(c.To)+":"+c.By+":"+c.Reason)
		if c.At.IsZero() {
			t.Errorf("move without a time: %+v", c)
		}
	}
	want := "submit:submitted:lin: return:returned:市安委办:表一底数与上季度不符 submit:submitted:lin: accept:accepted:市安委办: unlock:submitted:市安委办:更正表二"
	if strings.Join(got, " ") != want {
		t.Errorf("moves:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if n := rev.Notes[k]; n.Text != "请核实" || n.By != "市安委办" {
		t.Errorf("note = %+v", n)
	}
	if in, _ := s.List("nanan", nil); len(in) != 1 || in[0].State != model.StateSubmitted {
		t.Errorf("List = %+v", in)
	}
	all, err := s.Reviews([]model.ReportID{id, testID(2)})
	if err != nil || len(all) != 1 || len(all[id].Changes) != 5 {
		t.Errorf("Reviews = %v, %v", all, err)
	}
}

// TestReceiveByFile is the e-mail cycle: a complete file is 已上报, a returned
// report is 已上报 again when the corrected file comes.
func TestReceiveByFile(t *testing.T) {
	s := openT(t, tempDB(t))
	id := testID(3)
	r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, id.Period)
	for _, k := range testCells() {
		r.Values[k] = 0
	}
	r.State = model.StateComplete
	if err := s.PutReport(r, "office"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Move(id, model.ActReturn, model.ActorOffice, "office", "表三有误", nil); err != nil {
		t.Fatal(err)
	}
	r.Header.Phone = "22334455" // the corrected file
	if err := s.PutReport(r, "office"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(id)
	rev, _ := s.Review(id)
	if got.State != model.StateSubmitted || len(rev.Changes) != 3 || rev.Changes[2].Action != model.ActReceive || rev.Changes[2].From != model.StateReturned {
		t.Errorf("after the corrected file: %s %+v", got.State, rev.Changes)
	}
}

// TestMigrateOldStates hand-builds a data file as jibao wrote it before the
// reporting cycle (states complete and reopened) and opens it.
func TestMigrateOldStates(t *testing.T) {
	path := tempDB(t)
	s := openT(t, path)
	fillZero(t, s, testID(2))
	fillZero(t, s, testID(3))
	at := time.Date(2025, 9, 30, 10, 0, 0, 0, time.Local)
	err := s.db.Update(func(tx *bolt.Tx) error {
		for id, st := range map[model.ReportID]string{testID(2): "complete", testID(3): "reopened"} {
			r, err := s.load(tx, id)
			if err != nil {
				return err
			}
			r.State, r.Updated = model.State(st), at
			if err := tx.Bucket(bReports).Put(reportKey(id), encodeReport(s.dict, reportKey(id), r)); err != nil {
				return err
			}
			in := s.info(r, nil)
			in.State = model.State(st)
			if err := tx.Bucket(bInfo).Put(reportKey(id), encodeInfo(reportKey(id), in)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openT(t, path)
	for id, want := range map[model.ReportID]model.State{testID(2): model.StateSubmitted, testID(3): model.StateDraft} {
		r, err := s.Get(id)
		if err != nil || r.State != want {
			t.Errorf("%s: state %v, %v; want %s", id, r.State, err, want)
		}
	}
	in, _ := s.List("nanan", nil)
	if len(in) != 2 || in[0].State != model.StateSubmitted || in[1].State != model.StateDraft {
		t.Errorf("List = %+v", in)
	}
	// The migrated 已上报 can be withdrawn and accepted like any other.
	if _, err := s.Move(testID(2), model.ActAccept, model.ActorOffice, "office", "", nil); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkBoard2000 is what the office's board reads for a period of 2,000
// units that all have a review record: one List, one Reviews.
func BenchmarkBoard2000(b *testing.B) {
	s := openT(b, filepath.Join(b.TempDir(), "jibao.db"))
	p := model.Period{Year: 2025, Quarter: 3}
	k := testCells()[0]
	ids := make([]model.ReportID, 2000)
	for i := range ids {
		ids[i] = model.ReportID{Variant: "nanan", Unit: fmt.Sprintf("单位%04d", i), Period: p}
		if _, err := s.Ensure(ids[i], "xiangzhen", "lin"); err != nil {
			b.Fatal(err)
		}
		if err := s.SetNotes(ids[i], map[model.CellKey]string{k: "请核实"}, "office"); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		infos, err := s.List("nanan", &p)
		if err != nil || len(infos) != 2000 {
			b.Fatal(len(infos), err)
		}
		got := make([]model.ReportID, len(infos))
		for j, in := range infos {
			got[j] = in.ID
		}
		revs, err := s.Reviews(got)
		if err != nil || len(revs) != 2000 {
			b.Fatal(len(revs), err)
		}
	}
}

// TestSubmitDaysNeedExtension: with the variant's submitDays set, a draft cannot
// be submitted that long after the due date until the office grants 延期.
func TestSubmitDaysNeedExtension(t *testing.T) {
	var raw map[string]any
	if err := json.Unmarshal(model.DefaultCatalogJSON(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, v := range raw["variants"].([]any) {
		v.(map[string]any)["due"].(map[string]any)["submitDays"] = 7
	}
	data, _ := json.Marshal(raw)
	cat, err := model.ParseCatalog(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 10, 20, 9, 0, 0, 0, time.Local) // 20 days after 2025-09-30
	s := openT(t, tempDB(t), func(o *Options) { o.Catalog, o.Now = cat, func() time.Time { return now } })
	id := testID(3)
	fillZero(t, s, id)
	_, err = s.Move(id, model.ActSubmit, model.ActorClerk, "lin", "", nil)
	var me *model.MoveError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "延期") {
		t.Fatalf("a late submission: %v", err)
	}
	if _, err := s.Move(id, model.ActExtend, model.ActorClerk, "lin", "晚了", nil); err == nil {
		t.Error("the clerk granted the extension")
	}
	if _, err := s.Move(id, model.ActExtend, model.ActorOffice, "office", "系统故障，准予补报", nil); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Move(id, model.ActSubmit, model.ActorClerk, "lin", "", nil); err != nil || st != model.StateSubmitted {
		t.Fatalf("submission after 延期: %s %v", st, err)
	}
}
