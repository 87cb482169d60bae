package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jibao/model"
	"jibao/store"
)

// fillAll gives every cell of a unit's report 0 through the store: complete, no
// error, no warning.
func fillAll(t *testing.T, st *store.Store, unit string, p model.Period) model.ReportID {
	t.Helper()
	v, _ := model.DefaultCatalog().Variant("nanan")
	u, err := v.Unit(unit)
	if err != nil {
		t.Fatal(err)
	}
	id := model.ReportID{Variant: "nanan", Unit: unit, Period: p}
	if _, err := st.Ensure(id, u.Type, "clerk"); err != nil {
		t.Fatal(err)
	}
	var ch []model.Change
	zero := model.Whole(0)
	for _, f := range v.FormsFor(u.Type) {
		for _, k := range f.Cells() {
			ch = append(ch, model.Change{Key: k, Value: &zero})
		}
	}
	r, err := st.SetCells(id, ch, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	// Zeros fall below a township's 2024 企业底数: the clerk confirms that
	// warning (and any other) so the report may be submitted.
	for _, f := range v.Check(r, nil).Findings {
		if f.Severity == model.SeverityWarning {
			if err := st.Confirm(id, f.Key, &model.Confirmation{Comment: "据实填报", By: "clerk"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return id
}

// TestCycleInTheWorkstation: the clerk submits with m, cannot type; the office
// returns with a reason and a note; the clerk opening the report sees both
// first; resubmits; the office accepts; nobody can type; the office never can.
func TestCycleInTheWorkstation(t *testing.T) {
	st := openTestStore(t)
	p := model.Period{Year: 2025, Quarter: 3}
	id := fillAll(t, st, "市应急局", p)
	clerk := openReport(t, st, 120, 40, "nanan", "市应急局", "2025Q3")
	clerk.keys("m")
	clerk.contains("确定上报")
	clerk.keys("y")
	if r, _ := st.Get(id); r.State != model.StateSubmitted {
		t.Fatalf("after m y: %s", r.State)
	}
	clerk.keys("1 str:5")
	clerk.contains("报表已上报，数据已锁定")

	office := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "市应急局", Period: "2025Q3",
		ReadOnly: true, Reviewer: true, User: "市安委办"})
	office.keys("1 str:7")
	office.contains("只读")
	office.keys("N str:请核实底数 enter")
	office.keys("R enter")
	office.contains("退回须说明理由")
	office.keys("str:表一底数与上季度不符 enter")
	office.contains("已退回")
	r, _ := st.Get(id)
	rev, _ := st.Review(id)
	if r.State != model.StateReturned || len(rev.Notes) != 1 {
		t.Fatalf("after the office's R: %s %+v", r.State, rev)
	}

	again := openReport(t, st, 120, 40, "nanan", "市应急局", "2025Q3")
	scr := again.screen()
	for _, want := range []string{"审核结果", "已退回：表一底数与上季度不符", "# 审核意见 表一 第1栏：请核实底数（市安委办）"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the returned report does not show %q first:\n%s", want, scr)
		}
	}
	again.keys("enter") // jumps to the noted cell, marked # in the grid
	if k := again.grid().key(); k.Form != "t1" || k.Col != "c1" {
		t.Errorf("Enter on the note went to %v", k)
	}
	again.contains("审核意见：请核实底数")
	again.contains("[#   0]")
	again.keys("q")
	again.contains("已退回：表一底数与上季度不符")
	again.keys("m y")
	office.keys("A y")
	if r, _ := st.Get(id); r.State != model.StateAccepted {
		t.Fatalf("after the office's A: %s", r.State)
	}
	again.send(RemoteChangeMsg{ID: id, By: "市安委办"}) // the server forwards the store's notice
	again.contains("市安委办 审核通过了本报表，现为已审核")
	again.keys("1 str:5")
	again.contains("报表已审核，数据已锁定")
	again.keys("esc m")
	again.contains("已锁定")
	got, _ := st.Get(id)
	for k, n := range got.Values {
		if n != 0 {
			t.Errorf("a value changed: %s = %v", k, n)
		}
	}
}

// boardStore is 南安's 2025Q3 with reports in every state, written at a fixed time.
func boardStore(t *testing.T) *store.Store {
	at := time.Date(2025, 9, 28, 9, 30, 0, 0, time.Local)
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := model.Period{Year: 2025, Quarter: 3}
	mv := func(id model.ReportID, a model.Action, who model.Actor, reason string) {
		if _, err := st.Move(id, a, who, "u", reason, nil); err != nil {
			t.Fatal(err)
		}
	}
	mv(fillAll(t, st, "水头", p), model.ActSubmit, model.ActorClerk, "")
	shi := fillAll(t, st, "石井", p)
	mv(shi, model.ActSubmit, model.ActorClerk, "")
	mv(shi, model.ActReturn, model.ActorOffice, "表二十佳数与附件1不符")
	ying := fillAll(t, st, "英都", p)
	mv(ying, model.ActSubmit, model.ActorClerk, "")
	mv(ying, model.ActAccept, model.ActorOffice, "")
	fillAll(t, st, "美林", p)
	xi := model.ReportID{Variant: "nanan", Unit: "溪美", Period: p}
	if _, err := st.Ensure(xi, "", "李四"); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestGoldenBoard(t *testing.T) {
	st := boardStore(t)
	late := func() time.Time { return time.Date(2025, 10, 8, 10, 0, 0, 0, time.Local) }
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		w, h := size[0], size[1]
		hs := newHarness(t, st, w, h, Options{Variant: "nanan", Period: "2025Q3", Reviewer: true, ReadOnly: true, Now: late, User: "市安委办"})
		hs.keys("?")
		hs.contains("审核看板（本期全部单位")
		hs.keys("esc B")
		scr := hs.screen()
		checkWidths(t, scr, w, h)
		golden(t, fmt.Sprintf("board-%dx%d", w, h), scr)
		lines := strings.Split(scr, "\n")
		if !strings.HasPrefix(lines[3], ">水头") || !strings.Contains(lines[3], "已上报") {
			t.Errorf("the submitted report is not first: %q", lines[3])
		}
		if !strings.Contains(scr, "逾期 8 天") || !strings.Contains(lines[1], "已审核 1") {
			t.Errorf("board lacks overdue or counts:\n%s", scr)
		}
	}
	// Enter opens the report read-only with the review keys; q comes back to the
	// board. Also in a local session that may type (jibao --office).
	hs := newHarness(t, st, 120, 40, Options{Variant: "nanan", Period: "2025Q3", Reviewer: true, Now: late, User: "市安委办"})
	hs.keys("B enter")
	hs.contains("水头")
	hs.keys("1 str:5")
	hs.contains("只读")
	hs.keys("esc q")
	hs.keys("A y")
	hs.contains("已审核通过")
	hs.keys("q")
	hs.contains("审核看板")
	hs.contains("已审核 2")
	hs.keys("S")
	hs.contains("汇总")
	hs.keys("q p")
	hs.contains("目标进度")
}
