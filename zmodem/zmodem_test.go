package zmodem

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"jibao/internal/testenv"
)

// startInPty runs a program (Debian's rz or sz, the clerk's side) in a pty, as
// a terminal program would see it.
func startInPty(t *testing.T, dir string, name string, args ...string) (*os.File, *exec.Cmd) {
	t.Helper()
	testenv.MustHaveTool(t, name)
	c := exec.Command(name, args...)
	c.Dir = dir
	f, err := pty.Start(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close(); c.Process.Kill(); c.Wait() })
	// Until the program puts its terminal in raw mode, the pty echoes what we
	// send, and the echo would read as the clerk typing.
	deadline := time.Now().Add(5 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			return f, c
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never set its terminal raw", name)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSendToRzThroughPty(t *testing.T) {
	data := make([]byte, 300_000)
	rand.Read(data) // every byte value, control characters included
	dir := t.TempDir()
	f, c := startInPty(t, dir, "rz", "-b", "-e", "-q")
	res, err := Send(context.Background(), f, f, "南安-水头-2025Q3-季报表.xlsx", data, Options{})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := c.Wait(); err != nil {
		t.Fatalf("rz: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "南安-水头-2025Q3-季报表.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) || !res.Answered || res.Bytes != int64(len(data)) {
		t.Fatalf("received %d bytes (equal %v), result %+v", len(got), bytes.Equal(got, data), res)
	}
	t.Logf("%d bytes in %v", len(data), res.Elapsed)
}

func TestReceiveFromSzThroughPty(t *testing.T) {
	data := make([]byte, 100_000)
	rand.Read(data)
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "填好的.xlsx"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, _ := startInPty(t, src, "sz", "-b", "-e", "-q", "填好的.xlsx")
	dir := t.TempDir()
	res, err := Receive(context.Background(), f, f, dir, Options{Answer: 10 * time.Second})
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	if len(res.Files) != 1 || filepath.Base(res.Files[0]) != "填好的.xlsx" {
		t.Fatalf("files %v", res.Files)
	}
	got, _ := os.ReadFile(res.Files[0])
	if !bytes.Equal(got, data) {
		t.Fatalf("received %d bytes, not the file", len(got))
	}
}

// silent is a terminal that never answers (OpenSSH in a plain terminal).
type silent struct{ stop chan struct{} }

func (s silent) Read([]byte) (int, error) { <-s.stop; return 0, io.EOF }

func TestSendNoAnswerCancels(t *testing.T) {
	testenv.MustHaveTool(t, "sz")
	in := silent{make(chan struct{})}
	defer close(in.stop)
	var out bytes.Buffer
	start := time.Now()
	_, err := Send(context.Background(), in, &out, "a.xlsx", []byte("PK"), Options{Answer: 500 * time.Millisecond})
	if !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("err %v, want ErrNoAnswer", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("took %v to give up", d)
	}
	s := out.String()
	if !strings.Contains(s, "**\x18B00") || !strings.HasSuffix(s, Cancel) {
		t.Fatalf("output %q: want the ZRQINIT then the cancel", s)
	}
}

func TestKeyBeforeAnswerCancels(t *testing.T) {
	testenv.MustHaveTool(t, "sz")
	var out bytes.Buffer
	start := time.Now()
	_, err := Send(context.Background(), io.MultiReader(strings.NewReader("q"), silent{make(chan struct{})}), &out, "a.xlsx",
		[]byte("PK"), Options{Answer: time.Minute})
	if !errors.Is(err, ErrCancelled) || time.Since(start) > 3*time.Second {
		t.Fatalf("err %v after %v, want ErrCancelled at once", err, time.Since(start))
	}
	if !strings.HasSuffix(out.String(), Cancel) {
		t.Fatalf("no cancel at the end of %q", out.String())
	}
}
