package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/term"

	"jibao/model"
	"jibao/store"
	"jibao/termenc"
	"jibao/tui"
)

// The workstation runs on the real store; this keeps the two in step.
var (
	_ tui.Store = (*store.Store)(nil)
	_ tui.Store = (*lazyStore)(nil)
)

// storeWait is how long the workstation waits for the data file before drawing
// its first frame anyway: long enough to report a bad path before the screen
// switches, short enough that opening a large file (with its rolling backup, or
// waiting for another process's lock) never keeps the clerk at a blank terminal.
// Later failures show in the workstation.
const storeWait = 10 * time.Millisecond

// cmdTUI opens the workstation: `jibao [--variant V --unit U --period P] [--db PATH]
// [--encoding utf-8|gbk]`.
// With all three named it opens that report; otherwise the chooser starts with
// them (or with the report the user opened last) preselected.
func (a *app) cmdTUI(args []string) int {
	var c common
	fs := a.newFlags("jibao", &c)
	encName := fs.String("encoding", "", "终端编码: utf-8 或 gbk（默认按 JIBAO_ENCODING、LC_ALL/LC_CTYPE/LANG）")
	office := fs.Bool("office", false, "汇总单位：可审核（A 通过 R 退回 K 解锁 N 意见），选择报表时 B 打开审核看板")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("多余的参数 %q（命令写法见 jibao help）", fs.Args())
	}
	enc, err := termenc.Choose(*encName, a.getenv)
	if err != nil {
		fmt.Fprintf(a.stderr, "jibao: %v\n", err)
		return exitUsage
	}
	if !isTerminal(a.stdin) || !isTerminal(a.stdout) {
		// Checked before the data file is touched: a script that runs plain
		// `jibao` gets a sentence, not a created file and a Bubble Tea error.
		return a.fail("填报界面需要在终端中运行（标准输入或输出不是终端）；脚本中请用 jibao check、list、export 等命令（见 jibao help）")
	}
	// Every year's forms, read before the grid's own open of the data file
	// (a peek that waits for no writer).
	cats, err := a.catalogs(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	ls := openLazy(func() (*store.Store, error) { return a.openStore(&c, false) })
	defer ls.close()
	variant := c.variant
	if variant == "" {
		variant = a.getenv("JIBAO_VARIANT")
	}
	period := c.period
	if variant != "" && (period != "" || c.unit != "") {
		// The period's year picks its catalog; without one, the quarter
		// most likely meant today.
		_, v, err := a.variantIn(cats, &c)
		if err != nil {
			return a.fail("%v", err)
		}
		p, err := a.period(v, &c)
		if err != nil {
			return a.fail("%v", err)
		}
		period = p.String()
	}
	select {
	case <-ls.ready:
		if ls.err != nil { // a missing, locked or damaged file: say so before the screen
			return a.fail("%v", ls.err)
		}
	case <-time.After(storeWait):
	}
	o := tui.Options{Catalogs: cats, Catalog: cats.Latest(), Store: ls, User: a.user(), Variant: variant, Unit: c.unit,
		Period: period, Now: a.now, Exporter: exportWorkbook, SummaryExporter: a.summaryExporter(), RemindExporter: a.remindExporter(ls, nil), Dir: a.workDir(),
		Reviewer: *office || a.getenv("JIBAO_ROLE") == "office", Notice: noticeFile}
	// The wrappers keep the terminal's descriptor (termenc's fileReader and
	// fileWriter), so Bubble Tea still sets raw mode and reads the size; Input
	// also repairs the SS3 Home/End and keypad keys Bubble Tea v1 splits.
	in, out := termenc.Input(enc, a.stdin), termenc.Writer(enc, a.stdout)
	// Cursor keys and keypad back in their normal modes, in case a program or a
	// PuTTY setting left them in application mode.
	if _, err := io.WriteString(out, termenc.KeyModes); err != nil {
		return a.fail("写终端出错：%v", err)
	}
	err = tui.Run(o, in, out)
	if f, ok := out.(interface{ Flush() error }); ok {
		f.Flush()
	}
	if err != nil {
		return a.fail("界面出错：%v", err)
	}
	return exitOK
}

// lazyStore opens the data file in the background; every call waits for the open
// (the workstation makes its calls in commands, off the drawing path).
type lazyStore struct {
	ready chan struct{}
	st    *store.Store
	err   error
}

func openLazy(open func() (*store.Store, error)) *lazyStore {
	l := &lazyStore{ready: make(chan struct{})}
	go func() {
		defer close(l.ready)
		l.st, l.err = open()
	}()
	return l
}

func (l *lazyStore) get() (*store.Store, error) {
	<-l.ready
	return l.st, l.err
}

func (l *lazyStore) close() {
	if st, err := l.get(); err == nil {
		st.Close()
	}
}

func (l *lazyStore) Get(id model.ReportID) (*model.Report, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.Get(id)
}

func (l *lazyStore) Ensure(id model.ReportID, unitType, by string) (*model.Report, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.Ensure(id, unitType, by)
}

func (l *lazyStore) SetCells(id model.ReportID, ch []model.Change, by string) (*model.Report, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.SetCells(id, ch, by)
}

func (l *lazyStore) SetHeader(id model.ReportID, h model.Header, by string) error {
	st, err := l.get()
	if err != nil {
		return err
	}
	return st.SetHeader(id, h, by)
}

func (l *lazyStore) SetComment(id model.ReportID, k model.CellKey, text, by string) error {
	st, err := l.get()
	if err != nil {
		return err
	}
	return st.SetComment(id, k, text, by)
}

func (l *lazyStore) Confirm(id model.ReportID, key string, c *model.Confirmation) error {
	st, err := l.get()
	if err != nil {
		return err
	}
	return st.Confirm(id, key, c)
}

func (l *lazyStore) SetState(id model.ReportID, s model.State, by string) error {
	st, err := l.get()
	if err != nil {
		return err
	}
	return st.SetState(id, s, by)
}

func (l *lazyStore) History(id model.ReportID, k model.CellKey) ([]model.Event, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.History(id, k)
}

func (l *lazyStore) Undo(id model.ReportID, user string) ([]model.Event, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.Undo(id, user)
}

func (l *lazyStore) Redo(id model.ReportID, user string) ([]model.Event, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.Redo(id, user)
}

func (l *lazyStore) SetCursor(id model.ReportID, user string, c model.Cursor) error {
	st, err := l.get()
	if err != nil {
		return err
	}
	return st.SetCursor(id, user, c)
}

func (l *lazyStore) Cursor(id model.ReportID, user string) (model.Cursor, bool, error) {
	st, err := l.get()
	if err != nil {
		return model.Cursor{}, false, err
	}
	return st.Cursor(id, user)
}

func (l *lazyStore) LastOpened(user string) (model.ReportID, bool, error) {
	st, err := l.get()
	if err != nil {
		return model.ReportID{}, false, err
	}
	return st.LastOpened(user)
}

func (l *lazyStore) Units(variant string) ([]model.Unit, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.Units(variant)
}

func (l *lazyStore) List(variant string, period *model.Period) ([]model.ReportInfo, error) {
	st, err := l.get()
	if err != nil {
		return nil, err
	}
	return st.List(variant, period)
}

// isTerminal reports whether a stream is a terminal the workstation can draw on.
func isTerminal(s any) bool {
	f, ok := s.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
