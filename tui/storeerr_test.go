package tui

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"jibao/model"
)

// errStore is a real store whose cursor and unit-list reads and writes can fail,
// and which counts the calls the workstation makes.
type errStore struct {
	Store
	calls, setCursors                      atomic.Int32
	cursorErr, setCursorErr, unit, lastErr error
}

var errDisk = errors.New("磁盘故障")

func (s *errStore) Cursor(id model.ReportID, user string) (model.Cursor, bool, error) {
	s.calls.Add(1)
	if s.cursorErr != nil {
		return model.Cursor{}, false, s.cursorErr
	}
	return s.Store.Cursor(id, user)
}

func (s *errStore) SetCursor(id model.ReportID, user string, c model.Cursor) error {
	s.calls.Add(1)
	s.setCursors.Add(1)
	if s.setCursorErr != nil {
		return s.setCursorErr
	}
	return s.Store.SetCursor(id, user, c)
}

func (s *errStore) Units(variant string) ([]model.Unit, error) {
	s.calls.Add(1)
	if s.unit != nil {
		return nil, s.unit
	}
	return s.Store.Units(variant)
}

func (s *errStore) LastOpened(user string) (model.ReportID, bool, error) {
	s.calls.Add(1)
	if s.lastErr != nil {
		return model.ReportID{}, false, s.lastErr
	}
	return s.Store.LastOpened(user)
}

// TestInitDoesNoIO: Init only returns commands; the named report opens when the
// chooser's reads answer.
func TestInitDoesNoIO(t *testing.T) {
	st := &errStore{Store: openTestStore(t)}
	m := New(Options{Catalog: model.DefaultCatalog(), Store: st, User: "clerk", Now: testNow, Renderer: asciiRenderer(),
		Variant: "nanan", Unit: "水头", Period: "2025Q3"})
	cmd := m.Init()
	if n := st.calls.Load(); n != 0 {
		t.Fatalf("Init called the store %d times", n)
	}
	if cmd == nil {
		t.Fatal("Init returned no command")
	}
	h := openReport(t, st, 100, 30, "nanan", "水头", "2025Q3")
	if h.root().scr != scrOverview {
		t.Fatalf("the named report did not open:\n%s", h.screen())
	}
}

// TestCursorErrorsShown: a cursor the store cannot read or keep is a message the
// clerk reads, and the report still opens.
func TestCursorErrorsShown(t *testing.T) {
	st := &errStore{Store: openTestStore(t), cursorErr: errDisk}
	h := openReport(t, st, 100, 30, "nanan", "水头", "2025Q3")
	h.contains("读取上次的光标位置失败")
	h.contains("磁盘故障")
	if n := st.setCursors.Load(); n != 0 {
		t.Errorf("after a failed read the stored cursor was overwritten (%d writes)", n)
	}

	st.cursorErr, st.setCursorErr = nil, errDisk
	h = openReport(t, st, 100, 30, "nanan", "水头", "2025Q3")
	h.contains("记住最近打开的报表失败")
	h.keys("enter right q")
	if h.root().scr != scrOverview {
		t.Fatalf("q did not go back to the overview:\n%s", h.screen())
	}
	h.contains("记住光标位置失败：磁盘故障")
}

// TestNamedUnitListError: when --unit is not a catalog unit and the store's list
// of added units cannot be read, the chooser says both.
func TestNamedUnitListError(t *testing.T) {
	st := &errStore{Store: openTestStore(t), unit: errDisk}
	h := openReport(t, st, 100, 30, "nanan", "新加的单位", "2025Q3")
	if h.root().scr != scrOpener {
		t.Fatalf("opened a unit that does not exist:\n%s", h.screen())
	}
	s := h.screen()
	if !strings.Contains(s, "新加的单位") || !strings.Contains(s, "读取单位名录失败") {
		t.Errorf("the chooser does not say what went wrong:\n%s", s)
	}
}

// TestLastOpenedError: the chooser says when it could not read which report
// the clerk opened last.
func TestLastOpenedError(t *testing.T) {
	st := &errStore{Store: openTestStore(t), lastErr: errDisk}
	h := newHarness(t, st, 100, 30, Options{})
	h.contains("读取最近打开的报表失败：磁盘故障")
}
