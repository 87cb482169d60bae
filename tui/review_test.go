package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jibao/model"
)

// A dialog is drawn right under the frame's content: on a tall terminal it sat at
// the bottom, twenty-odd lines below a three-row grid.
func TestDialogRightUnderTheContent(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("1")
	before := strings.Split(strings.TrimRight(h.screen(), "\n "), "\n")
	for len(before) > 0 && strings.TrimSpace(before[len(before)-1]) == "" {
		before = before[:len(before)-1]
	}
	h.keys("z")
	lines := strings.Split(h.screen(), "\n")
	if len(lines) != 40 {
		t.Fatalf("%d lines, want 40", len(lines))
	}
	at := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "-- 填 0") {
			at = i
		}
	}
	if at != len(before) {
		t.Fatalf("dialog at line %d, want %d (right under the content):\n%s", at, len(before), h.screen())
	}
	if !strings.Contains(lines[at-1], "? 全部按键") {
		t.Errorf("line above the dialog is %q, want the key hint", lines[at-1])
	}
	// At 80x24 a dialog taller than the room left still fits on the screen.
	h = openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1 r")
	s := h.screen()
	if n := len(strings.Split(s, "\n")); n != 24 || !strings.Contains(s, "Esc 关闭") {
		t.Fatalf("%d lines at 80x24 or the panel's hint cut off:\n%s", n, s)
	}
}

// A block-wide 表一 cell pasted over several rows with two different values is
// refused: keeping the first silently dropped the second.
func TestPasteMergedCellTwoValuesRefused(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1")
	h.paste("10\t20\n1\t2")
	h.contains("粘贴被拒绝")
	h.contains("本栏按单位类型只填一格")
	if _, ok := h.value("t1", "guobiao", "c1"); ok {
		t.Fatal("a refused paste wrote a value")
	}
	h.keys("esc")
	h.paste("10\t20\n10\t20") // the same value in the merged rows, as Excel copies it
	if n, ok := h.value("t1", "guobiao", "c2"); !ok || n != model.Whole(20) {
		t.Fatalf("c2 = %v %v, want 20", n, ok)
	}
}

// Typing a date over today's suggestion replaces it instead of running on after it.
func TestHeaderDateSuggestionIsReplaced(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("e str:张三 enter str:138 enter")
	h.contains("直接输入则替换")
	h.keys("str:2025-09-28 enter")
	h.contains("日期：2025-09-28")
	// A stored date is kept for editing: typing appends, Backspace edits.
	h.keys("e enter enter backspace str:9 enter")
	h.contains("日期：2025-09-29")
}

// In the list view of a one-row form (the view 表四 opens in at 80x24) a row
// copied from the Excel sheet goes down the fields; it was refused cell by cell
// as 超出表格范围.
func TestPasteRowIntoOneRowFormList(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("4")
	if !h.grid().list {
		t.Fatal("表四 should open as a list at 80x24")
	}
	h.paste("120\t10\t8")
	for i, want := range []int64{120, 10, 8} {
		col := h.grid().form().Columns[i].ID
		if n, ok := h.value("t4", h.grid().form().Rows[0].ID, col); !ok || n != model.Whole(want) {
			t.Fatalf("%s = %v %v, want %d\n%s", col, n, ok, want, h.screen())
		}
	}
	h.keys("down down down")
	h.paste("30\n25") // a column of Excel cells goes down the fields too
	if n, ok := h.value("t4", h.grid().form().Rows[0].ID, h.grid().form().Columns[4].ID); !ok || n != model.Whole(25) {
		t.Fatalf("column paste: %v %v\n%s", n, ok, h.screen())
	}
	// A form of several rows keeps the list's layout: one line is one field's rows.
	h.keys("t2")
	if !h.grid().list {
		h.keys("v")
	}
	h.paste("1\t2") // 乡级 has no 十佳乡镇 case
	f := h.grid().form()
	for i, want := range []int64{1, 2} {
		if n, ok := h.value("t2", f.Rows[i].ID, f.Columns[0].ID); !ok || n != model.Whole(want) {
			t.Fatalf("表二 row %d = %v %v, want %d\n%s", i, n, ok, want, h.screen())
		}
	}
}

// Confirming a warning at 80 columns shows the whole message (its figures were
// cut off in the title), and an empty reason keeps the prompt open.
func TestConfirmWarningShowsWholeMessage(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("3 esc tab tab tab tab tab str:1 tab str:5 enter r c")
	s := h.screen()
	if !strings.Contains(s, "-- 确认提醒 --") || !strings.Contains(strings.ReplaceAll(s, "\n", ""), "发现隐患（1）") {
		t.Fatalf("the warning's message is not shown whole:\n%s", s)
	}
	checkWidths(t, s, 80, 24)
	h.keys("enter")
	h.contains("确认提醒需要写明原因")
	h.contains("-- 确认提醒 --")
	h.keys("str:含上季度 enter")
	h.contains("已确认该提醒")
	if res := h.root().b.res; res.Warnings() != 0 {
		t.Fatalf("%d warnings left unconfirmed", res.Warnings())
	}
}

// Marking complete names the header fields still empty (the export prints
// them); it does not refuse.
func TestCompleteNamesMissingHeader(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "市应急局", "2025Q3")
	h.keys("1 z y t2 z y t3 z y q m")
	h.contains("注意：表头未填：填表人、联系电话、日期")
	h.keys("esc e str:张三 enter str:138 enter enter m")
	if strings.Contains(h.screen(), "表头未填") {
		t.Fatalf("header filled but still named missing:\n%s", h.screen())
	}
	h.keys("y")
	if h.root().b.r.State != model.StateComplete {
		t.Fatalf("state %v, want complete", h.root().b.r.State)
	}
}

// Wrapped notes never begin a line with a closing mark, nor split "8." from its
// number.
func TestWrapProseKinsoku(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want []string
	}{
		{"填报表格；7.落实", 8, []string{"填报表", "格；7.落", "实"}},
		{"一二三8.四五", 7, []string{"一二三", "8.四五"}},
		{"一二三四）；五", 8, []string{"一二三", "四）；五"}},
		{"一二三）；四", 6, []string{"一二", "三）；", "四"}},
		{"abcdefgh", 4, []string{"abcd", "efgh"}},
	} {
		got := wrapProse(c.in, c.w, 9)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapProse(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

// Esc and the next key in one read arrive as Alt+key: they act as Esc, then the
// key. "7 Esc 5 Enter" stored 75.
func TestEscFollowedAtOnceByAKey(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1 str:7")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("5"), Alt: true})
	h.keys("enter")
	if n, ok := h.value("t1", "guobiao", "c1"); !ok || n != model.Whole(5) {
		t.Fatalf("c1 = %v %v, want 5 (7 cancelled by Esc)", n, ok)
	}
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q"), Alt: true}) // Esc, then q: back to the overview
	h.contains("1-4 打开表一至表四")
}

// The list view keeps a field's leaf whole at 80 columns: cut from the end, 表一's
// four 四色 fields (and the two 专兼职 ones) read the same.
func TestListPathKeepsTheLeaf(t *testing.T) {
	got := fitPath([]string{"落实全员安全生产责任制数量", "四色安全风险分级动态监管", "红色风险企业"}, "（家）", 50)
	if got != "落实../四色安全风险分级动态监管/红色风险企业（家）" {
		t.Errorf("fitPath = %q", got)
	}
	if textWidth(got) > 50 {
		t.Errorf("%q is wider than 50", got)
	}
	if got := fitPath([]string{"企业底数（家）", "总数"}, "（家）", 50); got != "企业底数（家）/总数（家）" {
		t.Errorf("a path that fits changed: %q", got)
	}
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1 v")
	seen := map[string]bool{}
	for _, l := range strings.Split(h.screen(), "\n")[4:19] {
		name := strings.TrimSpace(l[strings.LastIndex(l, "  "):])
		if seen[name] {
			t.Errorf("two fields read %q:\n%s", name, h.screen())
		}
		seen[name] = true
	}
}

// The grid's status line keeps the leaf too: at 80 columns it ended in
// "四色安全风险分级动态监管/红" for 表一's 红色 field.
func TestStatusPathKeepsTheLeaf(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1")
	if h.grid().list {
		h.keys("v")
	}
	h.keys("/ str:13 enter")
	h.contains("红色风险企业")
	checkWidths(t, h.screen(), 80, 24)
}

// Header search at 80 columns: every hit keeps its leaf, and a list longer than
// the dialog says where the selection is.
func TestSearchHitsKeepTheLeaf(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("1 / str:四色")
	for _, leaf := range []string{"红色风险企业", "橙色风险企业", "黄色风险企业"} {
		h.contains(leaf)
	}
	h.keys("esc / str:隐患")
	h.contains("（1/")
	checkWidths(t, h.screen(), 80, 24)
}

// A comment's and a history's title name the row in forms of several rows and
// keep the leaf: "批注：百优企业案例（个）/规上企业" did not say 市级 or 县级.
func TestCellTitleNamesTheRow(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	h.keys("2")
	if h.grid().list {
		h.keys("v")
	}
	h.keys("right down c")
	h.contains("批注：表二 县级 第2栏 百优企业案例（个）/规上企业")
	h.keys("esc t1")
	if h.grid().list {
		h.keys("v")
	}
	h.keys("/ str:13 enter c")
	h.contains("批注：表一 第13栏") // no row for a column entered once per block
	h.contains("红色风险企业（家）")
	if strings.Contains(h.screen(), "批注：表一 国标") {
		t.Errorf("a block-wide column named by its first row:\n%s", h.screen())
	}
	checkWidths(t, h.screen(), 80, 24)
}

// Lists of units wrap between names: "码" and "头" on two lines read as two units.
func TestWrapListKeepsNames(t *testing.T) {
	got := wrapList("未报（3）：", []string{"蓬华", "码头", "市农业农村局"}, 22)
	want := []string{"未报（3）：蓬华、", "码头、市农业农村局"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrapList = %q, want %q", got, want)
	}
	for _, l := range wrapList("x", []string{"一二三四五六七八九十"}, 6) { // longer than a line: cut, not lost
		if textWidth(l) > 6 {
			t.Errorf("%q wider than 6", l)
		}
	}
	if got := strings.Join(wrapList("x", []string{"一二三四五六七八九十"}, 6), ""); got != "x一二三四五六七八九十" {
		t.Errorf("a long name lost text: %q", got)
	}
}

// In the overview too a dialog follows the content, not the foot of the screen.
func TestOverviewDialogUnderTheContent(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	body := len(h.root().ov.body())
	h.keys("e")
	lines := strings.Split(h.screen(), "\n")
	if len(lines) != 40 || !strings.HasPrefix(lines[body], "-- 填表人") {
		t.Fatalf("the prompt is not on line %d, right under the overview:\n%s", body, h.screen())
	}
	if body > 30 {
		t.Fatalf("the overview body is %d lines at 120x40: the test proves nothing", body)
	}
}

// erasedLastLine says whether Bubble Tea v1's renderer, going from prev to next,
// skips next's last line as unchanged and then erases it: a shorter frame ends
// with ESC[J written at the start of that line (standard_renderer.go flush).
func erasedLastLine(prev, next string) bool {
	old, lines := strings.Split(prev, "\n"), strings.Split(next, "\n")
	last := len(lines) - 1
	return len(old) > len(lines) && old[last] == lines[last]
}

// Closing a dialog over the grid leaves the key hint on the screen: the
// renderer erased it (seen in tmux after / Esc, z n, c Esc at 80x24).
func TestClosingADialogKeepsTheHint(t *testing.T) {
	st := openTestStore(t)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		h := openReport(t, st, size[0], size[1], "nanan", "水头", "2025Q3")
		h.keys("3")
		if h.grid().list {
			h.keys("v")
		}
		for _, open := range []string{"/", "z", "c", "r", "C", "m"} {
			before := h.m.View()
			h.keys(open)
			during := h.m.View()
			if during == before {
				continue // no dialog for this key here
			}
			h.keys("esc")
			after := h.m.View()
			if erasedLastLine(during, after) {
				t.Errorf("%dx%d: closing %q erases the last line %q", size[0], size[1], open,
					ansi.Strip(after[strings.LastIndex(after, "\n")+1:]))
			}
		}
	}
}

// The chooser says how many units there are when they do not all fit.
func TestOpenerSaysTheListGoesOn(t *testing.T) {
	st := openTestStore(t)
	h := newHarness(t, st, 80, 24, Options{})
	h.contains("（上/下 翻看）")
	h.keys("down down")
	h.contains("第 3 个")
	h.keys("str:水")
	if strings.Contains(h.screen(), "翻看") {
		t.Errorf("a short list says it goes on:\n%s", h.screen())
	}
}
