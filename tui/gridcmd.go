package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// command is the grid's key switch when no cell is being edited.
func (g *Grid) command(k tea.KeyMsg) (tea.Cmd, gridOut) {
	km := g.keys
	up, down, left, right := km.Up, km.Down, km.Left, km.Right
	if g.list { // in the list, fields run down and the unit's rows across
		up, down, left, right = km.Left, km.Right, km.Up, km.Down
	}
	switch {
	case key.Matches(k, up):
		g.moveV(-1)
	case key.Matches(k, down):
		g.moveV(1)
	case key.Matches(k, left):
		g.moveH(-1)
	case key.Matches(k, right):
		g.moveH(1)
	case key.Matches(k, km.Next):
		g.tab(1)
	case key.Matches(k, km.Prev):
		g.tab(-1)
	case key.Matches(k, km.Home):
		g.rowEnd(false)
	case key.Matches(k, km.End):
		g.rowEnd(true)
	case key.Matches(k, km.PageLeft):
		g.page(-1)
	case key.Matches(k, km.PageRight):
		g.page(1)
	case key.Matches(k, km.GroupPrev):
		g.group(-1)
	case key.Matches(k, km.GroupNext):
		g.group(1)
	case key.Matches(k, km.Commit):
		g.step(1, g.enterDown())
	case key.Matches(k, km.Edit):
		return g.startEdit(nil), gridOut{}
	case key.Matches(k, km.Clear):
		return g.commitValue(g.key(), nil, "清空"), gridOut{}
	case key.Matches(k, km.View):
		g.list = !g.list
		g.scroll()
	case key.Matches(k, km.Blank):
		g.nextBlank()
	case key.Matches(k, km.FormPrev):
		g.SetForm(g.fi - 1)
	case key.Matches(k, km.FormNext):
		g.SetForm(g.fi + 1)
	case key.Matches(k, km.FormN):
		g.pendingT = true
		g.flash("按 1-4 选择表一至表四", false)
	case key.Matches(k, km.EnterDir):
		g.enterRight = !g.enterRight
		if g.enterRight {
			g.flash("Enter 确认后：右移", false)
		} else {
			g.flash("Enter 确认后：下移", false)
		}
	case key.Matches(k, km.Undo):
		return g.writeGuard(func() tea.Cmd { return g.b.undo(g.s, false) }), gridOut{}
	case key.Matches(k, km.Redo):
		return g.writeGuard(func() tea.Cmd { return g.b.undo(g.s, true) }), gridOut{}
	case key.Matches(k, km.Fill):
		return nil, gridOut{dialog: g.fillDialog()}
	case key.Matches(k, km.CopyPrev):
		return nil, gridOut{dialog: g.copyPrevDialog()}
	case key.Matches(k, km.Comment):
		return nil, gridOut{dialog: g.commentDialog()}
	case key.Matches(k, km.History):
		return historyCmd(g.s, g.b.id, g.key()), gridOut{}
	case key.Matches(k, km.Search):
		return nil, gridOut{dialog: newSearchDialog(g)}
	case key.Matches(k, km.Help):
		return nil, gridOut{help: true}
	case key.Matches(k, km.Back):
		return nil, gridOut{back: true}
	}
	return nil, gridOut{}
}

// tab is Tab (d 1) and Shift+Tab (d -1): right and left along what the view
// shows as a row, then on to the next one. In the grid that is the form's row;
// the list shows a field's rows (市级, 县级, 乡级) across, so Tab walks them and
// then the next field: the form's column order.
func (g *Grid) tab(d int) { g.step(d, g.list) }

// readOnlyText is what a read-only session (the office over SSH) says when the
// clerk tries to change something: nothing is ever dropped without a word.
const readOnlyText = "只读：本账号只能查看报表，不能修改数据"

// writeGuard refuses writes in read-only sessions with a message.
func (g *Grid) writeGuard(f func() tea.Cmd) tea.Cmd {
	if g.sum != nil { // never reached through the summary's keys; a safety net
		g.flash("汇总只能查看", true)
		return nil
	}
	if g.s.readOnly {
		g.flash(readOnlyText, true)
		return nil
	}
	if why := model.ValuesFrozen(g.b.r.State); why != "" { // the reporting cycle (cycle.go)
		g.flash(why, true)
		return nil
	}
	return f()
}

// commitValue writes one cell (nil clears it) when it changed.
func (g *Grid) commitValue(k model.CellKey, n *model.Number, what string) tea.Cmd {
	if g.s.readOnly || g.sum != nil { // also for a no-op (clearing a blank cell): say why nothing happens
		return g.writeGuard(nil)
	}
	old, had := g.b.value(k)
	if (n == nil && !had) || (n != nil && had && old == *n) {
		return nil
	}
	return g.writeGuard(func() tea.Cmd {
		return g.b.setCells(g.s, []model.Change{{Key: k, Value: n}}, what)
	})
}

// fillDialog asks before filling every blank of the form with 0.
func (g *Grid) fillDialog() dialog {
	f := g.form()
	var changes []model.Change
	zero := model.Number(0)
	for _, k := range g.cur().rowMajor {
		if _, ok := g.b.value(k); !ok {
			changes = append(changes, model.Change{Key: k, Value: &zero})
		}
	}
	if len(changes) == 0 {
		g.flash(f.Name()+"没有空白格", false)
		return nil
	}
	return &confirmDialog{title: "填 0",
		lines: []string{fmt.Sprintf("将%s剩余的 %d 个空白格全部填为 0？", f.Name(), len(changes)),
			"（表格不应有空白处，若无则应填写0）"},
		yes: func() tea.Cmd {
			return g.writeGuard(func() tea.Cmd {
				g.flash(fmt.Sprintf("已将 %d 个空白格填为 0（u 撤销）", len(changes)), false)
				return g.b.setCells(g.s, changes, "fill")
			})
		}}
}

// copyPrevDialog asks before copying last quarter's figures into blank cells.
func (g *Grid) copyPrevDialog() dialog {
	b := g.b
	if b.prev == nil {
		g.flash("没有找到"+b.id.Period.Before().Label()+"的报表", true)
		return nil
	}
	var changes []model.Change
	for _, f := range b.forms {
		for _, k := range f.Cells() {
			if _, ok := b.value(k); ok {
				continue
			}
			if n, ok := b.prev.Value(k); ok {
				n := n
				changes = append(changes, model.Change{Key: k, Value: &n})
			}
		}
	}
	if len(changes) == 0 {
		g.flash("上季度报表没有可复制到空白格的数值", false)
		return nil
	}
	return &confirmDialog{title: "复制上季度",
		lines: []string{fmt.Sprintf("把%s报表的 %d 个数值复制到本报表的空白格？", b.prev.Period.Label(), len(changes)),
			"已填的格子不变；累计数请再按本季度实际核对。"},
		yes: func() tea.Cmd {
			return g.writeGuard(func() tea.Cmd {
				g.flash(fmt.Sprintf("已复制 %d 个数值（u 撤销）", len(changes)), false)
				return b.setCells(g.s, changes, "copy")
			})
		}}
}

// cellTitle names a cell in a dialog's title: form, row (in forms of several
// rows, unless the column is entered once per block), column number and the
// header path with its leaf kept whole. The path alone did not say which row's
// cell a comment or a history was about.
func cellTitle(prefix string, f *model.Form, k model.CellKey, w int) string {
	c := f.Column(k.Col)
	head := prefix + f.Name()
	if len(f.Rows) > 1 && c.Scope != model.ScopeBlock {
		for _, r := range f.Rows {
			if r.ID == k.Row {
				head += " " + r.Label
			}
		}
	}
	head += fmt.Sprintf(" 第%d栏 ", c.Index+1)
	return head + fitPath(c.Path, "", max(1, w-4-textWidth(head))) // "-- " and " -" around it
}

// commentDialog edits the comment of the cell under the cursor.
func (g *Grid) commentDialog() dialog {
	k := g.key()
	return &promptDialog{title: cellTitle("批注：", g.form(), k, g.s.w), buf: []rune(g.b.r.Comments[k]),
		hint: "Enter 保存（清空即删除）  Esc 取消",
		ok: func(text string) tea.Cmd {
			if g.s.readOnly {
				g.flash(readOnlyText, true)
				return nil
			}
			return g.b.comment(g.s, k, text)
		}}
}
