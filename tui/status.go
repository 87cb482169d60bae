package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"jibao/model"
)

// statusLines name the current cell in full, on three lines ordered by how
// seldom they change, so that a cursor move changes one short line (Bubble
// Tea v1 repaints it, internal/framediff sends its changed cells): the form,
// the column's groups and what its figure counts (the same for a run of
// columns; the list's cursor line shows the groups); the row, the column and
// its figures (every move); and what the clerk is typing or the messages that
// concern the cell.
func (g *Grid) statusLines() [3]string {
	if g.sum != nil {
		return g.sum.status(g)
	}
	f := g.form()
	c := f.Columns[g.col]
	k := g.key()
	since := "  口径：" + c.SinceText()
	if f.Merged(f.Rows[min(1, len(f.Rows)-1)].ID, c.ID) {
		since += "  （本栏按单位类型只填一格）"
	}
	groups := f.Name()
	if !g.list && len(c.Path) > 1 {
		// The groups give way to 口径, not to the note after it.
		room := g.s.w - textWidth(groups+"  口径："+c.SinceText()) - 1
		groups += " " + fitPath(c.Path[:len(c.Path)-1], "", max(1, room))
	}
	cell := fmt.Sprintf("第%d栏", c.Index+1)
	if len(f.Rows) > 1 {
		cell = f.Rows[g.row].Label + " " + cell
	}
	if g.list {
		cell += "  计量单位：" + c.Unit
	} else {
		leaf := c.Path[len(c.Path)-1]
		if !strings.Contains(groups, "（"+c.Unit+"）") { // else the group above names it
			leaf += unitNote(c)
		}
		cell += " " + leaf
	}
	if base, ok := g.b.v.BaseFor(g.b.r.Unit, f, c.ID); ok {
		cell += fmt.Sprintf("  2024年底数：%d", base)
	}
	if n, ok := g.b.prevValue(k); ok {
		cell += "  上季度：" + n.Format(c.Kind)
	}
	if t, ok := g.b.r.Comments[k]; ok {
		cell += "  批注：" + t
	}
	if n, ok := g.b.rev.Notes[k]; ok {
		cell += "  审核意见：" + n.Text
	}
	return [3]string{unambiguous(groups + since), unambiguous(cell), g.noticeLine()}
}

// noticeLine is what is being typed (the cell itself only shows that it is
// being typed into, so a digit repaints this short line, not the row), else the
// last message, else the first finding about the cell.
func (g *Grid) noticeLine() string {
	st := g.s.st
	typed := "输入：" + string(g.edit.buf) + "_"
	switch {
	case g.edit.on && g.edit.err != "":
		msg := g.edit.err
		if !strings.Contains(msg, "「"+string(g.edit.buf)+"」") { // the parser's messages quote it
			msg = typed + "  " + msg
		}
		return paint(st.Bad, "! "+msg+"（修改后 Enter 确认，Esc 取消）")
	case g.msg != "" && g.msgBad:
		return paint(st.Bad, "! "+g.msg)
	case g.msg != "":
		return paint(st.OK, g.msg)
	case g.edit.on:
		return typed + "  Enter 确认  Esc 取消"
	}
	fs := g.b.res.ForCell(g.key())
	if len(fs) == 0 {
		return ""
	}
	fd := fs[0]
	tag, sty := "? ", st.Warn
	if fd.IsError() {
		tag, sty = "! ", st.Bad
	} else if fd.Confirmed {
		tag, sty = "  已确认：", sgr{}
	}
	more := ""
	if len(fs) > 1 {
		more = fmt.Sprintf("（另有 %d 条，按 r 查看）", len(fs)-1)
	}
	return paint(sty, tag+fd.Message+more)
}

// unitNote is a column's unit in brackets, for after its header text, unless
// the header ends with it already.
func unitNote(c *model.Column) string {
	if !strings.Contains(c.Name+c.Leaf.H, c.Unit) || !strings.HasSuffix(c.Leaf.H, "）") {
		return "（" + c.Unit + "）"
	}
	return ""
}

// hintLine is a hint line that fits w cells: when the whole line does not, the
// hints that do not fit are left out, in order, but ? (all keys, where the rest
// are), E (the report to the desktop, what a clerk looks for once done) and the
// way out (q, Esc) always stay, and so do the keys alsoKeep names (the
// board's Enter).
func hintLine(bs []key.Binding, w int, alsoKeep ...string) string {
	line := shortHelpLine(bs)
	if textWidth(line) <= w {
		return line
	}
	must := func(b key.Binding) bool {
		switch k := b.Help().Key; k {
		case "?", "E", "q", "Esc":
			return true
		default:
			for _, a := range alsoKeep {
				if k == a {
					return true
				}
			}
		}
		return false
	}
	var keep, rest []key.Binding
	for _, b := range bs {
		if must(b) {
			rest = append(rest, b)
		}
	}
	for _, b := range bs {
		switch {
		case must(b):
			keep, rest = append(keep, b), rest[1:]
		case textWidth(shortHelpLine(append(append(append([]key.Binding(nil), keep...), b), rest...))) <= w:
			keep = append(keep, b)
		}
	}
	return clip(shortHelpLine(keep), w)
}
