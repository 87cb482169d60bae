package tui

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"jibao/internal/framediff"
	"jibao/internal/vt"
)

// frameRecorder keeps every write Bubble Tea makes.
type frameRecorder struct {
	mu     sync.Mutex
	writes [][]byte
}

func (r *frameRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, bytes.Clone(p))
	return len(p), nil
}

func (r *frameRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.writes)
}

// TestFramesThroughTheWriter runs the workstation in Bubble Tea with 16
// colours at 120x40, walks 表四 across its scrolls, types figures (marks,
// warnings, the notice line), switches to the list and back, opens the help
// and the search; then replays what Bubble Tea wrote to one terminal as it is
// and to another through framediff, and holds the screens equal after every
// write.
func TestFramesThroughTheWriter(t *testing.T) {
	st := openTestStore(t)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	rec := &frameRecorder{}
	p := tea.NewProgram(New(Options{Store: st, User: "张三", Variant: "nanan", Unit: "水头", Period: "2025Q3",
		Renderer: r, Now: testNow}), tea.WithOutput(rec), tea.WithInput(nil), tea.WithAltScreen(), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	// A key that changes the screen brings a write; one that does not (the
	// end of a row) brings none, and the wait gives up on it after a while.
	key := func(m tea.Msg) {
		n := rec.count()
		p.Send(m)
		for end := time.Now().Add(time.Second); rec.count() == n && time.Now().Before(end); {
			time.Sleep(2 * time.Millisecond) // polling Bubble Tea's next frame
		}
	}
	runes := func(s string) {
		for _, c := range s {
			key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
		}
	}
	key(tea.WindowSizeMsg{Width: 120, Height: 40})
	runes("4")
	for i := 0; i < 30; i++ {
		key(tea.KeyMsg{Type: tea.KeyRight})
		if i%5 == 0 {
			runes("12")
			key(tea.KeyMsg{Type: tea.KeyEnter})
		}
	}
	runes("9")
	key(tea.KeyMsg{Type: tea.KeyEsc})
	for i := 0; i < 30; i++ {
		key(tea.KeyMsg{Type: tea.KeyLeft})
	}
	runes("v")
	for i := 0; i < 12; i++ {
		key(tea.KeyMsg{Type: tea.KeyDown})
	}
	runes("v?")
	key(tea.KeyMsg{Type: tea.KeyEsc})
	runes("/四色")
	key(tea.KeyMsg{Type: tea.KeyEnter})
	key(tea.WindowSizeMsg{Width: 100, Height: 30})
	key(tea.KeyMsg{Type: tea.KeyRight})
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// The terminals stay 120x40: after the resize the frames are smaller.
	plain, lean := vt.New(120, 40), vt.New(120, 40)
	var sent bytes.Buffer
	fw := framediff.New(&sent)
	raw, out, shown := 0, 0, ""
	for i, w := range rec.writes {
		plain.Write(w)
		sent.Reset()
		fw.Write(w)
		lean.Write(sent.Bytes())
		raw, out = raw+len(w), out+sent.Len()
		if bytes.HasPrefix(w, []byte("\x1b[H")) {
			shown = plain.Text() // the last frame, not the screen left on quitting
		}
		if a, b := plain.Screen(), lean.Screen(); a != b {
			t.Fatalf("write %d: the screens differ\nwrite: %q\nsent:  %q\nwithout the writer:\n%s\nwith it:\n%s", i, w, sent.Bytes(), a, b)
		}
	}
	t.Logf("%d writes, %d B from Bubble Tea, %d B sent", len(rec.writes), raw, out)
	if !strings.Contains(shown, "四色安全风险分级") {
		t.Errorf("the walk did not end on the search's column:\n%s", shown)
	}
	if out > raw*3/4 {
		t.Errorf("the writer sent %d of %d B", out, raw)
	}
}
