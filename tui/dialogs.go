package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// dialog is a small window over the lower part of the screen that takes the keys
// until it is done.
type dialog interface {
	update(k tea.KeyMsg) (done bool, cmd tea.Cmd, next dialog)
	view(s *session, w, h int) []string
}

// DialogKeyMap are the keys every dialog understands.
type DialogKeyMap struct {
	Yes, No, Up, Down, OK, Cancel, Confirm key.Binding
}

// DefaultDialogKeyMap is the dialogs' key set.
func DefaultDialogKeyMap() DialogKeyMap {
	return DialogKeyMap{
		Yes:     kb([]string{"y", "Y", "enter"}, "y/Enter", "确定"),
		No:      kb([]string{"n", "N", "esc", "q"}, "n/Esc", "取消"),
		Up:      kb([]string{"up", "k", "ctrl+p"}, "上", "上一条"),
		Down:    kb([]string{"down", "j", "ctrl+n"}, "下", "下一条"),
		OK:      kb([]string{"enter"}, "Enter", "确定/跳转"),
		Cancel:  kb([]string{"esc"}, "Esc", "关闭"),
		Confirm: kb([]string{"c", "y"}, "c", "确认提醒（附说明）"),
	}
}

func frame(s *session, title string, w int, body []string, hint string) []string {
	out := []string{paint(s.st.Title, clip("-- "+title+" "+strings.Repeat("-", w), w))}
	for _, l := range body {
		out = append(out, clip(" "+l, w))
	}
	return append(out, paint(s.st.Dim, clip(" "+hint, w)))
}

// confirmDialog asks yes or no.
type confirmDialog struct {
	title string
	lines []string
	yes   func() tea.Cmd
}

func (d *confirmDialog) update(k tea.KeyMsg) (bool, tea.Cmd, dialog) {
	km := DefaultDialogKeyMap()
	switch {
	case key.Matches(k, km.Yes):
		return true, d.yes(), nil
	case key.Matches(k, km.No):
		return true, nil, nil
	}
	return false, nil, nil
}

func (d *confirmDialog) view(s *session, w, h int) []string {
	return frame(s, d.title, w, d.lines, "y/Enter 确定   n/Esc 取消")
}

// promptDialog asks for one line of text (a comment, a confirmation note).
type promptDialog struct {
	title string
	lines []string // what is asked about, wrapped above the input
	buf   []rune
	hint  string
	ok    func(string) tea.Cmd
	next  dialog              // asked after this one (a form of several fields)
	check func(string) string // a reason to refuse the text, shown while the prompt stays open
	err   string
	fresh bool // the text is a suggestion (today's date): the first typed rune replaces it
	// freshHint is the hint while the suggestion stands (Enter 保存今天的日期); once
	// the clerk types, edits or clears it, hint says what Enter does then.
	freshHint string
}

func (d *promptDialog) update(k tea.KeyMsg) (bool, tea.Cmd, dialog) {
	switch k.Type {
	case tea.KeyEnter:
		text := strings.TrimSpace(string(d.buf))
		if d.check != nil {
			if d.err = d.check(text); d.err != "" {
				return false, nil, nil
			}
		}
		return true, d.ok(text), d.next
	case tea.KeyEsc:
		return true, nil, nil
	case tea.KeyBackspace, tea.KeyCtrlH:
		d.fresh = false
		if len(d.buf) > 0 {
			d.buf = d.buf[:len(d.buf)-1]
		}
	case tea.KeyCtrlU:
		d.buf, d.fresh = nil, false
	case tea.KeyLeft, tea.KeyEnd:
		d.fresh = false // the clerk means to keep the suggestion and edit it
	case tea.KeyRunes, tea.KeySpace:
		if d.fresh {
			d.buf, d.fresh = nil, false
		}
		for _, r := range k.Runes {
			if r >= ' ' {
				d.buf = append(d.buf, r)
			}
		}
	}
	return false, nil, nil
}

func (d *promptDialog) view(s *session, w, h int) []string {
	in := string(d.buf) + "_"
	var body []string
	for _, l := range d.lines {
		body = append(body, wrapProse(l, max(1, w-2), 4)...)
	}
	body = append(body, "> "+fitTail(in, max(1, w-4)))
	if d.err != "" {
		body = append(body, paint(s.st.Bad, "! "+d.err))
	}
	hint := d.hint
	if d.fresh && d.freshHint != "" {
		hint = d.freshHint
	}
	return frame(s, d.title, w, body, hint)
}

// infoDialog shows lines to read (history, refused paste); any other key closes it.
type infoDialog struct {
	title string
	lines []string
	top   int
}

func (d *infoDialog) update(k tea.KeyMsg) (bool, tea.Cmd, dialog) {
	km := DefaultDialogKeyMap()
	switch {
	case key.Matches(k, km.Up):
		d.top = max(0, d.top-1)
	case key.Matches(k, km.Down):
		d.top = min(max(0, len(d.lines)-1), d.top+1)
	default:
		return true, nil, nil
	}
	return false, nil, nil
}

func (d *infoDialog) view(s *session, w, h int) []string {
	n := max(1, h/2-2)
	body := d.lines[min(d.top, len(d.lines)):]
	if len(body) > n {
		body = body[:n]
	}
	return frame(s, d.title, w, body, "上/下 滚动   其他键 关闭")
}

// searchDialog finds a column by header text, in every form of the report.
type searchDialog struct {
	g     *Grid
	buf   []rune
	hits  []model.CellKey
	names []string   // "表一 第13栏 ", the hit's form and column
	paths [][]string // its header path, fitted to the width when drawn
	sel   int
}

func newSearchDialog(g *Grid) *searchDialog {
	d := &searchDialog{g: g}
	d.filter()
	return d
}

func (d *searchDialog) filter() {
	d.hits, d.names, d.paths, d.sel = nil, nil, nil, 0
	terms := strings.Fields(string(d.buf))
	if len(terms) == 1 { // a column number: 第N栏 of the current form
		if n, err := strconv.Atoi(terms[0]); err == nil && n >= 1 && n <= len(d.g.form().Columns) {
			f, geo := d.g.form(), d.g.cur()
			c := f.Columns[n-1]
			row := d.g.row
			if !geo.editable(row, c.Index) {
				row = 0
			}
			d.hits = append(d.hits, geo.key(row, c.Index))
			d.names = append(d.names, fmt.Sprintf("%s 第%d栏 ", f.Name(), n))
			d.paths = append(d.paths, c.Path)
			return
		}
	}
	forms := append([]*model.Form{d.g.form()}, d.g.b.forms...)
	seen := map[string]bool{}
	for _, f := range forms {
		if seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		geo := d.g.geo[d.g.b.formIndex(f.ID)]
		for _, c := range f.Columns {
			text := c.PathText()
			flat := strings.ReplaceAll(text, "/", "") // "罚款金额" finds 罚款/金额
			ok := true
			for _, t := range terms {
				if !strings.Contains(text, t) && !strings.Contains(flat, t) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			row := 0
			if d.g.form() == f {
				row = d.g.row
			}
			if !geo.editable(row, c.Index) {
				row = 0
			}
			d.hits = append(d.hits, geo.key(row, c.Index))
			d.names = append(d.names, fmt.Sprintf("%s 第%d栏 ", f.Name(), c.Index+1))
			d.paths = append(d.paths, c.Path)
		}
	}
}

func (d *searchDialog) update(k tea.KeyMsg) (bool, tea.Cmd, dialog) {
	km := DefaultDialogKeyMap()
	switch {
	case k.Type == tea.KeyEsc:
		return true, nil, nil
	case k.Type == tea.KeyEnter:
		if len(d.hits) > 0 {
			d.g.Jump(d.hits[d.sel])
		}
		return true, nil, nil
	case key.Matches(k, km.Up) && k.Type != tea.KeyRunes:
		d.sel = max(0, d.sel-1)
	case key.Matches(k, km.Down) && k.Type != tea.KeyRunes:
		d.sel = min(max(0, len(d.hits)-1), d.sel+1)
	case k.Type == tea.KeyBackspace || k.Type == tea.KeyCtrlH:
		if len(d.buf) > 0 {
			d.buf = d.buf[:len(d.buf)-1]
			d.filter()
		}
	case k.Type == tea.KeyRunes || k.Type == tea.KeySpace:
		d.buf = append(d.buf, k.Runes...)
		d.filter()
	}
	return false, nil, nil
}

func (d *searchDialog) view(s *session, w, h int) []string {
	head := "查找表头：" + string(d.buf) + "_"
	n := max(1, h/2-3)
	if len(d.names) > n { // the list scrolls: say how much there is
		head += fmt.Sprintf("   （%d/%d）", d.sel+1, len(d.names))
	}
	body := []string{head}
	start := max(0, d.sel-n+1)
	for i := start; i < len(d.names) && i < start+n; i++ {
		p := "  "
		if i == d.sel {
			p = "> "
		}
		line := p + d.names[i] // the leaf kept whole: 四色's four fields differ only there
		line += fitPath(d.paths[i], "", max(1, w-2-textWidth(line)))
		if i == d.sel {
			line = paint(s.st.Selected, clip(line, w-2))
		}
		body = append(body, line)
	}
	if len(d.names) == 0 {
		body = append(body, "（没有匹配的栏目）")
	}
	return frame(s, "按表头查找", w, body, "输入表头文字或栏号筛选  上/下 选择  Enter 跳转  Esc 关闭")
}

// rulesDialog lists the report's findings; Enter jumps to one, c confirms a
// warning with a comment.
type rulesDialog struct {
	g    *Grid
	jump func(model.CellKey)
	list []model.Finding
	sel  int
}

func newRulesDialog(g *Grid, jump func(model.CellKey)) *rulesDialog {
	d := &rulesDialog{g: g, jump: jump}
	d.refresh()
	return d
}

func (d *rulesDialog) refresh() {
	d.list = append([]model.Finding(nil), d.g.b.res.Findings...)
	model.SortFindings(d.list)
	d.list = append(reviewFindings(d.g.b), d.list...) // the office's notes first
	d.sel = min(d.sel, max(0, len(d.list)-1))
}

func (d *rulesDialog) update(k tea.KeyMsg) (bool, tea.Cmd, dialog) {
	km := DefaultDialogKeyMap()
	switch {
	case key.Matches(k, km.Up):
		d.sel = max(0, d.sel-1)
	case key.Matches(k, km.Down):
		d.sel = min(max(0, len(d.list)-1), d.sel+1)
	case key.Matches(k, km.OK):
		if len(d.list) > 0 && len(d.list[d.sel].Cells) > 0 {
			d.jump(d.list[d.sel].Cells[0])
		}
		return true, nil, nil
	case key.Matches(k, km.Confirm):
		if len(d.list) == 0 {
			break
		}
		fd := d.list[d.sel]
		if fd.Rule == ruleNote {
			d.g.flash("审核意见不需确认：改好该格后再上报", true)
			return true, nil, nil
		}
		if fd.IsError() {
			d.g.flash("错误不能确认，只能改正数据", true)
			return true, nil, nil
		}
		g := d.g
		// The message goes in the body, wrapped: as the title it lost its end
		// (the figures) at 80 columns.
		return true, nil, &promptDialog{title: "确认提醒", lines: []string{"? " + fd.Message},
			hint: "写明原因后 Enter 确认   Esc 取消",
			buf:  []rune(g.b.r.Confirmed[fd.Key].Comment),
			check: func(text string) string {
				if text == "" { // the prompt stays open: closing it lost the clerk's place in the panel
					return "确认提醒需要写明原因"
				}
				return ""
			},
			ok: func(text string) tea.Cmd {
				return g.writeGuard(func() tea.Cmd {
					g.flash("已确认该提醒", false)
					return g.b.confirm(g.s, fd.Key, text)
				})
			}}
	case key.Matches(k, km.No):
		return true, nil, nil
	}
	return false, nil, nil
}

func (d *rulesDialog) view(s *session, w, h int) []string {
	var body []string
	res := d.g.b.res
	blanks := len(res.Blanks)
	if l := cycleLine(d.g.b); l != "" {
		body = append(body, wrapProse(l, max(1, w-2), 4)...)
	}
	body = append(body, fmt.Sprintf("错误 %d 条，未确认提醒 %d 条，空白格 %d 个", res.Errors(), res.Warnings(), blanks))
	n := max(1, h/2-3)
	start := max(0, d.sel-n+1)
	for i := start; i < len(d.list) && i < start+n; i++ {
		fd := d.list[i]
		tag := "? 提醒 "
		if fd.Rule == ruleNote {
			tag = "# 审核意见 "
		} else if fd.IsError() {
			tag = "! 错误 "
		} else if fd.Confirmed {
			tag = "  已确认 "
		}
		line := tag + fd.Message
		if i == d.sel { // the selected finding is shown in full, its 依据 on a line of its own
			for j, part := range wrap("> "+line, max(1, w-2), 4) {
				if j > 0 {
					part = "    " + part
				}
				body = append(body, paint(s.st.Selected, part))
			}
			if fd.Basis != "" {
				for _, part := range wrap("依据："+fd.Basis, max(1, w-6), 4) {
					body = append(body, "    "+part)
				}
			}
			continue
		}
		if fd.Basis != "" {
			line += "（依据：" + fd.Basis + "）"
		}
		body = append(body, "  "+line)
	}
	if len(d.list) == 0 {
		body = append(body, "没有错误或提醒。")
	}
	return frame(s, "审核结果", w, body, "上/下 选择  Enter 跳到该格  c 确认提醒（附说明）  Esc 关闭")
}
