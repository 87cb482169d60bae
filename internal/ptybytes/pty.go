// Package ptybytes measures what a terminal program costs over a slow link: it
// starts the program in a pseudo-terminal of a given size, waits for the first
// frame to settle, sends keys one at a time and counts the bytes the program
// writes in answer to each. `make bytes` prints the table of the README with it;
// tui's tests assert bounds with it.
//
// A key's answer is over when the program has been quiet for Quiet (Bubble Tea
// v1 paints at most every 16.7 ms, so 80 ms is nearly five frames, time for a
// stored cell's second frame on a busy machine); a key with no answer for
// NoOutput (1 s: a late frame taken for silence would be counted with the next
// key) counts as silent, 0 bytes. The driver answers the
// terminal queries a real terminal answers (cursor position, colours, device
// attributes): unanswered, termenv waits 5 s for the background colour.
package ptybytes

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/creack/pty"
)

// Timing is how the driver decides that an answer is over.
type Timing struct {
	FirstQuiet time.Duration // the first frame is over after this long with no output
	Quiet      time.Duration // a key's answer is over after this long with no output
	NoOutput   time.Duration // a key with no output at all for this long is silent
	Max        time.Duration // the cap on any one wait
}

// DefaultTiming suits Bubble Tea v1 (60 frames a second) and curses programs.
var DefaultTiming = Timing{FirstQuiet: 400 * time.Millisecond, Quiet: 80 * time.Millisecond, NoOutput: time.Second, Max: 20 * time.Second}

// Session is one program running in a pty.
type Session struct {
	cmd    *exec.Cmd
	f      *os.File
	timing Timing
	chunks chan []byte
	done   chan error

	mu     sync.Mutex
	appCur bool   // DECCKM: the program asked for application cursor keys
	tail   []byte // the end of the last read, so a query split across reads is seen

	answer []byte // everything written in answer to the last key (or Send)
}

// Answer is what the program wrote in answer to the last key or keys sent.
func (s *Session) Answer() []byte { return s.answer }

// Start runs name with args in a cols x rows pty with TERM=xterm-256color and
// LANG=C.UTF-8, in dir, with env added to the environment.
func Start(cols, rows int, dir string, env []string, name string, args ...string) (*Session, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	for _, e := range os.Environ() {
		switch strings.SplitN(e, "=", 2)[0] {
		case "TERM", "COLUMNS", "LINES", "TMUX", "COLORTERM", "NO_COLOR", "LANG", "LC_ALL", "LC_CTYPE":
			continue
		}
		cmd.Env = append(cmd.Env, e)
	}
	cmd.Env = append(append(cmd.Env, "TERM=xterm-256color", "LANG=C.UTF-8"), env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &Session{cmd: cmd, f: f, timing: DefaultTiming, chunks: make(chan []byte, 1024), done: make(chan error, 1)}
	go s.read()
	go func() { s.done <- cmd.Wait() }()
	return s, nil
}

// SetTiming changes how answers are delimited (before First).
func (s *Session) SetTiming(t Timing) { s.timing = t }

func (s *Session) read() {
	buf := make([]byte, 64*1024)
	for {
		n, err := s.f.Read(buf)
		if n > 0 {
			d := append([]byte(nil), buf[:n]...)
			s.reply(d)
			s.chunks <- d
		}
		if err != nil {
			close(s.chunks)
			return
		}
	}
}

// queries are what a terminal is asked and what xterm would answer.
var queries = []struct{ ask, reply string }{
	{"\x1b[6n", "\x1b[1;1R"},
	{"\x1b]11;?", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
	{"\x1b]10;?", "\x1b]10;rgb:ffff/ffff/ffff\x1b\\"},
	{"\x1b[c", "\x1b[?62;22c"},
}

// reply answers terminal queries and follows the cursor-key mode.
func (s *Session) reply(d []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := append(s.tail, d...)
	from := len(s.tail) // a query wholly inside the old tail was answered already
	// Replies go in the order of the questions: termenv takes a cursor position
	// before the colour as "no colour support", and the colour then reads as keys.
	for i := 0; i < len(seen); i++ {
		for _, q := range queries {
			if bytes.HasPrefix(seen[i:], []byte(q.ask)) && i+len(q.ask) > from {
				s.f.Write([]byte(q.reply))
			}
		}
	}
	if i, j := bytes.LastIndex(seen, []byte("\x1b[?1h")), bytes.LastIndex(seen, []byte("\x1b[?1l")); i != j {
		s.appCur = i > j
	}
	if len(seen) > 16 {
		seen = seen[len(seen)-16:]
	}
	s.tail = append([]byte(nil), seen...)
}

// collect counts output until quiet passes without any (after some came), none
// passes with nothing at all, or the cap.
func (s *Session) collect(quiet, none time.Duration) (int, error) {
	n, last := 0, []byte(nil)
	s.answer = s.answer[:0]
	timer := time.NewTimer(none)
	defer timer.Stop()
	hard := time.After(s.timing.Max)
	for {
		select {
		case d, ok := <-s.chunks:
			if !ok {
				return n, fmt.Errorf("the program ended, its last words: %q", last)
			}
			n += len(d)
			s.answer = append(s.answer, d...)
			last = append(last, d...)
			if len(last) > 400 {
				last = last[len(last)-400:]
			}
			timer.Reset(quiet)
		case <-timer.C:
			return n, nil
		case <-hard:
			return n, fmt.Errorf("output never went quiet in %v", s.timing.Max)
		}
	}
}

// First waits for the first frame to settle and returns its size.
func (s *Session) First() (int, error) {
	return s.collect(s.timing.FirstQuiet, s.timing.Max)
}

// Key sends one key and returns the bytes written in answer (0: silent).
func (s *Session) Key(name string) (int, error) {
	b, err := s.keyBytes(name)
	if err != nil {
		return 0, err
	}
	if _, err := s.f.Write(b); err != nil {
		return 0, err
	}
	return s.collect(s.timing.Quiet, s.timing.NoOutput)
}

// Send writes keys without measuring (to open a screen, say); Answer is then
// what they all brought.
func (s *Session) Send(names ...string) error {
	var all []byte
	defer func() { s.answer = all }()
	for _, k := range names {
		b, err := s.keyBytes(k)
		if err != nil {
			return err
		}
		if _, err := s.f.Write(b); err != nil {
			return err
		}
		_, err = s.collect(s.timing.Quiet, s.timing.NoOutput)
		all = append(all, s.answer...)
		if err != nil {
			return err
		}
	}
	return nil
}

var arrows = map[string]byte{"up": 'A', "down": 'B', "right": 'C', "left": 'D', "home": 'H', "end": 'F'}

var named = map[string]string{"enter": "\r", "tab": "\t", "esc": "\x1b", "space": " ", "backspace": "\x7f", "pgup": "\x1b[5~", "pgdown": "\x1b[6~"}

// keyBytes is what a terminal sends for a key: a named key, ctrl+x, or one
// character. Cursor keys follow DECCKM as xterm does (curses programs ask for
// application mode and understand only ESC O A).
func (s *Session) keyBytes(name string) ([]byte, error) {
	if c, ok := arrows[name]; ok {
		s.mu.Lock()
		app := s.appCur
		s.mu.Unlock()
		if app {
			return []byte{0x1b, 'O', c}, nil
		}
		return []byte{0x1b, '[', c}, nil
	}
	if b, ok := named[name]; ok {
		return []byte(b), nil
	}
	if c, ok := strings.CutPrefix(name, "ctrl+"); ok && len(c) == 1 && c[0] >= 'a' && c[0] <= 'z' {
		return []byte{c[0] - 'a' + 1}, nil
	}
	if len([]rune(name)) == 1 {
		return []byte(name), nil
	}
	return nil, fmt.Errorf("ptybytes: unknown key %q", name)
}

// Close ends the program: it is asked to quit with quit (if any) and killed
// when it has not ended after two seconds.
func (s *Session) Close(quit ...string) error {
	if len(quit) > 0 {
		s.Send(quit...) // a program that ended already is what we want
	}
	go func() {
		for range s.chunks { // keep the pty drained while the program exits
		}
	}()
	var err error
	select {
	case err = <-s.done:
	case <-time.After(2 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	s.f.Close()
	return err
}
