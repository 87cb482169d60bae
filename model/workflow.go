package model

import (
	"fmt"
	"strings"
	"time"
)

// The reporting cycle between a unit's clerk and the collecting office:
//
//	草稿 --上报(clerk)--> 已上报 --审核通过(office)--> 已审核
//	  ^                  |  |                         |
//	  +----撤回(clerk)---+  +--退回(office)--> 已退回  +--解锁(office)--> 已上报
//	已退回 --上报(clerk)--> 已上报
//
// Receiving a unit's file by e-mail (import) is the office's own move: a complete
// file is 已上报 at once, an incomplete one a 草稿. The table below is the whole
// truth of who may move what; the store and the UI only ask it.

// Report states beyond the draft.
const (
	StateSubmitted State = "submitted" // 已上报: values frozen for the clerk
	StateReturned  State = "returned"  // 已退回: the clerk edits again
	StateAccepted  State = "accepted"  // 已审核: locked for everyone
)

// MigrateState reads a state as an older data file wrote it: the two-state life
// (complete / reopened) becomes the cycle's 已上报 / 草稿; "" is a draft.
func MigrateState(s string) State {
	switch s {
	case "complete":
		return StateSubmitted
	case "reopened", "":
		return StateDraft
	}
	return State(s)
}

// Actor is the side of the cycle a person acts on.
type Actor string

// The two sides: the unit's clerk fills and submits, the office reviews.
const (
	ActorClerk  Actor = "clerk"
	ActorOffice Actor = "office"
)

// Label is the side in Chinese.
func (a Actor) Label() string {
	if a == ActorOffice {
		return "汇总单位"
	}
	return "填报人"
}

// Action is one move of the cycle.
type Action string

// The moves.
const (
	ActSubmit   Action = "submit"   // 上报
	ActWithdraw Action = "withdraw" // 撤回
	ActAccept   Action = "accept"   // 审核通过
	ActReturn   Action = "return"   // 退回
	ActUnlock   Action = "unlock"   // 解锁
	ActReceive  Action = "receive"  // 收到报表文件（导入）
	ActExtend   Action = "extend"   // 延期：过了上报期限后仍准上报
)

// Label is the move in Chinese.
func (a Action) Label() string {
	switch a {
	case ActSubmit:
		return "上报"
	case ActWithdraw:
		return "撤回"
	case ActAccept:
		return "审核通过"
	case ActReturn:
		return "退回"
	case ActUnlock:
		return "解锁"
	case ActReceive:
		return "收到报表"
	case ActExtend:
		return "延期"
	}
	return string(a)
}

// Move is one row of the transition table.
type Move struct {
	Action Action
	Who    Actor
	From   []State
	To     State // "" keeps the state (延期)
	Reason bool  // the move must say why
}

// moves is the transition table; read it with MoveTable.
var moves = []Move{
	{ActSubmit, ActorClerk, []State{StateDraft, StateReturned}, StateSubmitted, false},
	{ActWithdraw, ActorClerk, []State{StateSubmitted}, StateDraft, false},
	{ActAccept, ActorOffice, []State{StateSubmitted}, StateAccepted, false},
	{ActReturn, ActorOffice, []State{StateSubmitted}, StateReturned, true},
	{ActUnlock, ActorOffice, []State{StateAccepted}, StateSubmitted, true},
	{ActReceive, ActorOffice, []State{StateDraft, StateSubmitted, StateReturned}, StateSubmitted, false},
	{ActExtend, ActorOffice, []State{StateDraft, StateReturned}, "", true},
}

// MoveTable is a copy of the transition table, for documentation and tests.
func MoveTable() []Move { return append([]Move(nil), moves...) }

// MoveError is a move the person may not make, with the reason in Chinese.
type MoveError struct {
	Why string
	Err error // a cause callers test with errors.Is (the store's ErrIncomplete), or nil
}

func (e *MoveError) Error() string { return e.Why }

// Unwrap is the cause, so that errors.Is sees it.
func (e *MoveError) Unwrap() error { return e.Err }

func refuse(format string, args ...any) error {
	return &MoveError{Why: fmt.Sprintf(format, args...)}
}

// Transition checks a move against the table and, for a submission, the report's
// rule result: only a complete report with no error and every warning confirmed
// may be submitted. It returns the new state, or a *MoveError saying why not.
// res may be nil for moves that do not look at the values.
func Transition(cur State, a Action, who Actor, reason string, res *Result) (State, error) {
	cur = MigrateState(string(cur))
	var m *Move
	for i := range moves {
		if moves[i].Action == a {
			m = &moves[i]
		}
	}
	if m == nil {
		return cur, refuse("未知的操作 %q", a)
	}
	if m.Who != who {
		return cur, refuse("%s只能由%s进行，%s不能%s", a.Label(), m.Who.Label(), who.Label(), a.Label())
	}
	ok := false
	for _, f := range m.From {
		ok = ok || f == cur
	}
	if !ok {
		return cur, refuse("报表%s，不能%s%s", cur.Label(), a.Label(), stateHint(cur, who))
	}
	if m.Reason && strings.TrimSpace(reason) == "" {
		return cur, refuse("%s须说明理由", a.Label())
	}
	if a == ActSubmit {
		if err := ReadyToSubmit(res); err != nil {
			return cur, err
		}
	}
	if a == ActReceive && (res == nil || !res.Complete()) {
		return StateDraft, nil // an incomplete file is kept as the unit's draft
	}
	if m.To == "" {
		return cur, nil
	}
	return m.To, nil
}

// ReadyToSubmit says why a report may not be submitted yet, nil when it may.
func ReadyToSubmit(res *Result) error {
	if res == nil {
		return refuse("无法检查报表，不能上报")
	}
	if n, e := len(res.Blanks), res.Errors(); n > 0 || e > 0 {
		return refuse("还有 %d 个空白格、%d 个错误，不能上报", n, e)
	}
	if w := res.Warnings(); w > 0 {
		return refuse("还有 %d 条提醒未确认，不能上报（确认时请写明理由）", w)
	}
	return nil
}

// stateHint says what would make the move possible.
func stateHint(cur State, who Actor) string {
	switch {
	case cur == StateAccepted && who == ActorClerk:
		return "（已审核的报表已锁定，如需修改请联系汇总单位解锁）"
	case cur == StateSubmitted && who == ActorClerk:
		return "（已上报；如需修改请先撤回）"
	case (cur == StateDraft || cur == StateReturned) && who == ActorOffice:
		return "（填报人尚未上报）"
	}
	return ""
}

// ValuesFrozen says why the values of a report in this state may not be changed
// by the clerk (typing, paste, undo, comments, confirmations), "" when they may.
// The office never changes a unit's values except by receiving its file.
func ValuesFrozen(st State) string {
	switch MigrateState(string(st)) {
	case StateSubmitted:
		return "报表已上报，数据已锁定；如需修改请先撤回（审核前）"
	case StateAccepted:
		return "报表已审核，数据已锁定；如需修改请联系汇总单位解锁"
	}
	return ""
}

// Transition record: one move as the history keeps it.
type StateChange struct {
	Action Action    `json:"action"`
	From   State     `json:"from"`
	To     State     `json:"to"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// Review is what the cycle keeps beside a report's values: every move, and the
// office's notes on cells.
type Review struct {
	Changes []StateChange    `json:"changes"`
	Notes   map[CellKey]Note `json:"-"`
}

// Note is the office's remark on one cell of a report.
type Note struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// Last is the latest move, zero when there was none.
func (r Review) Last() StateChange {
	if len(r.Changes) == 0 {
		return StateChange{}
	}
	return r.Changes[len(r.Changes)-1]
}

// ReturnReason is the office's reason when the report stands returned, "" else.
func (r Review) ReturnReason(st State) string {
	if st != StateReturned {
		return ""
	}
	for i := len(r.Changes) - 1; i >= 0; i-- {
		if r.Changes[i].Action == ActReturn {
			return r.Changes[i].Reason
		}
	}
	return ""
}

// Submitted is when the report was last submitted (or received), zero if never.
func (r Review) Submitted() time.Time {
	for i := len(r.Changes) - 1; i >= 0; i-- {
		if c := r.Changes[i]; c.To == StateSubmitted && (c.Action == ActSubmit || c.Action == ActReceive) {
			return c.At
		}
	}
	return time.Time{}
}

// ParseNote reads a review note "t1/guobiao/c5=文字" given on the command line.
func ParseNote(s string) (CellKey, string, error) {
	k, text, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(text) == "" {
		return CellKey{}, "", fmt.Errorf("审核意见 %q 应写作 表/行/栏=意见，如 t1/guobiao/c5=请核实", s)
	}
	key, err := ParseCellKey(strings.TrimSpace(k))
	if err != nil {
		return CellKey{}, "", err
	}
	return key, strings.TrimSpace(text), nil
}

// Delivered reports whether the clerk has handed the report over (已上报 or 已审核).
func (s State) Delivered() bool {
	st := MigrateState(string(s))
	return st == StateSubmitted || st == StateAccepted
}

// BoardStates are the states a unit of a period can be in, as the office's board
// and the summary count them; "" is 未填报 (no report).
var BoardStates = []State{"", StateDraft, StateSubmitted, StateReturned, StateAccepted}

// BoardLabel is a unit's state on the board: 未填报 when it has no report.
func BoardLabel(s State) string {
	if s == "" {
		return "未填报"
	}
	return s.Label()
}

// StateCounts counts the directory's units of the summary by state: 未填报 under "".
func (s *Summary) StateCounts() map[State]int {
	out := map[State]int{}
	for _, e := range s.Units {
		if e.Report == nil {
			if e.Listed {
				out[""]++
			}
			continue
		}
		out[MigrateState(string(e.Report.State))]++
	}
	return out
}

// StateCountsText is "未填报 3  草稿 2  已上报 1  已退回 0  已审核 4".
func StateCountsText(c map[State]int) string {
	parts := make([]string, len(BoardStates))
	for i, st := range BoardStates {
		parts[i] = fmt.Sprintf("%s %d", BoardLabel(st), c[st])
	}
	return strings.Join(parts, "  ")
}

// SubmitClosed says why a report of period p may no longer be submitted at now:
// the variant's SubmitDays have passed since the due date and the office has not
// granted 延期 for it; "" when it may.
func (v *Variant) SubmitClosed(p Period, now time.Time, rev Review) string {
	n := v.DueRule.SubmitDays
	if n <= 0 || v.DaysLeft(p, now) >= -n {
		return ""
	}
	for _, c := range rev.Changes {
		if c.Action == ActExtend {
			return ""
		}
	}
	return fmt.Sprintf("已过上报截止日期（%s）%d 天以上，不能再上报；请联系%s延期", v.DueDate(p).Format("2006-01-02"), n, orOffice(v.Office))
}

func orOffice(s string) string {
	if s == "" {
		return "汇总单位"
	}
	return s
}
