package tui

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
)

// tmuxRun drives the real binary in a private tmux server.
type tmuxRun struct {
	t    *testing.T
	sock string
	name string
}

func (x *tmuxRun) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", x.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (x *tmuxRun) start(w, h int, cmd string) {
	x.t.Helper()
	if out, err := x.tmux("new-session", "-d", "-s", x.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), cmd); err != nil {
		x.t.Fatalf("tmux: %v %s", err, out)
	}
}

func (x *tmuxRun) send(keys ...string) {
	x.t.Helper()
	if out, err := x.tmux(append([]string{"send-keys", "-t", x.name}, keys...)...); err != nil {
		x.t.Fatalf("send-keys: %v %s", err, out)
	}
}

func (x *tmuxRun) screen() string {
	out, _ := x.tmux("capture-pane", "-p", "-t", x.name)
	return out
}

// wait polls the screen until cond holds.
func (x *tmuxRun) wait(what string, cond func(string) bool) string {
	x.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := x.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (x *tmuxRun) waitText(text string) string {
	x.t.Helper()
	return x.wait(fmt.Sprintf("%q", text), func(s string) bool { return strings.Contains(s, text) })
}

// waitGone waits for the program to exit (its session closes with it).
func (x *tmuxRun) waitGone() {
	x.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := x.tmux("has-session", "-t", x.name); err != nil {
			return
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("jibao did not exit; screen:\n%s", x.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEndToEndTmux types every cell of 表三 into the real binary, quits, restarts
// and finds every value; then shrinks the window to 40x10 and back.
func TestEndToEndTmux(t *testing.T) {
	testenv.MustHaveTool(t, "tmux")
	dir := t.TempDir()
	bin := filepath.Join(dir, "jibao")
	build := exec.Command("go", "build", "-o", bin, "./cmd/jibao")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "e2e.db")
	x := &tmuxRun{t: t, sock: "jibao-e2e-" + fmt.Sprint(os.Getpid()), name: "e2e"}
	t.Cleanup(func() { x.tmux("kill-server") })
	cmd := fmt.Sprintf("env JIBAO_USER=e2e TERM=xterm-256color LANG=C.UTF-8 %s --variant nanan --unit 水头 --period 2025Q3 --db %s", bin, db)

	v, _ := model.DefaultCatalog().Variant("nanan")
	f := v.Form("t3")
	values := map[string]string{}
	for i, c := range f.Columns {
		s := fmt.Sprint(100 + i)
		if c.Kind == model.KindMoney {
			s = fmt.Sprintf("%d.25", i)
		}
		values[c.ID] = s
	}

	x.start(120, 40, cmd)
	x.waitText("截止日期")
	x.send("3")
	x.waitText("第1栏 ")
	for _, c := range f.Columns {
		x.send(values[c.ID], "Enter")
	}
	x.waitText(fmt.Sprintf("表三 %d/%d", len(f.Columns), len(f.Columns)))
	x.send("C-c")
	x.waitGone()

	x.start(120, 40, cmd)
	x.waitText(fmt.Sprintf("表三 %d/%d", len(f.Columns), len(f.Columns)))
	x.send("3")
	x.waitText("口径：")
	x.send("v")
	scr := x.waitText("栏目（计量单位）")
	// List lines read "NN [value] header path"; the cursor's value is in brackets.
	shown := map[string]string{}
	for _, l := range strings.Split(scr, "\n") {
		fs := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(l))
		if len(fs) >= 3 && strings.Contains("!?*", fs[1]) { // a rule or comment marker
			fs = append(fs[:1], fs[2:]...)
		}
		if len(fs) >= 2 {
			shown[fs[0]] = fs[1]
		}
	}
	for i, c := range f.Columns {
		if got := shown[fmt.Sprint(i+1)]; got != values[c.ID] {
			t.Errorf("field %d (%s) shows %q after the restart, want %s", i+1, c.ID, got, values[c.ID])
		}
	}
	if t.Failed() {
		t.Logf("screen:\n%s", scr)
	}

	// Shrink to 40x10 and back: no panic, the grid comes back.
	x.send("v")
	for _, size := range [][2]int{{40, 10}, {120, 40}} {
		if out, err := x.tmux("resize-window", "-t", x.name, "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1])); err != nil {
			t.Fatalf("resize: %v %s", err, out)
		}
		x.send("right")
		x.wait(fmt.Sprintf("the screen at %dx%d", size[0], size[1]), func(s string) bool {
			return strings.Contains(s, "表三") && !strings.Contains(s, "panic")
		})
	}
	x.waitText("口径：")
	x.send("C-c")
	x.waitGone()
}
