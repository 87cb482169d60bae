package framediff

import (
	"bytes"
	"io"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"jibao/internal/vt"
)

// renderer is a copy of what Bubble Tea v1.3.10's standard renderer writes per
// frame in the alternate screen (standard_renderer.go, flush), so that the fuzz
// test can make thousands of frames a second; TestRealRenderer checks the
// writer on the real one.
type renderer struct {
	width, height int
	lastRender    string
	lastLines     []string
	linesRendered int
}

func (r *renderer) flush(view string) []byte {
	if view == "" {
		view = " "
	}
	if view == r.lastRender {
		return nil
	}
	buf := &bytes.Buffer{}
	buf.WriteString(ansi.CursorHomePosition)
	newLines := strings.Split(view, "\n")
	if r.height > 0 && len(newLines) > r.height {
		newLines = newLines[len(newLines)-r.height:]
	}
	for i := 0; i < len(newLines); i++ {
		if len(r.lastLines) > i && r.lastLines[i] == newLines[i] {
			if i < len(newLines)-1 {
				buf.WriteByte('\n')
			}
			continue
		}
		if i == 0 && r.lastRender == "" {
			buf.WriteByte('\r')
		}
		line := newLines[i]
		if r.width > 0 {
			line = ansi.Truncate(line, r.width, "")
		}
		if ansi.StringWidth(line) < r.width {
			line += ansi.EraseLineRight
		}
		buf.WriteString(line)
		if i < len(newLines)-1 {
			buf.WriteString("\r\n")
		}
	}
	if r.linesRendered > len(newLines) {
		buf.WriteString(ansi.EraseScreenBelow)
	}
	r.linesRendered = len(newLines)
	buf.WriteString(ansi.CursorPosition(0, len(newLines)))
	r.lastRender = view
	r.lastLines = newLines
	return buf.Bytes()
}

func (r *renderer) repaint() { r.lastRender, r.lastLines = "", nil }

// replay sends every write to one terminal as it is and to another through a
// Writer, and fails at the first write after which the screens differ. It
// returns the bytes before and after the writer.
func replay(t testing.TB, w, h int, writes [][]byte) (raw, lean int) {
	t.Helper()
	plain, filtered := vt.New(w, h), vt.New(w, h)
	var sent bytes.Buffer
	fw := New(&sent)
	for i, p := range writes {
		plain.Write(p)
		sent.Reset()
		if n, err := fw.Write(p); n != len(p) || err != nil {
			t.Fatalf("write %d: %d of %d, %v", i, n, len(p), err)
		}
		filtered.Write(sent.Bytes())
		raw, lean = raw+len(p), lean+sent.Len()
		if a, b := plain.Screen(), filtered.Screen(); a != b {
			t.Fatalf("after write %d the screens differ\nwrite: %q\nsent:  %q\nwithout the writer:\n%s\nwith it:\n%s", i, p, sent.Bytes(), a, b)
		}
	}
	return raw, lean
}

// gridRow is a row like the workstation's grid: a label, cells with marks and
// colours, the cursor's brackets and reverse video on cell cur.
func gridRow(cur int) string {
	var b strings.Builder
	b.WriteString("本单位\x1b[1;91m")
	for c := 0; c < 10; c++ {
		sep := " "
		switch {
		case c == cur:
			sep = "["
		case c == cur+1:
			sep = "]"
		case c == 0:
			sep = "|"
		}
		b.WriteString(sep)
		if c == cur {
			b.WriteString("\x1b[7m! 75" + string(rune('0'+c)) + "\x1b[27m")
		} else {
			b.WriteString("! 68" + string(rune('0'+c)))
		}
	}
	b.WriteString("|\x1b[m   33    51     3    43|")
	return b.String()
}

// TestMoveSendsTheChange: a cursor move on a grid row and a new status line
// come out as the changed cells only, and the screens agree.
func TestMoveSendsTheChange(t *testing.T) {
	var r renderer
	r.width, r.height = 120, 40
	frame := func(cur int, status string) []byte {
		return r.flush("\x1b[1m南安 水头 2025年第3季度\x1b[m\n" + gridRow(cur) + "\n\n" + status + "\n\x1b[2m? 全部按键  q 返回\x1b[m")
	}
	writes := [][]byte{frame(0, "第1栏 小型学校  上季度：758")}
	writes = append(writes, frame(1, "第2栏 小型医疗机构  上季度：680"), frame(2, "第3栏 小商店  上季度：955"))
	var sent bytes.Buffer
	fw := New(&sent)
	fw.Write(writes[0])
	if sent.String() != "\x1b[m"+string(writes[0]) { // the look is made sure
		t.Errorf("the first frame changed: %q", sent.String())
	}
	sent.Reset()
	fw.Write(writes[1])
	if sent.Len() >= len(writes[1])/2 {
		t.Errorf("a move went out as %d of %d bytes: %q", sent.Len(), len(writes[1]), sent.String())
	}
	t.Logf("move: %d B from Bubble Tea, %d B sent: %q", len(writes[1]), sent.Len(), sent.String())
	replay(t, 120, 40, writes)
}

// TestOutOfTheWay: what the writer does not model goes out as it came.
func TestOutOfTheWay(t *testing.T) {
	for _, p := range []string{
		"\x1b[?25l", "\x1b[2J", "\x1b[H", "\x1b]0;季报\x07", "plain text\r\n",
		"\x1b[H\r😀 emoji\x1b[K\r\n\x1b[2;H", // a repaint: sent whole
	} {
		var sent bytes.Buffer
		fw := New(&sent)
		fw.Write([]byte("\x1b[m")) // the look is known: no reset before a first frame
		sent.Reset()
		fw.Write([]byte(p))
		if sent.String() != p {
			t.Errorf("%q went out as %q", p, sent.String())
		}
	}
}

// TestWithoutColour: frames with no SGR at all (NO_COLOR) are sent lean too:
// the first frame makes the look sure.
func TestWithoutColour(t *testing.T) {
	r := renderer{width: 80, height: 10}
	var writes [][]byte
	for cur := 0; cur < 5; cur++ {
		writes = append(writes, r.flush("南安 水头\n"+ansi.Strip(gridRow(cur))+"\n第"+string(rune('1'+cur))+"栏 小商店"))
	}
	raw, lean := replay(t, 80, 10, writes)
	if lean > raw*2/3 {
		t.Errorf("plain frames: %d of %d B sent", lean, raw)
	}
}

// TestUnknownLinesGoWhole: a line with a character or sequence the writer is
// not sure of is sent as Bubble Tea wrote it.
func TestUnknownLinesGoWhole(t *testing.T) {
	for _, l := range []string{"a…b", "e\u0301t\u00e9", "x\x1b[4:3my", "\x1b[58;5;1mz", "tab\there", "\x1b[41mbg"} {
		var r renderer
		r.width, r.height = 20, 5
		var sent bytes.Buffer
		fw := New(&sent)
		fw.Write(r.flush("\x1b[mhead\nold line here"))
		second := r.flush("\x1b[mhead\n" + l)
		sent.Reset()
		fw.Write(second)
		if sent.String() != string(second) {
			t.Errorf("%q: sent %q, not %q", l, sent.String(), second)
		}
	}
}

// FuzzWriter makes frames from the fuzzer's bytes (lines of styled segments
// that change a little from frame to frame, shrink and grow, repaints and other
// writes between them) and replays them with and without the writer.
func FuzzWriter(f *testing.F) {
	f.Add([]byte("seed: a grid row, a status line"), uint8(20))
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 200, 201, 255, 254, 17, 99}, uint8(12))
	f.Add(bytes.Repeat([]byte{3, 141, 7, 77, 250, 9, 0, 33}, 40), uint8(31))
	f.Add(bytes.Repeat([]byte{128, 64, 5, 190, 2, 222, 1}, 60), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, w uint8) {
		width := 4 + int(w)%40
		writes := fuzzFrames(data, width)
		replay(t, width, 8, writes)
	})
}

// TestRandomFrames is FuzzWriter on 200 fixed random inputs, for every test run.
func TestRandomFrames(t *testing.T) {
	rnd := rand.New(rand.NewSource(12))
	for i := 0; i < 200; i++ {
		data := make([]byte, 100+rnd.Intn(1500))
		rnd.Read(data)
		width := 4 + rnd.Intn(40)
		replay(t, width, 8, fuzzFrames(data, width))
	}
}

var (
	fuzzPens  = []string{"", "\x1b[m", "\x1b[1;91m", "\x1b[7m", "\x1b[27m", "\x1b[33m", "\x1b[0;2m", "\x1b[22m", "\x1b[41m", "\x1b[38;5;200m", "\x1b[4:3m", "\x1b[1m\x1b[4m", "\x1b[49m", "\x1b[38;2;1;200;3m", "\x1b[48;5;17m", "\x1b[0;38;5;9;1m"}
	fuzzTexts = []string{"a", "b", " ", "  ", "|", "! 757", "中", "文字", "（", "：", "…", "e\u0301", "😀", "\t", "\x1b[2K", "~", "]"}
	fuzzOther = []string{"\x1b[?25l", "\x1b[2J", "\x1b[H", "\x1b]0;t\x07", "\x1b[?1049h", "\x1b[?2004h", "\x1b[1;31m"}
)

func fuzzFrames(data []byte, width int) [][]byte {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := int(data[0])
		data = data[1:]
		return b
	}
	type seg struct{ pen, text, end int }
	lines := make([][]seg, 3)
	r := &renderer{width: width, height: 8}
	var writes [][]byte
	for n := 0; len(data) > 0 && n < 200; n++ {
		switch op := next() % 16; {
		case op == 0:
			r.repaint()
		case op == 1:
			writes = append(writes, []byte(fuzzOther[next()%len(fuzzOther)]))
			continue
		case op == 2 && len(lines) < 9:
			lines = append(lines, nil)
		case op == 3 && len(lines) > 1:
			lines = lines[:len(lines)-1]
		default:
			// Change a few segments of a line or two.
			for k := next() % 4; k >= 0; k-- {
				li := next() % len(lines)
				l := lines[li]
				si := next() % (len(l) + 1)
				s := seg{next() % len(fuzzPens), next() % len(fuzzTexts), next() % 3}
				switch {
				case si == len(l):
					l = append(l, s)
				case next()%4 == 0:
					l = append(l[:si], l[si+1:]...)
				default:
					l = append(append([]seg(nil), l[:si]...), append([]seg{s}, l[si+1:]...)...)
				}
				lines[li] = l
			}
		}
		var view []string
		for _, l := range lines {
			var b strings.Builder
			for _, s := range l {
				b.WriteString(fuzzPens[s.pen] + fuzzTexts[s.text])
				if s.end == 0 {
					b.WriteString("\x1b[m")
				}
			}
			view = append(view, b.String())
		}
		if p := r.flush(strings.Join(view, "\n")); p != nil {
			writes = append(writes, p)
		}
	}
	return writes
}

// recorder keeps what the real Bubble Tea program writes.
type recorder struct {
	mu     sync.Mutex
	writes [][]byte
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, append([]byte(nil), p...))
	return len(p), nil
}

func (r *recorder) frames() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, w := range r.writes {
		if bytes.HasPrefix(w, []byte(home)) && len(w) > len(home) {
			n++
		}
	}
	return n
}

type views struct{ frames []string }

type nextFrame struct{}

func (v *views) Init() tea.Cmd { return nil }

func (v *views) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(nextFrame); ok && len(v.frames) > 1 {
		v.frames = v.frames[1:]
	}
	return v, nil
}

func (v *views) View() string { return v.frames[0] }

// TestRealRenderer runs the frames of a walk along a grid row (with a screen
// that shrinks and grows, a wide character cut at the edge, and a resize)
// through Bubble Tea itself, and replays what it wrote.
func TestRealRenderer(t *testing.T) {
	var frames []string
	for cur := 0; cur < 9; cur++ {
		status := []string{"第1栏 小型学校", "第2栏 小型医疗机构  上季度：680", "第3栏 小商店"}[cur%3]
		f := "\x1b[1m南安 水头\x1b[m\n" + gridRow(cur) + "\n" + status
		if cur%4 == 3 {
			f += "\n! 一条错误信息：本栏应等于第2栏\n"
		}
		frames = append(frames, f+"\n\x1b[2m? 全部按键\x1b[m")
	}
	rec := &recorder{}
	p := tea.NewProgram(&views{frames: frames}, tea.WithOutput(rec), tea.WithInput(nil),
		tea.WithAltScreen(), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	wait := func(n int) {
		t.Helper()
		for end := time.Now().Add(10 * time.Second); rec.frames() < n; time.Sleep(time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("Bubble Tea wrote %d frames, want %d", rec.frames(), n)
			}
		}
	}
	p.Send(tea.WindowSizeMsg{Width: 60, Height: 12})
	wait(1)
	for i := 1; i < len(frames); i++ {
		if i == 5 {
			p.Send(tea.WindowSizeMsg{Width: 60, Height: 12}) // a repaint
		}
		n := rec.frames()
		p.Send(nextFrame{})
		wait(n + 1)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	raw, lean := replay(t, 60, 12, rec.writes)
	t.Logf("%d writes: %d B from Bubble Tea, %d B sent", len(rec.writes), raw, lean)
	if raw-lean < 300 { // seven moves of about 50 B each
		t.Errorf("the writer saved little: %d of %d B", lean, raw)
	}
}

// BenchmarkMove is one cursor move on a 120-column grid row with a new
// status line, through the writer.
func BenchmarkMove(b *testing.B) {
	r := renderer{width: 120, height: 40}
	var frames [][]byte
	for cur := 0; cur < 9; cur++ {
		frames = append(frames, r.flush("\x1b[1m南安 水头\x1b[m\n"+gridRow(cur)+"\n第"+string(rune('1'+cur))+"栏 小型医疗机构  上季度：680"))
	}
	fw := New(io.Discard)
	fw.Write(frames[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fw.Write(frames[1+i%8])
	}
}
