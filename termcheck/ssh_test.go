package termcheck

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jibao/internal/testenv"
	"jibao/termenc"
)

// freePort is a TCP port nothing listens on right now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestGB18030OverSSH logs in to `jibao serve` with OpenSSH in a
// pseudo-terminal and checks which encoding the session speaks: GB18030 when
// the client sends LANG=zh_CN.GB18030 or the keys file says encoding=gbk,
// UTF-8 when neither does.
func TestGB18030OverSSH(t *testing.T) {
	sshPath, keygen := testenv.MustHaveTool(t, "ssh"), testenv.MustHaveTool(t, "ssh-keygen")
	bin := buildJibao(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "id")
	if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	db := screenStore(t)

	tests := []struct {
		name, option, clientEnv string
		want                    termenc.Encoding
	}{
		{"client LANG", "", "LANG=zh_CN.GB18030", termenc.GB18030},
		{"keys file", ",encoding=gbk", "", termenc.GB18030},
		{"keys file beats LANG", ",encoding=utf-8", "LANG=zh_CN.GBK", termenc.UTF8},
		{"neither", "", "", termenc.UTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := filepath.Join(t.TempDir(), "keys")
			line := `name="测试员",role=clerk,units="nanan:溪美"` + tt.option + " " + string(pub)
			if err := os.WriteFile(keys, []byte(line), 0o600); err != nil {
				t.Fatal(err)
			}
			addr := freePort(t)
			host, port, _ := net.SplitHostPort(addr)
			srv := exec.Command(bin, "serve", "--listen", addr, "--keys", keys, "--db", db,
				"--host-key", filepath.Join(t.TempDir(), "host_key"))
			srv.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
			var srvLog bytes.Buffer
			srv.Stdout, srv.Stderr = &srvLog, &srvLog
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				srv.Process.Signal(os.Interrupt)
				srv.Wait()
			})
			waitListening(t, addr, &srvLog)

			args := []string{"-F", "/dev/null", "-tt", "-p", port, "-i", key,
				"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
				"-o", "BatchMode=yes", "-o", "LogLevel=ERROR"}
			if tt.clientEnv != "" {
				args = append(args, "-o", "SetEnv="+tt.clientEnv)
			}
			args = append(args, "clerk@"+host)
			p := startPty(t, sshPath, tt.want, nil, args...)
			p.waitFor(0, regexp.MustCompile(`溪美`))
			raw := p.bytesSoFar()
			utf8Shown := bytes.Contains(raw, []byte("溪美"))
			if utf8Shown != (tt.want == termenc.UTF8) {
				t.Errorf("session spoke the wrong encoding (want %v):\n%q\nserver log:\n%s", tt.want, raw, srvLog.String())
			}
			if tt.want == termenc.GB18030 {
				text, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
				if bytes.ContainsRune(text, '\uFFFD') {
					t.Errorf("session output is not clean GB18030:\n%s", text)
				}
			}
			p.send("\x03")
		})
	}
}

// waitListening waits until something accepts connections on addr.
func waitListening(t *testing.T, addr string, log *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("jibao serve is not listening on %s after 20s:\n%s", addr, strings.TrimSpace(log.String()))
		}
		time.Sleep(50 * time.Millisecond) // poll interval, not a synchronisation
	}
}
