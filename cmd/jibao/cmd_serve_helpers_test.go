package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"jibao/internal/testenv"
	"jibao/model"
)

// These tests run the real binary's `jibao serve` and reach it with OpenSSH, the
// grid through tmux panes, command mode through plain ssh.

// needServeTools fails a test when OpenSSH or tmux is missing (see internal/testenv).
func needServeTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ssh", "ssh-keygen", "tmux"} {
		testenv.MustHaveTool(t, tool)
	}
}

var serveBin struct {
	once sync.Once
	path string
	err  error
}

// serveBinary builds jibao once for all serve tests.
func serveBinary(t testing.TB) string {
	t.Helper()
	serveBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "jibao-serve-bin-")
		if err != nil {
			serveBin.err = err
			return
		}
		serveBin.path = filepath.Join(dir, "jibao")
		out, err := exec.Command("go", "build", "-o", serveBin.path, ".").CombinedOutput()
		if err != nil {
			serveBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if serveBin.err != nil {
		t.Fatal(serveBin.err)
	}
	return serveBin.path
}

// sshWorld is a running `jibao serve` with keys for its people and a private
// tmux server for interactive clients.
type sshWorld struct {
	t     *testing.T
	dir   string
	port  string
	log   string
	keys  map[string]string // person -> private key file
	tmux  string            // tmux socket name
	proc  *exec.Cmd
	exitc chan error
}

// startServeWorld starts the server with the given people: name -> keys file
// options (role, units).
func startServeWorld(t *testing.T, people map[string]string) *sshWorld {
	t.Helper()
	return startServeWorldSeeded(t, people, nil)
}

// startServeWorldSeeded is startServeWorld on a data file that seed (when not
// nil) writes first.
func startServeWorldSeeded(t *testing.T, people map[string]string, seed func(db string)) *sshWorld {
	t.Helper()
	needServeTools(t)
	bin := serveBinary(t)
	w := &sshWorld{t: t, dir: t.TempDir(), keys: map[string]string{}, tmux: fmt.Sprintf("jibao-serve-%d-%d", os.Getpid(), time.Now().UnixNano())}
	var keys strings.Builder
	i := 0
	for name, opts := range people {
		i++
		key := filepath.Join(w.dir, fmt.Sprintf("id%d", i))
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v %s", err, out)
		}
		pub, _ := os.ReadFile(key + ".pub")
		fmt.Fprintf(&keys, "name=%q,%s %s", name, opts, pub)
		w.keys[name] = key
	}
	keysFile := filepath.Join(w.dir, "keys")
	os.WriteFile(keysFile, []byte(keys.String()), 0o600)
	if seed != nil {
		seed(filepath.Join(w.dir, "jibao.db"))
	}
	w.log = filepath.Join(w.dir, "serve.log")
	w.proc = exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--keys", keysFile,
		"--db", filepath.Join(w.dir, "jibao.db"), "--log", w.log, "--idle", "5m")
	w.proc.Env = append(os.Environ(), "JIBAO_CATALOG=", "JIBAO_DB=")
	var stderr bytes.Buffer
	w.proc.Stderr = &stderr
	if err := w.proc.Start(); err != nil {
		t.Fatal(err)
	}
	w.exitc = make(chan error, 1)
	go func() { w.exitc <- w.proc.Wait() }()
	t.Cleanup(func() {
		exec.Command("tmux", "-L", w.tmux, "kill-server").Run()
		w.proc.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-w.exitc:
			if err != nil {
				t.Errorf("jibao serve exited with %v; stderr:\n%s", err, stderr.String())
			}
		case <-time.After(20 * time.Second):
			w.proc.Process.Kill()
			t.Error("jibao serve did not stop on SIGTERM")
		}
	})
	listen := regexp.MustCompile(`listen addr=127\.0\.0\.1:(\d+)`)
	w.waitLog(listen.String(), func(s string) bool { return listen.MatchString(s) })
	w.port = listen.FindStringSubmatch(w.logText())[1]
	return w
}

func (w *sshWorld) logText() string {
	b, _ := os.ReadFile(w.log)
	return string(b)
}

// waitLog polls the server's log.
func (w *sshWorld) waitLog(what string, ok func(string) bool) {
	w.t.Helper()
	w.waitUntil("log: "+what, func() bool { return ok(w.logText()) })
}

// waitUntil polls a condition.
func (w *sshWorld) waitUntil(what string, ok func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			w.t.Fatalf("never happened: %s; server log:\n%s", what, w.logText())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *sshWorld) sshArgs(person string) []string {
	return []string{"-F", "/dev/null", "-p", w.port, "-i", w.keys[person], "-o", "IdentitiesOnly=yes",
		"-o", "IdentityAgent=none", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "clerk@127.0.0.1"}
}

// run runs ssh in command mode and returns the exit code, stdout and stderr.
func (w *sshWorld) run(person string, command ...string) (int, string, string) {
	w.t.Helper()
	c := exec.Command("ssh", append(w.sshArgs(person), command...)...)
	c.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		w.t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// login opens a tmux pane with an interactive ssh session for person; the pane
// prints SSH-EXIT=code when ssh ends.
func (w *sshWorld) login(pane, person string) {
	w.t.Helper()
	cmd := "ssh -t"
	for _, a := range w.sshArgs(person) {
		cmd += " '" + a + "'"
	}
	cmd += "; echo SSH-EXIT=$?; sleep 600"
	args := []string{"-L", w.tmux, "-f", "/dev/null", "-u", "new-session", "-d", "-s", pane, "-x", "160", "-y", "45", cmd}
	testenv.MustHaveTool(w.t, "tmux")
	if out, err := w.tmuxCmd(args...).CombinedOutput(); err != nil {
		w.t.Fatalf("tmux: %v %s", err, out)
	}
}

func (w *sshWorld) tmuxCmd(args ...string) *exec.Cmd {
	c := exec.Command("tmux", args...)
	c.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "TERM=xterm-256color")
	return c
}

func (w *sshWorld) send(pane string, keys ...string) {
	w.t.Helper()
	if out, err := w.tmuxCmd(append([]string{"-L", w.tmux, "send-keys", "-t", pane}, keys...)...).CombinedOutput(); err != nil {
		w.t.Fatalf("send-keys: %v %s", err, out)
	}
}

func (w *sshWorld) screen(pane string) string {
	out, _ := w.tmuxCmd("-L", w.tmux, "capture-pane", "-p", "-t", pane).Output()
	return string(out)
}

// waitScreen polls the pane until it shows every one of want.
func (w *sshWorld) waitScreen(pane string, want ...string) string {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := w.screen(pane)
		ok := true
		for _, x := range want {
			ok = ok && strings.Contains(s, x)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("pane %s never showed %q:\n%s\nserver log:\n%s", pane, want, s, w.logText())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitScreenRe polls the pane until it matches re.
func (w *sshWorld) waitScreenRe(pane string, re *regexp.Regexp) {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !re.MatchString(w.screen(pane)) {
		if time.Now().After(deadline) {
			w.t.Fatalf("pane %s never matched %s:\n%s", pane, re, w.screen(pane))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// values exports the report as JSON records through command mode.
func (w *sshWorld) values(person, unit string, p model.Period) map[string]string {
	w.t.Helper()
	code, out, errs := w.run(person, "jibao", "export", "--variant", "nanan", "--unit", unit, "--period", p.String(),
		"--format", "json", "--draft")
	if code != 0 {
		w.t.Fatalf("export over ssh: exit %d: %s", code, errs)
	}
	return w.parseValues(out)
}

// parseValues reads export's JSON records into key -> value of the filled cells.
func (w *sshWorld) parseValues(out string) map[string]string {
	w.t.Helper()
	var recs []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		w.t.Fatalf("export output is not the JSON records: %v\n%s", err, out)
	}
	m := map[string]string{}
	for _, r := range recs {
		if string(r.Value) != "null" {
			m[r.Key] = string(r.Value)
		}
	}
	return m
}

// firstCells are the keys of 表一's first cells for a township, in entry order.
func firstCells(t *testing.T, n int) (model.Period, []string) {
	v, err := model.DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	f := v.Form("t1")
	var keys []string
	for _, k := range f.Cells()[:n] {
		keys = append(keys, k.String())
	}
	return v.DefaultPeriod(time.Now()), keys
}

// openForm1 goes from the chooser to 表一's grid of the preselected unit.
func (w *sshWorld) openForm1(pane string) {
	w.t.Helper()
	w.waitScreen(pane, "选择报表", "水头")
	w.send(pane, "Enter")
	w.waitScreen(pane, "表一 ")
	w.send(pane, "Enter")
	w.waitScreen(pane, "口径：")
}
