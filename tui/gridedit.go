package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// startEdit opens the cursor cell for typing: with the typed rune (overwrite) or
// with the current value (F2/e).
func (g *Grid) startEdit(init []rune) tea.Cmd {
	if g.s.readOnly || g.sum != nil || model.ValuesFrozen(g.b.r.State) != "" {
		return g.writeGuard(nil)
	}
	if init == nil {
		if n, ok := g.b.value(g.key()); ok {
			init = []rune(n.Format(g.form().Columns[g.col].Kind))
		}
	}
	g.edit = editState{on: true, buf: init}
	g.validate()
	return nil
}

func (g *Grid) cancelEdit() { g.edit = editState{} }

// validate parses the buffer as it is typed, with the catalog's parser.
func (g *Grid) validate() (*model.Number, error) {
	n, err := g.b.v.ParseCell(g.form().Columns[g.col], string(g.edit.buf))
	if errors.Is(err, model.ErrBlank) {
		g.edit.err = ""
		return nil, nil
	}
	if err != nil {
		g.edit.err = err.Error()
		return nil, err
	}
	g.edit.err = ""
	return &n, nil
}

// editKey handles a key while a cell is being typed into.
func (g *Grid) editKey(k tea.KeyMsg) tea.Cmd {
	km := g.keys
	switch {
	case key.Matches(k, km.Cancel):
		g.cancelEdit()
		return nil
	case k.Type == tea.KeyBackspace || k.Type == tea.KeyCtrlH: // ^? or ^H (PuTTY's Control-H)
		if n := len(g.edit.buf); n > 0 {
			g.edit.buf = g.edit.buf[:n-1]
		}
		g.validate()
		return nil
	case k.Type == tea.KeyCtrlU:
		g.edit.buf = nil
		g.validate()
		return nil
	case k.Type == tea.KeyRunes || k.Type == tea.KeySpace:
		g.edit.buf = append(g.edit.buf, k.Runes...)
		g.validate()
		return nil
	}
	// Keys that leave the cell commit first, then move.
	var move func()
	switch k.Type {
	case tea.KeyEnter:
		move = func() { g.step(1, g.enterDown()) }
	case tea.KeyTab:
		move = func() { g.step(1, false) }
	case tea.KeyShiftTab:
		move = func() { g.step(-1, false) }
	case tea.KeyUp:
		move = func() { g.moveV(-1) }
	case tea.KeyDown:
		move = func() { g.moveV(1) }
	case tea.KeyLeft:
		move = func() { g.moveH(-1) }
	case tea.KeyRight:
		move = func() { g.moveH(1) }
	default:
		return nil
	}
	if g.list { // in the list the arrows follow the fields
		switch k.Type {
		case tea.KeyUp:
			move = func() { g.moveH(-1) }
		case tea.KeyDown:
			move = func() { g.moveH(1) }
		case tea.KeyLeft:
			move = func() { g.moveV(-1) }
		case tea.KeyRight:
			move = func() { g.moveV(1) }
		}
	}
	n, err := g.validate()
	if err != nil {
		return nil // the reason is shown; the cell stays in edit
	}
	cmd := g.commitValue(g.key(), n, "输入")
	g.cancelEdit()
	move()
	return cmd
}

// pasteCell is one value of a pasted block and where it lands.
type pasteCell struct {
	row, col int
	text     string
}

// paste writes a block of tab- or comma-separated numbers starting at the cursor,
// as one commit; when any cell is refused nothing is written and the refusals are
// listed.
func (g *Grid) paste(text string) (tea.Cmd, dialog) {
	if g.edit.on && !strings.ContainsAny(text, "\t\n\r,，") {
		g.edit.buf = append(g.edit.buf, []rune(strings.TrimSpace(text))...)
		g.validate()
		return nil, nil
	}
	g.cancelEdit()
	geo := g.cur()
	f := geo.f
	sep := ","
	if strings.Contains(text, "\t") {
		sep = "\t"
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = strings.TrimRight(text, "\n")
	var cells []pasteCell
	for i, line := range strings.Split(text, "\n") {
		if sep == "," {
			line = strings.ReplaceAll(line, "，", ",")
		}
		for j, t := range strings.Split(line, sep) {
			if strings.TrimSpace(t) == "" {
				continue
			}
			cells = append(cells, pasteCell{row: g.row + i, col: g.col + j, text: strings.TrimSpace(t)})
		}
	}
	oneLine := !strings.Contains(text, "\n")
	// The list shows fields down and rows across. A one-row form (表三, 表四) has
	// nothing across: a row copied from its Excel sheet goes down the fields, as
	// in the grid, instead of being refused as 超出表格范围.
	if g.list && !(len(f.Rows) == 1 && oneLine) {
		for i := range cells {
			di, dj := cells[i].row-g.row, cells[i].col-g.col
			cells[i].row, cells[i].col = g.row+dj, g.col+di
		}
	}
	var changes []model.Change
	var bad []string
	seen := map[model.CellKey]model.Number{}
	for _, c := range cells {
		if c.row >= len(f.Rows) || c.col >= len(f.Columns) {
			bad = append(bad, fmt.Sprintf("「%s」：超出表格范围", c.text))
			continue
		}
		col := f.Columns[c.col]
		where := strings.TrimSpace(f.Rows[c.row].Label + " " + col.ShortName())
		if !f.Applicable(f.Rows[c.row].ID, col.ID) {
			bad = append(bad, fmt.Sprintf("%s：「%s」，本格不适用（%s）", where, c.text, f.NotApplicableWhy(f.Rows[c.row].ID, col.ID)))
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
		lines := append([]string{fmt.Sprintf("%d 个单元格无法粘贴，没有写入任何数据：", len(bad))}, bad...)
		return nil, &infoDialog{title: "粘贴被拒绝", lines: lines}
	}
	if len(changes) == 0 {
		g.flash("粘贴的内容里没有数值", true)
		return nil, nil
	}
	return g.writeGuard(func() tea.Cmd {
		g.flash(fmt.Sprintf("已粘贴 %d 个数值（u 撤销）", len(changes)), false)
		return g.b.setCells(g.s, changes, "paste")
	}), nil
}
