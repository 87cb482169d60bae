package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jibao/model"
	"jibao/store"
)

func TestServeGridOverSSH(t *testing.T) {
	w := startServeWorld(t, map[string]string{"张三": `role=clerk,units="nanan:水头"`})
	p, cells := firstCells(t, 2)
	w.login("a", "张三")
	w.openForm1("a")
	w.send("a", "7", "Enter")
	w.send("a", "8", "Enter")
	w.waitScreen("a", "表一 2/")
	w.send("a", "C-c")
	w.waitScreen("a", "SSH-EXIT=0")
	w.waitLog("logout", func(s string) bool { return strings.Contains(s, "logout name=张三") })

	// Back again: the values are there, in the grid and in the store.
	w.login("b", "张三")
	w.openForm1("b")
	w.waitScreen("b", "表一 2/", "7     8") // "?   7": 7 is below 水头's 2024 base of 1533
	got := w.values("张三", "水头", p)
	if got[cells[0]] != "7" || got[cells[1]] != "8" || len(got) != 2 {
		t.Errorf("stored values %v, want %s=7 %s=8", got, cells[0], cells[1])
	}
	log := w.logText()
	for _, want := range []string{"login name=张三 role=clerk from=127.0.0.1:", "mode=grid", "why=退出"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}

	// SIGTERM right after a keystroke has reached the server (its screen
	// counts 3; a key still on the wire is not the server's to keep): the
	// session is told, the value is saved, and the server closes the data
	// file and exits 0.
	w.send("b", "9", "Enter")
	w.waitScreen("b", "表一 3/")
	t0 := time.Now()
	w.proc.Process.Signal(syscall.SIGTERM)
	w.waitScreen("b", "服务器正在关闭", "SSH-EXIT=")
	select {
	case err := <-w.exitc:
		if err != nil {
			t.Errorf("jibao serve exited with %v", err)
		}
		t.Logf("jibao serve exited %v after SIGTERM", time.Since(t0))
		w.exitc <- nil
	case <-time.After(20 * time.Second):
		t.Fatal("jibao serve did not exit on SIGTERM")
	}
	st, err := store.Open(filepath.Join(w.dir, "jibao.db"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := st.Get(model.ReportID{Variant: "nanan", Unit: "水头", Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if r.UpdatedBy != "张三" {
		t.Errorf("the report was last changed by %q, want the keys file's name 张三", r.UpdatedBy)
	}
	if n := len(r.Values); n != 3 {
		t.Errorf("after SIGTERM the report has %d values, want 3 (7, 8 and the 9 typed just before): %v", n, r.Values)
	}
	if !strings.Contains(w.logText(), "why=服务器正在关闭") || !strings.Contains(w.logText(), "shutdown") {
		t.Errorf("log lacks the shutdown:\n%s", w.logText())
	}
}

func TestServeConfinesAClerk(t *testing.T) {
	w := startServeWorld(t, map[string]string{
		"张三": `role=clerk,units="nanan:水头"`,
		"市局": `role=office`,
	})
	p, _ := firstCells(t, 1)
	if code, _, errs := w.run("张三", "jibao", "check", "--variant", "nanan", "--unit", "水头", "--period", p.String()); code != 1 || errs != "" {
		t.Errorf("check of an empty report: exit %d (want 1: incomplete), stderr %q", code, errs)
	}
	if code, _, errs := w.run("张三", "jibao", "check", "--variant", "nanan", "--unit", "英都", "--period", p.String()); code != 2 || !strings.Contains(errs, "无权查看 英都") {
		t.Errorf("another unit's check: exit %d, stderr %q", code, errs)
	}
	if code, out, errs := w.run("张三", "rm", "-rf", "/"); code != 2 || out != "" || !strings.Contains(errs, "不允许的命令") {
		t.Errorf("rm -rf /: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// The chooser offers only the clerk's unit; the office sees them all.
	w.login("clerk", "张三")
	s := w.waitScreen("clerk", "选择报表", "水头")
	if strings.Contains(s, "英都") {
		t.Errorf("the clerk's chooser offers another unit:\n%s", s)
	}
	w.login("office", "市局")
	w.waitScreen("office", "选择报表", "英都", "水头")
	// The office reads but does not write: typing into 水头's report changes nothing.
	w.send("office", "水头")
	w.send("office", "Enter")
	w.waitScreen("office", "表一 ")
	w.send("office", "Enter")
	w.waitScreen("office", "第1栏")
	w.send("office", "5", "Enter")
	w.waitScreen("office", "第2栏")
	code, out, errs := w.run("市局", "jibao", "export", "--variant", "nanan", "--unit", "水头", "--period", p.String(), "--format", "json", "--draft")
	if code == 0 && len(w.parseValues(out)) > 0 || code != 0 && !strings.Contains(errs, "还没有报表") {
		t.Errorf("the office changed a report: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	w.waitLog("refusals", func(s string) bool {
		return strings.Contains(s, `why=命令不允许 cmd="rm -rf /"`) && strings.Contains(s, "无权查看")
	})
}

// Two clerks of one unit type into the same report at once: no update is lost,
// and of two entries into the same cell the later one stays.
func TestServeTwoSessionsOneReport(t *testing.T) {
	w := startServeWorld(t, map[string]string{
		"张三": `role=clerk,units="nanan:水头"`,
		"李四": `role=clerk,units="nanan:水头"`,
	})
	p, cells := firstCells(t, 3)
	w.login("a", "张三")
	w.login("b", "李四")
	w.openForm1("a")
	w.openForm1("b")
	// A commit in one session shows in the other within a second, with who made it.
	w.send("a", "5", "Enter") // cell 1
	t0 := time.Now()
	w.waitScreen("b", "张三 刚修改了本报表", "表一 1/")
	if d := time.Since(t0); d > 2*time.Second {
		t.Errorf("李四 saw 张三's commit after %v", d)
	}
	w.send("b", "Right", "6", "Enter") // cell 2
	w.waitScreen("a", "李四 刚修改了本报表", "表一 2/")
	w.waitUntil("both commits", func() bool { return len(w.values("张三", "水头", p)) == 2 })
	// Cell 3: 张三 first, then 李四 (whose cursor is there after Enter); 李四's
	// value stays, and 张三's screen shows it.
	w.send("a", "Right", "3", "Enter")
	w.waitUntil("张三's cell 3", func() bool { return w.values("张三", "水头", p)[cells[2]] == "3" })
	w.send("b", "4", "Enter")
	w.waitUntil("李四's cell 3", func() bool { return w.values("张三", "水头", p)[cells[2]] == "4" })
	w.waitScreenRe("a", regexp.MustCompile(`国标\|[?\s]*5\s+6\s+4\b`)) // "?" marks 5 below 水头's 2024 base
	w.send("a", "C-c")
	w.send("b", "C-c")
	w.waitScreen("a", "SSH-EXIT=0")
	w.waitScreen("b", "SSH-EXIT=0")
	got := w.values("李四", "水头", p)
	want := map[string]string{cells[0]: "5", cells[1]: "6", cells[2]: "4"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// A GBK terminal gets GB18030, by the keys file's encoding= or the client's LANG;
// the keys file wins.
func TestServeSpeaksGBK(t *testing.T) {
	w := startServeWorld(t, map[string]string{
		"张三": `role=clerk,units="nanan:水头",encoding=gbk`,
		"李四": `role=clerk,units="nanan:水头"`,
		"王五": `role=clerk,units="nanan:水头",encoding=utf-8`,
	})
	p, _ := firstCells(t, 1)
	check := []string{"jibao", "check", "--variant", "nanan", "--unit", "水头", "--period", p.String()}
	gbk, _ := simplifiedchinese.GB18030.NewEncoder().String("水头")
	for _, tc := range []struct {
		person, env string
		wantGBK     bool
	}{
		{"张三", "", true},
		{"李四", "LANG=zh_CN.GBK", true},
		{"李四", "", false},
		{"王五", "LANG=zh_CN.GBK", false},
	} {
		// ssh's options go before the destination, the command after it.
		all := w.sshArgs(tc.person)
		args := append([]string(nil), all[:len(all)-1]...)
		if tc.env != "" {
			args = append(args, "-o", "SetEnv="+tc.env)
		}
		args = append(append(args, all[len(all)-1]), check...)
		c := exec.Command("ssh", args...)
		out, _ := c.Output()
		if got := bytes.Contains(out, []byte(gbk)); got != tc.wantGBK || bytes.Contains(out, []byte("水头")) == tc.wantGBK {
			t.Errorf("%s with %q: GB18030 output %v, want %v: %q", tc.person, tc.env, got, tc.wantGBK, out)
		}
	}
}

// An office streams a fresh, verified backup from the running server; a clerk
// may not; the server's own background check is in its log.
func TestServeBackupStream(t *testing.T) {
	w := startServeWorld(t, map[string]string{
		"张三": `role=clerk,units="nanan:水头"`,
		"市局": `role=office`,
	})
	code, out, errs := w.run("市局", "jibao", "backup", "-o", "-")
	if code != 0 || len(out) < 4096 {
		t.Fatalf("backup -o -: exit %d, %d bytes, stderr %q", code, len(out), errs)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(copyPath, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.VerifyFile(copyPath, store.Options{}); err != nil {
		t.Errorf("the streamed backup: %v", err)
	}
	if code, out, errs := w.run("张三", "jibao", "backup", "-o", "-"); code != 2 || out != "" || !strings.Contains(errs, "不允许的命令") {
		t.Errorf("a clerk's backup: exit %d, %d bytes, stderr %q", code, len(out), errs)
	}
	w.waitLog("background check", func(s string) bool { return strings.Contains(s, `store msg="校验无误`) })
}
