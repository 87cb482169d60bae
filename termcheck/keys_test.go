package termcheck

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jibao/termenc"
)

// keySeq is what one terminal sends for one key in one keyboard mode.
type keySeq struct {
	terminal string // terminal and keyboard mode
	key      string // the key the clerk pressed
	seq      string // the bytes the terminal sends
	want     string // the keys Bubble Tea v1.3.10 makes of it, space-separated; "" = none
	fixed    string // the keys it makes of it read through termenc.Input, if not want
}

// keyTable is the keys jibao needs, as sent by the keyboard modes of the
// terminals clerks use. Sources: xterm's ctlseqs (PC-style and VT220-style
// function keys, normal and application cursor mode), PuTTY's Keyboard panel
// (Home/End "Standard" or "rxvt"; function keys "ESC[n~", "Linux", "Xterm R6",
// "VT400", "VT100+", "SCO"; Backspace "Control-?" or "Control-H"), rxvt, and
// the Linux console (console_codes(4)).
var keyTable = []keySeq{
	// xterm, PC-style keys; normal cursor mode.
	{"xterm", "Up", "\x1b[A", "up", ""},
	{"xterm", "Down", "\x1b[B", "down", ""},
	{"xterm", "Right", "\x1b[C", "right", ""},
	{"xterm", "Left", "\x1b[D", "left", ""},
	{"xterm", "Home", "\x1b[H", "home", ""},
	{"xterm", "End", "\x1b[F", "end", ""},
	{"xterm", "Insert", "\x1b[2~", "insert", ""},
	{"xterm", "Delete", "\x1b[3~", "delete", ""},
	{"xterm", "PageUp", "\x1b[5~", "pgup", ""},
	{"xterm", "PageDown", "\x1b[6~", "pgdown", ""},
	{"xterm", "F1", "\x1bOP", "f1", ""},
	{"xterm", "F2", "\x1bOQ", "f2", ""},
	{"xterm", "F5", "\x1b[15~", "f5", ""},
	{"xterm", "F10", "\x1b[21~", "f10", ""},
	{"xterm", "F11", "\x1b[23~", "f11", ""},
	{"xterm", "F12", "\x1b[24~", "f12", ""},
	{"xterm", "Backspace", "\x7f", "backspace", ""},
	{"xterm", "Tab", "\t", "tab", ""},
	{"xterm", "Shift+Tab", "\x1b[Z", "shift+tab", ""},
	{"xterm", "Enter", "\r", "enter", ""},
	{"xterm", "Esc", "\x1b", "esc", ""},
	{"xterm", "Ctrl+Home", "\x1b[1;5H", "ctrl+home", ""},
	{"xterm", "Shift+Up", "\x1b[1;2A", "shift+up", ""},
	{"xterm", "Alt+x", "\x1bx", "alt+x", ""},
	// xterm, application cursor mode (DECCKM on; vim and less turn it on).
	{"xterm app", "Up", "\x1bOA", "up", ""},
	{"xterm app", "Down", "\x1bOB", "down", ""},
	{"xterm app", "Right", "\x1bOC", "right", ""},
	{"xterm app", "Left", "\x1bOD", "left", ""},
	{"xterm app", "Home", "\x1bOH", "alt+O H", "home"},
	{"xterm app", "End", "\x1bOF", "alt+O F", "end"},
	// VT220 (xterm's VT220 keyboard, PuTTY "VT400", many Xshell/SecureCRT key maps).
	{"vt220", "Home", "\x1b[1~", "home", ""},
	{"vt220", "Insert", "\x1b[2~", "insert", ""},
	{"vt220", "Delete", "\x1b[3~", "delete", ""},
	{"vt220", "End", "\x1b[4~", "end", ""},
	{"vt220", "PageUp", "\x1b[5~", "pgup", ""},
	{"vt220", "PageDown", "\x1b[6~", "pgdown", ""},
	{"vt220", "F1 (PF1)", "\x1bOP", "f1", ""},
	{"vt220", "F2 (PF2)", "\x1bOQ", "f2", ""},
	{"vt220", "F6", "\x1b[17~", "f6", ""},
	// PuTTY defaults: Home/End "Standard", function keys "ESC[n~", Backspace "Control-?".
	{"putty", "Home", "\x1b[1~", "home", ""},
	{"putty", "End", "\x1b[4~", "end", ""},
	{"putty", "Delete", "\x1b[3~", "delete", ""},
	{"putty", "PageUp", "\x1b[5~", "pgup", ""},
	{"putty", "PageDown", "\x1b[6~", "pgdown", ""},
	{"putty", "F1", "\x1b[11~", "f1", ""},
	{"putty", "F2", "\x1b[12~", "f2", ""},
	{"putty", "F3", "\x1b[13~", "f3", ""},
	{"putty", "F4", "\x1b[14~", "f4", ""},
	{"putty", "Backspace", "\x7f", "backspace", ""},
	{"putty", "Up", "\x1b[A", "up", ""},
	{"putty app", "Up", "\x1bOA", "up", ""},
	// PuTTY's other settings.
	{"putty Backspace Control-H", "Backspace", "\x08", "ctrl+h", ""},
	{"putty Home/End rxvt", "Home", "\x1b[H", "home", ""},
	{"putty Home/End rxvt", "End", "\x1bOw", "alt+O w", "7"},
	{"putty function keys Linux", "F1", "\x1b[[A", "f1", ""},
	{"putty function keys Linux", "F2", "\x1b[[B", "f2", ""},
	{"putty function keys Xterm R6", "F2", "\x1bOQ", "f2", ""},
	{"putty function keys VT100+", "F2", "\x1bOQ", "f2", ""},
	{"putty function keys SCO", "F1", "\x1b[M", "", ""},
	{"putty function keys SCO", "F2", "\x1b[N", "", ""},
	{"putty function keys SCO", "Home", "\x1b[H", "home", ""},
	{"putty function keys SCO", "End", "\x1b[F", "end", ""},
	// rxvt and urxvt.
	{"rxvt", "Home", "\x1b[7~", "home", ""},
	{"rxvt", "End", "\x1b[8~", "end", ""},
	{"rxvt", "Delete", "\x1b[3~", "delete", ""},
	{"rxvt", "PageUp", "\x1b[5~", "pgup", ""},
	{"rxvt", "PageDown", "\x1b[6~", "pgdown", ""},
	{"rxvt", "F1", "\x1b[11~", "f1", ""},
	{"rxvt", "F2", "\x1b[12~", "f2", ""},
	{"rxvt", "Backspace", "\x7f", "backspace", ""},
	{"rxvt", "Shift+Tab", "\x1b[Z", "shift+tab", ""},
	// Linux console.
	{"linux", "Home", "\x1b[1~", "home", ""},
	{"linux", "End", "\x1b[4~", "end", ""},
	{"linux", "Delete", "\x1b[3~", "delete", ""},
	{"linux", "PageUp", "\x1b[5~", "pgup", ""},
	{"linux", "PageDown", "\x1b[6~", "pgdown", ""},
	{"linux", "F1", "\x1b[[A", "f1", ""},
	{"linux", "F2", "\x1b[[B", "f2", ""},
	{"linux", "F5", "\x1b[[E", "f5", ""},
	{"linux", "F6", "\x1b[17~", "f6", ""},
	{"linux", "Backspace", "\x7f", "backspace", ""},
	// Numeric keypad in application mode (DECKPAM; PuTTY's "Initial state of
	// numeric keypad: Application", or left on by another program).
	{"keypad app", "KP 0", "\x1bOp", "alt+O p", "0"},
	{"keypad app", "KP 7", "\x1bOw", "alt+O w", "7"},
	{"keypad app", "KP 9", "\x1bOy", "alt+O y", "9"},
	{"keypad app", "KP .", "\x1bOn", "alt+O n", "."},
	{"keypad app", "KP -", "\x1bOm", "alt+O m", "-"},
	{"keypad app", "KP +", "\x1bOk", "alt+O k", "+"},
	{"keypad app", "KP Enter", "\x1bOM", "alt+O M", "enter"},
	// Control keys every terminal sends the same way.
	{"any", "Ctrl+C", "\x03", "ctrl+c", ""},
	{"any", "Ctrl+Z", "\x1a", "ctrl+z", ""},
	{"any", "Ctrl+Y", "\x19", "ctrl+y", ""},
	{"any", "Ctrl+N", "\x0e", "ctrl+n", ""},
	{"any", "Ctrl+P", "\x10", "ctrl+p", ""},
}

// recorder is a model that records the keys it gets and stops at ctrl+@
// (NUL), which no key in the table sends.
type recorder struct{ keys []string }

func (r *recorder) Init() tea.Cmd { return nil }

func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if msg.Type == tea.KeyNull {
			return r, tea.Quit
		}
		r.keys = append(r.keys, msg.String())
	default:
		r.keys = append(r.keys, fmt.Sprintf("%T", msg))
	}
	return r, nil
}

func (r *recorder) View() string { return "" }

// oneReadEach hands out one chunk per Read, as a terminal's keys arrive one
// by one: Bubble Tea parses each read on its own.
type oneReadEach struct{ chunks []string }

func (o *oneReadEach) Read(p []byte) (int, error) {
	if len(o.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, o.chunks[0])
	o.chunks = o.chunks[1:]
	return n, nil
}

// decodeKeys runs a real Bubble Tea program on the given reads and returns
// the messages it delivered, keys as tea.KeyMsg.String().
func decodeKeys(t *testing.T, reads ...string) []string {
	t.Helper()
	return run(t, &oneReadEach{chunks: append(reads, "\x00")})
}

// run runs a real Bubble Tea program reading keys from in until a NUL.
func run(t *testing.T, in io.Reader) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m := &recorder{}
	p := tea.NewProgram(m,
		tea.WithInput(in),
		tea.WithOutput(io.Discard),
		tea.WithoutRenderer(),
		tea.WithoutSignalHandler(),
		tea.WithContext(ctx),
	)
	if _, err := p.Run(); err != nil {
		t.Fatalf("Bubble Tea program: %v", err)
	}
	return m.keys
}

func TestKeySequences(t *testing.T) {
	for _, k := range keyTable {
		if got := strings.Join(onlyKeys(decodeKeys(t, k.seq)), " "); got != k.want {
			t.Errorf("%s %s %q: Bubble Tea gives %q, table says %q", k.terminal, k.key, k.seq, got, k.want)
		}
	}
}

// TestKeySequencesThroughInput is what jibao sees: every key the table lists
// for Home, End, Delete, PageUp/Down, F2, Backspace and the keypad decodes to
// a key the TUI binds, in UTF-8 and in GB18030.
func TestKeySequencesThroughInput(t *testing.T) {
	for _, enc := range []termenc.Encoding{termenc.UTF8, termenc.GB18030} {
		for _, k := range keyTable {
			want := k.want
			if k.fixed != "" {
				want = k.fixed
			}
			got := strings.Join(onlyKeys(decodeInput(t, enc, k.seq)), " ")
			if got != want {
				t.Errorf("%v: %s %s %q: jibao gets %q, want %q", enc, k.terminal, k.key, k.seq, got, want)
			}
		}
	}
}

// TestEveryFunctionKeyArrives checks the claim the TUI's key map relies on:
// each key it binds for moving and editing arrives as that key from every
// keyboard mode in the table, or the table says which alternative to use.
func TestEveryFunctionKeyArrives(t *testing.T) {
	need := map[string]string{"Home": "home", "End": "end", "Delete": "delete", "PageUp": "pgup", "PageDown": "pgdown", "F2": "f2"}
	for _, k := range keyTable {
		want, ok := need[k.key]
		if !ok {
			continue
		}
		got := k.want
		if k.fixed != "" {
			got = k.fixed
		}
		if got != want && !knownMissing[k.terminal+" "+k.key] {
			t.Errorf("%s %s %q arrives as %q, not %q, and no alternative is listed", k.terminal, k.key, k.seq, got, want)
		}
	}
}

// knownMissing are the keys that cannot arrive as themselves: the TUI's plain
// alternatives (e for F2, $ for End) cover them.
var knownMissing = map[string]bool{
	"putty function keys SCO F2": true, // ESC [ N: unknown CSI, dropped
	"putty Home/End rxvt End":    true, // ESC O w is keypad 7 too; 7 wins
}

// onlyKeys drops messages that are not keys (unknown CSI sequences arrive as
// an unexported message type, which a TUI cannot bind).
func onlyKeys(msgs []string) []string {
	var out []string
	for _, m := range msgs {
		if !strings.HasPrefix(m, "tea.") {
			out = append(out, m)
		}
	}
	return out
}

// decodeInput is decodeKeys with the bytes encoded in enc and read through
// termenc.Input, as the local TUI and every SSH session read them.
func decodeInput(t *testing.T, enc termenc.Encoding, seq string) []string {
	t.Helper()
	raw := seq
	if enc == termenc.GB18030 {
		var b strings.Builder
		w := termenc.Writer(enc, &b)
		io.WriteString(w, seq)
		raw = b.String()
	}
	return run(t, termenc.Input(enc, &oneReadEach{chunks: []string{raw, "\x00"}}))
}
