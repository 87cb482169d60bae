// Package zmodem moves files through a clerk's terminal by ZMODEM, the way files
// travel over SSH on Chinese servers: Xshell, SecureCRT and MobaXterm open a save
// or open dialog by themselves when a transfer starts. It runs Debian's lrzsz (sz
// to send, rz to receive) with the session's streams as its standard input and
// output, and adds what a workstation needs around it: a bounded wait for the
// terminal's answer, a clean cancel when none comes (OpenSSH in a plain
// terminal, PuTTY), and a key press that cancels. Why lrzsz and not a Go
// implementation: docs/serve.md#zmodem.
package zmodem

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// Cancel is the ZMODEM abort sequence: eight CANs (ZDLE, Ctrl+X) end any
// transfer on the other side, and as many backspaces wipe them from a terminal
// that printed them.
const Cancel = "\x18\x18\x18\x18\x18\x18\x18\x18\b\b\b\b\b\b\b\b"

// DefaultAnswer is how long a terminal may take to answer a send: Xshell and
// SecureCRT answer within milliseconds, before their save dialog opens.
const DefaultAnswer = 5 * time.Second

// DefaultReceiveAnswer is how long rz waits for the terminal to start sending:
// the clerk has to pick the file in the terminal's dialog first.
const DefaultReceiveAnswer = 2 * time.Minute

// ErrNoAnswer says the terminal never spoke ZMODEM: it cannot receive files.
var ErrNoAnswer = errors.New("终端没有应答 ZMODEM（OpenSSH、PuTTY 等终端不支持）")

// ErrCancelled says the clerk pressed a key before the terminal answered.
var ErrCancelled = errors.New("已取消")

// Options tune a transfer; the zero value is the defaults.
type Options struct {
	// Answer bounds the wait for the terminal's first ZMODEM frame.
	Answer time.Duration
	// Sz and Rz are the programs; "" means sz and rz on PATH.
	Sz, Rz string
}

// Result is what a transfer did.
type Result struct {
	Answered bool          // the terminal spoke ZMODEM
	Bytes    int64         // bytes of the file(s) moved
	Files    []string      // received files (Receive), in dir
	Elapsed  time.Duration // from start to the program's exit
}

// Send sends data as the file name to the terminal on in/out. in must stop
// being read (its Read return an error) once Send returns; the SSH session's
// input switch does that.
func Send(ctx context.Context, in io.Reader, out io.Writer, name string, data []byte, o Options) (Result, error) {
	dir, err := os.MkdirTemp("", "jibao-sz-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	base := filepath.Base(name)
	if err := os.WriteFile(filepath.Join(dir, base), data, 0o600); err != nil {
		return Result{}, err
	}
	prog := o.Sz
	if prog == "" {
		prog = "sz"
	}
	if o.Answer <= 0 {
		o.Answer = DefaultAnswer
	}
	// -b binary, -e escape every control character (survives SSH clients and
	// serial paths that eat ^S/^Q or ^]), -q no text on our stderr.
	res, err := run(ctx, in, out, dir, o.Answer, prog, "-b", "-e", "-q", "--", base)
	if err == nil {
		res.Bytes = int64(len(data))
	}
	return res, err
}

// Receive runs rz in dir, receiving what the clerk picks in the terminal's
// dialog; it returns the files' paths.
func Receive(ctx context.Context, in io.Reader, out io.Writer, dir string, o Options) (Result, error) {
	prog := o.Rz
	if prog == "" {
		prog = "rz"
	}
	if o.Answer <= 0 {
		o.Answer = DefaultReceiveAnswer
	}
	// --restricted: no paths outside dir; -E: never overwrite, rename.
	res, err := run(ctx, in, out, dir, o.Answer, prog, "-b", "-e", "-q", "-E", "--restricted")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		res.Files = append(res.Files, filepath.Join(dir, e.Name()))
		if fi, err := e.Info(); err == nil {
			res.Bytes += fi.Size()
		}
	}
	if err == nil && len(res.Files) == 0 {
		err = errors.New("没有收到文件")
	}
	return res, err
}

// run runs one lrzsz program on the streams and watches the terminal's side:
// until its first ZMODEM frame, a key press cancels and silence past answer
// cancels; after it, lrzsz has the line to itself.
func run(ctx context.Context, in io.Reader, out io.Writer, dir string, answer time.Duration, prog string, args ...string) (Result, error) {
	start := time.Now()
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pr, pw, err := os.Pipe()
	if err != nil {
		return Result{}, err
	}
	cmd.Stdin = pr
	ow := &lockedWriter{w: out}
	cmd.Stdout = ow
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return Result{}, fmt.Errorf("无法启动 %s（请安装 lrzsz）：%w", prog, err)
	}
	pr.Close()
	w := &watch{answered: make(chan struct{}), key: make(chan struct{})}
	go w.copy(pw, in)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	timer := time.NewTimer(answer)
	defer timer.Stop()
	answered := w.answered
	var why error
	for why == nil {
		select {
		case err := <-exited:
			pw.Close()
			res := Result{Answered: w.isAnswered(), Elapsed: time.Since(start)}
			if err != nil && !res.Answered {
				return res, ErrNoAnswer
			}
			if err != nil {
				msg := bytes.TrimSpace(stderr.Bytes())
				return res, fmt.Errorf("传输未完成（%v）%s", err, msg)
			}
			return res, nil
		case <-answered:
			timer.Stop()
			answered = nil // a closed channel is always ready
		case <-w.key:
			why = ErrCancelled
		case <-timer.C:
			why = ErrNoAnswer
		case <-ctx.Done():
			why = ctx.Err()
		}
	}
	// Stop the program first, so that nothing of it follows the cancel.
	_ = cmd.Process.Kill()
	<-exited
	pw.Close()
	ow.Write([]byte(Cancel))
	return Result{Answered: w.isAnswered(), Elapsed: time.Since(start)}, why
}

// watch copies the terminal's input to the program and notices its answer.
type watch struct {
	mu       sync.Mutex
	seen     bool
	answered chan struct{}
	key      chan struct{}
	keyOnce  sync.Once
}

func (w *watch) isAnswered() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seen
}

// copy feeds the program until in or the pipe ends. Before the terminal's first
// frame (ZPAD '*' and ZDLE Ctrl+X lead every header; a sending terminal may
// type "rz\r" first) a read with anything else and no ZDLE is a key: the clerk's terminal does not do ZMODEM and they want
// their screen back.
func (w *watch) copy(pw *os.File, in io.Reader) {
	buf := make([]byte, 32*1024)
	var held []byte // the ZPADs before the first ZDLE: part of the header
	for {
		n, err := in.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			w.mu.Lock()
			if !w.seen {
				if i := bytes.IndexByte(chunk, 0x18); i >= 0 {
					w.seen = true
					close(w.answered)
					chunk = append(held, chunk...)
				} else if len(bytes.Trim(bytes.ReplaceAll(append(held, chunk...), []byte("rz\r"), nil), "*")) > 0 {
					w.keyOnce.Do(func() { close(w.key) })
					chunk = nil
				} else {
					held = append(held, chunk...)
					chunk = nil
				}
			}
			w.mu.Unlock()
			if len(chunk) > 0 {
				if _, werr := pw.Write(chunk); werr != nil {
					return
				}
			}
		}
		if err != nil {
			pw.Close()
			return
		}
	}
}

// lockedWriter serialises the program's output with the cancel written after it.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
