package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/muesli/termenv"

	"jibao/model"
)

// Under NO_COLOR (no escape sequences at all) the cursor, errors, warnings,
// comments, last quarter's values and not-applicable cells still read apart.
func TestMarkersWithoutColour(t *testing.T) {
	st := openTestStore(t)
	prev := openReport(t, st, 200, 50, "nanan", "水头", "2025Q2")
	prev.keys("1 tab tab tab tab tab str:7 ctrl+c")
	h := openReport(t, st, 200, 50, "nanan", "水头", "2025Q3")
	h.keys("1 str:12 tab str:5 tab str:4 tab str:2 tab c str:核实 enter")
	raw := h.m.View()
	if strings.Contains(raw, "\x1b[") {
		t.Fatal("escape sequences in an Ascii session")
	}
	row := strings.Split(raw, "\n")[6] // the 国标 row
	for _, want := range []string{"!  12", "[*    ]", "~   7"} {
		if !strings.Contains(row, want) {
			t.Errorf("国标 row lacks %q: %q", want, row)
		}
	}
	h.contains("地标     /     /     /")
}

var sgrRe = regexp.MustCompile("\x1b\\[[0-9;]*m")

// A cursor move on 表四 changes only the row and the status line, and a typed digit
// only the row: every other line stays byte-identical, so Bubble Tea's renderer
// sends nothing for it.
func TestMoveRepaintsTwoLines(t *testing.T) {
	st := openTestStore(t)
	r := asciiRenderer()
	r.SetColorProfile(termenv.ANSI)
	h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", Renderer: r})
	h.keys("4 str:12 tab str:3 tab home")
	changed := func(keys string) []int {
		before := strings.Split(h.m.View(), "\n")
		h.keys(keys)
		after := strings.Split(h.m.View(), "\n")
		var diff []int
		for i := range after {
			if i >= len(before) || before[i] != after[i] {
				diff = append(diff, i)
			}
		}
		return diff
	}
	if d := changed("right"); len(d) != 2 {
		t.Errorf("a move changed lines %v, want the row and the status line", d)
	}
	h.keys("right")
	if d := changed("1"); len(d) != 2 { // the row, and the status line's edit hint
		t.Errorf("the first digit changed lines %v", d)
	}
	if d := changed("2"); len(d) != 1 {
		t.Errorf("a further digit changed lines %v, want only the row", d)
	}
	// Styles come as runs: the row line has few escape sequences.
	for _, l := range strings.Split(h.m.View(), "\n") {
		if n := len(sgrRe.FindAllString(l, -1)); n > 8 {
			t.Errorf("%d escape sequences in one line: %q", n, l)
		}
	}
}

func TestCopyLastQuarterCommentHistorySearch(t *testing.T) {
	st := openTestStore(t)
	prev := openReport(t, st, 120, 40, "nanan", "水头", "2025Q2")
	prev.keys("3 str:4 tab str:6 ctrl+c")
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("3")
	h.contains("上季度：4")
	h.keys("str:9 tab C")
	h.contains("1 个数值") // c1 is filled: only c2 is copied
	h.keys("y")
	if n, _ := h.value("t3", "r", "c2"); n != model.Whole(6) {
		t.Errorf("copied c2 = %v", n)
	}
	if n, _ := h.value("t3", "r", "c1"); n != model.Whole(9) {
		t.Errorf("copy overwrote c1: %v", n)
	}
	h.keys("shift+tab c str:来自台账 enter")
	h.contains("批注：来自台账")
	h.keys("str:10 enter shift+tab i")
	h.contains("修改记录")
	h.contains("9 -> 10")
	h.keys("esc / str:罚款 str:金额")
	h.contains("第12栏 ")
	h.keys("enter")
	if c := h.grid().form().Columns[h.grid().col]; c.ID != "c12" {
		t.Errorf("search went to %s", c.ID)
	}
	h.keys("?")
	h.contains("全部按键")
	h.contains("按表头查找并跳转")
}

func TestUnitsOutsideTheAllowedListAreNotOffered(t *testing.T) {
	st := openTestStore(t)
	h := newHarness(t, st, 80, 24, Options{AllowedUnits: func(v, u string) bool { return u == "水头" }})
	scr := h.screen()
	if strings.Contains(scr, "溪美") || !strings.Contains(scr, "水头") {
		t.Errorf("chooser ignores AllowedUnits:\n%s", scr)
	}
	h.keys("enter")
	h.contains("截止日期")
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	st := openTestStore(t)
	h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", ReadOnly: true})
	h.contains("只读") // in the title
	h.keys("3 str:5 enter")
	// The refusal is still up after the number and its Enter: typed blind into a
	// read-only report, a clerk must see why nothing was stored.
	h.contains("! " + readOnlyText)
	if h.grid().edit.on {
		t.Error("a read-only session opened a cell for typing")
	}
	h.keys("right x") // clearing a blank cell says so too
	h.contains("! " + readOnlyText)
	h.keys("q e")
	h.contains(readOnlyText)
	if _, err := st.Get(h.root().b.id); err == nil {
		t.Error("a read-only session created the report")
	}
}

func TestRemoteChangeReloads(t *testing.T) {
	st := openTestStore(t)
	a := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	b := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", User: "李四"})
	b.keys("3 str:42 enter")
	k := model.CellKey{Form: "t3", Row: "r", Col: "c1"}
	a.send(RemoteChangeMsg{ID: a.root().b.id, By: "李四", Keys: []model.CellKey{k}})
	if n, _ := a.value("t3", "r", "c1"); n != model.Whole(42) {
		t.Errorf("after the notice a sees %v", n)
	}
}

func TestQuanzhouAndNotApplicableForm(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "quanzhou-edu", "鲤城区", "2025Q3")
	h.contains("泉州")
	h.keys("4")
	h.contains("县（市、区）")
	checkWidths(t, h.screen(), 120, 40)
	h.keys("str:3 enter")
	if n, _ := h.value("t4", "r", "c1"); n != model.Whole(3) {
		t.Errorf("表四 c1 = %v", n)
	}
	city := openReport(t, st, 120, 40, "nanan", "市应急局", "2025Q3")
	city.contains("不适用")
	city.keys("4")
	city.contains("不适用于本单位")
	city.keys("1 t 4")
	city.contains("不适用于本单位")
	if city.grid().form().ID != "t1" {
		t.Errorf("t4 switched a city-level unit to %s", city.grid().form().ID)
	}
}

func TestHeaderLine(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("e str:张三 enter str:0595-1234567 enter ctrl+u str:2025-13-01 enter")
	h.contains("月份 13 不对")
	h.keys("ctrl+u str:2025-09-28 enter")
	h.contains("填表人：张三  联系电话：0595-1234567  日期：2025-09-28")
	r, err := st.Get(h.root().b.id)
	if err != nil || r.Header.Filler != "张三" || r.Header.Date != "2025-09-28" || r.Header.Unit != "水头" {
		t.Errorf("stored header %+v, %v", r.Header, err)
	}
}

// An undo whose answer comes while a comment is still queued must not leave the
// grid showing the undone value.
func TestUndoThenCommentStaysInStep(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("3 str:7 enter")
	b := h.root().b
	// Queue an undo and a comment without running them, then answer in order.
	undo := b.undo(h.root().s, false)
	k := model.CellKey{Form: "t3", Row: "r", Col: "c2"}
	b.comment(h.root().s, k, "备注")
	h.handle(undo())
	if _, ok := h.value("t3", "r", "c1"); ok {
		t.Errorf("after undo and comment the grid still shows c1")
	}
	if b.r.Comments[k] != "备注" {
		t.Errorf("comment lost: %v", b.r.Comments)
	}
}

func TestOneRowFormsOpenAsListWhenNarrow(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1")
	if h.grid().list {
		t.Error("表一 (three rows) opened as a list")
	}
	h.keys("t 4")
	if !h.grid().list {
		t.Error("表四 at 80 columns did not open as a list")
	}
	h.keys("v t 1 t 4")
	if h.grid().list {
		t.Error("the clerk's choice of the grid for 表四 was not kept")
	}
	wide := openReport(t, openTestStore(t), 120, 40, "nanan", "水头", "2025Q3")
	wide.keys("4")
	if wide.grid().list {
		t.Error("表四 at 120 columns opened as a list")
	}
}

func TestOpenerChoosesVariantPeriodAndUnit(t *testing.T) {
	st := openTestStore(t)
	h := newHarness(t, st, 80, 24, Options{})
	h.keys("shift+tab shift+tab right") // variant: the next one
	h.contains("泉州")
	h.keys("tab left") // period: one quarter back
	h.contains("2025年第2季度")
	h.keys("str:丰泽 enter")
	h.contains("丰泽区")
	h.contains("2025年第2季度")
	if id := h.root().b.id; id.Variant != "quanzhou-edu" || id.Unit != "丰泽区" {
		t.Errorf("opened %v", id)
	}
	// Next time the chooser offers the same report first.
	again := newHarness(t, st, 80, 24, Options{})
	again.contains("上次打开")
	again.keys("enter")
	if id := again.root().b.id; id.Unit != "丰泽区" || id.Period.Quarter != 2 {
		t.Errorf("reopened %v", id)
	}
}

func TestSearchByColumnNumber(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("4 / str:27 enter")
	if c := h.grid().form().Columns[h.grid().col]; c.ID != "c27" {
		t.Errorf("/27 went to %s", c.ID)
	}
}

// The key maps plug into bubbles' help.
var (
	_ help.KeyMap = GridKeyMap{}
	_ help.KeyMap = OverviewKeyMap{}
	_ help.KeyMap = OpenerKeyMap{}
)

// Two sessions of the same person (two SSH logins): the store's notices name
// only the user, so each session tells its own commits from the other's by the
// cells it committed. The other session's commit reloads, its own does not, and
// a cell being typed into stays in edit with its buffer.
func TestSamePersonTwoSessions(t *testing.T) {
	st := openTestStore(t)
	a := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	b := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	id := a.root().b.id
	key := func(col string) model.CellKey { return model.CellKey{Form: "t3", Row: "r", Col: col} }
	a.keys("3 str:7 enter")      // a commits c1
	b.keys("3 tab str:42 enter") // b commits c2
	b.keys("str:9")              // b is typing into c3
	// b's notice of its own commit changes nothing and says nothing.
	b.send(RemoteChangeMsg{ID: id, By: "clerk", Keys: []model.CellKey{key("c2")}})
	if b.grid().msg != "" {
		t.Errorf("b's own commit was announced: %q", b.grid().msg)
	}
	// a's commit, signed with the same user, reaches b: reloaded, edit kept.
	b.send(RemoteChangeMsg{ID: id, By: "clerk", Keys: []model.CellKey{key("c1")}})
	if n, ok := b.value("t3", "r", "c1"); !ok || n != model.Whole(7) {
		t.Errorf("b did not reload a's commit: c1 = %v,%v", n, ok)
	}
	if g := b.grid(); !g.edit.on || string(g.edit.buf) != "9" || g.key() != key("c3") {
		t.Errorf("the reload disturbed b's input: on=%v buf=%q at %v", g.edit.on, string(g.edit.buf), g.key())
	}
	b.contains("您在另一个窗口刚修改了本报表 1 格")
	// Both sessions change the same cell and the notices arrive merged: the
	// other session's mention is not taken for b's own.
	b.keys("esc shift+tab shift+tab str:6 enter") // b: c1 = 6
	a.keys("shift+tab str:8 enter")               // then a: c1 = 8
	if n, _ := b.value("t3", "r", "c1"); n != model.Whole(6) {
		t.Fatalf("b's c1 = %v before the notice", n)
	}
	b.send(RemoteChangeMsg{ID: id, By: "clerk", Keys: []model.CellKey{key("c1"), key("c1")}})
	if n, _ := b.value("t3", "r", "c1"); n != model.Whole(8) {
		t.Errorf("b did not reload after a merged notice: c1 = %v", n)
	}
	// Another clerk's commit is named.
	c := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", User: "李四"})
	c.keys("3 tab tab tab str:3 enter")
	b.send(RemoteChangeMsg{ID: id, By: "李四", Keys: []model.CellKey{key("c4")}})
	b.contains("李四 刚修改了本报表 1 格")
	if n, _ := b.value("t3", "r", "c4"); n != model.Whole(3) {
		t.Errorf("b did not reload 李四's commit: c4 = %v", n)
	}
}
