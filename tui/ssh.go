package tui

// This file is the workstation's half of the SSH glue: SSHMiddleware runs one
// program per session. The server (keys, host key, idle timeout, command mode,
// logging) is package serve, whose doc tells the whole story; cmd/jibao joins
// the two.

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/muesli/termenv"

	"jibao/internal/framediff"
	"jibao/model"
)

// RemoteChangeMsg says that a report changed through the shared store: another
// session (or this one) committed cells of it. The workstation should reload the
// report if it has it open, and tell the clerk when By is someone else and one of
// Keys is a cell they were looking at or had just entered. Notices that arrive
// close together are merged, one message per report.
type RemoteChangeMsg struct {
	ID   model.ReportID
	By   string
	Keys []model.CellKey
}

// sshNoticer is the part of *store.Store that tells about other sessions' commits.
type sshNoticer interface {
	Subscribe() (<-chan model.Notice, func())
}

// Timings of a session's end: the workstation gets a Ctrl+C (it quits once every
// queued write is durable, which under heavy load can take seconds), then a
// plain quit, then is killed. Only a hung program should ever need the last two.
const (
	sshQuitGrace = 10 * time.Second
	sshKillGrace = 2 * time.Second
	// sshNoticeBatch is how long notices are gathered before they go to the
	// program: with many clerks typing, one redraw per report per batch.
	sshNoticeBatch = 100 * time.Millisecond
)

// SSHStreams may wrap a session's input and output before the workstation uses
// them; the server transcodes for a GBK terminal this way. nil keeps them.
type SSHStreams func(sess ssh.Session, in io.Reader, out io.Writer) (io.Reader, io.Writer)

// SSHMiddleware serves the workstation on SSH sessions that have a terminal.
// optsFor says who the session is (User, AllowedUnits, ReadOnly, Store); the
// renderer is made per session from the client's TERM. The program ends when
// the clerk quits or the session's context is done (idle timeout, shutdown,
// dropped connection); a panic in it is re-raised after Bubble Tea has restored
// the terminal, for the server to log, and ends this session only.
func SSHMiddleware(optsFor func(ssh.Session) (Options, error), streams SSHStreams) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			defer next(sess)
			pty, winch, ok := sess.Pty()
			if !ok {
				fmt.Fprintln(sess.Stderr(), "jibao: 需要终端，请用 ssh -t 登录")
				return
			}
			o, err := optsFor(sess)
			if err != nil {
				fmt.Fprintf(sess.Stderr(), "jibao: %v\n", err)
				return
			}
			if o.Renderer == nil {
				o.Renderer = sshRenderer(sess, pty.Term)
			}
			sw := newInputSwitch(sess)
			defer sw.close()
			var r io.Reader = switchView{s: sw}
			var w io.Writer = sess
			if streams != nil {
				r, w = streams(sess, r, w)
			}
			// Pastes typed out as keys are read apart (pasteinput.go); Bubble
			// Tea's renderer ticks 60 times a second even when nothing changes,
			// so sshFrames paints only new frames (see sshframes.go).
			// Each frame's lines go out as only their changed cells
			// (internal/framediff); the transfer's lines go through the same
			// filter so that it always knows what the screen shows.
			fw := framediff.Wrap(w)
			painter := newFramePainter(fw)
			if o.Transfer == nil {
				o.Transfer = &sshTransfer{sess: sess, in: sw, text: fw, painter: painter}
			}
			if f, ok := w.(interface{ Flush() error }); ok {
				defer f.Flush()
			}
			in := &sshInput{r: r, eof: make(chan struct{})}
			pin, pastes := newPasteInput(in)
			p := tea.NewProgram(sshFrames{inner: New(o), p: painter}, tea.WithInput(pin), tea.WithOutput(w),
				tea.WithoutRenderer(), tea.WithoutSignalHandler())
			pastes.setSend(p.Send)
			done := make(chan struct{})
			defer close(done)
			go sshForwardWindow(p, winch, done)
			if n, ok := o.Store.(sshNoticer); ok {
				go sshForwardNotices(p, n, o.AllowedUnits, done)
			}
			go sshEndOnContext(p, sess.Context().Done(), in.eof, done)
			_, err = p.Run()
			painter.stop()
			if errors.Is(err, tea.ErrProgramPanic) {
				panic(err)
			}
		}
	}
}

// sshRenderer makes the session's renderer from its TERM. It does not ask the
// terminal for its background colour: over SSH the answer arrives on the
// session's input, and a late one would be read as keystrokes.
func sshRenderer(sess ssh.Session, term string) *lipgloss.Renderer {
	if term == "" || term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := append(sess.Environ(), "TERM="+term)
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(sshEnviron(env)), termenv.WithUnsafe(),
		termenv.WithColorCache(true))
	r.SetHasDarkBackground(true)
	return r
}

// sshEnviron is the client's environment as termenv wants it.
type sshEnviron []string

// Environ returns the variables.
func (e sshEnviron) Environ() []string { return e }

// Getenv returns one variable, the last one set.
func (e sshEnviron) Getenv(k string) string {
	v := ""
	for _, kv := range e {
		if name, value, ok := strings.Cut(kv, "="); ok && name == k {
			v = value
		}
	}
	return v
}

func sshForwardWindow(p *tea.Program, winch <-chan ssh.Window, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case w, ok := <-winch:
			if !ok {
				return
			}
			if w.Width <= 0 || w.Height <= 0 {
				// ssh -tt without a local terminal asks for a 0x0 pty.
				w.Width, w.Height = 80, 24
			}
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		}
	}
}

// sshForwardNotices turns the store's notices about reports this session may see
// into RemoteChangeMsgs, gathered for sshNoticeBatch and merged per report.
func sshForwardNotices(p *tea.Program, n sshNoticer, allowed func(variant, unit string) bool, done <-chan struct{}) {
	ch, cancel := n.Subscribe()
	defer cancel()
	for {
		var first model.Notice
		select {
		case <-done:
			return
		case nt, ok := <-ch:
			if !ok {
				return
			}
			first = nt
		}
		batch := map[model.ReportID]*RemoteChangeMsg{}
		var order []model.ReportID
		add := func(nt model.Notice) {
			if allowed != nil && !allowed(nt.ID.Variant, nt.ID.Unit) {
				return
			}
			m, ok := batch[nt.ID]
			if !ok {
				m = &RemoteChangeMsg{ID: nt.ID}
				batch[nt.ID] = m
				order = append(order, nt.ID)
			}
			m.By = nt.By // the latest writer is the one whose value shows
			m.Keys = append(m.Keys, nt.Keys...)
		}
		add(first)
		timer := time.NewTimer(sshNoticeBatch)
	gather:
		for {
			select {
			case <-done:
				timer.Stop()
				return
			case nt, ok := <-ch:
				if !ok {
					break gather
				}
				add(nt)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		for _, id := range order {
			p.Send(*batch[id])
		}
	}
}

// sshInput is the session's input; it says when the client closed it, which
// Bubble Tea alone would take as nothing more to read.
type sshInput struct {
	r    io.Reader
	eof  chan struct{}
	once sync.Once
}

// Read reads the session, noting the end of its input.
func (in *sshInput) Read(p []byte) (int, error) {
	n, err := in.r.Read(p)
	if err != nil {
		in.once.Do(func() { close(in.eof) })
	}
	return n, err
}

// sshEndOnContext ends the program when the session's context is done (idle
// timeout, shutdown, dropped connection) or its input ended: first as if the
// clerk pressed Ctrl+C, so that queued writes finish and the cursor is saved,
// then harder if the program does not go.
func sshEndOnContext(p *tea.Program, ctxDone, eof, done <-chan struct{}) {
	select {
	case <-done:
		return
	case <-ctxDone:
	case <-eof:
	}
	p.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	select {
	case <-done:
		return
	case <-time.After(sshQuitGrace):
	}
	p.Quit()
	select {
	case <-done:
	case <-time.After(sshKillGrace):
		p.Kill()
	}
}
