package tui

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// Over SSH the workstation is drawn by sshFrames instead of Bubble Tea's
// standard renderer. That renderer wakes 60 times a second for as long as the
// program runs, copies the whole frame and compares it with the last one: 50
// idle sessions cost 5-7 % of a core doing nothing. sshFrames paints the same
// way (line by line, unchanged lines skipped, at most one frame per
// sshFrameDelay) but only after a View that may have changed: a one-shot timer
// per new frame, none while the screen stands still.

// sshFrameDelay gathers the frames of a burst of messages into one, as Bubble
// Tea's 60 fps ticker does.
const sshFrameDelay = time.Second / 60

// sshFrames wraps the root model: its View hands each frame to the painter.
type sshFrames struct {
	inner tea.Model
	p     *framePainter
}

func (m sshFrames) Init() tea.Cmd { return m.inner.Init() }

func (m sshFrames) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		m.p.resize(ws.Width, ws.Height)
	}
	var cmd tea.Cmd
	m.inner, cmd = m.inner.Update(msg)
	return m, cmd
}

// View is called by Bubble Tea after every Update (with tea.WithoutRenderer it
// draws nothing itself).
func (m sshFrames) View() string {
	m.p.write(m.inner.View())
	return ""
}

// framePainter writes frames to the session, in the alternate screen.
type framePainter struct {
	mu            sync.Mutex
	out           io.Writer
	width, height int
	buf           string // the newest frame
	lastRender    string
	lastLines     []string
	linesRendered int
	pending       bool
	timer         *time.Timer
	stopped       bool
	held          bool // a transfer has the session (pause … resume)
}

// newFramePainter enters the alternate screen, hides the cursor and turns on
// bracketed paste, as Bubble Tea does at the start of a program.
func newFramePainter(out io.Writer) *framePainter {
	io.WriteString(out, screenSetup)
	return &framePainter{out: out}
}

// screenSetup is what a program's start writes: the alternate screen, cleared,
// no cursor, bracketed paste on.
const screenSetup = ansi.HideCursor + ansi.SetModeAltScreenSaveCursor + ansi.EraseEntireScreen +
	ansi.CursorHomePosition + ansi.HideCursor + ansi.SetModeBracketedPaste

// pause holds every frame while a transfer (ZMODEM) has the session to itself:
// a frame painted in the middle of one would corrupt it.
func (p *framePainter) pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.pending, p.held = false, true
}

// resume gives the screen back after a transfer: the alternate screen set up
// again and the newest frame painted whole, since the transfer's lines and the
// terminal's own dialog went over it.
func (p *framePainter) resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		p.held = false
		return
	}
	// The terminal (or the program it hands the transfer to) ends its ZMODEM
	// session only after the last packet: a repaint sent at once can land in
	// it. The screen comes back a moment later, whole.
	p.timer = time.AfterFunc(sshResumeDelay, func() {
		p.mu.Lock()
		p.held = false
		io.WriteString(p.out, screenSetup)
		p.lastRender, p.lastLines, p.linesRendered = "", nil, 0
		p.mu.Unlock()
		p.flush()
	})
}

// sshResumeDelay is how long the screen waits after a transfer before it is
// painted again.
const sshResumeDelay = 300 * time.Millisecond

func (p *framePainter) resize(w, h int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.width, p.height = w, h
	p.lastRender, p.lastLines = "", nil // repaint
}

// write takes a new frame; it is painted after sshFrameDelay, together with
// whatever frames follow it until then.
func (p *framePainter) write(s string) {
	if s == "" {
		s = " "
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = s
	if p.pending || p.stopped || p.held || s == p.lastRender {
		return
	}
	p.pending = true
	p.timer = time.AfterFunc(sshFrameDelay, p.flush)
}

// stop paints the last frame and gives the terminal back: cursor shown, the
// normal screen and no bracketed paste, as Bubble Tea leaves it.
func (p *framePainter) stop() {
	p.mu.Lock()
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Unlock()
	p.flush()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	io.WriteString(p.out, ansi.EraseEntireLine+"\r"+ansi.ResetModeBracketedPaste+ansi.ShowCursor+ansi.ResetModeAltScreenSaveCursor)
}

// flush paints the newest frame: Bubble Tea's standard renderer's algorithm
// for the alternate screen, so that a session gets the same bytes as before.
func (p *framePainter) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = false
	if p.stopped || p.held || p.buf == p.lastRender {
		return
	}
	var buf bytes.Buffer
	buf.WriteString(ansi.CursorHomePosition)
	newLines := strings.Split(p.buf, "\n")
	if p.height > 0 && len(newLines) > p.height {
		newLines = newLines[len(newLines)-p.height:]
	}
	for i, line := range newLines {
		if len(p.lastLines) > i && p.lastLines[i] == line {
			if i < len(newLines)-1 {
				buf.WriteByte('\n')
			}
			continue
		}
		if i == 0 && p.lastRender == "" {
			buf.WriteByte('\r')
		}
		if p.width > 0 {
			line = ansi.Truncate(line, p.width, "")
		}
		if ansi.StringWidth(line) < p.width {
			line += ansi.EraseLineRight
		}
		buf.WriteString(line)
		if i < len(newLines)-1 {
			buf.WriteString("\r\n")
		}
	}
	if p.linesRendered > len(newLines) {
		buf.WriteString(ansi.EraseScreenBelow)
	}
	p.linesRendered = len(newLines)
	buf.WriteString(ansi.CursorPosition(0, len(newLines)))
	p.out.Write(buf.Bytes())
	p.lastRender = p.buf
	p.lastLines = newLines
}
