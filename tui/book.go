package tui

import (
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// book is one open report and what is derived from it. r is the working copy: the
// store's report with the commits still in flight applied, so the grid answers a
// keystroke at once while the write is made durable in the background.
type book struct {
	v     *model.Variant
	id    model.ReportID
	unit  model.Unit
	r     *model.Report
	prev  *model.Report // last quarter (from last year's Q4, its long-running figures), or nil
	last  model.Header  // the unit's latest earlier report's header, offered in the header dialog
	rev   model.Review  // the reporting cycle's moves and the office's notes
	res   *model.Result
	forms []*model.Form

	ver   int        // bumped on every change of r, for layout caches
	queue []writeJob // store writes, run one at a time in order
	busy  bool
	stale bool // a store answer was skipped because more writes were queued
	store Store
	own   []ownCommit // this session's recent commits, to tell its notices apart
}

// ownCommit is a commit this session made: the store's notice of it (which
// names only the user, shared by all their sessions) is matched against it.
type ownCommit struct {
	keys []model.CellKey
	at   time.Time
}

// ownNoticeWindow is how long a commit waits for its notice; a commit that
// changed nothing sends none, and must not hide another session's change later.
const ownNoticeWindow = 10 * time.Second

// writeJob is one store write; writes run strictly in order so an older report
// snapshot never overwrites a newer one.
type writeJob struct {
	kind string
	keys []model.CellKey // the cells it changes, when known before it runs
	run  func() (*model.Report, []model.Event, error)
}

// openedMsg answers openCmd.
type openedMsg struct {
	id     model.ReportID
	unit   model.Unit
	r      *model.Report
	prev   *model.Report
	last   model.Header
	rev    model.Review
	cur    model.Cursor
	hasCur bool
	err    error
	warn   string // the report opened, but where the clerk was could not be read or kept
}

// cursorMsg answers saveCursorCmd when the store could not keep where the clerk
// is: the report is safe, but the next session would not resume there.
type cursorMsg struct{ err error }

// writtenMsg answers a writeJob.
type writtenMsg struct {
	id   model.ReportID
	kind string
	keys []model.CellKey
	r    *model.Report
	ev   []model.Event
	err  error
}

// historyMsg answers historyCmd.
type historyMsg struct {
	id  model.ReportID
	key model.CellKey
	ev  []model.Event
	err error
}

func newBook(s *session, v *model.Variant, m openedMsg) *book {
	b := &book{v: v, id: m.id, unit: m.unit, r: m.r, prev: m.prev, last: m.last, rev: m.rev, forms: v.FormsFor(m.unit.Type), store: s.store}
	if b.r.Values == nil {
		b.r.Values = map[model.CellKey]model.Number{}
	}
	if b.r.Comments == nil {
		b.r.Comments = map[model.CellKey]string{}
	}
	if b.r.Confirmed == nil {
		b.r.Confirmed = map[string]model.Confirmation{}
	}
	b.recheck()
	return b
}

func (b *book) recheck() { b.res = b.v.Check(b.r, b.prev); b.ver++ }

// formIndex finds a form among those the unit fills.
func (b *book) formIndex(id string) int {
	for i, f := range b.forms {
		if f.ID == id {
			return i
		}
	}
	return -1
}

// openCmd loads (or creates) a report and its last quarter.
func openCmd(s *session, v *model.Variant, u model.Unit, p model.Period) tea.Cmd {
	return func() tea.Msg {
		id := model.ReportID{Variant: v.ID, Unit: u.Name, Period: p}
		m := openedMsg{id: id, unit: u}
		if s.readOnly {
			m.r, m.err = s.store.Get(id)
			if errors.Is(m.err, model.ErrNotFound) {
				m.r, m.err = model.NewReport(v.ID, u, p), nil
			}
		} else {
			m.r, m.err = s.store.Ensure(id, u.Type, s.user)
		}
		if m.err != nil {
			return m
		}
		// Last quarter, across the year: from last year's Q4 only the
		// figures that run on (the ghosts, C and the cumulative rule).
		if m.prev, m.err = v.LoadPrev(id, s.store.Get); m.err != nil {
			m.err = fmt.Errorf("读取上季度报表失败：%w", m.err)
			return m
		}
		m.last = lastHeader(s.store, id)
		if m.rev, m.err = s.store.Review(id); m.err != nil {
			return m
		}
		var err error
		if m.cur, m.hasCur, err = s.store.Cursor(id, s.user); err != nil {
			m.cur, m.hasCur = model.Cursor{}, false
			m.warn = "读取上次的光标位置失败，从第一格开始：" + err.Error()
		}
		if !s.readOnly && m.warn == "" {
			// Remember this as the last report opened, even before the first move
			// (not after a failed read: that would overwrite the stored cursor).
			if err := s.store.SetCursor(id, s.user, m.cur); err != nil {
				m.warn = "记住最近打开的报表失败：" + err.Error()
			}
		}
		return m
	}
}

// write queues a store write and starts it when none is running.
func (b *book) write(s *session, j writeJob) tea.Cmd {
	b.queue = append(b.queue, j)
	return b.pump()
}

func (b *book) pump() tea.Cmd {
	if b.busy || len(b.queue) == 0 {
		return nil
	}
	j := b.queue[0]
	b.queue = b.queue[1:]
	b.busy = true
	id := b.id
	return func() tea.Msg {
		r, ev, err := j.run()
		return writtenMsg{id: id, kind: j.kind, keys: j.keys, r: r, ev: ev, err: err}
	}
}

// written takes a write's answer; the store's report replaces the working copy
// once nothing else is in flight.
func (b *book) written(m writtenMsg) tea.Cmd {
	b.busy = false
	if m.err == nil {
		keys := m.keys
		for _, e := range m.ev {
			keys = append(keys, e.Key)
		}
		b.noteOwn(keys, time.Now())
	}
	switch {
	case m.err != nil:
	case m.r != nil && len(b.queue) == 0:
		b.r, b.stale = m.r, false
		b.recheck()
	case m.r != nil:
		b.stale = true
	case len(b.queue) == 0 && b.stale:
		// The last write answered without a report (a comment, a confirmation)
		// after an undo whose result was skipped: read the store's copy.
		b.stale = false
		b.queue = append(b.queue, b.reloadJob())
	}
	return b.pump()
}

// setCells applies changes to the working copy and queues one durable commit.
func (b *book) setCells(s *session, changes []model.Change, kind string) tea.Cmd {
	for _, c := range changes {
		if c.Value == nil {
			delete(b.r.Values, c.Key)
		} else {
			b.r.Values[c.Key] = *c.Value
		}
	}
	b.recheck()
	id, user := b.id, s.user
	keys := make([]model.CellKey, len(changes))
	for i, c := range changes {
		keys[i] = c.Key
	}
	return b.write(s, writeJob{kind: kind, keys: keys, run: func() (*model.Report, []model.Event, error) {
		r, err := s.store.SetCells(id, changes, user)
		return r, nil, err
	}})
}

// reload replaces the working copy with the store's report (after a failed write,
// or another clerk's commit).
func (b *book) reload(s *session) tea.Cmd {
	return b.write(s, b.reloadJob())
}

func (b *book) reloadJob() writeJob {
	id, st := b.id, b.store
	return writeJob{kind: "reload", run: func() (*model.Report, []model.Event, error) {
		r, err := st.Get(id)
		return r, nil, err
	}}
}

// undo reverts (or redoes) the user's last batch and reloads the report.
func (b *book) undo(s *session, redo bool) tea.Cmd {
	id, user, kind := b.id, s.user, "undo"
	if redo {
		kind = "redo"
	}
	return b.write(s, writeJob{kind: kind, run: func() (*model.Report, []model.Event, error) {
		f := s.store.Undo
		if redo {
			f = s.store.Redo
		}
		ev, err := f(id, user)
		if err != nil {
			return nil, nil, err
		}
		r, err := s.store.Get(id)
		return r, ev, err
	}})
}

// comment sets or removes a cell's comment.
func (b *book) comment(s *session, k model.CellKey, text string) tea.Cmd {
	if text == "" {
		delete(b.r.Comments, k)
	} else {
		b.r.Comments[k] = text
	}
	id, user := b.id, s.user
	return b.write(s, writeJob{kind: "comment", run: func() (*model.Report, []model.Event, error) {
		return nil, nil, s.store.SetComment(id, k, text, user)
	}})
}

// setHeader stores the line above the forms (填表人, 联系电话, date).
func (b *book) setHeader(s *session, h model.Header) tea.Cmd {
	b.r.Header = h
	b.ver++
	id, user := b.id, s.user
	return b.write(s, writeJob{kind: "header", run: func() (*model.Report, []model.Event, error) {
		return nil, nil, s.store.SetHeader(id, h, user)
	}})
}

// confirm records the clerk's confirmation of a warning.
func (b *book) confirm(s *session, findingKey, text string) tea.Cmd {
	c := model.Confirmation{Comment: text, By: s.user, At: s.now()}
	b.r.Confirmed[findingKey] = c
	b.recheck()
	id := b.id
	return b.write(s, writeJob{kind: "confirm", run: func() (*model.Report, []model.Event, error) {
		return nil, nil, s.store.Confirm(id, findingKey, &c)
	}})
}

// historyCmd reads a cell's recorded changes.
func historyCmd(s *session, id model.ReportID, k model.CellKey) tea.Cmd {
	return func() tea.Msg {
		ev, err := s.store.History(id, k)
		return historyMsg{id: id, key: k, ev: ev, err: err}
	}
}

// saveCursorCmd remembers where the clerk is, to resume there; it answers only
// when that failed (cursorMsg).
func saveCursorCmd(s *session, id model.ReportID, c model.Cursor) tea.Cmd {
	if s.readOnly {
		return nil
	}
	return func() tea.Msg {
		if err := s.store.SetCursor(id, s.user, c); err != nil {
			return cursorMsg{err: err}
		}
		return nil
	}
}

// value is a cell's value in the working copy.
func (b *book) value(k model.CellKey) (model.Number, bool) { return b.r.Value(k) }

// prevValue is last quarter's value of a cell.
func (b *book) prevValue(k model.CellKey) (model.Number, bool) {
	if b.prev == nil {
		return 0, false
	}
	return b.prev.Value(k)
}

// cellMark is the worst finding on a cell: 2 error, 1 unconfirmed warning, 0 none.
func (b *book) cellMark(k model.CellKey) int {
	mark := 0
	for _, f := range b.res.ForCell(k) {
		if f.IsError() {
			return 2
		}
		if !f.Confirmed {
			mark = 1
		}
	}
	return mark
}

// noteOwn remembers the cells a commit of this session changed.
func (b *book) noteOwn(keys []model.CellKey, now time.Time) {
	live := b.own[:0]
	for _, c := range b.own {
		if now.Sub(c.at) < ownNoticeWindow && len(c.keys) > 0 {
			live = append(live, c)
		}
	}
	b.own = live
	if len(keys) > 0 {
		b.own = append(b.own, ownCommit{keys: append([]model.CellKey(nil), keys...), at: now})
	}
}

// foreign takes the cells of a notice signed with this session's user and
// returns those this session did not commit itself: the same person's other
// session. Each own commit of a cell accounts for one mention of it, so a
// cell both sessions changed (and the notices merged) still counts.
func (b *book) foreign(keys []model.CellKey, now time.Time) []model.CellKey {
	b.noteOwn(nil, now) // drop commits whose notice never came
	var out []model.CellKey
next:
	for _, k := range keys {
		for i := range b.own {
			c := &b.own[i]
			for j, ok := range c.keys {
				if ok == k {
					c.keys = append(c.keys[:j], c.keys[j+1:]...)
					continue next
				}
			}
		}
		out = append(out, k)
	}
	return out
}
