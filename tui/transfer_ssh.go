package tui

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"

	"jibao/zmodem"
)

// inputSwitch owns a session's input so that a ZMODEM transfer can take it
// from the workstation and give it back without a byte going to the wrong one.
// Bubble Tea cannot cancel a read on an SSH channel (it is not a file): its
// reader would swallow the terminal's first ZMODEM answer. One pump reads the
// channel; the workstation's view and the transfer's view take from what it
// read, each only while the input is theirs.
type inputSwitch struct {
	src      io.Reader
	mu       sync.Mutex
	cond     *sync.Cond
	pending  []byte
	err      error
	diverted bool
	gen      int // diversions so far
	woken    int // the diversion the workstation's blocked read returned for
	closed   bool
	muteOO   time.Time // until then a lone "OO" (ZMODEM's over-and-out) is dropped
}

func newInputSwitch(src io.Reader) *inputSwitch {
	s := &inputSwitch{src: src}
	s.cond = sync.NewCond(&s.mu)
	go s.pump()
	return s
}

func (s *inputSwitch) pump() {
	buf := make([]byte, 32*1024)
	for {
		n, err := s.src.Read(buf)
		s.mu.Lock()
		s.pending = append(s.pending, buf[:n]...)
		if err != nil {
			s.err = err
		}
		s.cond.Broadcast()
		for len(s.pending) > 0 && !s.closed {
			s.cond.Wait() // one read ahead at most
		}
		done := s.closed || err != nil
		s.mu.Unlock()
		if done {
			return
		}
	}
}

// read is a Read for the workstation (diverted false) or the transfer.
func (s *inputSwitch) read(p []byte, diverted bool) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		switch {
		case s.diverted != diverted && diverted:
			return 0, io.EOF // the transfer is over
		case s.diverted != diverted && s.woken != s.gen:
			// Once, empty: Bubble Tea has cancelled its reader by now and
			// ends it on the next return. Not an error: the GBK decoder in
			// between would keep returning it after the transfer.
			s.woken = s.gen
			return 0, nil
		case s.diverted != diverted:
			// a later read waits for the input to come back
		case len(s.pending) > 0:
			if !diverted && time.Now().Before(s.muteOO) && strings.Trim(string(s.pending), "O") == "" {
				s.pending = nil
				s.cond.Broadcast()
				continue
			}
			n := copy(p, s.pending)
			s.pending = s.pending[n:]
			if len(s.pending) == 0 {
				s.cond.Broadcast()
			}
			return n, nil
		case s.err != nil:
			return 0, s.err
		case s.closed:
			return 0, io.EOF
		}
		s.cond.Wait()
	}
}

// divert gives the input to a transfer until restore.
func (s *inputSwitch) divert() io.Reader {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.diverted = true
	s.gen++
	s.cond.Broadcast()
	return switchView{s, true}
}

// restore gives the input back to the workstation; what the transfer left
// unread is the protocol's, not keys.
func (s *inputSwitch) restore() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.diverted = false
	s.pending = nil
	s.muteOO = time.Now().Add(time.Second)
	s.cond.Broadcast()
}

func (s *inputSwitch) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.cond.Broadcast()
}

// switchView is one side's reader.
type switchView struct {
	s        *inputSwitch
	diverted bool
}

// Read reads the session's input while it is this side's.
func (v switchView) Read(p []byte) (int, error) { return v.s.read(p, v.diverted) }

// sshTransfer is a session's Transfer: ZMODEM on the raw session streams,
// under any transcoding of the workstation's.
type sshTransfer struct {
	sess    ssh.Session
	in      *inputSwitch
	text    io.Writer     // the workstation's output, in the terminal's encoding
	painter *framePainter // held while the transfer runs; nil in tests
}

// Send sends a file to the terminal.
func (t *sshTransfer) Send(name string, data []byte) TransferJob {
	return &sshJob{t: t, name: name, data: data}
}

// Receive receives one file from the terminal.
func (t *sshTransfer) Receive() TransferJob { return &sshJob{t: t, receive: true} }

// Download is the OpenSSH command line that fetches the same file.
func (t *sshTransfer) Download(args []string, file string) string {
	host, port := "服务器", "22"
	if a := t.sess.LocalAddr(); a != nil {
		if h, p, err := net.SplitHostPort(a.String()); err == nil {
			host, port = h, p
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	cmd := "ssh "
	if port != "22" {
		cmd += "-p " + port + " "
	}
	cmd += shellWord(t.sess.User()) + "@" + host + " jibao"
	for _, a := range args {
		cmd += " " + shellWord(a)
	}
	if args[len(args)-1] != "-" {
		cmd += " -o -"
	}
	return cmd + " > " + shellWord(file)
}

// shellWord quotes a word for a POSIX shell and cmd.exe alike when it needs it.
func shellWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'&|<>()$`\\;*?!") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// sshJob is one transfer; tea.Exec runs it with the terminal released.
type sshJob struct {
	t       *sshTransfer
	receive bool
	name    string
	data    []byte
	res     zmodem.Result
	err     error
}

// SetStdin is ignored: the job reads the raw session, not the workstation's
// (possibly transcoded) input.
func (j *sshJob) SetStdin(io.Reader) {}

// SetStdout is ignored, as SetStdin.
func (j *sshJob) SetStdout(io.Writer) {}

// SetStderr is ignored, as SetStdin.
func (j *sshJob) SetStderr(io.Writer) {}

// Result is what the transfer did.
func (j *sshJob) Result() (zmodem.Result, error) { return j.res, j.err }

// Run says on the terminal what is about to happen (the terminal's own dialog
// shows the progress), then runs sz or rz on the session.
func (j *sshJob) Run() error {
	t := j.t
	if t.painter != nil {
		t.painter.pause()
		defer t.painter.resume()
	}
	if j.receive {
		io.WriteString(t.text, "\r\n正在等待终端发送文件（ZMODEM）：请在终端的对话框中选择填好的 xlsx。不支持的终端按任意键返回。\r\n")
	} else {
		io.WriteString(t.text, fmt.Sprintf("\r\n正在用 ZMODEM 发送 %s（%d 字节）：终端会弹出保存对话框。不支持的终端按任意键返回。\r\n", j.name, len(j.data)))
	}
	flushWriter(t.text)
	in := t.in.divert()
	defer t.in.restore()
	var ctx context.Context = t.sess.Context()
	if !j.receive {
		j.res, j.err = zmodem.Send(ctx, in, t.sess, j.name, j.data, zmodem.Options{})
		return nil
	}
	dir, err := os.MkdirTemp("", "jibao-rz-")
	if err != nil {
		j.err = err
		return nil
	}
	j.res, j.err = zmodem.Receive(ctx, in, t.sess, dir, zmodem.Options{})
	if j.err != nil {
		os.RemoveAll(dir)
		j.res.Files = nil
	}
	return nil
}

func flushWriter(w io.Writer) {
	if f, ok := w.(interface{ Flush() error }); ok {
		f.Flush()
	}
}
