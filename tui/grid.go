package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// Grid is the entry component: one form of the open report as a grid with frozen
// headers and row labels, or as a list of fields; both edit the same cells with the
// same keys.
type Grid struct {
	keys       GridKeyMap
	s          *session
	b          *book
	geo        []*formGeo
	fi         int // current form, index into b.forms
	row, col   int // cursor: row of the form, number column index
	off        int // first visible body column (grid view)
	roff       int // first visible row (grid view)
	loff       int // first visible field (list view)
	list       bool
	enterRight bool
	edit       editState
	pendingT   bool // t was pressed: a digit picks the form
	msg        string
	msgBad     bool
	memo       map[int]formPos // where the cursor was in each form left
	lay        layout
	sum        *sumSheet // a summary's totals instead of a report (read-only)
}

// formPos is the cursor and view of a form the clerk switched away from.
type formPos struct {
	row, col, off int
	list          bool
}

// editState is the cell being typed into; a wrong value never leaves it.
type editState struct {
	on  bool
	buf []rune
	err string
}

// gridOut asks the root for what the grid cannot do itself.
type gridOut struct {
	dialog dialog
	back   bool
	help   bool
}

// NewGrid makes the grid for an open report, resuming at the saved cursor.
func NewGrid(s *session, b *book, cur model.Cursor, hasCur bool) *Grid {
	g := &Grid{keys: DefaultGridKeyMap(), s: s, b: b, memo: map[int]formPos{}}
	for _, f := range b.forms {
		g.geo = append(g.geo, newFormGeo(f))
	}
	g.list = g.listFirst()
	if hasCur {
		if fi := b.formIndex(cur.Form); fi >= 0 {
			g.fi = fi
			g.list = cur.List
			f := b.forms[fi]
			if c := f.Column(cur.Col); c != nil {
				r, _ := g.cur().pos(model.CellKey{Form: f.ID, Row: cur.Row, Col: cur.Col})
				g.row, g.col = r, c.Index
			}
		}
	}
	g.settle()
	return g
}

func (g *Grid) cur() *formGeo     { return g.geo[g.fi] }
func (g *Grid) form() *model.Form { return g.b.forms[g.fi] }

// Cursor is what the store remembers of the grid.
func (g *Grid) Cursor() model.Cursor {
	f := g.form()
	return model.Cursor{Form: f.ID, Row: g.cur().rows[g.row].def.ID, Col: f.Columns[g.col].ID, List: g.list}
}

// key is the stored key under the cursor.
func (g *Grid) key() model.CellKey { return g.cur().key(g.row, g.col) }

// settle moves the cursor onto an editable cell and scrolls it into view.
func (g *Grid) settle() {
	geo := g.cur()
	if !geo.editable(g.row, g.col) {
		f := geo.f
		if g.row < len(geo.rows) && g.col < len(f.Columns) && f.Merged(geo.rows[g.row].def.ID, f.Columns[g.col].ID) {
			g.row = geo.blockStart(g.row)
		} else if len(geo.rowMajor) > 0 {
			g.row, g.col = geo.pos(geo.rowMajor[0])
		}
	}
	g.scroll()
}

// SetForm switches to another form, remembering where the cursor was.
func (g *Grid) SetForm(fi int) {
	if fi < 0 || fi >= len(g.geo) || fi == g.fi {
		return
	}
	g.cancelEdit()
	g.memo[g.fi] = formPos{g.row, g.col, g.off, g.list}
	g.fi = fi
	m, seen := g.memo[fi]
	g.row, g.col, g.off, g.list = m.row, m.col, m.off, m.list
	g.loff, g.roff = 0, 0
	if !seen {
		g.list = g.listFirst()
	}
	g.settle()
}

// listFirst says whether a form first opens as a list: a one-row form (表三, 表四)
// on a terminal too narrow to show much of its grid.
func (g *Grid) listFirst() bool {
	return len(g.cur().rows) == 1 && g.s.w < 100
}

// Jump puts the cursor on a stored cell, switching forms when needed.
func (g *Grid) Jump(k model.CellKey) {
	if fi := g.b.formIndex(k.Form); fi >= 0 {
		g.SetForm(fi)
		g.row, g.col = g.cur().pos(k)
		g.settle()
	}
}

func (g *Grid) flash(text string, bad bool) { g.msg, g.msgBad = text, bad }

// moveH moves along the row; a merged cell is entered at its block's first row,
// not-applicable cells are skipped.
func (g *Grid) moveH(d int) {
	geo := g.cur()
	f := geo.f
	for c := g.col + d; c >= 0 && c < len(f.Columns); c += d {
		if geo.editable(g.row, c) {
			g.col = c
			break
		}
		if f.Merged(geo.rows[g.row].def.ID, f.Columns[c].ID) {
			g.row, g.col = geo.blockStart(g.row), c
			break
		}
	}
	g.scroll()
}

// moveV moves along the column, skipping not-applicable and merged cells.
func (g *Grid) moveV(d int) {
	geo := g.cur()
	for r := g.row + d; r >= 0 && r < len(geo.rows); r += d {
		if geo.editable(r, g.col) {
			g.row = r
			break
		}
	}
	g.scroll()
}

// step walks Tab order (row by row) or Enter-down order (column by column).
func (g *Grid) step(d int, byColumn bool) {
	if g.sum != nil { // a summary's blocks share keys: Tab is a move right
		g.moveH(d)
		return
	}
	geo := g.cur()
	order, idx := geo.rowMajor, geo.rmIdx
	if byColumn {
		order, idx = geo.colMajor, geo.cmIdx
	}
	i, ok := idx[g.key()]
	if !ok {
		return
	}
	if i+d >= 0 && i+d < len(order) {
		g.row, g.col = geo.pos(order[i+d])
	}
	g.scroll()
}

// enterDown says whether Enter walks the form's columns (down the grid); in the
// list view down is the next field, which is the row order.
func (g *Grid) enterDown() bool { return g.enterRight == g.list }

// rowEnd goes to the first or last cell of the row.
func (g *Grid) rowEnd(last bool) {
	n := len(g.form().Columns)
	if last {
		g.col = n
		g.moveH(-1)
	} else {
		g.col = -1
		g.moveH(1)
	}
}

// page moves a screen's worth of columns sideways.
func (g *Grid) page(d int) {
	n := g.visibleNumberCols()
	if n < 1 {
		n = 1
	}
	target := g.col + d*n
	last := len(g.form().Columns) - 1
	if target < 0 {
		target = 0
	}
	if target > last {
		target = last
	}
	g.col = target - d
	g.moveH(d)
}

// group jumps to the previous or next top-level header group.
func (g *Grid) group(d int) {
	gs := g.cur().groups
	cur := 0
	for i, start := range gs {
		if g.col >= start {
			cur = i
		}
	}
	switch {
	case d > 0 && cur+1 < len(gs):
		cur++
	case d < 0 && g.col == gs[cur] && cur > 0:
		cur--
	}
	g.col = gs[cur] - 1
	g.moveH(1)
	if !g.list {
		// Show the group from its start when it fits.
		if b := g.cur().colBody[gs[cur]]; b < g.off || b >= g.visibleEnd() {
			g.off = g.clampOff(b)
		}
	}
}

// nextBlank jumps to the next blank cell of the report after the cursor.
func (g *Grid) nextBlank() {
	blanks := g.b.res.Blanks
	if len(blanks) == 0 {
		g.flash("没有空白格了", false)
		return
	}
	cur := g.key()
	rank := func(k model.CellKey) int {
		fi := g.b.formIndex(k.Form)
		return fi*100000 + g.geo[fi].rmIdx[k]
	}
	here := rank(cur)
	for _, k := range blanks {
		if rank(k) > here {
			g.Jump(k)
			return
		}
	}
	g.Jump(blanks[0])
}

// Update handles a key in the grid.
func (g *Grid) Update(k tea.KeyMsg) (tea.Cmd, gridOut) {
	// In a read-only session the refusal stays up while the clerk goes on
	// typing a number and Enter, so it is not gone before it was read.
	if !(g.msg == readOnlyText && typingKey(k)) {
		g.msg = ""
	}
	if k.Paste {
		cmd, d := g.paste(string(k.Runes))
		return cmd, gridOut{dialog: d}
	}
	if g.edit.on {
		return g.editKey(k), gridOut{}
	}
	if n, ok := tDigit(k); ok { // "t4" typed fast arrives as one message
		g.SetFormByNumber(n)
		return nil, gridOut{}
	}
	if g.pendingT {
		g.pendingT = false
		if s := k.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
			g.SetFormByNumber(int(s[0] - '1'))
			return nil, gridOut{}
		}
	}
	if startsEntry(k) {
		return g.startEdit(append([]rune(nil), k.Runes...)), gridOut{}
	}
	return g.command(k)
}

// SetFormByNumber opens 表一..表四 by position in the variant's form list.
func (g *Grid) SetFormByNumber(n int) {
	all := g.b.v.Forms
	if n < 0 || n >= len(all) {
		return
	}
	fi := g.b.formIndex(all[n].ID)
	if fi < 0 {
		g.flash(all[n].Name()+"不适用于本单位（只由"+g.b.v.TownshipType().Label+"填报）", true)
		return
	}
	g.SetForm(fi)
}

// startsEntry reports whether a key starts overwriting a cell, like in Excel. Keys
// typed quickly (or over a slow link) arrive as one message of several runes.
func startsEntry(k tea.KeyMsg) bool {
	if k.Type != tea.KeyRunes || len(k.Runes) == 0 || k.Alt {
		return false
	}
	r := k.Runes[0]
	switch {
	case r >= '0' && r <= '9', r >= '０' && r <= '９', r == '.', r == '-', r == '+', r == '．':
		return true
	}
	// 无 or —— from an IME opens the cell too, so the clerk reads 若无请填 0 there
	// (/ stays the search key: typed inside the cell it gets the same answer).
	return r != '/' && model.IsNoneWord(string(k.Runes))
}

// typingKey is a key of typing a value: a digit, a sign, Enter, Tab, Backspace.
func typingKey(k tea.KeyMsg) bool {
	switch k.Type {
	case tea.KeyEnter, tea.KeyTab, tea.KeyShiftTab, tea.KeyBackspace, tea.KeyCtrlH, tea.KeyDelete:
		return true
	}
	return startsEntry(k)
}

// tDigit reads t and a form number typed so fast (or over so slow a link) that
// they arrive as one message.
func tDigit(k tea.KeyMsg) (int, bool) {
	if k.Type != tea.KeyRunes || len(k.Runes) != 2 || k.Runes[0] != 't' || k.Runes[1] < '1' || k.Runes[1] > '9' {
		return 0, false
	}
	return int(k.Runes[1] - '1'), true
}
