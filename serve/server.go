// Package serve is `jibao serve`: one process owns the store and serves the
// entry grid to every clerk over SSH. It knows people by their public keys (the
// keys file), keeps each session to its person's units, runs a few read-only
// commands without a terminal, times idle sessions out and shuts down cleanly.
// The grid itself is handed in as a middleware (tui.SSHMiddleware), so that this
// package knows nothing of Bubble Tea.
//
// The SSH glue is one story told by three packages:
//
//   - serve (this package) owns the server: listening and shutdown (server.go),
//     who may log in and to which units (the keys file, re-read when it
//     changes: keys.go), the host key (hostkey.go), each session's life and
//     idle timeout (session.go, handle.go), command mode without a terminal
//     (command.go) and the log lines (log.go).
//   - tui.SSHMiddleware (tui/ssh.go) runs one workstation on a session that has
//     a terminal: its renderer from the client's TERM, window changes, the
//     store's notices of other sessions' commits, and quitting when the
//     session's context ends, which serve cancels on idle, shutdown, a removed
//     key or a dropped connection.
//   - cmd/jibao (cmd_serve.go) joins the two: it opens the store, gives serve
//     the middleware as Config.Grid with each person's tui.Options (units,
//     read-only), the terminal encoding (GB18030 for a GBK client) as
//     tui.SSHStreams and Config.Text, and the shell commands as Config.Command.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"jibao/model"
)

// DefaultIdle is how long a grid session may go without a keystroke.
const DefaultIdle = 30 * time.Minute

// Config sets up a Server.
type Config struct {
	Listen  string        // host:port; port 0 picks a free one (see Server.Addr)
	Keys    string        // the keys file (see ParseKeys)
	HostKey string        // the host's private key, created on first start
	Idle    time.Duration // 0 means DefaultIdle
	Log     io.Writer     // one line per login, logout and refusal; nil means stderr
	Catalog *model.Catalog
	// Grid serves an interactive session (one with a terminal); PersonOf tells
	// it whose session it is. It should quit when the session's context is done.
	Grid wish.Middleware
	// Command runs a command-mode request whose args CommandArgs has approved,
	// writing to the session's stdout and stderr; it returns the exit status.
	Command func(sess ssh.Session, p *Person, args []string) int
	// Text, if set, wraps a session's stderr for the server's own messages
	// (refusals, timeouts), e.g. to transcode them for a GBK terminal.
	Text func(sess ssh.Session, w io.Writer) io.Writer
	// KeysPoll is how often the keys file is checked for changes between
	// logins, so that a removed key or changed units end open sessions; 0
	// means DefaultKeysPoll.
	KeysPoll time.Duration
	Now      func() time.Time
}

// DefaultKeysPoll is how often an unchanged server looks at the keys file.
const DefaultKeysPoll = 5 * time.Second

// Server is a running jibao SSH server.
type Server struct {
	cfg  Config
	log  *logger
	keys *keyring
	srv  *ssh.Server
	grid ssh.Handler

	mu       sync.Mutex
	sessions map[*session]struct{}
	active   sync.WaitGroup
	closing  atomic.Bool
	refusals sync.Map // remote address -> why its authentication failed
	addr     atomic.Value
	stopPoll chan struct{}
	pollOnce sync.Once
}

// DefaultHostKeyPath is where the host key lives when --host-key is not given:
// beside the data file.
func DefaultHostKeyPath(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "ssh_host_ed25519")
}

// New reads the keys file and the host key (creating it on first start) and
// sets the server up; Serve or ListenAndServe starts it.
func New(cfg Config) (*Server, error) {
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.KeysPoll <= 0 {
		cfg.KeysPoll = DefaultKeysPoll
	}
	if cfg.Catalog == nil {
		cfg.Catalog = model.DefaultCatalog()
	}
	if cfg.Grid == nil || cfg.Command == nil {
		return nil, errors.New("serve: Grid and Command must be set")
	}
	s := &Server{cfg: cfg, log: &logger{w: cfg.Log, now: cfg.Now}, sessions: map[*session]struct{}{},
		stopPoll: make(chan struct{})}
	var err error
	if s.keys, err = newKeyring(cfg.Keys, cfg.Catalog, s.log); err != nil {
		return nil, err
	}
	signer, created, err := loadHostKey(cfg.HostKey)
	if err != nil {
		return nil, err
	}
	if created {
		s.log.line("hostkey", "status", "已生成", "path", cfg.HostKey, "key", gossh.FingerprintSHA256(signer.PublicKey()))
	} else if st, err := os.Stat(cfg.HostKey); err == nil && st.Mode().Perm()&0o077 != 0 {
		s.log.line("hostkey", "status", "权限过宽，应为 0600", "path", cfg.HostKey)
	}
	s.grid = cfg.Grid(func(ssh.Session) {})
	s.srv = &ssh.Server{
		Addr:                     cfg.Listen,
		HostSigners:              []ssh.Signer{signer},
		Version:                  "jibao",
		Handler:                  s.handle,
		PublicKeyHandler:         s.authKey,
		ServerConfigCallback:     s.authConfig,
		ConnectionFailedCallback: s.connFailed,
	}
	return s, nil
}

// ListenAndServe listens on Config.Listen and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(l)
}

// Serve serves SSH on l until Shutdown; it returns nil after a Shutdown.
func (s *Server) Serve(l net.Listener) error {
	s.addr.Store(l.Addr())
	s.log.line("listen", "addr", l.Addr().String(), "keys", s.cfg.Keys, "idle", s.cfg.Idle.String())
	go s.pollKeys()
	err := s.srv.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Addr is the address the server listens on, once Serve has started.
func (s *Server) Addr() net.Addr {
	a, _ := s.addr.Load().(net.Addr)
	return a
}

// Shutdown stops accepting connections, asks every session's program to finish
// (each committed cell is already on disk), and waits for them until ctx ends;
// then it closes whatever is left. The caller closes the store afterwards.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.pollOnce.Do(func() { close(s.stopPoll) })
	s.mu.Lock()
	for ss := range s.sessions {
		ss.stop("服务器正在关闭")
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.active.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("仍有会话未结束，强制关闭: %w", ctx.Err())
	}
	if cerr := s.srv.Close(); err == nil && cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		err = cerr
	}
	s.log.line("shutdown")
	return err
}

// pollKeys rereads the keys file when it changes and ends the sessions whose
// key was removed or whose entry now grants something else: a revoked clerk
// must not keep typing until the idle timeout.
func (s *Server) pollKeys() {
	t := time.NewTicker(s.cfg.KeysPoll)
	defer t.Stop()
	seen := s.keys.refresh()
	for {
		select {
		case <-s.stopPoll:
			return
		case <-t.C:
		}
		gen := s.keys.refresh()
		if gen == seen {
			continue
		}
		seen = gen
		s.mu.Lock()
		for ss := range s.sessions {
			p := PersonOf(ss)
			switch now := s.keys.current(p); {
			case now == nil:
				ss.stop("密钥已被撤销")
			case !samePerson(p, now):
				ss.stop("登记信息已更改，请重新登录")
			}
		}
		s.mu.Unlock()
	}
}

// Sessions is the number of open sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// authKey admits the keys of the keys file, rereading it if it changed. A
// refused key is remembered, to say why in the log and to the person.
func (s *Server) authKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if s.closing.Load() {
		s.refusals.Store(ctx.RemoteAddr().String(), "服务器正在关闭")
		return false
	}
	if s.keys.lookup(key) != nil {
		s.refusals.Delete(ctx.RemoteAddr().String())
		return true
	}
	fp := gossh.FingerprintSHA256(key)
	why := "未登记的密钥 " + fp
	if old, ok := s.refusals.Load(ctx.RemoteAddr().String()); ok && !strings.Contains(old.(string), fp) {
		why = old.(string) + ", " + fp
	}
	s.refusals.Store(ctx.RemoteAddr().String(), why)
	return false
}

// authConfig offers keyboard-interactive only so that a person whose keys were
// all refused is told why in their own terminal: it never lets anyone in. The
// reason goes as an SSH banner, which OpenSSH prints as UTF-8 (its log lines
// would escape the Chinese), and only once per connection.
func (s *Server) authConfig(ctx ssh.Context) *gossh.ServerConfig {
	told := false
	return &gossh.ServerConfig{
		KeyboardInteractiveCallback: func(conn gossh.ConnMetadata, _ gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
			refused := errors.New("只接受已登记的公钥")
			if told {
				return nil, refused
			}
			told = true
			why, ok := s.refusals.Load(conn.RemoteAddr().String())
			if !ok {
				why = "未提供公钥"
				s.refusals.Store(conn.RemoteAddr().String(), why)
			}
			msg := fmt.Sprintf("jibao: login refused / 拒绝登录（%s）。\n本服务器只接受已登记的公钥；请把您的公钥（如 ~/.ssh/id_ed25519.pub）交给管理员登记。\n", why)
			return nil, &gossh.BannerError{Err: refused, Message: msg}
		},
	}
}

// connFailed logs a connection that never got in.
func (s *Server) connFailed(c net.Conn, err error) {
	from := c.RemoteAddr().String()
	why := "握手失败: " + err.Error()
	if w, ok := s.refusals.LoadAndDelete(from); ok {
		why = w.(string)
	}
	s.log.line("refused", "from", from, "why", why)
}

func (s *Server) track(ss *session, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if add {
		if s.closing.Load() {
			return false
		}
		s.sessions[ss] = struct{}{}
		s.active.Add(1)
		return true
	}
	delete(s.sessions, ss)
	s.active.Done()
	return true
}
