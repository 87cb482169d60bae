package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jibao/internal/testenv"
	"jibao/model"
	"jibao/store"
)

// TestBinaryReturnWritesNotice: `jibao --office` in tmux, R with a reason on a
// submitted report writes the 退回通知 into the directory jibao was started in,
// shows its full path, and the file is the one `jibao review --notice -o -`
// prints.
func TestBinaryReturnWritesNotice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	testenv.MustHaveTool(t, "tmux")
	bin := serveBinary(t)
	x := newXIO(t)
	r := sampleOf(t, "水头", 7)
	r.State = model.StateSubmitted
	x.put(r)
	dir := t.TempDir()
	w := &sshWorld{t: t, tmux: fmt.Sprintf("jibao-notice-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { exec.Command("tmux", "-L", w.tmux, "kill-server").Run() })
	cmd := fmt.Sprintf("env JIBAO_DB=%s JIBAO_USER=市安委办 JIBAO_CATALOG= %s --office --variant nanan --unit 水头 --period 2025Q3; echo JIBAO-EXIT=$?; sleep 600", x.db, bin)
	if out, err := w.tmuxCmd("-L", w.tmux, "-f", "/dev/null", "-u", "new-session", "-d", "-s", "office", "-c", dir, "-x", "160", "-y", "45", cmd).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	w.waitScreen("office", "截止日期")
	w.send("office", "R")
	w.waitScreen("office", "退回给填报人修改")
	w.send("office", "-l", "表一底数请核实")
	w.send("office", "Enter")
	path := filepath.Join(dir, "南安-水头-2025Q3-退回通知.txt")
	w.waitScreen("office", "已写出退回通知："+path)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w.send("office", "C-c")
	w.waitScreen("office", "JIBAO-EXIT=0") // the data file is free again
	c := exec.Command(bin, "review", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--notice", "-o", "-")
	c.Env = append(os.Environ(), "JIBAO_DB="+x.db, "JIBAO_USER=tester", "JIBAO_CATALOG=")
	want, err := c.Output()
	if err != nil {
		t.Fatalf("review --notice -o -: %v %s", err, want)
	}
	if string(got) != string(want) || !strings.Contains(string(got), "退回理由：表一底数请核实") || !strings.Contains(string(got), "退回人：市安委办") {
		t.Errorf("the notice written by R:\n%s\nreview --notice -o - prints:\n%s", got, want)
	}
}

// TestServeReturnNoticeByZmodem: the office's R over jibao serve sends the
// 退回通知 by ZMODEM (received by Debian's rz); it is the text `ssh host jibao
// review ... --notice -o -` gives, the command shown to a terminal without ZMODEM.
func TestServeReturnNoticeByZmodem(t *testing.T) {
	testenv.MustHaveTool(t, "rz")
	w, p := submittedWorld(t)
	dir := t.TempDir()
	z := startZTerminal(t, w, "市局", dir)
	z.returnFromBoard("表一底数请核实")
	got := z.received(dir, "南安-水头-"+p.String()+"-退回通知.txt")
	code, want, errs := w.run("市局", "jibao", "review", "--variant", "nanan", "--unit", "水头", "--period", p.String(), "--notice", "-o", "-")
	if code != 0 {
		t.Fatalf("review --notice -o - over ssh: exit %d, %s", code, errs)
	}
	if string(got) != want || !strings.Contains(want, "退回理由：表一底数请核实") {
		t.Errorf("received:\n%s\nover ssh:\n%s", got, want)
	}
	if code, _, errs := w.run("市局", "jibao", "review", "--variant", "nanan", "--unit", "水头", "--period", p.String(), "--notice", "-o", "/tmp/x.txt"); code != 2 || !strings.Contains(errs, "只能写到标准输出") {
		t.Errorf("a notice into a file on the server: exit %d, %s", code, errs)
	}
}

// submittedWorld is jibao serve with the office 市局 and 水头's submitted report.
func submittedWorld(t *testing.T) (*sshWorld, model.Period) {
	t.Helper()
	return submittedWorldWith(t, nil)
}

// submittedWorldWith is submittedWorld with more people in the keys file.
func submittedWorldWith(t *testing.T, more map[string]string) (*sshWorld, model.Period) {
	t.Helper()
	p, _ := firstCells(t, 1)
	v := nanan(t)
	people := map[string]string{"市局": `role=office`}
	for name, opts := range more {
		people[name] = opts
	}
	w := startServeWorldSeeded(t, people, func(db string) {
		st, err := store.Open(db, store.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		r := sampleReport(t, v, "水头", p)
		r.State = model.StateSubmitted
		if err := st.PutReport(r, "水头的填报人"); err != nil {
			t.Fatal(err)
		}
	})
	return w, p
}

// returnFromBoard opens 水头 from the office's board and returns it with why.
func (z *zTerminal) returnFromBoard(why string) {
	z.wait(15*time.Second, "选择报表")
	z.keys("B")
	z.wait(10*time.Second, "审核看板", ">水头")
	z.keys("\r")
	z.wait(10*time.Second, "截止日期")
	z.keys("R")
	z.wait(10*time.Second, "退回给填报人修改")
	z.keys(why + "\r")
}

// TestServeReturnNoticeTerminalWithoutZmodem: a terminal that cannot receive is
// shown the OpenSSH line that fetches the same notice, and the line works.
func TestServeReturnNoticeTerminalWithoutZmodem(t *testing.T) {
	testenv.MustHaveTool(t, "sz")
	w, p := submittedWorld(t)
	z := startZTerminal(t, w, "市局", "")
	z.returnFromBoard("表二请补充说明")
	cmd := "jibao review --variant nanan --unit 水头 --period " + p.String() + " --notice -o - > 南安-水头-" + p.String() + "-退回通知.txt"
	z.wait(15*time.Second, "终端没有应答 ZMODEM", "-p "+w.port+" ")
	flat := strings.Join(strings.Fields(z.screen()), "")
	if !strings.Contains(flat, strings.Join(strings.Fields(cmd), "")) || !strings.Contains(flat, "能直接接收：会弹出保存对话框") {
		t.Errorf("the OpenSSH command %q is not shown:\n%s", cmd, z.screen())
	}
	if code, out, errs := w.run("市局", strings.Fields(strings.Split(cmd, " > ")[0])...); code != 0 || !strings.Contains(out, "退回理由：表二请补充说明") {
		t.Errorf("the shown command: exit %d, %s %s", code, out, errs)
	}
}
