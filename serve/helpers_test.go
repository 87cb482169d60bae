package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"

	"jibao/internal/testenv"
)

// needSSH fails a test when OpenSSH is missing (see internal/testenv).
func needSSH(t *testing.T) {
	t.Helper()
	testenv.MustHaveTool(t, "ssh")
	testenv.MustHaveTool(t, "ssh-keygen")
}

// keygen makes an ed25519 key pair with ssh-keygen and returns the private key's
// path and the public key line.
func keygen(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	path := filepath.Join(dir, name)
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return path, strings.TrimSpace(string(pub))
}

// syncBuf is an output buffer a test can poll while ssh writes to it.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitFor polls until s() contains want.
func waitFor(t *testing.T, what string, s func() string, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %q never appeared in:\n%s", what, want, s())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// testServer is a server on a free loopback port with a fake grid: it greets the
// person, echoes lines, and panics on "panic".
type testServer struct {
	*Server
	dir, keys string
	log       *syncBuf
	port      string
}

func startServer(t *testing.T, keys string, idle time.Duration) *testServer {
	t.Helper()
	dir := t.TempDir()
	ts := &testServer{dir: dir, keys: filepath.Join(dir, "keys"), log: &syncBuf{}}
	if err := os.WriteFile(ts.keys, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Keys: ts.keys, HostKey: filepath.Join(dir, "host_key"), Idle: idle, Log: ts.log,
		Grid: fakeGrid, Command: fakeCommand, KeysPoll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = srv
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, ts.port, _ = net.SplitHostPort(l.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ts
}

// ssh builds an OpenSSH client command for the server with the given key
// ("" for none) and extra arguments.
func (ts *testServer) ssh(key string, args ...string) *exec.Cmd {
	base := []string{"-F", "/dev/null", "-p", ts.port, "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
		"-o", "ConnectTimeout=10", "-o", "LogLevel=INFO"}
	if key != "" {
		base = append(base, "-i", key)
	} else {
		base = append(base, "-o", "PubkeyAuthentication=no")
	}
	base = append(base, args...)
	base = append(base[:len(base):len(base)], "clerk@127.0.0.1")
	c := exec.Command("ssh", base...)
	// OpenSSH prints the server's Chinese messages only in a UTF-8 locale.
	c.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return c
}

// run runs a command-mode ssh and returns its exit code, stdout and stderr.
func (ts *testServer) run(t *testing.T, key string, command ...string) (int, string, string) {
	t.Helper()
	c := ts.ssh(key)
	c.Args = append(c.Args, command...)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr, c.Stdin = &out, &errb, nil
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// interactive starts ssh -tt; the caller types with in and polls out.
type interactive struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *syncBuf
	done chan error
}

func (ts *testServer) interactive(t *testing.T, key string) *interactive {
	t.Helper()
	c := ts.ssh(key, "-tt")
	s := &interactive{cmd: c, out: &syncBuf{}, done: make(chan error, 1)}
	c.Stdout, c.Stderr = s.out, s.out
	var err error
	if s.in, err = c.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- c.Wait() }()
	t.Cleanup(func() {
		c.Process.Kill()
		<-s.done
	})
	return s
}

func (s *interactive) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("ssh did not exit; output:\n%s", s.out.String())
		return nil
	}
}

// fakeGrid stands in for the TUI: what serve does around it is what is tested.
var fakeGrid wish.Middleware = func(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		p := PersonOf(sess)
		fmt.Fprintf(sess, "欢迎 %s\n", p.Name)
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(sess)
			sc.Split(scanCR)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		for {
			select {
			case <-sess.Context().Done():
				fmt.Fprintln(sess, "程序结束")
				next(sess)
				return
			case l, ok := <-lines:
				switch {
				case !ok || l == "q":
					next(sess)
					return
				case l == "panic":
					panic("fake grid asked to panic")
				default:
					fmt.Fprintf(sess, "echo:%s\n", l)
				}
			}
		}
	}
}

// scanCR splits input at CR or LF: a pty sends Enter as CR.
func scanCR(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

func fakeCommand(sess ssh.Session, p *Person, args []string) int {
	fmt.Fprintf(sess, "ran %s for %s\n", strings.Join(args, " "), p.Name)
	return 0
}
