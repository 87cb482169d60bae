package tui

import (
	"errors"

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
	g.edit = editState{on: true, buf: asciiDigits(init)}
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
		g.edit.buf = append(g.edit.buf, asciiDigits(k.Runes)...)
		g.validate()
		return nil
	}
	// Keys that leave the cell commit first, then move.
	var move func()
	switch k.Type {
	case tea.KeyEnter:
		move = func() { g.step(1, g.enterDown()) }
	case tea.KeyTab:
		move = func() { g.tab(1) }
	case tea.KeyShiftTab:
		move = func() { g.tab(-1) }
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

// asciiDigits types full-width digits, point and signs (an IME left in full-width
// mode) as the ASCII ones the parser reads them as, so that the edit box shows
// what will be stored at the width it measures: ７２０ showed as [２０_].
func asciiDigits(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '．':
			r = '.'
		case r == '－':
			r = '-'
		case r == '＋':
			r = '+'
		}
		out[i] = r
	}
	return out
}
