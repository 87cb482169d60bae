package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// formBlock is a form's rows as the template prints them from 第1栏 rightwards:
// values, — in not-applicable cells, merged cells blank below their first row,
// and (with labels) the row labels in the label columns. value gives each cell.
func formBlock(f *model.Form, labels bool, value func(r, c int) string) string {
	geo := newFormGeo(f)
	var b strings.Builder
	for ri, row := range f.Rows {
		var out []string
		for bi := range geo.body {
			c := geo.bodyCol[bi]
			switch {
			case c == nil && labels:
				out = append(out, f.RowLabel(geo.body[bi], row))
			case c == nil:
			case !f.Applicable(row.ID, c.ID):
				out = append(out, "—")
			case f.Merged(row.ID, c.ID):
				out = append(out, "")
			default:
				out = append(out, value(ri, c.Index))
			}
		}
		b.WriteString(strings.Join(out, "\t") + "\r\n")
	}
	return b.String()
}

func cellValue(r, c int) string { return fmt.Sprint(100*(r+1) + c + 1) }

// values is a report's cells of one form.
func formValues(h *harness, form string) map[model.CellKey]model.Number {
	out := map[model.CellKey]model.Number{}
	for k, n := range h.root().b.r.Values {
		if k.Form == form {
			out[k] = n
		}
	}
	return out
}

// TestTypedOutBlockLandsAsBracketed pastes every row of 表一 and 表二, as bare
// numbers and as the template prints them (labels, —), once bracketed and once
// typed out by the terminal (a burst of keys): the same values land, in the
// cells the template shows them in.
func TestTypedOutBlockLandsAsBracketed(t *testing.T) {
	v, _ := model.DefaultCatalog().Variant("nanan")
	for _, form := range []string{"t1", "t2"} {
		for _, labels := range []bool{false, true} {
			f := v.Form(form)
			block := formBlock(f, labels, cellValue)
			var got [2]map[model.CellKey]model.Number
			for i, typed := range []bool{false, true} {
				h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
				h.keys(map[string]string{"t1": "1", "t2": "2"}[form])
				if typed {
					h.send(pasteMsg{text: block, typed: true})
				} else {
					h.send(pasteMsg{text: block})
				}
				if h.root().dlg != nil {
					t.Fatalf("%s labels=%v typed=%v: refused:\n%s\nblock:\n%q", form, labels, typed, h.screen(), block)
				}
				got[i] = formValues(h, form)
			}
			if len(got[0]) != len(f.Cells()) {
				t.Errorf("%s labels=%v: %d cells pasted, the form has %d", form, labels, len(got[0]), len(f.Cells()))
			}
			for _, k := range f.Cells() {
				c := f.Column(k.Col)
				ri := 0
				for i, r := range f.Rows {
					if r.ID == k.Row {
						ri = i
					}
				}
				want := cellValue(ri, c.Index)
				for i, what := range []string{"bracketed", "typed out"} {
					if n, ok := got[i][k]; !ok || n.Format(c.Kind) != want {
						t.Errorf("%s labels=%v %s: %v = %v %v, want %s", form, labels, what, k, n, ok, want)
					}
				}
			}
		}
	}
}

// TestBunchedTypingLandsAsTyped: keys a slow link bunches into one read come
// out as typed apart: the values in the cells Tab and Enter would reach, the
// cursor after them, and a last value without its Enter still being typed.
func TestBunchedTypingLandsAsTyped(t *testing.T) {
	h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
	h.keys("2") // 表二 at 市级 第1栏, Enter goes down
	h.keys("str:1")
	h.send(pasteMsg{text: "2\r3\r", typed: true}) // "1" typed, then "2⏎3⏎" in one read
	f := h.grid().form()
	for i, want := range []int64{12, 3} {
		if n, ok := h.value("t2", f.Rows[i].ID, "c1"); !ok || n != model.Whole(want) {
			t.Fatalf("row %d c1 = %v %v, want %d", i, n, ok, want)
		}
	}
	if g := h.grid(); g.row != 0 || g.col != 1 { // 十佳 has no 乡级 cell: Enter went on to c2's top
		t.Fatalf("after 2⏎3⏎ the cursor is at row %d col %d, want 0 1", g.row, g.col)
	}
	h.send(pasteMsg{text: "7\t8\t9", typed: true})
	g := h.grid()
	if !g.edit.on || string(g.edit.buf) != "9" || g.col != 3 {
		t.Fatalf("the last value should still be typed in c4: edit=%v %q col=%d", g.edit.on, string(g.edit.buf), g.col)
	}
	h.keys("str:1 tab")
	if n, _ := h.value("t2", f.Rows[0].ID, "c4"); n != model.Whole(91) || g.col != 4 {
		t.Fatalf("c4 = %v, cursor col %d; want 91 and col 4", n, g.col)
	}
	// In 表一's columns entered once per unit type Enter goes on to the next
	// column: so do values each with its Enter.
	h.keys("t1")
	h.grid().row, h.grid().col = 0, 0
	h.send(pasteMsg{text: "5\r6\r", typed: true})
	for i, want := range []int64{5, 6} {
		if n, ok := h.value("t1", "guobiao", fmt.Sprintf("c%d", i+1)); !ok || n != model.Whole(want) {
			t.Fatalf("表一 c%d = %v %v, want %d\n%s", i+1, n, ok, want, h.screen())
		}
	}
	if g := h.grid(); g.row != 0 || g.col != 2 {
		t.Fatalf("表一: cursor at row %d col %d, want 0 2", g.row, g.col)
	}
	// In 表三's grid Enter goes right: values each with Enter go along the row.
	h.keys("t3")
	h.send(pasteMsg{text: "5\r6\r", typed: true})
	f3 := h.grid().form()
	for i, want := range []int64{5, 6} {
		if n, ok := h.value("t3", f3.Rows[0].ID, f3.Columns[i].ID); !ok || n != model.Whole(want) {
			t.Fatalf("表三 c%d = %v %v, want %d\n%s", i+1, n, ok, want, h.screen())
		}
	}
	if h.grid().col != 2 {
		t.Fatalf("cursor at col %d, want 2", h.grid().col)
	}
}

// TestBunchedKeysEachTakeEffect: "]]" and "lll" arriving in one read (one
// message of several runes) move as far as typed apart.
func TestBunchedKeysEachTakeEffect(t *testing.T) {
	h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
	h.keys("1")
	g := h.grid()
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("lll")})
	if g.col != 3 {
		t.Fatalf("lll: col %d, want 3", g.col)
	}
	h.keys("^")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("]]")})
	if want := g.cur().groups[2]; g.col != want {
		t.Fatalf("]]: col %d, want %d (the third group)", g.col, want)
	}
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("t3")})
	if g.form().ID != "t3" {
		t.Fatalf("t3 in one read opened %s", g.form().ID)
	}
}

// TestListTabWalksTheRows: in the list view Tab goes 市级 → 县级 → 乡级, then to
// the next field; typing 220 Tab 450 Tab 700 Tab for 函告 stored 450 as 签订.
func TestListTabWalksTheRows(t *testing.T) {
	h := openReport(t, openTestStore(t), 120, 40, "nanan", "水头", "2025Q3")
	h.keys("2")
	if !h.grid().list {
		h.keys("v")
	}
	f := h.grid().form()
	h.grid().Jump(model.CellKey{Form: "t2", Row: f.Rows[0].ID, Col: "c12"})
	h.keys("str:220 tab str:450 tab str:700 tab")
	for i, want := range []int64{220, 450, 700} {
		if n, ok := h.value("t2", f.Rows[i].ID, "c12"); !ok || n != model.Whole(want) {
			t.Fatalf("函告 %s = %v %v, want %d\n%s", f.Rows[i].Label, n, ok, want, h.screen())
		}
	}
	if g := h.grid(); g.col != f.Column("c13").Index || g.row != 0 {
		t.Fatalf("after 乡级 Tab: row %d col %d, want 签订 市级", g.row, g.col)
	}
	h.keys("shift+tab")
	if g := h.grid(); g.col != f.Column("c12").Index || g.row != 2 {
		t.Fatalf("Shift+Tab: row %d col %d, want 函告 乡级", g.row, g.col)
	}
	// The same keys bunched into one read by a slow link.
	h.grid().Jump(model.CellKey{Form: "t2", Row: f.Rows[0].ID, Col: "c14"})
	h.send(pasteMsg{text: "3\t4\t5\t", typed: true})
	for i, want := range []int64{3, 4, 5} {
		if n, ok := h.value("t2", f.Rows[i].ID, "c14"); !ok || n != model.Whole(want) {
			t.Fatalf("bunched: 场次 %s = %v %v, want %d", f.Rows[i].Label, n, ok, want)
		}
	}
	if g := h.grid(); g.col != f.Column("c15").Index || g.row != 0 {
		t.Fatalf("after bunched 3⇥4⇥5⇥: row %d col %d, want 参训企业 市级", g.row, g.col)
	}
	h.send(pasteMsg{text: "6\t\t", typed: true}) // Tab Tab: the cursor on 乡级
	if g := h.grid(); g.col != f.Column("c15").Index || g.row != 2 {
		t.Fatalf("after bunched 6⇥⇥: row %d col %d, want 参训企业 乡级", g.row, g.col)
	}
}

// TestFullWidthDigitsShowAsTyped: an IME in full-width mode types ７２０; the edit
// box showed [２０_].
func TestFullWidthDigitsShowAsTyped(t *testing.T) {
	h := openReport(t, openTestStore(t), 120, 40, "nanan", "水头", "2025Q3")
	h.keys("3 str:７２０")
	if got := string(h.grid().edit.buf); got != "720" {
		t.Fatalf("edit buffer %q, want 720", got)
	}
	h.contains("720")
}

// TestOpenerVariantClearsForeignFilter: a unit searched for in 南安 is not in
// 泉州's list; switching the version cleared nothing and showed （没有匹配的单位）.
func TestOpenerVariantClearsForeignFilter(t *testing.T) {
	h := newHarness(t, openTestStore(t), 120, 40, Options{})
	h.keys("str:水头")
	if o := h.root().opener; len(o.hits) == 0 {
		t.Fatalf("水头 is not in the first version's list:\n%s", h.screen())
	}
	h.keys("shift+tab shift+tab right") // the version field, next version
	o := h.root().opener
	if len(o.query) != 0 || len(o.hits) == 0 {
		t.Fatalf("query %q, %d hits after the version changed\n%s", string(o.query), len(o.hits), h.screen())
	}
	h.contains("已清除搜索")
}

// TestHostilePastes: each paste is refused whole, with its reason, bracketed and
// typed out alike, and nothing is written.
func TestHostilePastes(t *testing.T) {
	cases := []struct {
		name, form, text, reason string
	}{
		{"letters", "2", "abc\tdef\r1\t2\r", "abc"},
		{"negative numbers", "2", "-5\t3\r", "-5"},
		{"too many columns", "2", strings.Repeat("1\t", 60) + "\r", "落在表格之外"},
		{"too many rows", "2", strings.Repeat("1\r", 5), "落在表格之外"},
		{"a dash where a number goes", "2", "—\t5\r", "若无请填 0"},
		{"another row's label", "2", "县级\t5\r", "行对不上"},
		{"a number in a not-applicable cell", "1", "\t\t\r\t\t\r1\t2\r", "不适用"},
		{"thousands or two values", "2", "1,234", "千位分隔符"},
		{"3 MB", "1", strings.Repeat("1\t2\t3\r", 3<<20/6), "3.0 MB"},
	}
	for _, c := range cases {
		for _, typed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s typed=%v", c.name, typed), func(t *testing.T) {
				h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
				h.keys(c.form)
				if c.name == "a number in a not-applicable cell" {
					h.grid().col = 20 // 一级企业; 地标 has none
				}
				msg := pasteMsg{text: c.text, typed: typed, size: len(c.text)}
				if len(c.text) > maxPasteBytes { // as pasteInput delivers it
					msg = pasteMsg{typed: typed, size: len(c.text), tooBig: true}
				}
				h.send(msg)
				h.contains("粘贴被拒绝")
				h.contains("没有写入任何数据")
				h.contains(c.reason)
				if n := len(h.root().b.r.Values); n != 0 {
					t.Fatalf("%d values written", n)
				}
			})
		}
	}
	// The grid's own bound, for a paste that did not come through pasteInput.
	h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
	h.keys("1")
	h.paste(strings.Repeat("1\t", maxPasteBytes))
	h.contains("超过任何一张表能容纳的")
}

// TestBurstOutsideTheGrid: a typed-out paste is refused on the overview (its
// digits opened a form and the rest ran into the grid), adds to a refusal still
// on screen, and in a prompt stops at the key that closes it.
func TestBurstOutsideTheGrid(t *testing.T) {
	h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
	h.send(pasteMsg{text: "1\t2\r3\t4\r", typed: true, size: 8})
	h.contains("粘贴的数值只能落在表格里")
	if h.root().scr != scrOverview || len(h.root().b.r.Values) != 0 {
		t.Fatalf("screen %v, %d values", h.root().scr, len(h.root().b.r.Values))
	}
	h.keys("esc 2")
	h.send(pasteMsg{text: "abc\t1\r", typed: true, size: 6})
	h.contains("没有写入任何数据")
	h.send(pasteMsg{text: "5\t6\r", typed: true, size: 4}) // the next piece of the same paste
	h.contains("随后又收到 4 字节")
	h.keys("esc")
	if n := len(h.root().b.r.Values); n != 0 {
		t.Fatalf("%d values written", n)
	}
	h.keys("c") // a comment: typed text goes in, up to the Enter that saves it
	h.send(pasteMsg{text: "见附件1\r2\t3\r", typed: true, size: 12})
	h.contains("其后的部分没有输入")
	if got := h.root().b.r.Comments[h.grid().key()]; got != "见附件1" {
		t.Fatalf("comment %q", got)
	}
	if n := len(h.root().b.r.Values); n != 0 {
		t.Fatalf("%d values written after the comment", n)
	}
}

// TestPasteFromTheLabelColumns: a row copied from its 层级 label (left of 第1栏)
// or from the 填报单位类型 column lands from 第1栏 as well.
func TestPasteFromTheLabelColumns(t *testing.T) {
	for _, text := range []string{
		"市级\t101\t市级\t102\t103\r\n县级\t201\t县级\t202\r\n",
		"乡镇（街道、开发区）\t市级\t101\t市级\t102\t103\r\n\t县级\t201\t县级\t202\r\n",
	} {
		h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
		h.keys("2")
		h.paste(text)
		if h.root().dlg != nil {
			t.Fatalf("refused %q:\n%s", text, h.screen())
		}
		f := h.grid().form()
		for _, c := range []struct {
			row  int
			col  string
			want int64
		}{{0, "c1", 101}, {0, "c2", 102}, {0, "c3", 103}, {1, "c1", 201}, {1, "c2", 202}} {
			if n, ok := h.value("t2", f.Rows[c.row].ID, c.col); !ok || n != model.Whole(c.want) {
				t.Errorf("%q: %s %s = %v %v, want %d", text, f.Rows[c.row].Label, c.col, n, ok, c.want)
			}
		}
	}
}
