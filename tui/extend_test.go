package tui

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jibao/model"
	"jibao/store"
)

// submitDaysCatalog is the built-in catalog with due.submitDays set: 上报 closes
// that many days after the due date.
func submitDaysCatalog(t *testing.T, days int) *model.Catalog {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(model.DefaultCatalogJSON(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, v := range raw["variants"].([]any) {
		v.(map[string]any)["due"].(map[string]any)["submitDays"] = days
	}
	data, _ := json.Marshal(raw)
	cat, err := model.ParseCatalog(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// boardLine is the board's line of a unit.
func boardLine(scr, unit string) string {
	for _, l := range strings.Split(scr, "\n") {
		if strings.HasPrefix(l[min(1, len(l)):], unit+" ") {
			return l
		}
	}
	return ""
}

// TestExtendInTheWorkstation: with submitDays 7, twenty days after the due date
// the board says 已截止 for a draft; the clerk's m is refused; the office's X
// (shown in ? for the office only) grants 延期 with a reason; the board then says
// 已延期 and the clerk submits.
func TestExtendInTheWorkstation(t *testing.T) {
	cat := submitDaysCatalog(t, 7)
	late := func() time.Time { return time.Date(2025, 10, 20, 9, 0, 0, 0, time.Local) }
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true, Catalog: cat, Now: late})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := model.Period{Year: 2025, Quarter: 3}
	id := fillAll(t, st, "美林", p)

	clerk := newHarness(t, st, 120, 40, Options{Catalog: cat, Variant: "nanan", Unit: "美林", Period: "2025Q3", Now: late})
	clerk.keys("?")
	if scr := clerk.screen(); strings.Contains(scr, "延期") {
		t.Errorf("the clerk's ? lists 延期:\n%s", scr)
	}
	clerk.keys("esc m y")
	if r, _ := st.Get(id); r.State != model.StateDraft {
		t.Fatalf("a late submission went through: %s", r.State)
	}

	office := newHarness(t, st, 80, 24, Options{Catalog: cat, Variant: "nanan", Period: "2025Q3", Reviewer: true, Now: late, User: "市安委办"})
	office.keys("B")
	scr := office.screen()
	checkWidths(t, scr, 80, 24)
	if l := boardLine(scr, "美林"); !strings.Contains(l, "已截止 逾期 20 天") {
		t.Errorf("the late draft on the board: %q\n%s", l, scr)
	}
	if l := boardLine(scr, "溪美"); !strings.Contains(l, "已截止 逾期 20 天") || !strings.Contains(l, "未填报") {
		t.Errorf("a unit not reported on the board: %q\n%s", l, scr)
	}
	office.keys("enter ?")
	office.contains("延期：过了上报截止日期仍准上报")
	office.keys("esc X enter")
	office.contains("延期须说明理由")
	office.keys("str:系统故障，准予补报 enter")
	office.contains("已准予延期")
	rev, _ := st.Review(id)
	if last := rev.Last(); last.Action != model.ActExtend || last.Reason != "系统故障，准予补报" || last.By != "市安委办" {
		t.Fatalf("the move kept: %+v", last)
	}
	office.keys("q")
	office.contains("审核看板")
	if l := boardLine(office.screen(), "美林"); !strings.Contains(l, "逾期 20 天 已延期") || strings.Contains(l, "已截止") {
		t.Errorf("the draft after 延期: %q", l)
	}

	clerk2 := newHarness(t, st, 120, 40, Options{Catalog: cat, Variant: "nanan", Unit: "美林", Period: "2025Q3", Now: late})
	clerk2.keys("m y")
	if r, _ := st.Get(id); r.State != model.StateSubmitted {
		t.Fatalf("the submission after 延期: %s\n%s", r.State, clerk2.screen())
	}
}

// TestExtendWithoutSubmitDays: X on a variant that never closes 上报 says so.
func TestExtendWithoutSubmitDays(t *testing.T) {
	st := openTestStore(t)
	fillAll(t, st, "美林", model.Period{Year: 2025, Quarter: 3})
	office := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "美林", Period: "2025Q3", Reviewer: true, User: "市安委办"})
	office.keys("X")
	office.contains("无需延期")
}
