package tui

import (
	"strings"
	"testing"

	"jibao/model"
)

func TestEntryCommitsToStore(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("3 str:12 enter str:7 tab str:1.5 enter")
	for col, want := range map[string]model.Number{"c1": model.Whole(12), "c2": model.Whole(7)} {
		if n, ok := h.value("t3", "r", col); !ok || n != want {
			t.Errorf("%s = %v,%v in the grid, want %v", col, n, ok, want)
		}
	}
	r, err := st.Get(h.root().b.id)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := r.Value(model.CellKey{Form: "t3", Row: "r", Col: "c2"}); !ok || n != model.Whole(7) {
		t.Errorf("store has c2 = %v,%v, want 7", n, ok)
	}
	// 1.5 in a count column is refused: the cell stays in edit with the reason.
	if !h.grid().edit.on {
		t.Fatal("a wrong value left edit mode")
	}
	h.contains("应为整数")
	if _, ok := h.value("t3", "r", "c3"); ok {
		t.Error("a wrong value was kept")
	}
	h.keys("backspace backspace enter")
	if n, _ := h.value("t3", "r", "c3"); n != model.Whole(1) {
		t.Errorf("corrected value = %v, want 1", n)
	}
	// Esc cancels; F2 edits in place, keeping the old value.
	h.keys("shift+tab str:99 esc")
	if n, _ := h.value("t3", "r", "c3"); n != model.Whole(1) {
		t.Errorf("Esc kept %v", n)
	}
	h.keys("f2 str:0 enter")
	if n, _ := h.value("t3", "r", "c3"); n != model.Whole(10) {
		t.Errorf("F2 then 0 gave %v, want 10", n)
	}
	// Delete clears.
	h.keys("shift+tab delete")
	if _, ok := h.value("t3", "r", "c3"); ok {
		t.Error("delete did not clear")
	}
}

func TestNotApplicableSkipped(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 200, 50, "nanan", "水头", "2025Q3")
	h.keys("1")
	g := h.grid()
	f := g.form()
	// Go to 地标 / 总数 (c24) and move left: 一级..三级 do not apply there.
	g.Jump(model.CellKey{Form: "t1", Row: "dibiao", Col: "c24"})
	h.keys("left")
	if f.Columns[g.col].ID != "c20" || g.row != 0 {
		t.Errorf("left from 地标 c24 went to row %d %s, want the merged c20 at 国标", g.row, f.Columns[g.col].ID)
	}
	// Down in 一级企业 from 省标 skips 地标 (not applicable): the cursor stays.
	g.Jump(model.CellKey{Form: "t1", Row: "shengbiao", Col: "c21"})
	h.keys("down")
	if g.row != 1 {
		t.Errorf("down into a not-applicable cell moved to row %d", g.row)
	}
	// Tab walks only cells a unit fills.
	for i := 0; i < 60; i++ {
		k := g.key()
		if !f.Applicable(k.Row, k.Col) || f.Merged(k.Row, k.Col) {
			t.Fatalf("Tab stopped on %v", k)
		}
		h.keys("tab")
	}
	if !strings.Contains(h.screen(), "/") {
		t.Error("not-applicable cells are not marked with /")
	}
}

func TestPasteRejectsBeforeWriting(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("3")
	h.paste("1\t2\tx\t4\n")
	h.contains("粘贴被拒绝")
	h.contains("没有写入任何数据")
	for _, c := range []string{"c1", "c2", "c4"} {
		if _, ok := h.value("t3", "r", c); ok {
			t.Errorf("%s written although the paste was refused", c)
		}
	}
	h.keys("esc")
	h.paste("1,2,3.5,4\r\n")
	h.contains("粘贴被拒绝")
	h.keys("esc")
	// A good block is one commit, undone in one step.
	h.paste("1\t2\t3\t4\t5\n")
	for i, c := range []string{"c1", "c2", "c3", "c4", "c5"} {
		if n, _ := h.value("t3", "r", c); n != model.Whole(int64(i+1)) {
			t.Errorf("%s = %v after paste", c, n)
		}
	}
	h.keys("u")
	for _, c := range []string{"c1", "c5"} {
		if _, ok := h.value("t3", "r", c); ok {
			t.Errorf("undo left %s", c)
		}
	}
	h.keys("U")
	if n, _ := h.value("t3", "r", "c5"); n != model.Whole(5) {
		t.Errorf("redo gave c5 = %v", n)
	}
}

func TestFillZeroAfterConfirmation(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("3 str:5 enter z")
	h.contains("剩余的 28 个空白格")
	h.keys("n")
	if _, ok := h.value("t3", "r", "c2"); ok {
		t.Fatal("n still filled")
	}
	h.keys("z y")
	fs := h.root().b.res.Forms[h.root().b.formIndex("t3")]
	if fs.Filled != fs.Total {
		t.Errorf("after fill: %d/%d", fs.Filled, fs.Total)
	}
	if n, _ := h.value("t3", "r", "c1"); n != model.Whole(5) {
		t.Errorf("fill overwrote c1: %v", n)
	}
}

func TestListViewEditsSameCells(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1 v")
	h.contains("企业底数（家）/总数（家）")
	h.contains("国标")
	// Down goes to the next field; right to the next row (省标).
	h.keys("str:9 enter down")
	g := h.grid()
	if g.form().Columns[g.col].ID != "c3" {
		t.Errorf("in the list, enter then down is at %s, want c3", g.form().Columns[g.col].ID)
	}
	if n, _ := h.value("t1", "guobiao", "c1"); n != model.Whole(9) {
		t.Errorf("list entry gave %v", n)
	}
	g.Jump(model.CellKey{Form: "t1", Row: "guobiao", Col: "c24"})
	h.keys("right str:3 enter")
	if n, _ := h.value("t1", "shengbiao", "c24"); n != model.Whole(3) {
		t.Errorf("省标 c24 = %v", n)
	}
	h.keys("v")
	h.contains("填报")
}

func TestCompleteRefusedThenDone(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "市应急局", "2025Q3")
	h.keys("m")
	h.contains("不能上报")
	h.contains("123 个空白格") // not a township: 表一..表三 only
	for _, f := range []string{"1", "2", "3"} {
		h.keys("t " + f + " z y")
	}
	h.keys("m")
	h.contains("确定上报")
	h.keys("y")
	if h.root().b.r.State != model.StateComplete {
		t.Fatalf("state %v", h.root().b.r.State)
	}
	h.keys("str:5")
	h.contains("报表已上报，数据已锁定")
	h.keys("m y")
	if h.root().b.r.State != model.StateReopened {
		t.Fatalf("after reopen: %v", h.root().b.r.State)
	}
}

func TestRulesPanelJumpsAndConfirms(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	// 表三: 整改 > 发现 is a warning.
	h.keys("3 tab tab tab tab tab str:1 tab str:5 enter r")
	h.contains("审核结果")
	if len(h.root().b.res.Findings) == 0 {
		t.Fatal("no finding")
	}
	h.keys("c str:已核实 enter")
	if h.root().b.res.Warnings() != 0 {
		t.Errorf("warning not confirmed: %d", h.root().b.res.Warnings())
	}
}

func TestResizeTiny(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("4")
	for _, s := range [][2]int{{40, 10}, {10, 3}, {1, 1}, {120, 40}} {
		h.send(teaSize(s[0], s[1]))
		checkWidths(t, h.screen(), s[0], s[1])
		h.keys("right v right")
		checkWidths(t, h.screen(), s[0], s[1])
		h.keys("v ?")
		checkWidths(t, h.screen(), s[0], s[1])
		h.keys("esc q")
		checkWidths(t, h.screen(), s[0], s[1])
		h.keys("4")
	}
}

// PuTTY's "Control-H" Backspace sends ^H (ctrl+h to Bubble Tea): it erases in a
// cell, in the search and in the chooser, and clears a cell like Backspace.
// Home/End and their plain alternatives ^ and $ go to the row's ends.
func TestCtrlHIsBackspaceAndRowEnds(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("3 str:123 ctrl+h")
	if got := string(h.grid().edit.buf); got != "12" {
		t.Fatalf("^H left %q in the cell", got)
	}
	h.keys("enter shift+tab ctrl+h")
	if _, ok := h.value("t3", "r", "c1"); ok {
		t.Error("^H did not clear the cell")
	}
	h.keys("/ str:罚款 ctrl+h")
	h.contains("查找表头：罚_")
	h.keys("esc")
	last := len(h.grid().form().Columns) - 1
	for _, k := range []string{"end", "$"} {
		h.keys("home " + k)
		if h.grid().col != last {
			t.Errorf("%s went to column %d, want %d", k, h.grid().col, last)
		}
	}
	h.keys("^")
	if h.grid().col != 0 {
		t.Errorf("^ went to column %d", h.grid().col)
	}
}
