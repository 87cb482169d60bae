package main

import (
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/ssh"

	"jibao/export"
	"jibao/model"
	"jibao/serve"
	"jibao/store"
	"jibao/termenc"
)

// The reporting cycle from the shell: the clerk's submit and withdraw, the
// office's review. A move the person may not make exits 2 with the reason, as any
// refused command does.

// cmdSubmit is `jibao submit --variant V --unit U --period P`: the clerk's 上报.
func (a *app) cmdSubmit(args []string) int { return a.clerkMove("submit", model.ActSubmit, args) }

// cmdWithdraw is `jibao withdraw --variant V --unit U --period P`: the clerk's 撤回.
func (a *app) cmdWithdraw(args []string) int {
	return a.clerkMove("withdraw", model.ActWithdraw, args)
}

func (a *app) clerkMove(name string, act model.Action, args []string) int {
	var c common
	fs := a.newFlags(name, &c)
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("%s: 多余的参数 %q", name, strings.Join(fs.Args(), " "))
	}
	return a.moveReport(&c, name, act, model.ActorClerk, "", nil, "")
}

// noteFlags collects repeated --note FORM/ROW/COL=TEXT.
type noteFlags []string

func (n *noteFlags) String() string     { return strings.Join(*n, " ") }
func (n *noteFlags) Set(s string) error { *n = append(*n, s); return nil }

// cmdReview is `jibao review --variant V --unit U --period P --accept | --return
// REASON | --unlock REASON [--note FORM/ROW/COL=TEXT]...`: the office's moves.
// Notes alone (no move) are kept on the report as they are.
func (a *app) cmdReview(args []string) int {
	var c common
	fs := a.newFlags("review", &c)
	accept := fs.Bool("accept", false, "审核通过（锁定报表）")
	ret := fs.String("return", "", "退回，并写明理由")
	unlock := fs.String("unlock", "", "解锁已审核的报表，并写明理由")
	extend := fs.String("extend", "", "延期：过了上报期限后仍准上报，并写明理由")
	notice := fs.String("o", "", "退回时写出的退回通知（.txt 或 .xlsx，- 为标准输出；默认 当前目录/南安-单位-期别-退回通知.txt）")
	again := fs.Bool("notice", false, "只写出已退回报表的退回通知（例如在填报界面按 R 退回之后）")
	var notes noteFlags
	fs.Var(&notes, "note", "对单元格的审核意见 表/行/栏=意见，可重复，如 t1/guobiao/c5=请核实")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("review: 多余的参数 %q", strings.Join(fs.Args(), " "))
	}
	var act model.Action
	reason, n := "", 0
	if *accept {
		act, n = model.ActAccept, n+1
	}
	if given(fs, "return") {
		act, reason, n = model.ActReturn, *ret, n+1
	}
	if given(fs, "unlock") {
		act, reason, n = model.ActUnlock, *unlock, n+1
	}
	if given(fs, "extend") {
		act, reason, n = model.ActExtend, *extend, n+1
	}
	if n > 1 {
		return a.fail("review: --accept、--return、--unlock、--extend 只能选一个")
	}
	if n == 0 && len(notes) == 0 && *again {
		return a.noticeOnly(&c, *notice)
	}
	if n == 0 && len(notes) == 0 {
		return a.fail("review: 请给出 --accept、--return 理由、--unlock 理由 或 --note 表/行/栏=意见")
	}
	parsed := map[model.CellKey]string{}
	for _, s := range notes {
		k, text, err := model.ParseNote(s)
		if err != nil {
			return a.fail("review: %v", err)
		}
		parsed[k] = text
	}
	return a.moveReport(&c, "review", act, model.ActorOffice, reason, parsed, *notice)
}

// set reports whether the flag was given on the command line (an empty reason is
// given, and refused with the reason why).
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// moveReport opens the report of --variant/--unit/--period and makes the move
// (act "" stores notes only).
func (a *app) moveReport(c *common, name string, act model.Action, who model.Actor, reason string, notes map[model.CellKey]string, notice string) int {
	_, v, err := a.catalogVariant(c)
	if err != nil {
		return a.fail("%v", err)
	}
	if c.unit == "" {
		return a.fail("%s: 请用 --unit 指定单位", name)
	}
	p, err := a.period(v, c)
	if err != nil {
		return a.fail("%v", err)
	}
	s, done, err := a.writeStore(c)
	if err != nil {
		return a.failStore(err)
	}
	defer done()
	u, id, err := unitReport(s, v, p, c.unit)
	if err != nil {
		return a.failStore(err)
	}
	where := fmt.Sprintf("%s %s %s", v.Name, u.Name, p.Label())
	if act == "" {
		if err := s.SetNotes(id, notes, a.user()); err != nil {
			return a.moveFailed(where, err)
		}
		fmt.Fprintf(a.stdout, "%s：已记下 %d 条审核意见\n", where, len(notes))
		return exitOK
	}
	st, err := s.Move(id, act, who, a.user(), reason, notes)
	if err != nil {
		return a.moveFailed(where, err)
	}
	fmt.Fprintf(a.stdout, "%s：已%s，现为%s\n", where, act.Label(), st.Label())
	if len(notes) > 0 {
		fmt.Fprintf(a.stdout, "  附审核意见 %d 条\n", len(notes))
	}
	if act == model.ActReturn && a.shared == nil { // by e-mail: the unit needs the notice
		return a.writeNotice(s, v, id, notice)
	}
	return exitOK
}

// writeNotice writes the 退回通知 of a returned report for the office to send
// back: text, or a workbook when path ends in .xlsx.
func (a *app) writeNotice(s *store.Store, v *model.Variant, id model.ReportID, path string) int {
	r, err := s.Get(id)
	if err != nil {
		return a.failStore(err)
	}
	rev, err := s.Review(id)
	if err != nil {
		return a.failStore(err)
	}
	prev, err := previousReport(s, id)
	if err != nil {
		return a.failStore(err)
	}
	res := v.Check(r, prev)
	if path == "-" { // the text alone on standard output
		fmt.Fprint(a.stdout, export.NoticeText(v, r, rev, res))
		return exitOK
	}
	if path == "" {
		path = export.NoticeName(v, r, ".txt")
	}
	if strings.HasSuffix(strings.ToLower(path), ".xlsx") {
		x, err := export.NoticeWorkbook(v, r, rev, res)
		if err == nil {
			err = export.Save(x, path, true)
			x.Close()
		}
		if err != nil {
			return a.fail("写退回通知失败：%v", err)
		}
	} else if err := export.WriteFile(path, []byte(export.NoticeText(v, r, rev, res)), true); err != nil {
		return a.fail("写退回通知失败：%v", err)
	}
	fmt.Fprintf(a.stdout, "  退回通知已写到 %s，请发给填报单位\n", path)
	return exitOK
}

// moveFailed says why a move was refused; every refusal is exit 2.
func (a *app) moveFailed(where string, err error) int {
	var me *model.MoveError
	switch {
	case errors.As(err, &me), errors.Is(err, store.ErrFrozen):
		return a.fail("%s：%v", where, err)
	case errors.Is(err, model.ErrNotFound):
		return a.fail("%s：还没有这份报表（未填报）", where)
	}
	return a.failStore(err)
}

// writeStore is the data file for a command that writes: the server's own store
// in serve's command mode (it holds the file), else the file opened for writing.
func (a *app) writeStore(c *common) (*store.Store, func(), error) {
	if a.shared != nil {
		return a.shared, func() {}, nil
	}
	s, err := a.openStore(c, false)
	if err != nil {
		return nil, nil, err
	}
	return s, func() { s.Close() }, nil
}

// reviewJSON is the reporting cycle's part of `jibao check --json`.
type reviewJSON struct {
	StateLabel   string     `json:"stateLabel"`
	ReturnReason string     `json:"returnReason,omitempty"`
	Notes        []noteJSON `json:"notes"`
	Moves        []moveJSON `json:"moves"`
}

type noteJSON struct {
	Cell string `json:"cell"`
	Path string `json:"path"`
	Text string `json:"text"`
	By   string `json:"by"`
}

type moveJSON struct {
	Action string `json:"action"`
	From   string `json:"from"`
	To     string `json:"to"`
	By     string `json:"by"`
	At     string `json:"at"`
	Reason string `json:"reason,omitempty"`
}

// newReviewJSON describes a report's place in the cycle.
func newReviewJSON(v *model.Variant, r *model.Report, rev model.Review) *reviewJSON {
	out := &reviewJSON{StateLabel: r.State.Label(), ReturnReason: rev.ReturnReason(r.State),
		Notes: []noteJSON{}, Moves: []moveJSON{}}
	for _, k := range sortedNoteKeys(rev.Notes) {
		n := rev.Notes[k]
		out.Notes = append(out.Notes, noteJSON{Cell: k.String(), Path: export.Place(v, k), Text: n.Text, By: n.By})
	}
	for _, m := range rev.Changes {
		out.Moves = append(out.Moves, moveJSON{Action: string(m.Action), From: string(m.From), To: string(m.To),
			By: m.By, At: m.At.Format(time.RFC3339), Reason: m.Reason})
	}
	return out
}

func sortedNoteKeys(m map[model.CellKey]model.Note) []model.CellKey {
	ks := make([]model.CellKey, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].String() < ks[j].String() })
	return ks
}

// printReview prints a returned report's reason and the office's notes, first
// thing the clerk reads in `jibao check`.
func (a *app) printReview(v *model.Variant, r *model.Report, rev model.Review) {
	if why := rev.ReturnReason(r.State); why != "" {
		fmt.Fprintf(a.stdout, "退回理由: %s\n", why)
	}
	for _, k := range sortedNoteKeys(rev.Notes) {
		fmt.Fprintf(a.stdout, "审核意见: %s：%s（%s）\n", export.Place(v, k), rev.Notes[k].Text, rev.Notes[k].By)
	}
}

// serveCycle runs submit, withdraw or review in serve's command mode on the
// server's own store, as the person the key belongs to (serve.CommandArgs has
// checked the role and the unit).
func (a *app) serveCycle(sess ssh.Session, st *store.Store, catalogPath string, p *serve.Person, args []string) int {
	enc := sessionEncoding(sess)
	stdout, stderr := termenc.Writer(enc, sess), termenc.Writer(enc, sess.Stderr())
	defer flush(stdout)
	defer flush(stderr)
	env := map[string]string{"JIBAO_USER": p.Name, "JIBAO_CATALOG": catalogPath, "JIBAO_VARIANT": p.OnlyVariant()}
	sub := &app{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: func(k string) string { return env[k] }, now: a.now, shared: st}
	return sub.run(args)
}

// Move is the reporting cycle's move, once the data file is open.
func (l *lazyStore) Move(id model.ReportID, a model.Action, who model.Actor, by, reason string, notes map[model.CellKey]string) (model.State, error) {
	st, err := l.get()
	if err != nil {
		return "", err
	}
	return st.Move(id, a, who, by, reason, notes)
}

// SetNotes stores the office's notes, once the data file is open.
func (l *lazyStore) SetNotes(id model.ReportID, notes map[model.CellKey]string, by string) error {
	st, err := l.get()
	if err != nil {
		return err
	}
	return st.SetNotes(id, notes, by)
}

// Review reads a report's moves and notes, once the data file is open.
func (l *lazyStore) Review(id model.ReportID) (model.Review, error) {
	st, err := l.get()
	if err != nil {
		return model.Review{}, err
	}
	return st.Review(id)
}

// Reviews reads many reports' moves and notes, once the data file is open.
func (l *lazyStore) Reviews(ids []model.ReportID) (map[model.ReportID]model.Review, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.Reviews(ids)
}

// explainedChanges says what storing r over old changes besides the figures and
// the header: "批注 2 处、确认 1 处、状态 已退回 → 已上报"; "" when nothing.
func explainedChanges(old, r *model.Report) string {
	comments, confirms := 0, 0
	for k, c := range r.Comments {
		if old.Comments[k] != c {
			comments++
		}
	}
	for k := range old.Comments {
		if _, ok := r.Comments[k]; !ok {
			comments++
		}
	}
	for k, c := range r.Confirmed {
		if o, ok := old.Confirmed[k]; !ok || o.Comment != c.Comment {
			confirms++
		}
	}
	for k := range old.Confirmed {
		if _, ok := r.Confirmed[k]; !ok {
			confirms++
		}
	}
	var parts []string
	if comments > 0 {
		parts = append(parts, fmt.Sprintf("批注 %d 处", comments))
	}
	if confirms > 0 {
		parts = append(parts, fmt.Sprintf("确认 %d 处", confirms))
	}
	if old.State != r.State {
		parts = append(parts, fmt.Sprintf("状态 %s → %s", old.State.Label(), r.State.Label()))
	}
	return strings.Join(parts, "、")
}

// receivedMore reports whether a file with the stored figures still brings
// something: a new state (a returned report sent again) or other comments or
// confirmations (a warning the clerk has since confirmed).
func receivedMore(old, r *model.Report) bool { return explainedChanges(old, r) != "" }

// noticeOnly writes the 退回通知 of a report that stands returned.
func (a *app) noticeOnly(c *common, path string) int {
	_, v, err := a.catalogVariant(c)
	if err != nil {
		return a.fail("%v", err)
	}
	p, err := a.period(v, c)
	if err != nil {
		return a.fail("%v", err)
	}
	s := a.shared
	if s != nil { // serve's command mode: the text to the session, never a file on the server
		if path != "" && path != "-" {
			return a.fail("通过 ssh 退回通知只能写到标准输出：ssh 服务器 jibao review ... --notice -o - > 退回通知.txt")
		}
		path = "-"
	} else {
		if s, err = a.openStore(c, true); err != nil {
			return a.failStore(err)
		}
		defer s.Close()
	}
	u, id, err := unitReport(s, v, p, c.unit)
	if err != nil {
		return a.failStore(err)
	}
	r, err := s.Get(id)
	if err != nil {
		return a.moveFailed(fmt.Sprintf("%s %s %s", v.Name, u.Name, p.Label()), err)
	}
	if r.State != model.StateReturned {
		return a.fail("%s %s %s：报表%s，没有退回通知", v.Name, u.Name, p.Label(), r.State.Label())
	}
	return a.writeNotice(s, v, id, path)
}
