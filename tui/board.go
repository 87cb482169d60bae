package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// The office's board: every unit of the directory for one period, with its state
// in the reporting cycle, completeness, errors, unconfirmed warnings, last change
// and who, and how it stands against the due date (已截止 once due.submitDays
// have passed without the office's 延期); what needs the office first
// (submitted and waiting, then overdue) on top. It reads the List entries and the
// review records in two read transactions, so 2,000 units cost two index scans.

// BoardKeyMap are the board's keys.
type BoardKeyMap struct {
	Up, Down, PageUp, PageDown, Open, Summary, Progress, Export, Refresh, Back, Help, Quit key.Binding
}

// DefaultBoardKeyMap is the board's key set.
func DefaultBoardKeyMap() BoardKeyMap {
	return BoardKeyMap{
		Up:       kb([]string{"up", "k"}, "上/k", "上一个单位"),
		Down:     kb([]string{"down", "j"}, "下/j", "下一个单位"),
		PageUp:   kb([]string{"pgup", "H"}, "PgUp", "上一屏"),
		PageDown: kb([]string{"pgdown", "L"}, "PgDn", "下一屏"),
		Open:     kb([]string{"enter"}, "Enter", "查看（A 通过 R 退回 K 解锁 N 意见）"),
		Summary:  kb([]string{"S"}, "S", "本期汇总"),
		Progress: kb([]string{"p"}, "p", "目标进度"),
		Export:   kb([]string{"E"}, "E", "导出催报名单"),
		Refresh:  kb([]string{"g"}, "g", "刷新"),
		Back:     kb([]string{"q", "esc"}, "q", "返回"),
		Help:     kb([]string{"?"}, "?", "全部按键"),
		Quit:     kb([]string{"ctrl+c"}, "Ctrl+C", "退出"),
	}
}

// ShortHelp is the board's hint line.
func (k BoardKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Summary, k.Progress, k.Export, k.Refresh, k.Back, k.Help}
}

// FullHelp lists every board key.
func (k BoardKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Open}, {k.Summary, k.Progress, k.Export, k.Refresh, k.Back, k.Help, k.Quit}}
}

// boardRow is one unit on the board.
type boardRow struct {
	unit  model.Unit
	info  *model.ReportInfo // nil: 未填报
	rev   model.Review
	state model.State // "" for 未填报
	rank  int
}

// boardView is the board screen.
type boardView struct {
	s        *session
	v        *model.Variant
	p        model.Period
	rows     []boardRow
	sel, top int
	msg      string
	bad      bool // msg says something failed
	keys     BoardKeyMap
	// readOnly is the session's own read-only flag: a report opened from the
	// board is read-only (the office reviews, it does not type), and leaving it
	// restores the flag.
	readOnly bool
}

// boardMsg brings the board's data.
type boardMsg struct {
	v    *model.Variant
	p    model.Period
	rows []boardRow
	err  error
}

// boardCmd reads the period's List entries, added units and review records.
func boardCmd(s *session, v *model.Variant, p model.Period) tea.Cmd {
	return func() tea.Msg {
		msg := boardMsg{v: v, p: p}
		infos, err := s.store.List(v.ID, &p)
		if err != nil {
			msg.err = err
			return msg
		}
		extra, err := s.store.Units(v.ID)
		if err != nil {
			msg.err = err
			return msg
		}
		ids := make([]model.ReportID, len(infos))
		byUnit := map[string]*model.ReportInfo{}
		for i := range infos {
			ids[i] = infos[i].ID
			byUnit[infos[i].ID.Unit] = &infos[i]
		}
		revs, err := s.store.Reviews(ids)
		if err != nil {
			msg.err = err
			return msg
		}
		days := v.DaysLeft(p, s.now())
		seen := map[string]bool{}
		add := func(u model.Unit) {
			if seen[u.Name] || !s.mayOpen(v.ID, u.Name) {
				return
			}
			seen[u.Name] = true
			r := boardRow{unit: u, info: byUnit[u.Name]}
			if r.info != nil {
				r.state, r.rev = r.info.State, revs[r.info.ID]
			}
			r.rank = boardRank(r.state, days)
			msg.rows = append(msg.rows, r)
		}
		for _, u := range v.Units {
			add(u)
		}
		for _, u := range extra {
			add(u)
		}
		for _, in := range infos { // a report of a unit no longer in the directory
			add(model.Unit{Name: in.ID.Unit, Type: in.UnitType})
		}
		sort.SliceStable(msg.rows, func(i, j int) bool { return msg.rows[i].rank < msg.rows[j].rank })
		return msg
	}
}

// boardRank orders by what needs the office: submitted and waiting first, then
// units overdue, returned, drafts, not reported, and accepted last.
func boardRank(st model.State, days int) int {
	sub := map[model.State]int{model.StateReturned: 0, model.StateDraft: 1, "": 2}[st]
	switch {
	case st == model.StateSubmitted:
		return 0
	case st == model.StateAccepted:
		return 30
	case days < 0:
		return 10 + sub
	}
	return 20 + sub
}

func (m *root) openBoard(v *model.Variant, p model.Period) tea.Cmd {
	m.board = &boardView{s: m.s, v: v, p: p, keys: DefaultBoardKeyMap(), readOnly: m.s.readOnly}
	m.scr = scrBoard
	return m.board.reload()
}

func (b *boardView) reload() tea.Cmd { return boardCmd(b.s, b.v, b.p) }

func (m *root) boardLoaded(msg boardMsg) {
	b := m.board
	if b == nil || msg.v != b.v || msg.p != b.p {
		return
	}
	if msg.err != nil {
		b.msg, b.bad = "读取失败："+msg.err.Error(), true
		return
	}
	name := ""
	if b.sel < len(b.rows) {
		name = b.rows[b.sel].unit.Name
	}
	b.rows, b.sel = msg.rows, 0
	for i, r := range b.rows { // the cursor stays on its unit across a refresh
		if r.unit.Name == name {
			b.sel = i
		}
	}
}

func (m *root) boardKey(k tea.KeyMsg) tea.Cmd {
	b, km := m.board, m.board.keys
	b.msg, b.bad = "", false
	page := max(1, m.s.h-5)
	switch {
	case key.Matches(k, km.Up):
		b.sel = max(0, b.sel-1)
	case key.Matches(k, km.Down):
		b.sel = min(max(0, len(b.rows)-1), b.sel+1)
	case key.Matches(k, km.PageUp):
		b.sel = max(0, b.sel-page)
	case key.Matches(k, km.PageDown):
		b.sel = min(max(0, len(b.rows)-1), b.sel+page)
	case key.Matches(k, km.Open):
		if b.sel >= len(b.rows) {
			return nil
		}
		r := b.rows[b.sel]
		if r.info == nil {
			b.msg = r.unit.Name + " 尚未填报"
			return nil
		}
		m.s.readOnly = true
		return m.open(openReq{v: b.v, unit: r.unit, p: b.p})
	case key.Matches(k, km.Summary):
		return m.openSummary(b.v, b.p, scrBoard)
	case key.Matches(k, km.Progress):
		m.wantProgress = true
		return m.openSummary(b.v, b.p, scrBoard)
	case key.Matches(k, km.Export):
		return m.remindExportKey()
	case key.Matches(k, km.Refresh):
		return b.reload()
	case key.Matches(k, km.Help):
		m.help = true
	case key.Matches(k, km.Back):
		m.s.readOnly = b.readOnly
		m.scr, m.board = scrOpener, nil
		return m.opener.Init()
	}
	return nil
}

// counts is the line of state counts over the rows.
func (b *boardView) counts() string {
	c := map[model.State]int{}
	for _, r := range b.rows {
		c[r.state]++
	}
	return model.StateCountsText(c)
}

// line renders one unit: 单位 状态 完成 错误 提醒 最后修改 修改人 期限.
func (b *boardView) line(r boardRow, days int, wide bool) string {
	pct, errs, warns, at, who := "-", "-", "-", "-", "-"
	if in := r.info; in != nil {
		pct = fmt.Sprintf("%d%%", model.Percent(in.Filled, in.Total))
		errs, warns = fmt.Sprint(in.Errors), fmt.Sprint(in.Warnings)
		if !in.Updated.IsZero() {
			at = in.Updated.Local().Format("01-02 15:04")
		}
		who = in.UpdatedBy
	}
	due := model.DueText(days)
	switch {
	case r.state.Delivered():
		due = "已报"
		if t := r.rev.Submitted(); !t.IsZero() {
			due = "已报 " + t.Local().Format("01-02")
		}
	case days < 0:
		due = fmt.Sprintf("逾期 %d 天", -days)
		switch {
		case b.v.SubmitClosed(b.p, b.s.now(), r.rev) != "":
			due = "已截止 " + due // 上报 closed (due.submitDays) without 延期
		case b.v.DueRule.SubmitDays > 0 && -days > b.v.DueRule.SubmitDays:
			due += " 已延期"
		}
	}
	out := boardCols(r.unit.Name, model.BoardLabel(r.state), pct, errs, warns, at, who, due, wide)
	if wide {
		if why := r.rev.ReturnReason(r.state); why != "" {
			out += "  退回：" + why
		}
	}
	return out
}

// boardCols lays out one line of the board; columns are counted in cells, so
// Chinese headers line up with the figures.
func boardCols(unit, state, pct, errs, warns, at, who, due string, wide bool) string {
	nw, whoW := 12, 6
	if wide {
		nw, whoW = 20, 12
	}
	return fit(unit, nw) + " " + fit(state, 6) + " " + fitRight(pct, 4) + " " + fitRight(errs, 4) + " " +
		fitRight(warns, 4) + "  " + fit(at, 11) + " " + fit(who, whoW) + " " + due
}

// View renders the board.
func (b *boardView) View() string {
	s := b.s
	days := b.v.DaysLeft(b.p, s.now())
	wide := s.w >= 120
	title := fmt.Sprintf("审核看板  %s %s  截止 %s，%s", b.v.Name, b.p.Label(),
		b.v.DueDate(b.p).Format("2006-01-02"), model.DueText(days))
	lines := []string{paint(s.st.Title, clip(title, s.w)), clip(" "+b.counts(), s.w)}
	head := boardCols("单位", "状态", "完成", "错误", "提醒", "最后修改", "修改人", "期限", wide)
	lines = append(lines, clip(" "+head, s.w))
	page := max(1, s.h-5)
	if b.sel < b.top {
		b.top = b.sel
	}
	if b.sel >= b.top+page {
		b.top = b.sel - page + 1
	}
	for i := b.top; i < len(b.rows) && i < b.top+page; i++ {
		l := b.line(b.rows[i], days, wide)
		if i == b.sel {
			lines = append(lines, paint(s.st.Selected, clip(">"+l, s.w)))
			continue
		}
		lines = append(lines, clip(" "+l, s.w))
	}
	if len(b.rows) == 0 {
		lines = append(lines, " （正在读取……）")
	}
	lines = padLines(lines, s.w, s.h-2)
	msg := clip(b.msg, s.w)
	switch {
	case b.msg == "":
		msg = clip(fmt.Sprintf(" 第 %d/%d 个单位", min(b.sel+1, len(b.rows)), len(b.rows)), s.w)
	case b.bad:
		msg = paint(s.st.Bad, clip(" ! "+b.msg, s.w))
	}
	lines = append(lines, msg, paint(s.st.Dim, hintLine(b.keys.ShortHelp(), s.w, "Enter")))
	return strings.Join(lines, "\n")
}

// remoteReview reads the review record again after another session's move (a
// move's notice names no cells), and refreshes the board.
func (m *root) remoteReview(msg RemoteChangeMsg) tea.Cmd {
	var cmds []tea.Cmd
	if m.b != nil && msg.ID == m.b.id && len(msg.Keys) == 0 {
		cmds = append(cmds, reviewCmd(m.s, msg.ID))
	}
	if m.board != nil && m.scr == scrBoard && msg.ID.Period == m.board.p {
		cmds = append(cmds, m.board.reload())
	}
	return tea.Batch(cmds...)
}
