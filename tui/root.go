package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

type screen int

const (
	scrOpener screen = iota
	scrOverview
	scrGrid
	scrSummary  // the period's totals in the grid (sg)
	scrProgress // progress against the targets (prog)
	scrBoard    // the office's board of the period (board.go)
)

// root is the only model that owns the whole screen; the opener, the overview and
// the grid render strings into it, and dialogs and help sit on top.
type root struct {
	s        *session
	o        Options
	scr      screen
	opener   *Opener
	ov       *Overview
	b        *book
	g        *Grid
	dlg      dialog
	help     bool
	quitting bool
	loading  string
	preset   bool
	named    *openReq      // the report the options name, waiting for its unit
	sg       *Grid         // the summary grid
	prog     *progressView // the progress screen
	sumFrom  screen        // where q in the summary goes back to
	board    *boardView    // the office's board, kept while a report opened from it is open
	// wantProgress goes on to the progress screen once the summary is loaded
	// (p on the board).
	wantProgress bool
}

func newRoot(s *session, o Options) *root {
	m := &root{s: s, o: o, opener: NewOpener(s, o.Variant, o.Period)}
	m.preset = o.Variant != "" && o.Unit != "" && o.Period != ""
	return m
}

// Init starts the chooser's reads. With --variant, --unit and --period the named
// report opens when they answer (openerDataMsg): the unit may be one users added,
// which only the store knows, and Init does no IO.
func (m *root) Init() tea.Cmd {
	if m.preset {
		m.named = m.resolveNamed()
	}
	return m.opener.Init()
}

// resolveNamed checks --variant and --period against the catalog; a bad name is
// shown in the chooser.
func (m *root) resolveNamed() *openReq {
	p, err := model.ParsePeriod(m.o.Period)
	if err != nil {
		m.opener.msg = err.Error()
		return nil
	}
	v, err := m.s.cats.Variant(m.o.Variant, p)
	if err != nil {
		m.opener.msg = err.Error()
		return nil
	}
	m.loading = "正在打开 " + m.o.Unit + " " + p.Label() + " ..."
	return &openReq{v: v, p: p}
}

// openNamed finds --unit among the variant's units and those users added, and
// opens the report; a unit it cannot find is shown in the chooser, with the
// store's error when reading the added units failed.
func (m *root) openNamed(d openerDataMsg) tea.Cmd {
	r := *m.named
	m.named = nil
	u, err := r.v.Unit(m.o.Unit, d.extra[r.v.ID]...)
	if err != nil {
		m.loading = ""
		if d.err != nil {
			err = fmt.Errorf("%w（%v）", err, d.err)
		}
		m.opener.msg = err.Error()
		return nil
	}
	r.unit = u
	return m.open(r)
}

func (m *root) open(r openReq) tea.Cmd {
	if !m.s.mayOpen(r.v.ID, r.unit.Name) {
		m.opener.msg = "无权打开 " + r.unit.Name + " 的报表"
		return nil
	}
	m.loading = "正在打开 " + r.unit.Name + " " + r.p.Label() + " ..."
	return openCmd(m.s, r.v, r.unit, r.p)
}

// Update is a thin switch: each message kind has its own method.
func (m *root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyMsg:
		return m, m.key(msg)
	case pasteMsg:
		return m, m.paste(msg)
	case openerDataMsg:
		m.opener.loaded(msg, m.preset)
		if m.named != nil {
			return m, m.openNamed(msg)
		}
	case openedMsg:
		return m, m.opened(msg)
	case writtenMsg:
		return m, m.written(msg)
	case historyMsg:
		m.history(msg)
	case RemoteChangeMsg:
		return m, tea.Batch(m.remote(msg), m.remoteReview(msg))
	case summaryMsg:
		m.summaryLoaded(msg)
	case cursorMsg:
		m.notify("记住光标位置失败：" + msg.err.Error())
	case fileMsg:
		return m, msg.apply(m)
	case reviewMsg:
		m.reviewLoaded(msg)
	case boardMsg:
		m.boardLoaded(msg)
	}
	return m, nil
}

// notify shows a failure on whatever screen the clerk is on.
func (m *root) notify(text string) {
	switch {
	case m.scr == scrGrid && m.g != nil:
		m.g.flash(text, true)
	case m.scr == scrOverview && m.ov != nil:
		m.ov.msg, m.ov.bad = text, true
	case m.scr == scrSummary && m.sg != nil:
		m.sg.flash(text, true)
	default:
		m.opener.msg = text
	}
}

func (m *root) resize(w, h int) {
	m.s.w, m.s.h = max(w, 1), max(h, 1)
	for _, g := range []*Grid{m.g, m.sg} {
		if g != nil {
			g.lay.valid = false
			g.scroll()
		}
	}
}

func (m *root) quit() tea.Cmd {
	var commit tea.Cmd
	if m.g != nil && m.g.edit.on && !m.quitting {
		// A value being typed when the session ends is kept if it is valid.
		if n, err := m.g.validate(); err == nil {
			commit = m.g.commitValue(m.g.key(), n, "输入")
		}
		m.g.cancelEdit()
	}
	if m.b != nil && (m.b.busy || len(m.b.queue) > 0) {
		m.quitting = true // quit once every write is durable
		return commit
	}
	if m.b != nil && m.g != nil {
		return tea.Sequence(saveCursorCmd(m.s, m.b.id, m.g.Cursor()), tea.Quit)
	}
	return tea.Quit
}

func (m *root) key(k tea.KeyMsg) tea.Cmd {
	if k.Type == tea.KeyCtrlC {
		return m.quit()
	}
	if k.Type == tea.KeyRunes && !k.Paste && len(k.Runes) > 1 {
		return m.eachKey(k)
	}
	if k.Alt && !k.Paste && k.Type != tea.KeyEsc {
		// No function uses Alt: an Alt key is Esc and a key that arrived in one
		// read (over SSH, or typed fast). Read as Alt+5, "7 Esc 5" left 75 in the
		// cell instead of cancelling 7 and starting 5.
		esc := m.key(tea.KeyMsg{Type: tea.KeyEsc})
		k.Alt = false
		return tea.Batch(esc, m.key(k))
	}
	if m.help {
		m.help = false
		return nil
	}
	if m.dlg != nil {
		done, cmd, next := m.dlg.update(k)
		if done {
			m.dlg = next
		}
		return cmd
	}
	switch m.scr {
	case scrOpener:
		return m.openerKey(k)
	case scrOverview:
		return m.overviewKey(k)
	case scrSummary:
		return m.summaryKey(k)
	case scrBoard:
		return m.boardKey(k)
	case scrProgress:
		back, help := m.prog.update(k)
		m.help = help
		if back {
			m.scr, m.prog = scrSummary, nil
		}
		return nil
	default:
		return m.gridKey(k)
	}
}

func (m *root) openerKey(k tea.KeyMsg) tea.Cmd {
	if k.String() == "?" {
		m.help = true
		return nil
	}
	if k.String() == "B" && m.s.reviewer && len(m.opener.query) == 0 {
		return m.openBoard(m.opener.v(), m.opener.period)
	}
	req, quit := m.opener.Update(k)
	if quit {
		return m.quit()
	}
	if req != nil && req.summary {
		return m.openSummary(req.v, req.p, scrOpener)
	}
	if req != nil {
		return m.open(*req)
	}
	return nil
}

func (m *root) overviewKey(k tea.KeyMsg) tea.Cmd {
	if cmd, ok := m.fileKey(k); ok {
		return cmd
	}
	if cmd, ok := m.reviewKey(k); ok {
		return cmd
	}
	out := m.ov.Update(k)
	switch {
	case out.open >= 0:
		m.g.SetForm(out.open)
		m.scr = scrGrid
	case out.back:
		var cmd tea.Cmd
		if !m.b.busy && len(m.b.queue) == 0 {
			cmd = saveCursorCmd(m.s, m.b.id, m.g.Cursor())
			m.scr, m.b, m.g, m.ov = scrOpener, nil, nil, nil
			if m.board != nil { // opened from the board: back to it, refreshed
				m.scr, m.s.readOnly = scrBoard, m.board.readOnly
				return tea.Batch(cmd, m.board.reload())
			}
			m.opener.last = nil
			return tea.Batch(cmd, m.opener.Init())
		}
		m.ov.msg, m.ov.bad = "正在保存，请稍候", true
	case out.help:
		m.help = true
	case out.rules:
		m.dlg = newRulesDialog(m.g, m.jump)
	case out.complete:
		m.dlg = m.cycleDialog()
	case out.header:
		m.dlg = m.headerDialog()
	case out.summary:
		return m.openSummary(m.b.v, m.b.id.Period, scrOverview)
	}
	return nil
}

func (m *root) gridKey(k tea.KeyMsg) tea.Cmd {
	if !m.g.edit.on && !k.Paste {
		switch k.String() {
		case "r":
			m.dlg = newRulesDialog(m.g, m.jump)
			return nil
		case "m":
			m.dlg = m.cycleDialog()
			return nil
		}
		if cmd, ok := m.fileKey(k); ok {
			return cmd
		}
		if cmd, ok := m.reviewKey(k); ok {
			return cmd
		}
	}
	cmd, out := m.g.Update(k)
	switch {
	case out.dialog != nil:
		m.dlg = out.dialog
	case out.back:
		m.ov.sel = max(0, indexOfForm(m.b.v, m.g.form().ID))
		m.scr = scrOverview
		return tea.Batch(cmd, saveCursorCmd(m.s, m.b.id, m.g.Cursor()))
	case out.help:
		m.help = true
	}
	return cmd
}

func indexOfForm(v *model.Variant, id string) int {
	for i, f := range v.Forms {
		if f.ID == id {
			return i
		}
	}
	return -1
}

// jump opens the grid at a cell (from the rule panel).
func (m *root) jump(k model.CellKey) {
	m.g.Jump(k)
	m.scr = scrGrid
}

func (m *root) opened(msg openedMsg) tea.Cmd {
	m.loading = ""
	if msg.err != nil {
		m.scr = scrOpener
		m.opener.msg = "打开报表失败：" + msg.err.Error()
		if m.board != nil {
			m.scr, m.s.readOnly, m.board.msg = scrBoard, m.board.readOnly, m.opener.msg
		}
		return nil
	}
	v, err := m.s.cats.Variant(msg.id.Variant, msg.id.Period)
	if err != nil {
		m.opener.msg = err.Error()
		return nil
	}
	m.b = newBook(m.s, v, msg)
	m.g = NewGrid(m.s, m.b, msg.cur, msg.hasCur)
	m.ov = NewOverview(m.s, m.b)
	m.ov.sel = max(0, indexOfForm(v, m.g.form().ID))
	if msg.warn != "" {
		m.ov.msg, m.ov.bad = msg.warn, true
	}
	m.scr = scrOverview
	m.returnedFirst()
	return nil
}

func (m *root) written(msg writtenMsg) tea.Cmd {
	if m.b == nil || msg.id != m.b.id {
		return nil
	}
	b, g := m.b, m.g
	cmd := b.written(msg)
	switch {
	case msg.err != nil:
		g.cancelEdit()
		text := "保存失败：" + msg.err.Error()
		if strings.HasPrefix(msg.kind, "state:") {
			text = "操作未完成：" + msg.err.Error()
		}
		g.flash(text, true)
		m.ov.msg, m.ov.bad = text, true
		b.queue = nil
		cmd = b.reload(m.s)
	case msg.kind == "undo" || msg.kind == "redo":
		what := map[string]string{"undo": "撤销", "redo": "重做"}[msg.kind]
		if len(msg.ev) == 0 {
			g.flash("没有可"+what+"的修改", false)
		} else {
			g.Jump(msg.ev[0].Key)
			g.flash(fmt.Sprintf("已%s %d 格", what, len(msg.ev)), false)
		}
	case strings.HasPrefix(msg.kind, "state:"):
		cmd = tea.Batch(cmd, m.cycleDone(msg.kind))
	}
	if m.quitting && !b.busy && len(b.queue) == 0 {
		return m.quit()
	}
	return cmd
}

// remote reloads the open report when a commit other than this session's own
// changed it (the SSH server forwards the shared store's notices): another
// clerk's, or the same person's in another session. A cell being typed into
// stays in edit; the reload replaces only the stored values around it.
func (m *root) remote(msg RemoteChangeMsg) tea.Cmd {
	if m.b == nil || msg.ID != m.b.id {
		return nil
	}
	who, keys := msg.By+" ", msg.Keys
	if len(keys) == 0 && msg.By != m.s.user {
		return m.b.reload(m.s) // a move, header or comment: remoteReview says which move
	}
	if msg.By == m.s.user {
		if len(keys) == 0 {
			// A header, comment, confirmation, state or a new report: cheap to
			// read again, and not worth a message.
			return m.b.reload(m.s)
		}
		if keys = m.b.foreign(keys, time.Now()); len(keys) == 0 {
			return nil // the notice of this session's own commit
		}
		who = "您在另一个窗口"
	}
	text := fmt.Sprintf("%s刚修改了本报表 %d 格，已刷新", who, len(keys))
	for _, k := range keys {
		if k == m.g.key() && m.g.edit.on {
			text = who + "刚修改了您正在输入的格子；按 Esc 可查看新值"
		}
	}
	m.g.flash(text, false)
	m.ov.msg, m.ov.bad = text, false
	return m.b.reload(m.s)
}

func (m *root) history(msg historyMsg) {
	if m.b == nil || msg.id != m.b.id {
		return
	}
	if msg.err != nil {
		m.g.flash("读取修改记录失败："+msg.err.Error(), true)
		return
	}
	f := m.b.v.Form(msg.key.Form)
	c := f.Column(msg.key.Col)
	lines := []string{}
	for _, e := range msg.ev {
		lines = append(lines, fmt.Sprintf("%s  %-8s %s -> %s", e.At.Local().Format("2006-01-02 15:04"), e.By,
			numText(e.Old, c.Kind), numText(e.New, c.Kind)))
	}
	if len(lines) == 0 {
		lines = append(lines, "本格还没有修改记录。")
	}
	m.dlg = &infoDialog{title: cellTitle("修改记录：", f, msg.key, m.s.w), lines: lines}
}

func numText(n *model.Number, k model.Kind) string {
	if n == nil {
		return "空白"
	}
	return n.Format(k)
}

// View composes the screen: the current component, then a dialog or help on top.
// The official texts' curly quotes and dashes are East Asian ambiguous: a
// terminal with a Chinese font (Xshell, PuTTY, SecureCRT) draws them two columns
// wide and every line they are on slides; they leave as their one-column
// stand-ins, which keep the width the layout counted.
func (m *root) View() string {
	return unambiguous(m.frame())
}

func (m *root) frame() string {
	s := m.s
	var v string
	switch {
	case m.help:
		return m.helpView()
	case m.scr == scrOpener:
		v = m.opener.View()
		if m.loading != "" {
			v = m.loading
		}
	case m.scr == scrOverview && m.dlg != nil:
		v = strings.Join(m.ov.body(), "\n")
	case m.scr == scrOverview:
		v = m.ov.View()
	case m.scr == scrSummary:
		v = m.sg.View()
	case m.scr == scrProgress:
		v = m.prog.View()
	case m.scr == scrBoard:
		v = m.board.View()
	default:
		v = m.g.View()
	}
	if m.dlg == nil {
		return capLines(v, s.h)
	}
	dl := m.dlg.view(s, s.w, s.h)
	lines := strings.Split(strings.TrimRight(v, "\n"), "\n")
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	// Right under the content, where the eye is: on a tall terminal a dialog
	// pinned to the bottom sat a screen's height below a short grid. It covers
	// the content's last lines only when it does not fit below them.
	keep := min(len(lines), max(0, s.h-len(dl)))
	if keep == len(lines) && keep > 0 {
		// Bubble Tea v1's renderer, going to a shorter frame whose last line it
		// skips as unchanged, erases that line (ESC[J from its start): closing a
		// dialog left the key hint blank. An extra reset, invisible, makes the
		// line differ from the frame that follows, so it is written again.
		lines = append(lines[:keep-1:keep-1], lines[keep-1]+"\x1b[m")
	}
	return strings.Join(padLines(append(lines[:keep:keep], dl...), s.w, s.h), "\n")
}

// helpView lists every key of the current screen, in as many columns as fit,
// with the grid's reading notes below.
func (m *root) helpView() string {
	s := m.s
	var groups [][]key.Binding
	var notes []string
	switch m.scr {
	case scrOpener:
		groups = m.opener.keys.FullHelp()
	case scrOverview:
		groups = m.ov.keys.FullHelp()
	case scrSummary:
		groups = DefaultSummaryKeyMap().FullHelp(m.sg.keys)
		notes = []string{summaryNote(m.sg.b.v),
			"标记：? 有单位空着此格（空白不按 0 计）；行名后的 未报/草稿/有错 是该单位的状态"}
	case scrProgress:
		groups = m.prog.keys.FullHelp()
	case scrBoard:
		groups = m.board.keys.FullHelp()
	default:
		groups = m.g.keys.FullHelp()
		notes = []string{"数字直接改写本格；从 Excel/WPS 粘贴的数据块（Tab 或逗号分隔）从光标处写入。",
			"标记：[ ] 光标  ! 错误  ? 提醒  # 审核意见  * 批注  ~ 上季度值  / 不适用"}
	}
	if m.s.reviewer && (m.scr == scrOverview || m.scr == scrGrid || m.scr == scrOpener) {
		groups = append(groups, DefaultReviewKeyMap().help(m.scr == scrOpener))
	}
	// One key width for every group: groups stack in the same column, and each
	// padding its keys to its own width left the descriptions zigzagging.
	var flat []key.Binding
	for _, g := range groups {
		flat = append(flat, g...)
	}
	all := fullHelpLines([][]key.Binding{flat})
	cw := 0
	for _, l := range all {
		cw = max(cw, textWidth(l)+2)
	}
	cols := max(1, min(3, s.w/max(1, cw)))
	rows := (len(all) + cols - 1) / cols
	lines := make([]string, rows)
	for i, l := range all {
		r, c := i%rows, i/rows
		lines[r] = fit(lines[r], cw*c) + l
	}
	out := []string{paint(s.st.Title, "全部按键（任意键返回）")}
	out = append(out, lines...)
	for _, n := range notes {
		out = append(out, wrapProse(" "+n, s.w, 2)...)
	}
	return strings.Join(padLines(out, s.w, s.h), "\n")
}
