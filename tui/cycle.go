package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// The reporting cycle in the workstation. The clerk's m submits (上报) a report
// that is complete with no error and every warning confirmed, and withdraws (撤回)
// it while the office has not reviewed it. The office (Options.Reviewer) reviews
// the open report with A (审核通过), R (退回, with a reason), K (解锁, with a
// reason), N (a note on the cell under the cursor) and X (延期, with a reason,
// when the variant closes 上报 after due.submitDays), also when its session is
// read-only: a review never changes a value.

// ReviewKeyMap are the office's keys on an open report.
type ReviewKeyMap struct {
	Accept, Return, Unlock, Note, Extend key.Binding
}

// DefaultReviewKeyMap is the office's key set: capitals, free in the grid and the
// overview.
func DefaultReviewKeyMap() ReviewKeyMap {
	return ReviewKeyMap{
		Accept: kb([]string{"A"}, "A", "审核通过（锁定）"),
		Return: kb([]string{"R"}, "R", "退回（写明理由）"),
		Unlock: kb([]string{"K"}, "K", "解锁已审核的报表（写明理由）"),
		Note:   kb([]string{"N"}, "N", "对本格写审核意见"),
		Extend: kb([]string{"X"}, "X", "延期：过了上报截止日期仍准上报（写明理由）"),
	}
}

// FullHelp lists the review keys for ?.
func (k ReviewKeyMap) FullHelp() []key.Binding {
	return []key.Binding{k.Accept, k.Return, k.Unlock, k.Note, k.Extend}
}

// help is what ? adds for the office: the board's key in the chooser, the
// review keys on a report.
func (k ReviewKeyMap) help(chooser bool) []key.Binding {
	if chooser {
		return []key.Binding{kb([]string{"B"}, "B", "审核看板（本期全部单位，搜索框为空时）")}
	}
	return k.FullHelp()
}

// ruleNote marks the office's notes among the rule panel's findings.
const ruleNote = "review-note"

// reviewFindings are the office's notes as rule-panel entries, listed first.
func reviewFindings(b *book) []model.Finding {
	var out []model.Finding
	for _, k := range sortedCells(b.rev.Notes) {
		n := b.rev.Notes[k]
		where := k.String()
		if f := b.v.Form(k.Form); f != nil {
			where = f.Name()
			if c := f.Column(k.Col); c != nil {
				where += fmt.Sprintf(" 第%d栏", c.Index+1)
			}
		}
		out = append(out, model.Finding{Key: "note:" + k.String(), Rule: ruleNote, Severity: "note", Form: k.Form,
			Row: k.Row, Cells: []model.CellKey{k}, Message: fmt.Sprintf("%s：%s（%s）", where, n.Text, n.By)})
	}
	return out
}

func sortedCells(m map[model.CellKey]model.Note) []model.CellKey {
	out := make([]model.CellKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// cycleLine is the rule panel's and the overview's line about the cycle: the
// office's reason while the report stands returned.
func cycleLine(b *book) string {
	if why := b.rev.ReturnReason(b.r.State); why != "" {
		return "已退回：" + why
	}
	return ""
}

// cycleDialog is the clerk's m: submit, or withdraw a submitted report.
func (m *root) cycleDialog() dialog {
	b, g := m.b, m.g
	refuse := func(text string) dialog {
		g.flash(text, true)
		m.ov.msg, m.ov.bad = text, true
		return nil
	}
	if m.s.readOnly {
		return refuse(readOnlyText)
	}
	switch b.r.State {
	case model.StateAccepted:
		return refuse("报表已审核，已锁定；如需修改请联系汇总单位解锁")
	case model.StateSubmitted:
		return &confirmDialog{title: "撤回", lines: []string{"报表已上报，汇总单位尚未审核。撤回后可以修改，改好后再按 m 上报。", "确定撤回？"},
			yes: func() tea.Cmd { return m.move(model.ActWithdraw, model.ActorClerk, "", nil) }}
	}
	if err := model.ReadyToSubmit(b.res); err != nil {
		return refuse("不能上报：" + err.Error() + "（b 跳到空白格，r 查看错误和提醒）")
	}
	lines := []string{"全部填完，没有错误，提醒均已确认。上报后数据锁定，审核前可以撤回（m）。"}
	if missing := missingHeader(b.r.Header); missing != "" {
		lines = append(lines, "注意：表头未填"+missing+"（概览中按 e 填写）。")
	}
	lines = append(lines, "确定上报？")
	return &confirmDialog{title: "上报", lines: lines,
		yes: func() tea.Cmd { return m.move(model.ActSubmit, model.ActorClerk, "", nil) }}
}

// reviewKey handles the office's keys on an open report; ok is false for any
// other key.
func (m *root) reviewKey(k tea.KeyMsg) (tea.Cmd, bool) {
	if !m.s.reviewer || m.b == nil {
		return nil, false
	}
	km, b := DefaultReviewKeyMap(), m.b
	reason := func(title, what string, act model.Action) dialog {
		return &promptDialog{title: title, lines: []string{b.unit.Name + " " + b.id.Period.Label() + "：" + what},
			hint: "写明理由后 Enter 确定   Esc 取消",
			check: func(text string) string {
				if text == "" {
					return title + "须说明理由"
				}
				return ""
			},
			ok: func(text string) tea.Cmd { return m.move(act, model.ActorOffice, text, nil) }}
	}
	switch {
	case key.Matches(k, km.Accept):
		m.dlg = &confirmDialog{title: "审核通过", lines: []string{b.unit.Name + " " + b.id.Period.Label() + "：审核通过后报表锁定，填报人不能再修改（可解锁）。", "确定审核通过？"},
			yes: func() tea.Cmd { return m.move(model.ActAccept, model.ActorOffice, "", nil) }}
	case key.Matches(k, km.Return):
		m.dlg = reason("退回", "退回给填报人修改。请写明理由（填报人打开报表时首先看到）：", model.ActReturn)
	case key.Matches(k, km.Unlock):
		m.dlg = reason("解锁", "解锁已审核的报表（回到已上报，可再退回）。请写明理由：", model.ActUnlock)
	case key.Matches(k, km.Extend):
		if n := b.v.DueRule.SubmitDays; n <= 0 {
			m.tell("本表式没有上报截止（due.submitDays 未设），无需延期", true)
		} else {
			m.dlg = reason("延期", fmt.Sprintf("截止日期 %s 后 %d 天不能再上报；延期后本报表仍可上报。请写明理由：",
				b.v.DueDate(b.id.Period).Format("2006-01-02"), n), model.ActExtend)
		}
	case key.Matches(k, km.Note):
		if m.scr != scrGrid {
			m.ov.msg, m.ov.bad = "请先打开表格，把光标移到要写意见的格子上再按 N", true
			return nil, true
		}
		ck := m.g.key()
		id, user := b.id, m.s.user
		m.dlg = &promptDialog{title: "审核意见", lines: []string{cellTitle("", b.v.Form(ck.Form), ck, m.s.w)},
			buf: []rune(b.rev.Notes[ck].Text), hint: "Enter 保存（清空则删除）   Esc 取消",
			ok: func(text string) tea.Cmd {
				return b.write(m.s, writeJob{kind: "state:note", run: func() (*model.Report, []model.Event, error) {
					if err := m.s.store.SetNotes(id, map[model.CellKey]string{ck: text}, user); err != nil {
						return nil, nil, err
					}
					r, err := m.s.store.Get(id)
					return r, nil, err
				}})
			}}
	default:
		return nil, false
	}
	return nil, true
}

// move queues one move of the cycle; the report and its review are read back.
func (m *root) move(a model.Action, who model.Actor, reason string, notes map[model.CellKey]string) tea.Cmd {
	b, s := m.b, m.s
	id, user := b.id, s.user
	return b.write(s, writeJob{kind: "state:" + string(a), run: func() (*model.Report, []model.Event, error) {
		if _, err := s.store.Move(id, a, who, user, reason, notes); err != nil {
			return nil, nil, err
		}
		r, err := s.store.Get(id)
		return r, nil, err
	}})
}

// reviewMsg brings a report's review record.
type reviewMsg struct {
	id  model.ReportID
	rev model.Review
	err error
}

func reviewCmd(s *session, id model.ReportID) tea.Cmd {
	return func() tea.Msg {
		rev, err := s.store.Review(id)
		return reviewMsg{id: id, rev: rev, err: err}
	}
}

func (m *root) reviewLoaded(msg reviewMsg) {
	if m.b == nil || msg.id != m.b.id || msg.err != nil {
		return
	}
	before := len(m.b.rev.Changes)
	m.b.rev = msg.rev
	m.b.ver++
	// Another person's move (the office's review, the clerk's submission) is
	// said in words, with the reason.
	if last := msg.rev.Last(); len(msg.rev.Changes) > before && last.By != m.s.user {
		text := fmt.Sprintf("%s %s了本报表，现为%s", last.By, last.Action.Label(), last.To.Label())
		if last.Reason != "" {
			text += "：" + last.Reason
		}
		m.g.flash(text, false)
		m.ov.msg, m.ov.bad = text, false
	}
}

// cycleDone is the message after a move, and reads the review back.
func (m *root) cycleDone(kind string) tea.Cmd {
	texts := map[string]string{"submit": "已上报，数据已锁定（审核前可按 m 撤回）", "withdraw": "已撤回，可以修改",
		"accept": "已审核通过，报表已锁定", "return": "已退回，填报人打开报表时会看到理由",
		"unlock": "已解锁，报表回到已上报", "note": "审核意见已保存", "extend": "已准予延期，填报人可以上报"}
	text := texts[strings.TrimPrefix(kind, "state:")]
	m.g.flash(text, false)
	m.ov.msg, m.ov.bad = text, false
	if kind == "state:"+string(model.ActReturn) {
		return tea.Batch(reviewCmd(m.s, m.b.id), m.noticeCmd())
	}
	return reviewCmd(m.s, m.b.id)
}

// returnedFirst opens the rule panel, with the office's reason and notes on top,
// when the clerk opens a report that was returned.
func (m *root) returnedFirst() {
	if m.b.r.State == model.StateReturned && !m.s.readOnly {
		m.dlg = newRulesDialog(m.g, m.jump)
	}
}

// cycleOverviewLine is the overview's line under the state: the return reason, or
// the blank line that was there before.
func cycleOverviewLine(b *book, w int) string {
	if l := cycleLine(b); l != "" {
		return clip(" "+l, w)
	}
	return ""
}

// cycleHint is the overview's line on what the clerk can do next in the cycle.
func cycleHint(b *book) string {
	switch b.r.State {
	case model.StateSubmitted:
		return "已上报，等待汇总单位审核（审核前可按 m 撤回）。"
	case model.StateAccepted:
		return "已审核，报表已锁定。"
	}
	if len(b.res.Blanks) > 0 || b.res.Errors() > 0 {
		return ""
	}
	if w := b.res.Warnings(); w > 0 {
		return fmt.Sprintf("全部填完且没有错误；还有 %d 条提醒未确认（r 查看，c 写明理由确认）后才能上报。", w)
	}
	return "全部填完，没有错误，提醒均已确认：可以按 m 上报。"
}
