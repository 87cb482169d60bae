package tui

import (
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"jibao/model"
	"jibao/store"
)

// *store.Store is the store the workstation is written against.
var _ Store = (*store.Store)(nil)

// testNow is a fixed clock: ten days before 南安's 2025Q3 due date.
func testNow() time.Time { return time.Date(2025, 9, 20, 10, 0, 0, 0, time.Local) }

func openTestStore(t testing.TB) *store.Store {
	t.Helper()
	st := openStoreAt(t, filepath.Join(t.TempDir(), "jibao.db"))
	t.Cleanup(func() { st.Close() })
	return st
}

func openStoreAt(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// harness drives a root model synchronously: every command runs at once and its
// message goes straight back into Update, as Bubble Tea would deliver it.
type harness struct {
	t    testing.TB
	m    tea.Model
	quit bool
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

func newHarness(t testing.TB, st Store, w, h int, o Options) *harness {
	t.Helper()
	o.Store = st
	if o.Renderer == nil {
		o.Renderer = asciiRenderer()
	}
	if o.Now == nil {
		o.Now = testNow
	}
	if o.User == "" {
		o.User = "clerk"
	}
	hs := &harness{t: t, m: New(o)}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(hs.m.Init())
	return hs
}

// openReport starts a harness on a report, past the chooser.
func openReport(t testing.TB, st Store, w, h int, variant, unit, period string) *harness {
	return newHarness(t, st, w, h, Options{Variant: variant, Unit: unit, Period: period})
}

func (h *harness) send(msg tea.Msg) {
	m, cmd := h.m.Update(msg)
	h.m = m
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	h.handle(cmd())
}

func (h *harness) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.QuitMsg:
		h.quit = true
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	default:
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				h.run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		h.send(msg)
	}
}

// keyMsg makes a key message from a name as Bubble Tea prints it ("enter",
// "shift+tab", "a").
func keyMsg(name string) tea.KeyMsg {
	named := map[string]tea.KeyType{"enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"esc": tea.KeyEsc, "up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete, "f2": tea.KeyF2, "ctrl+c": tea.KeyCtrlC,
		"ctrl+z": tea.KeyCtrlZ, "ctrl+u": tea.KeyCtrlU, "space": tea.KeySpace, "ctrl+h": tea.KeyCtrlH}
	if t, ok := named[name]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// keys sends space-separated key names; "str:TEXT" types each rune of TEXT.
func (h *harness) keys(script string) {
	for _, tok := range strings.Fields(script) {
		if s, ok := strings.CutPrefix(tok, "str:"); ok {
			for _, r := range s {
				h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
			continue
		}
		h.send(keyMsg(tok))
	}
}

func (h *harness) paste(text string) {
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
}

func (h *harness) screen() string { return ansi.Strip(h.m.View()) }

func (h *harness) root() *root { return h.m.(*root) }

func (h *harness) grid() *Grid { return h.root().g }

func (h *harness) value(form, row, col string) (model.Number, bool) {
	return h.root().b.r.Value(model.CellKey{Form: form, Row: row, Col: col})
}

// contains fails unless the screen shows text.
func (h *harness) contains(text string) {
	h.t.Helper()
	if s := h.screen(); !strings.Contains(s, text) {
		h.t.Fatalf("screen lacks %q:\n%s", text, s)
	}
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
