package tui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// buildBinary builds cmd/jibao into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "jibao")
	build := exec.Command("go", "build", "-o", bin, "./cmd/jibao")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// firstFrameAt starts the binary in a 120x40 pty, answers the terminal queries a
// real terminal answers, and returns how long until the screen shows want.
func firstFrameAt(t *testing.T, bin string, want string, args ...string) time.Duration {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "JIBAO_USER=startup", "LANG=C.UTF-8")
	start := time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
	}()
	var out bytes.Buffer
	buf := make([]byte, 4096)
	answered := false
	for time.Since(start) < 10*time.Second {
		f.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, _ := f.Read(buf)
		out.Write(buf[:n])
		if !answered && bytes.Contains(out.Bytes(), []byte("\x1b[6n")) {
			if os.Getenv("JIBAO_TRACE_STARTUP") != "" {
				t.Logf("terminal query after %v", time.Since(start))
			}
			f.Write([]byte("\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[1;1R"))
			answered = true
		}
		if strings.Contains(out.String(), want) {
			return time.Since(start)
		}
	}
	t.Fatalf("no %q on screen after 10s; got %q", want, out.String())
	return 0
}

// TestStartupBinary1000 measures the real binary on a store of 1,000 reports: the
// chooser's first frame, and a named report's overview.
func TestStartupBinary1000(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and seeds 1,000 reports")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	db := filepath.Join(dir, "k.db")
	st := openStoreAt(t, db)
	seedInto(t, st)
	st.Close()
	var firsts, reports []time.Duration
	for i := 0; i < 3; i++ {
		firsts = append(firsts, firstFrameAt(t, bin, "选择报表", "--db", db))
		reports = append(reports, firstFrameAt(t, bin, "截止日期", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--db", db))
	}
	t.Logf("first frame (chooser) %v; report overview %v", firsts, reports)
	best := firsts[0]
	for _, d := range firsts {
		best = min(best, d)
	}
	// The target is 100 ms on an idle machine (process start alone is ~55 ms, most
	// of it go-runewidth's tables); on a shared CI box this only catches a first
	// frame that waits for the store or for a terminal answer.
	if best > time.Second {
		t.Errorf("first frame after %v with 1,000 reports", best)
	}
}
