package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// people makes keys for a clerk of 水头 and the office, and the keys file line for
// each.
func people(t *testing.T, dir string) (clerkKey, officeKey, keysFile string) {
	clerkKey, clerkPub := keygen(t, dir, "clerk")
	officeKey, officePub := keygen(t, dir, "office")
	keysFile = `name="张三",role=clerk,units="nanan:水头" ` + clerkPub + "\n" +
		`name="市应急局",role=office ` + officePub + "\n"
	return
}

func TestLoginEchoLogout(t *testing.T) {
	needSSH(t)
	clerk, _, keys := people(t, t.TempDir())
	ts := startServer(t, keys, time.Minute)
	s := ts.interactive(t, clerk)
	waitFor(t, "greeting", s.out.String, "欢迎 张三")
	s.in.Write([]byte("12.5\r"))
	waitFor(t, "echo", s.out.String, "echo:12.5")
	s.in.Write([]byte("q\r"))
	if err := s.wait(t); err != nil {
		t.Fatalf("ssh exit: %v\n%s", err, s.out.String())
	}
	waitFor(t, "log", ts.log.String, "logout name=张三")
	log := ts.log.String()
	for _, want := range []string{"login name=张三 role=clerk from=127.0.0.1:", "mode=grid", "why=退出"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestRefusals(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	clerk, _, keys := people(t, dir)
	stranger, _ := keygen(t, dir, "stranger")
	ts := startServer(t, keys, time.Minute)
	for _, tc := range []struct {
		name, key string
		cmd       []string
		code      int
		stderr    string
		log       string
	}{
		{"unknown key", stranger, []string{"jibao", "list"}, 255, "未登记的密钥 SHA256:", "refused from=127.0.0.1:"},
		{"no key", "", []string{"jibao", "list"}, 255, "未提供公钥", "why=未提供公钥"},
		{"no terminal", clerk, nil, 1, "需要终端", "why=没有终端"},
		{"shell command", clerk, []string{"rm", "-rf", "/"}, 2, "不允许的命令", `why=命令不允许 cmd="rm -rf /"`},
		{"other unit", clerk, []string{"jibao", "check", "--variant", "nanan", "--unit", "英都"}, 2, "无权查看 英都", "detail=\"张三 无权查看 英都 的报表\""},
		{"server file", clerk, []string{"jibao", "export", "--unit", "水头", "-o", "/tmp/x.xlsx"}, 2, "-o -", "refused name=张三"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := ts.run(t, tc.key, tc.cmd...)
			if code != tc.code || !strings.Contains(errs, tc.stderr) || strings.Contains(out, "ran ") {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q (want %q)", code, tc.code, out, errs, tc.stderr)
			}
			waitFor(t, "log", ts.log.String, tc.log)
		})
	}
}

func TestCommandMode(t *testing.T) {
	needSSH(t)
	clerk, office, keys := people(t, t.TempDir())
	ts := startServer(t, keys, time.Minute)
	code, out, errs := ts.run(t, clerk, "jibao", "check", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3")
	if code != 0 || out != "ran check --variant nanan --unit 水头 --period 2025Q3 for 张三\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = ts.run(t, office, "jibao", "export", "--variant", "nanan", "--unit", "英都")
	if code != 0 || out != "ran export --variant nanan --unit 英都 -o - for 市应急局\n" {
		t.Errorf("office export: exit %d, stdout %q", code, out)
	}
	waitFor(t, "log", ts.log.String, "exit=0")
}

func TestKeysReload(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	clerk, _, keys := people(t, dir)
	late, latePub := keygen(t, dir, "late")
	ts := startServer(t, keys, time.Minute)
	if code, _, _ := ts.run(t, late, "jibao", "list"); code != 255 {
		t.Fatalf("unregistered key got in: exit %d", code)
	}
	// Registering the key takes effect at the next login, without a restart; a
	// broken file keeps the last good version.
	write := func(s string) {
		if err := os.WriteFile(ts.keys, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(keys + `name="王五",role=clerk,units="nanan:英都" ` + latePub + "\n")
	if code, out, errs := ts.run(t, late, "jibao", "list"); code != 0 || !strings.Contains(out, "for 王五") {
		t.Fatalf("after adding the key: exit %d, %q %q", code, out, errs)
	}
	write(keys + "this line is broken\n")
	if code, out, _ := ts.run(t, late, "jibao", "list"); code != 0 || !strings.Contains(out, "for 王五") {
		t.Fatalf("a broken keys file locked 王五 out: exit %d %q", code, out)
	}
	waitFor(t, "log", ts.log.String, "沿用旧版本")
	write(strings.Split(keys, "\n")[0] + "\n")
	if code, _, _ := ts.run(t, late, "jibao", "list"); code != 255 {
		t.Fatalf("removed key still gets in: exit %d", code)
	}
	if code, _, _ := ts.run(t, clerk, "jibao", "list"); code != 0 {
		t.Fatalf("the remaining clerk is refused: exit %d", code)
	}
}

// Taking a key out, or changing what it grants, ends that person's open
// sessions; the others go on.
func TestKeysChangeEndsOpenSessions(t *testing.T) {
	needSSH(t)
	dir := t.TempDir()
	clerk, clerkPub := keygen(t, dir, "clerk")
	other, otherPub := keygen(t, dir, "other")
	office, officePub := keygen(t, dir, "office")
	keys := func(clerkUnits string, withOther bool) string {
		s := `name="张三",role=clerk,units="` + clerkUnits + `" ` + clerkPub + "\n" +
			`name="市应急局",role=office ` + officePub + "\n"
		if withOther {
			s += `name="李四",role=clerk,units="nanan:英都" ` + otherPub + "\n"
		}
		return s
	}
	ts := startServer(t, keys("nanan:水头", true), time.Minute)
	a, b, c := ts.interactive(t, clerk), ts.interactive(t, other), ts.interactive(t, office)
	waitFor(t, "张三", a.out.String, "欢迎 张三")
	waitFor(t, "李四", b.out.String, "欢迎 李四")
	waitFor(t, "office", c.out.String, "欢迎 市应急局")
	if err := os.WriteFile(ts.keys, []byte(keys("nanan:水头 nanan:英都", false)), 0o600); err != nil {
		t.Fatal(err)
	}
	a.wait(t)
	b.wait(t)
	if !strings.Contains(a.out.String(), "登记信息已更改") || !strings.Contains(b.out.String(), "密钥已被撤销") {
		t.Errorf("not told why:\n张三: %s\n李四: %s", a.out.String(), b.out.String())
	}
	c.in.Write([]byte("still here\r"))
	waitFor(t, "office session", c.out.String, "echo:still here")
	waitFor(t, "log", ts.log.String, "why=密钥已被撤销")
}

func TestIdleTimeout(t *testing.T) {
	needSSH(t)
	clerk, _, keys := people(t, t.TempDir())
	ts := startServer(t, keys, 500*time.Millisecond)
	s := ts.interactive(t, clerk)
	waitFor(t, "greeting", s.out.String, "欢迎 张三")
	s.wait(t)
	for _, want := range []string{"程序结束", "会话已关闭（空闲超过 500ms）"} {
		if !strings.Contains(s.out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, s.out.String())
		}
	}
	waitFor(t, "log", ts.log.String, "why=\"空闲超过 500ms\"")
}

// A panic in one session's program ends that session only.
func TestPanicEndsOnlyItsSession(t *testing.T) {
	needSSH(t)
	clerk, office, keys := people(t, t.TempDir())
	ts := startServer(t, keys, time.Minute)
	calm := ts.interactive(t, office)
	waitFor(t, "greeting", calm.out.String, "欢迎 市应急局")
	crash := ts.interactive(t, clerk)
	waitFor(t, "greeting", crash.out.String, "欢迎 张三")
	crash.in.Write([]byte("panic\r"))
	crash.wait(t)
	if !strings.Contains(crash.out.String(), "程序出错") {
		t.Errorf("the clerk was not told:\n%s", crash.out.String())
	}
	calm.in.Write([]byte("still here\r"))
	waitFor(t, "other session", calm.out.String, "echo:still here")
	waitFor(t, "log", ts.log.String, "panic name=张三")
	again := ts.interactive(t, clerk)
	waitFor(t, "new login after the panic", again.out.String, "欢迎 张三")
}

func TestShutdownStopsSessions(t *testing.T) {
	needSSH(t)
	clerk, _, keys := people(t, t.TempDir())
	ts := startServer(t, keys, time.Minute)
	s := ts.interactive(t, clerk)
	waitFor(t, "greeting", s.out.String, "欢迎 张三")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	s.wait(t)
	if out := s.out.String(); !strings.Contains(out, "程序结束") || !strings.Contains(out, "服务器正在关闭") {
		t.Errorf("session was not closed gracefully:\n%s", out)
	}
	if ts.Sessions() != 0 {
		t.Errorf("%d sessions left", ts.Sessions())
	}
}

func TestHostKeyPersists(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "ssh_host_ed25519")
	a, created, err := loadHostKey(path)
	if err != nil || !created {
		t.Fatalf("first start: created %v, %v", created, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v, %v", st.Mode(), err)
	}
	b, created, err := loadHostKey(path)
	if err != nil || created {
		t.Fatalf("second start: created %v, %v", created, err)
	}
	if gossh.FingerprintSHA256(a.PublicKey()) != gossh.FingerprintSHA256(b.PublicKey()) {
		t.Error("host key changed between starts")
	}
}
