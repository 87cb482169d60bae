package tui

import (
	"fmt"
	"regexp"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// A paste is a block of lines of tab- (or comma-) separated values, written from
// the cursor as one commit or refused whole. One parser serves the bracketed
// paste and the burst of keys a terminal types out instead (see pasteInput).
//
// A block copied from the official template or from our own export carries the
// row labels (市级, 国标) in the form's label columns and — in its not-applicable
// cells. When the block holds a row label, it is laid over the form as printed,
// label columns included, so that every value lands under its own header: a
// label must be the one its row shows, a dash must sit on a not-applicable cell,
// and both are skipped. A block of bare numbers goes into number columns only.
//
// Cost: linear in the paste, which pasteInput and paste bound to maxPasteBytes.

// maxPasteRefusals is how many refused cells a refusal lists; the rest are counted.
const maxPasteRefusals = 12

// pasteCell is one value of a pasted block and where it lands.
type pasteCell struct {
	row, col int
	text     string
}

// groupedNumber is a number written with thousands separators, as Excel shows
// it: in a paste without tabs it is two values to the comma reading and one to
// Excel's.
var groupedNumber = regexp.MustCompile(`^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)

// splitPaste cuts a paste into lines of fields; CRLF and CR end lines as LF does,
// and trailing empty lines are dropped. Without a tab, fields are separated by
// commas, and a line that reads as one number with thousands separators
// ("1,234") is refused: either reading could be the wrong one.
func splitPaste(text string) ([][]string, string) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = strings.TrimRight(text, "\n")
	sep := ","
	if strings.Contains(text, "\t") {
		sep = "\t"
	}
	var lines [][]string
	for _, line := range strings.Split(text, "\n") {
		if sep == "," {
			line = strings.ReplaceAll(line, "，", ",")
			if l := strings.TrimSpace(line); groupedNumber.MatchString(l) {
				return nil, fmt.Sprintf("「%s」是一个带千位分隔符的数，还是用逗号隔开的几个数？无法判断。请去掉千位分隔符，或用 Tab 分隔（从表格软件复制即是）", l)
			}
		}
		fs := strings.Split(line, sep)
		for i := range fs {
			fs[i] = strings.TrimSpace(fs[i])
		}
		lines = append(lines, fs)
	}
	return lines, ""
}

// isDash is what a not-applicable cell shows in the template and our export
// (—, -, /, 无): the parser's one list, so paste, typing and import agree.
func isDash(s string) bool { return model.IsNoneWord(s) }

// paste writes a bracketed paste from the cursor.
func (g *Grid) paste(text string) (tea.Cmd, dialog) {
	if len(text) > maxPasteBytes {
		return nil, tooBigDialog(len(text))
	}
	if g.edit.on && !strings.ContainsAny(text, "\t\n\r,，") {
		g.edit.buf = append(g.edit.buf, asciiDigits([]rune(strings.TrimSpace(text)))...)
		g.validate()
		return nil, nil
	}
	g.cancelEdit()
	lines, why := splitPaste(text)
	if why != "" {
		return nil, refusal(why)
	}
	cells, bad := g.place(lines)
	return g.applyPaste(cells, bad, nil)
}

// refusal is the dialog of a paste refused for one reason.
func refusal(why string) dialog {
	return &infoDialog{title: "粘贴被拒绝", lines: []string{"没有写入任何数据：", "", why}}
}

func tooBigDialog(n int) dialog {
	return &infoDialog{title: "粘贴被拒绝", lines: []string{
		fmt.Sprintf("粘贴的内容有 %s，超过任何一张表能容纳的 %s：没有读取，也没有写入任何数据。", byteSize(n), byteSize(maxPasteBytes)),
		"请在表格软件里只复制要填的行（数值区域），再粘贴。"}}
}

// burst writes a paste the terminal typed out as keys. It lands as the same
// block pasted bracketed would, and where keys typed apart would have left them:
// a value being typed when it came is its first value, a last value without Tab
// or Enter after it stays in the cell being typed, and the cursor ends where Tab
// or Enter would have put it (Enter: the start column, a row below, as in Excel).
// Keys bunched by a slow link ("5\t6\t", "5\r6\r") so come out as typed.
//
// Where Enter moves along a line (a one-row form's grid, or after o), lines of
// one value each are what Enter typed and become one line; lines of several
// values are refused, since a block pasted there and values typed there would
// go to different cells.
func (g *Grid) burst(text string) (tea.Cmd, dialog) {
	g.pendingT = false
	if g.edit.on {
		text = string(g.edit.buf) + text
	}
	g.cancelEdit()
	if len(text) > maxPasteBytes {
		return nil, tooBigDialog(len(text))
	}
	lines, why := splitPaste(text)
	if why != "" {
		return nil, refusal(why)
	}
	if g.pasteLabels(lines) { // a row copied from the template: only a paste
		cells, bad := g.place(lines)
		return g.applyPaste(cells, bad, nil)
	}
	end := ' '
	if t := []rune(strings.TrimRight(text, " ")); len(t) > 0 {
		end = t[len(t)-1]
	}
	if end == '\r' {
		end = '\n'
	}
	flat := false
	if len(lines) > 1 && g.enterAlong() {
		single := true
		var one []string
		for _, l := range lines {
			single = single && len(l) == 1
			one = append(one, l[0])
		}
		switch {
		case single: // values each with its Enter: along the row, as typed
			lines, flat = [][]string{one}, true
		case g.enterRight:
			return nil, &infoDialog{title: "粘贴被拒绝", lines: []string{
				"连续到达的按键里有多行、每行多个数值，而 Enter 现在设为确认后右移：",
				"这是粘贴的表格还是逐格输入无法判断，没有写入任何数据。",
				"请慢一点输入，或按 o 改回 Enter 下移，或在终端里打开括号粘贴（bracketed paste）。"}}
		}
	}
	row0, col0 := g.row, g.col
	li := len(lines) - 1
	last := lines[li]
	var pending string
	var pr, pc int
	if !strings.ContainsRune("\t\n,，", end) && last[len(last)-1] != "" {
		// The last value is still being typed: it stays in its cell's edit box.
		var ok bool
		pr, pc, ok = g.pastePos(row0, col0, li, len(last)-1, len(lines))
		if ok && g.cur().editable(pr, pc) {
			pending, lines[li] = last[len(last)-1], last[:len(last)-1]
		}
	}
	cells, bad := g.place(lines)
	after := func() {
		lr, lc, lastOK := g.pastePos(row0, col0, li, len(last)-1, len(lines)) // the last field
		switch {
		case pending != "":
			g.row, g.col = pr, pc
			g.startEdit([]rune(pending))
		case end == '\n' && !flat:
			if r, c, ok := g.pastePos(row0, col0, len(lines), 0, len(lines)+1); ok && g.cur().editable(r, c) {
				g.row, g.col = r, c
			} else if r, c, ok := g.pastePos(row0, col0, li, 0, len(lines)); ok {
				g.row, g.col = r, c
				g.step(1, g.enterDown())
			}
		case end == '\n' && lastOK:
			g.row, g.col = lr, lc
			g.step(1, g.enterDown())
		case len(last) > 1 && last[len(last)-1] == "": // after a Tab: on the empty field it opened
			if g.cur().editable(lr, lc) {
				g.row, g.col = lr, lc
			} else if r, c, ok := g.pastePos(row0, col0, li, len(last)-2, len(lines)); ok {
				g.row, g.col = r, c
				g.tab(1) // past the row's end, or onto a cell Tab skips
			}
		}
		g.settle()
	}
	cmd, d := g.applyPaste(cells, bad, after)
	if info, ok := d.(*infoDialog); ok {
		info.lines = append(info.lines, "",
			"（这些数值是连续到达的按键，按粘贴读：终端没有用括号粘贴，或慢速连接把几次按键并成了一次。",
			"  逐格输入时请稍慢一点；粘贴时请检查起始格。）")
	}
	return cmd, d
}

// enterAlong says Enter from the cursor stays on the line a pasted line runs
// along: in a one-row form's grid, after o, or from a 表一 column entered once
// per unit type (Enter goes on to the next column there).
func (g *Grid) enterAlong() bool {
	row, col, off, roff, loff := g.row, g.col, g.off, g.roff, g.loff
	g.step(1, g.enterDown())
	r, c := g.row, g.col
	g.row, g.col, g.off, g.roff, g.loff = row, col, off, roff, loff
	if r == row && c == col {
		return false // the last cell
	}
	if g.list && !(len(g.cur().rows) == 1) {
		return c == col
	}
	return r == row
}

// pastePos is the grid position of the value at line i, field j of a block of n
// lines of bare numbers pasted at (row, col): lines go down the form's rows and
// fields across its columns; in the list view, which shows fields down and rows
// across, the other way round, except for a one-row form's single line.
func (g *Grid) pastePos(row, col, i, j, n int) (int, int, bool) {
	geo := g.cur()
	if g.list && !(len(geo.rows) == 1 && n == 1) {
		i, j = j, i
	}
	r, c := row+i, col+j
	return r, c, r < len(geo.rows) && c < len(geo.f.Columns)
}

// pasteLabels says the block holds one of the form's row labels: it was copied
// with the label columns, and is laid over them.
func (g *Grid) pasteLabels(lines [][]string) bool {
	f := g.form()
	for _, l := range lines {
		for _, t := range l {
			for _, r := range f.Rows {
				if t != "" && t == r.Label {
					return true
				}
			}
		}
	}
	return false
}

// place puts every value of a block on its cell, or says why it cannot go there.
func (g *Grid) place(lines [][]string) ([]pasteCell, []string) {
	geo := g.cur()
	f := geo.f
	var cells []pasteCell
	var bad []string
	outside := 0
	if !g.pasteLabels(lines) {
		for i, l := range lines {
			for j, t := range l {
				if t == "" {
					continue
				}
				r, c, ok := g.pastePos(g.row, g.col, i, j, len(lines))
				if !ok {
					outside++
					continue
				}
				cells = append(cells, pasteCell{row: r, col: c, text: t})
			}
		}
		return cells, g.outside(bad, outside, lines)
	}
	start := geo.colBody[g.col]
	if ut := g.unitTypeLabel(); lines[0][0] == ut && ut != "" && len(lines[0]) > 1 {
		for i := range lines { // copied from the unit-type column, which the grid freezes:
			lines[i] = lines[i][1:] // the whole row, from its first column
		}
		start = 0
	} else if first := lines[0][0]; first != "" && start > 0 && geo.bodyCol[start-1] == nil && g.pasteLabels([][]string{{first}}) {
		start-- // copied from the row label leftwards of the cursor's column
	}
	for i, l := range lines {
		for j, t := range l {
			r, b := g.row+i, start+j
			if t == "" {
				continue
			}
			if r >= len(geo.rows) || b >= len(geo.body) {
				outside++
				continue
			}
			c := geo.bodyCol[b]
			if c == nil { // a label column: the label its row shows, or nothing
				if want := f.RowLabel(geo.body[b], geo.rows[r].def); t != want && !(want == "" && isDash(t)) {
					bad = append(bad, fmt.Sprintf("%s行的层级栏：粘贴的是「%s」，本行是「%s」（行对不上）", geo.rows[r].def.Label, t, want))
				}
				continue
			}
			cells = append(cells, pasteCell{row: r, col: c.Index, text: t})
		}
	}
	return cells, g.outside(bad, outside, lines)
}

// outside adds one line for the values that fall off the form.
func (g *Grid) outside(bad []string, n int, lines [][]string) []string {
	if n == 0 {
		return bad
	}
	w := 0
	for _, l := range lines {
		w = max(w, len(l))
	}
	return append(bad, fmt.Sprintf("%d 个数值落在表格之外：粘贴的内容有 %d 行、最多 %d 列，从%s起放不下",
		n, len(lines), w, g.cellName(g.row, g.col)))
}

// cellName names a grid position for a message: 国标 第1栏.
func (g *Grid) cellName(row, col int) string {
	geo := g.cur()
	return strings.TrimSpace(fmt.Sprintf("%s %s 第%d栏", geo.rows[row].def.Label, geo.f.Name(), col+1))
}

// applyPaste checks every placed value and writes them as one commit, or none.
// after runs once the values are written (it moves the cursor).
func (g *Grid) applyPaste(cells []pasteCell, bad []string, after func()) (tea.Cmd, dialog) {
	geo := g.cur()
	f := geo.f
	var changes []model.Change
	seen := map[model.CellKey]model.Number{}
	for _, c := range cells {
		col := f.Columns[c.col]
		rowID := geo.rows[c.row].def.ID
		where := strings.TrimSpace(geo.rows[c.row].def.Label + " " + col.ShortName())
		if !f.Applicable(rowID, col.ID) {
			if !isDash(c.text) { // the template's — of a not-applicable cell is skipped
				bad = append(bad, fmt.Sprintf("%s：「%s」，本格不适用（%s）", where, c.text, f.NotApplicableWhy(rowID, col.ID)))
			}
			continue
		}
		k := geo.key(c.row, c.col)
		n, err := g.b.v.ParseCell(col, c.text)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s：%v", where, err))
			continue
		}
		if first, ok := seen[k]; ok { // a merged cell pasted over several rows
			if first != n { // two values for one cell: keeping either would be a guess
				bad = append(bad, fmt.Sprintf("%s：「%s」，本栏按单位类型只填一格，与%s的「%s」不同",
					where, c.text, f.Rows[0].Label, first.Format(col.Kind)))
			}
			continue
		}
		seen[k] = n
		changes = append(changes, model.Change{Key: k, Value: &n})
	}
	if len(bad) > 0 {
		lines := []string{"没有写入任何数据：", ""}
		if len(bad) > maxPasteRefusals {
			bad = append(bad[:maxPasteRefusals], fmt.Sprintf("……另有 %d 处", len(bad)-maxPasteRefusals))
		}
		return nil, &infoDialog{title: "粘贴被拒绝", lines: append(lines, bad...)}
	}
	if len(changes) == 0 && after != nil { // only the value still being typed
		after()
		return nil, nil
	}
	if len(changes) == 0 {
		g.flash("粘贴的内容里没有数值", true)
		return nil, nil
	}
	return g.writeGuard(func() tea.Cmd {
		g.flash(fmt.Sprintf("已粘贴 %d 个数值（u 撤销）", len(changes)), false)
		cmd := g.b.setCells(g.s, changes, "paste")
		if after != nil {
			after()
		}
		return cmd
	}), nil
}
