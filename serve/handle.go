package serve

import (
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// graceAfterStop is how long a stopped session's program may take to finish
// (its queued writes first) before its connection is cut.
const graceAfterStop = 15 * time.Second

// handle serves one SSH session: the grid when it has a terminal, an approved
// command when it names one, a refusal otherwise. A panic ends only this session.
func (s *Server) handle(raw ssh.Session) {
	from := raw.RemoteAddr().String()
	var p *Person
	if k := raw.PublicKey(); k != nil {
		p = s.keys.lookup(k)
	}
	if p == nil {
		s.refuse(raw, nil, "密钥已从密钥文件中删除", "您的公钥已不在登记名单中，请联系管理员。", 1)
		return
	}
	raw.Context().SetValue(personKey{}, p)
	ss := newSession(raw, time.Now())
	if !s.track(ss, true) {
		s.refuse(raw, p, "服务器正在关闭", "服务器正在关闭，请稍后再登录。", 1)
		return
	}
	defer s.track(ss, false)
	defer ss.ctx.stop() // releases the context's watcher when the session ends first
	start := time.Now()
	if cmd := raw.Command(); len(cmd) > 0 {
		args, err := CommandArgs(cmd, p)
		if err != nil {
			s.refuse(raw, p, "命令不允许", err.Error(), exitUsage, "cmd", raw.RawCommand(), "detail", err.Error())
			return
		}
		s.log.line("login", s.who(p, from, "command")...)
		code := s.runCommand(ss, p, args)
		s.log.line("logout", append(s.who(p, from, "command"), "cmd", strings.Join(args, " "),
			"exit", strconv.Itoa(code), "duration", since(start))...)
		_ = raw.Exit(code)
		return
	}
	if _, _, ok := raw.Pty(); !ok {
		s.refuse(raw, p, "没有终端", "jibao 是全屏的填报界面，需要终端：请用 ssh -t 登录。"+
			"不开终端时只能运行 jibao check、jibao list、jibao export ... -o -。", 1)
		return
	}
	s.log.line("login", s.who(p, from, "grid")...)
	finished := make(chan struct{})
	go s.watch(ss, finished)
	why := "退出"
	if s.runGrid(ss, p) {
		why = "程序出错"
		s.tell(raw, "\njibao: 程序出错，本会话已关闭；已录入的数据都已保存。请重新登录。\n")
	}
	close(finished)
	if r := ss.stopReason(); r != "" {
		why = r
		s.tell(raw, fmt.Sprintf("\njibao: 会话已关闭（%s）；已录入的数据都已保存。\n", r))
	} else if raw.Context().Err() != nil {
		why = "连接断开"
	}
	s.log.line("logout", append(s.who(p, from, "grid"), "why", why, "duration", since(start))...)
	_ = raw.Exit(0)
}

const exitUsage = 2

// refuse tells the person why in their terminal and logs it.
func (s *Server) refuse(raw ssh.Session, p *Person, why, msg string, code int, extra ...string) {
	kv := append([]string{"from", raw.RemoteAddr().String(), "why", why}, extra...)
	if p != nil {
		kv = append([]string{"name", p.Name, "role", string(p.Role)}, kv...)
	} else if k := raw.PublicKey(); k != nil {
		kv = append(kv, "key", gossh.FingerprintSHA256(k))
	}
	s.log.line("refused", kv...)
	s.tell(raw, "jibao: "+msg+"\n")
	_ = raw.Exit(code)
}

// tell writes one of the server's own messages to the session's stderr, in the
// terminal's encoding when Config.Text says how.
func (s *Server) tell(sess ssh.Session, msg string) {
	var w io.Writer = sess.Stderr()
	if s.cfg.Text != nil {
		w = s.cfg.Text(sess, w)
	}
	io.WriteString(w, msg)
	if f, ok := w.(interface{ Flush() error }); ok {
		f.Flush()
	}
}

func (s *Server) who(p *Person, from, mode string) []string {
	return []string{"name", p.Name, "role", string(p.Role), "from", from, "key", p.Fingerprint(), "mode", mode}
}

func since(t time.Time) string { return time.Since(t).Round(time.Second).String() }

// runGrid runs the grid, turning a panic that escaped it into a logged error.
func (s *Server) runGrid(ss *session, p *Person) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			panicked = true
			s.logPanic(p, r)
		}
	}()
	s.grid(ss)
	return false
}

// runCommand runs an approved command; a panic is the command's failure alone.
func (s *Server) runCommand(ss *session, p *Person, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			s.logPanic(p, r)
			s.tell(ss, "jibao: 程序出错，命令未完成\n")
			code = 1
		}
	}()
	return s.cfg.Command(ss, p, args)
}

func (s *Server) logPanic(p *Person, r any) {
	stack := strings.ReplaceAll(strings.TrimSpace(string(debug.Stack())), "\n", "\n  ")
	s.log.line("panic", "name", p.Name, "error", fmt.Sprint(r))
	s.log.mu.Lock()
	fmt.Fprintf(s.log.w, "  %s\n", stack)
	s.log.mu.Unlock()
}

// watch stops the session when its person has not typed for the idle time,
// and cuts the connection when a stopped program does not finish in time.
func (s *Server) watch(ss *session, finished <-chan struct{}) {
	tick := min(max(s.cfg.Idle/10, 10*time.Millisecond), 30*time.Second)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-finished:
			return
		case <-ss.ctx.Done():
			select {
			case <-finished:
			case <-time.After(graceAfterStop):
				if c, ok := ss.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn); ok {
					c.Close()
				}
			}
			return
		case <-t.C:
			if ss.idleFor(time.Now()) >= s.cfg.Idle {
				ss.stop("空闲超过 " + s.cfg.Idle.String())
			}
		}
	}
}
