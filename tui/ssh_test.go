package tui

import (
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"jibao/internal/vt"
	"jibao/model"
	"jibao/store"
)

// sshFakeNoticer hands out one notice channel.
type sshFakeNoticer struct{ ch chan model.Notice }

func (f sshFakeNoticer) Subscribe() (<-chan model.Notice, func()) { return f.ch, func() {} }

// sshRecorder is a program that reports the RemoteChangeMsgs it gets.
type sshRecorder struct{ got chan RemoteChangeMsg }

func (r sshRecorder) Init() tea.Cmd { return nil }
func (r sshRecorder) View() string  { return "" }
func (r sshRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(RemoteChangeMsg); ok {
		r.got <- m
	}
	return r, nil
}

func TestForwardNoticesMergesAndFilters(t *testing.T) {
	rec := sshRecorder{got: make(chan RemoteChangeMsg, 10)}
	p := tea.NewProgram(rec, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	go p.Run()
	defer p.Kill()
	n := sshFakeNoticer{ch: make(chan model.Notice, 10)}
	per := model.Period{Year: 2025, Quarter: 3}
	mine := model.ReportID{Variant: "nanan", Unit: "水头", Period: per}
	other := model.ReportID{Variant: "nanan", Unit: "英都", Period: per}
	k1 := model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}
	k2 := model.CellKey{Form: "t1", Row: "guobiao", Col: "c2"}
	n.ch <- model.Notice{ID: mine, By: "张三", Keys: []model.CellKey{k1}}
	n.ch <- model.Notice{ID: other, By: "王五", Keys: []model.CellKey{k1}}
	n.ch <- model.Notice{ID: mine, By: "李四", Keys: []model.CellKey{k2}}
	done := make(chan struct{})
	defer close(done)
	go sshForwardNotices(p, n, func(v, u string) bool { return u == "水头" }, done)
	select {
	case m := <-rec.got:
		if m.ID != mine || m.By != "李四" || len(m.Keys) != 2 || m.Keys[0] != k1 || m.Keys[1] != k2 {
			t.Errorf("merged message %+v, want 水头 by 李四 with both keys", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no RemoteChangeMsg")
	}
	// 英都 is not this session's: nothing more comes.
	n.ch <- model.Notice{ID: mine, By: "张三", Keys: []model.CellKey{k1}}
	select {
	case m := <-rec.got:
		if m.ID != mine {
			t.Errorf("a notice of a unit the session may not see came through: %+v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no second RemoteChangeMsg")
	}
}

// sshPanickyStore is a store whose directory lookup panics, standing in for any bug.
type sshPanickyStore struct{ Store }

func (sshPanickyStore) Units(string) ([]model.Unit, error) { panic("boom") }
func (sshPanickyStore) LastOpened(string) (model.ReportID, bool, error) {
	return model.ReportID{}, false, nil
}

// sshServer serves SSHMiddleware on a loopback port; ended receives what each
// session's handler ended with (nil, or the panic).
func sshServer(t *testing.T, opts func(ssh.Session) (Options, error)) (string, chan any) {
	t.Helper()
	ended := make(chan any, 4)
	mw := SSHMiddleware(opts, nil)
	srv := &ssh.Server{Handler: func(s ssh.Session) {
		defer func() { ended <- recover() }()
		mw(func(ssh.Session) {})(s)
	}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String(), ended
}

// sshScreen collects a client's output.
type sshScreen struct {
	mu   sync.Mutex
	buf  strings.Builder // everything written
	term *vt.Terminal    // the screen it makes
}

func (s *sshScreen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.term.Write(p)
	return s.buf.Write(p)
}

func (s *sshScreen) wait(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		got := s.term.Text() // only changed cells come: read the screen
		s.mu.Unlock()
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("screen never showed %q:\n%s", want, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func sshDialPty(t *testing.T, addr string) (*gossh.Session, io.Writer, *sshScreen) {
	return sshDialPtySize(t, addr, 120, 30)
}

func sshDialPtySize(t *testing.T, addr string, w, h int) (*gossh.Session, io.Writer, *sshScreen) {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "x", HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, _ := s.StdinPipe()
	scr := &sshScreen{term: vt.New(w, h)}
	s.Stdout = scr
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	return s, in, scr
}

func TestSSHMiddlewareRunsTheWorkstation(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addr, ended := sshServer(t, func(ssh.Session) (Options, error) {
		return Options{Store: st, User: "张三", Variant: "nanan", Unit: "水头",
			AllowedUnits: func(v, u string) bool { return u == "水头" }}, nil
	})
	sess, in, scr := sshDialPty(t, addr)
	scr.wait(t, "选择报表")
	scr.wait(t, "水头")
	io.WriteString(in, "\x03") // Ctrl+C
	if err := sess.Wait(); err != nil {
		t.Errorf("session ended with %v", err)
	}
	if p := <-ended; p != nil {
		t.Errorf("handler panicked: %v", p)
	}
}

// ssh -tt without a local terminal asks for a 0x0 pty; the grid gets 80x24.
func TestSSHMiddlewareZeroSizedPty(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addr, ended := sshServer(t, func(ssh.Session) (Options, error) { return Options{Store: st, User: "张三"}, nil })
	sess, in, scr := sshDialPtySize(t, addr, 0, 0)
	scr.wait(t, "选择报表")
	io.WriteString(in, "\x03")
	sess.Wait()
	if p := <-ended; p != nil {
		t.Errorf("handler panicked: %v", p)
	}
}

func TestSSHMiddlewareEndsWithTheConnection(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addr, ended := sshServer(t, func(ssh.Session) (Options, error) { return Options{Store: st, User: "张三"}, nil })
	sess, _, scr := sshDialPty(t, addr)
	scr.wait(t, "选择报表")
	sess.Close()
	select {
	case p := <-ended:
		if p != nil {
			t.Errorf("handler panicked: %v", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the program outlived its connection")
	}
}

func TestSSHMiddlewareReraisesAPanic(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addr, ended := sshServer(t, func(ssh.Session) (Options, error) {
		return Options{Store: sshPanickyStore{st}, User: "张三"}, nil
	})
	sess, _, _ := sshDialPty(t, addr)
	select {
	case p := <-ended:
		err, _ := p.(error)
		if !errors.Is(err, tea.ErrProgramPanic) {
			t.Errorf("handler ended with %v, want the program's panic", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a panicking program did not end its session")
	}
	sess.Close()
}

func TestSSHMiddlewareRefusesWithoutTerminal(t *testing.T) {
	addr, ended := sshServer(t, func(ssh.Session) (Options, error) { return Options{}, errors.New("unused") })
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "x", HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	out, _ := s.CombinedOutput("")
	if !strings.Contains(string(out), "需要终端") {
		t.Errorf("output %q", out)
	}
	if p := <-ended; p != nil {
		t.Errorf("handler panicked: %v", p)
	}
}

// Two SSH sessions of one person on the same report: what one commits shows in
// the other (the store's notice names only the person), and the committing
// session does not take its own notice for the other's.
func TestSSHSamePersonTwoSessions(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addr, ended := sshServer(t, func(ssh.Session) (Options, error) {
		return Options{Store: st, User: "张三", Variant: "nanan", Unit: "水头", Period: "2025Q3"}, nil
	})
	sa, ina, scra := sshDialPty(t, addr)
	sb, inb, scrb := sshDialPty(t, addr)
	scra.wait(t, "截止日期")
	scrb.wait(t, "截止日期")
	io.WriteString(ina, "3")
	scra.wait(t, "第1栏 ")
	io.WriteString(ina, "42\r")
	scrb.wait(t, "您在另一个窗口刚修改了本报表 1 格")
	scrb.wait(t, "表三 1/29")
	scra.mu.Lock()
	own := strings.Contains(ansi.Strip(scra.buf.String()), "您在另一个窗口")
	scra.mu.Unlock()
	if own {
		t.Error("the committing session announced its own commit as another window's")
	}
	for _, s := range []struct {
		in   io.Writer
		sess interface{ Wait() error }
	}{{ina, sa}, {inb, sb}} {
		io.WriteString(s.in, "\x03")
		s.sess.Wait()
		if p := <-ended; p != nil {
			t.Errorf("handler panicked: %v", p)
		}
	}
}
