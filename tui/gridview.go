package tui

import (
	"fmt"
	"strings"
)

// layout is the geometry of the current form at the current width and report
// version; header lines are cached per scroll offset, so a cursor move re-renders
// only the changed row and the status lines.
type layout struct {
	fi, w, ver int
	valid      bool
	fw         int   // frozen pane width
	cw         []int // content width per body column
	hdr        map[int][]string
	top        []string
	hint       string
}

func (g *Grid) layout() *layout {
	l := &g.lay
	if l.valid && l.fi == g.fi && l.w == g.s.w && l.ver == g.b.ver {
		return l
	}
	geo, f, b := g.cur(), g.form(), g.b
	*l = layout{fi: g.fi, w: g.s.w, ver: b.ver, valid: true, hdr: map[int][]string{}}
	ut := g.rowOwner()
	nat := 4
	for i := range geo.rows {
		if w := textWidth(geo.rowText(i, ut)); w > nat {
			nat = w
		}
	}
	l.fw = min(nat, max(6, g.s.w*14/100))
	l.cw = make([]int, len(geo.body))
	for i, n := range geo.body {
		c := geo.bodyCol[i]
		if c == nil {
			w := 4
			for _, r := range geo.rows {
				w = max(w, textWidth(f.RowLabel(n, r.def)))
			}
			l.cw[i] = w
			continue
		}
		w := 5
		for ri := range geo.rows {
			k := geo.key(ri, c.Index)
			if v, ok := g.valueAt(ri, k); ok {
				w = max(w, 1+len(v.Format(c.Kind)))
			} else if v, ok := g.prevAt(ri, k); ok {
				w = max(w, 1+len(v.Format(c.Kind)))
			}
		}
		l.cw[i] = w
	}
	return l
}

// rowOwner names an unlabelled row: the unit's type, or 本单位 (as the list
// view heads it) when the form has that one row and the title names the type.
func (g *Grid) rowOwner() string {
	if len(g.cur().rows) == 1 {
		return "本单位"
	}
	return g.unitTypeLabel()
}

func (g *Grid) unitTypeLabel() string {
	if t, ok := g.b.v.UnitType(g.b.unit.Type); ok {
		return t.Label
	}
	return g.b.unit.Type
}

// visibleEnd is the first body column past the window that starts at off.
func (g *Grid) visibleEndAt(off int) int {
	l := g.layout()
	x := l.fw
	for i := off; i < len(l.cw); i++ {
		x += 1 + l.cw[i]
		if x > g.s.w-1 {
			if i == off {
				return off + 1
			}
			return i
		}
	}
	return len(l.cw)
}

func (g *Grid) visibleEnd() int { return g.visibleEndAt(g.off) }

// clampOff keeps the window from showing empty space on the right.
func (g *Grid) clampOff(off int) int {
	n := len(g.layout().cw)
	for off > 0 && g.visibleEndAt(off-1) >= n && g.visibleEndAt(off) >= n {
		off--
	}
	return max(0, off)
}

func (g *Grid) visibleNumberCols() int {
	geo, n := g.cur(), 0
	for i := g.off; i < g.visibleEnd(); i++ {
		if geo.bodyCol[i] != nil {
			n++
		}
	}
	return n
}

// scroll brings the cursor into view, sideways by half a window at a time, so a
// walk across a wide form repaints the grid only a few times.
func (g *Grid) scroll() {
	if g.list {
		lh := g.listHeight()
		n := len(g.form().Columns)
		for g.col >= g.loff+lh && g.loff+lh < n {
			g.loff += max(1, lh/2)
		}
		for g.col < g.loff {
			g.loff = max(0, g.loff-max(1, lh/2))
		}
		g.loff = max(0, min(g.loff, n-lh))
		return
	}
	// Rows: a summary's 表四 has a row per township; a report's few rows fit.
	if rh := g.rowsHeight(); g.row >= g.roff+rh {
		g.roff = g.row - rh + 1
	} else if g.row < g.roff {
		g.roff = g.row
	}
	g.roff = max(0, min(g.roff, len(g.cur().rows)-g.rowsHeight()))
	b := g.cur().colBody[g.col]
	for i := 0; b >= g.visibleEnd() && i < 100; i++ {
		half := max(1, (g.visibleEnd()-g.off)/2)
		g.off += half
	}
	for i := 0; b < g.off && i < 100; i++ {
		half := max(1, (g.visibleEnd()-g.off)/2)
		g.off = max(0, g.off-half)
	}
	g.off = min(g.off, b)
	if c := g.clampOff(g.off); c <= b {
		g.off = c
	}
}

// cellView is how one cell reads: exactly w cells of text and its style. Markers
// carry the meaning without colour: ! error, ? warning, * comment, ~ last quarter,
// / not applicable.
func (g *Grid) cellView(row, ci, w int, cursor bool) (*sgr, string) {
	st, geo, f := g.s.st, g.cur(), g.form()
	r, c := geo.rows[row].def.ID, f.Columns[ci]
	if !f.Applicable(r, c.ID) {
		return &st.NA, fitRight("/", w)
	}
	if f.Merged(r, c.ID) {
		return nil, strings.Repeat(" ", w)
	}
	if cursor && g.edit.on {
		// What is typed shows on the status line: the cell stays the same while
		// the clerk types, so a digit repaints that short line, not the row.
		if g.edit.err != "" {
			return &st.Bad, "!" + fitRight("输入", w-1)
		}
		return &st.Edit, fitRight("输入", w)
	}
	k := geo.key(row, ci)
	mark, style := " ", (*sgr)(nil)
	switch g.markAt(row, k) {
	case 2:
		mark, style = "!", &st.Bad
	case 1:
		mark, style = "?", &st.Warn
	default:
		if _, ok := g.b.rev.Notes[k]; ok && g.sum == nil { // the office's note (cycle.go)
			mark = "#"
		} else if _, ok := g.b.r.Comments[k]; ok && g.sum == nil {
			mark = "*"
		}
	}
	var text string
	if n, ok := g.valueAt(row, k); ok {
		text = mark + fitRight(n.Format(c.Kind), w-1)
	} else if n, ok := g.prevAt(row, k); ok {
		text, style = "~"+fitRight(n.Format(c.Kind), w-1), &st.Prev
	} else {
		text = mark + strings.Repeat(" ", w-1)
	}
	if cursor {
		style = st.cursorOn(style)
	}
	return style, text
}

// fitTail left-aligns text in w cells, keeping its end when too long (what is
// being typed stays visible).
func fitTail(s string, w int) string {
	if n := textWidth(s); n > w {
		return fitRight(s, w)
	}
	return fit(s, w)
}

// gridLines renders the frozen header, the separator and the unit's rows.
func (g *Grid) gridLines() []string {
	end := g.visibleEnd()
	out := append([]string(nil), g.headerLines(end)...)
	for ri := g.roff; ri < len(g.cur().rows) && ri < g.roff+g.rowsHeight(); ri++ {
		out = append(out, g.rowLine(ri, end))
	}
	if g.visibleEnd()-g.off <= 1 { // a terminal too narrow for even one column
		out = append([]string(nil), out...)
		for i := range out {
			out[i] = clip(out[i], g.s.w)
		}
	}
	return out
}

func (g *Grid) rowLine(ri, end int) string {
	l, geo, f := g.layout(), g.cur(), g.form()
	cb := -1
	if ri == g.row {
		cb = geo.colBody[g.col]
	}
	var lb lineBuf
	lb.add(nil, fit(geo.rowText(ri, g.rowOwner()), l.fw))
	for b := g.off; b < end; b++ {
		sep := " "
		switch {
		case b == cb:
			sep = "["
		case cb >= 0 && b-1 == cb:
			sep = "]"
		case b == g.off || geo.gstart[b]:
			sep = "|"
		}
		lb.sep(sep)
		c := geo.bodyCol[b]
		if c == nil {
			lb.add(nil, fit(f.RowLabel(geo.body[b], geo.rows[ri].def), l.cw[b]))
			continue
		}
		st, txt := g.cellView(ri, c.Index, l.cw[b], b == cb)
		lb.add(st, txt)
	}
	if cb >= 0 && end-1 == cb {
		lb.sep("]")
	} else {
		lb.sep("|")
	}
	return lb.String()
}

// headerLines draws the multi-level header for the window, cached per offset.
func (g *Grid) headerLines(end int) []string {
	l := g.layout()
	if h, ok := l.hdr[g.off]; ok {
		return h
	}
	geo, f := g.cur(), g.form()
	depth := f.Depth
	xs := map[int]int{}
	x := l.fw
	for b := g.off; b < end; b++ {
		xs[b] = x
		x += 1 + l.cw[b]
	}
	width := x + 1
	cv := newCanvas(depth, width)
	if geo.frozen != nil {
		for i, s := range wrap(geo.frozen.H, l.fw, depth) {
			cv.put(i, 0, l.fw, s)
		}
	}
	for _, hc := range geo.hcells {
		if hc.Node == geo.frozen {
			continue
		}
		b0, b1 := -1, -1
		for d := hc.Col; d < hc.Col+hc.ColSpan; d++ {
			if b := geo.dispBody[d]; b >= 0 {
				if b0 < 0 {
					b0 = b
				}
				b1 = b
			}
		}
		if b0 < 0 || b1 < g.off || b0 >= end {
			continue
		}
		v0, v1 := max(b0, g.off), min(b1, end-1)
		x0, x1 := xs[v0], xs[v1]+1+l.cw[v1]
		text := hc.Text
		rows := wrap(text, x1-x0-1, hc.RowSpan)
		for r := 0; r < hc.RowSpan && hc.Row+r < depth; r++ {
			cv.put(hc.Row+r, x0, 1, "|")
			if r < len(rows) {
				cv.put(hc.Row+r, x0+1, x1-x0-1, rows[r])
			}
		}
	}
	for r := 0; r < depth; r++ {
		cv.put(r, width-1, 1, "|")
	}
	out := cv.lines()
	out = append(out, strings.Repeat("-", l.fw)+"+"+strings.Repeat("-", max(0, width-l.fw-2))+"+")
	for i := range out {
		out[i] = unambiguous(out[i])
	}
	l.hdr[g.off] = out
	return out
}

// canvas is a grid of terminal cells for drawing the header; a wide rune takes
// its cell and marks the next one as covered.
type canvas struct{ cells [][]string }

func newCanvas(rows, w int) *canvas {
	c := &canvas{cells: make([][]string, rows)}
	for i := range c.cells {
		c.cells[i] = make([]string, w)
		for j := range c.cells[i] {
			c.cells[i][j] = " "
		}
	}
	return c
}

// put writes plain text at (row, x), at most w cells.
func (c *canvas) put(row, x, w int, s string) {
	if row < 0 || row >= len(c.cells) {
		return
	}
	line := c.cells[row]
	for _, r := range s {
		rw := textWidth(string(r))
		if rw == 0 {
			continue
		}
		if w < rw || x+rw > len(line) {
			return
		}
		line[x] = string(r)
		if rw == 2 {
			line[x+1] = ""
		}
		x += rw
		w -= rw
	}
}

func (c *canvas) lines() []string {
	out := make([]string, len(c.cells))
	for i, l := range c.cells {
		out[i] = strings.TrimRight(strings.Join(l, ""), " ")
	}
	return out
}

// topLines are the title and the form tabs, cached until the report changes.
func (g *Grid) topLines() []string {
	l := g.layout()
	if l.top == nil && g.sum != nil {
		l.top = g.sum.header(g.s, g.b, g.fi)
	} else if l.top == nil {
		l.top = reportHeader(g.s, g.b, g.fi)
	}
	for i := range l.top {
		l.top[i] = unambiguous(l.top[i])
	}
	return l.top
}

// reportHeader is the title line and the tab line of a report.
func reportHeader(s *session, b *book, cur int) []string {
	st := s.st
	title := fmt.Sprintf("%s %s（%s） %s  %s", b.v.Name, b.unit.Name, unitTypeLabel(b), b.id.Period.Label(), b.r.State.Label())
	if s.readOnly {
		title += "  只读"
	}
	if cur >= 0 {
		title += "  " + b.forms[cur].Title(b.v.Year)
	}
	var lb lineBuf
	for _, f := range b.v.Forms {
		fi := b.formIndex(f.ID)
		text := " " + f.Name()
		if fi < 0 {
			text += " 不适用 "
			lb.add(&st.Dim, text)
			lb.add(nil, " ")
			continue
		}
		fs := b.res.Forms[fi]
		text += fmt.Sprintf(" %d/%d", fs.Filled, fs.Total)
		if fs.Errors > 0 {
			text += fmt.Sprintf(" !%d", fs.Errors)
		}
		if fs.Warnings > 0 {
			text += fmt.Sprintf(" ?%d", fs.Warnings)
		}
		text += " "
		if fi == cur {
			lb.add(&st.Tab, text)
		} else {
			lb.add(nil, text)
		}
		lb.add(nil, " ")
	}
	return []string{paint(st.Title, clip(title, s.w)), clip(lb.String(), s.w)}
}

func unitTypeLabel(b *book) string {
	if t, ok := b.v.UnitType(b.unit.Type); ok {
		return t.Label
	}
	return b.unit.Type
}

func (g *Grid) hint() string {
	l := g.layout()
	if l.hint == "" {
		bs := g.keys.ShortHelp()
		if g.sum != nil {
			bs = DefaultSummaryKeyMap().ShortHelp()
		}
		l.hint = paint(g.s.st.Dim, hintLine(bs, g.s.w))
	}
	return l.hint
}

// rowsHeight is how many rows the grid view shows below its header: all of a
// report's, and a screenful of a summary's 表四.
func (g *Grid) rowsHeight() int { return max(1, g.s.h-8-g.form().Depth) }

// listHeight is how many fields the list view shows.
func (g *Grid) listHeight() int { return max(1, g.s.h-9) }

// listLines renders the list view: one field per line with its full header path
// and unit, the unit's rows as columns.
func (g *Grid) listLines() []string {
	l, f, rows := g.layout(), g.form(), g.cur().rows
	vw := 7
	for _, w := range l.cw {
		vw = max(vw, w)
	}
	// Values come first and the header path last: a line then ends with text,
	// not with padding, which keeps the two lines a move repaints short.
	var lb lineBuf
	lb.add(nil, "栏")
	for _, r := range rows {
		head := r.label
		if head == "" {
			head = r.def.Label
		}
		if head == "" { // one row per unit: the unit's own figures
			head = "本单位"
		}
		lb.add(nil, " "+fitRight(clip(head, vw), vw))
	}
	lb.add(nil, "   栏目（计量单位）")
	vals := 2 + len(rows)*(vw+1) + 1
	out := []string{lb.String(), strings.Repeat("-", g.s.w)}
	lh := g.listHeight()
	for ci := g.loff; ci < len(f.Columns) && ci < g.loff+lh; ci++ {
		c := f.Columns[ci]
		var lb lineBuf
		lb.add(nil, fmt.Sprintf("%2d", ci+1))
		for ri := range rows {
			cur := ri == g.row && ci == g.col
			sep := " "
			if cur {
				sep = "["
			} else if ri-1 == g.row && ci == g.col {
				sep = "]"
			}
			lb.sep(sep)
			st, txt := g.cellView(ri, ci, vw, cur)
			lb.add(st, txt)
		}
		if ci == g.col && g.row == len(rows)-1 {
			lb.sep("]  ")
		} else {
			lb.add(nil, "   ")
		}
		base := ""
		if n, ok := g.b.v.BaseFor(g.b.r.Unit, f, c.ID); ok {
			base = fmt.Sprintf("  2024年底数 %d", n)
		}
		lb.add(nil, unambiguous(fitPath(c.Path, unitNote(c), g.s.w-vals-2-textWidth(base))+base))
		out = append(out, lb.String())
	}
	if vals+2 > g.s.w { // too narrow: cut rather than wrap
		for i := range out {
			out[i] = clip(out[i], g.s.w)
		}
	}
	return out
}

// View renders the grid screen at the session's size.
func (g *Grid) View() string {
	s := g.s
	top := g.topLines()
	var body []string
	if g.list {
		body = g.listLines()
	} else {
		body = g.gridLines()
	}
	// Grid and list lines are built to the width; only free text is clipped.
	lines := make([]string, 0, len(top)+len(body)+7)
	lines = append(append(lines, top...), body...)
	lines = append(lines, "")
	for _, l := range g.statusLines() {
		lines = append(lines, clip(l, s.w))
	}
	// The screen ends right after the hint: every line below the last one that
	// changes costs a byte per frame, so the form's notes live in the overview.
	lines = append(lines, g.hint())
	if len(lines) > s.h {
		lines = lines[:s.h]
	}
	return strings.Join(lines, "\n")
}
