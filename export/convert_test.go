//go:build unix

package export

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A conversion that hangs is refused when its time is up, and LibreOffice's
// processes go with it: a fake soffice (a script that starts a child and
// sleeps) stands in for one stuck on a file.
func TestConvertTimeout(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	script := "#!/bin/sh\nsleep 300 &\necho $! > " + pidFile + "\nwait\n"
	if err := os.WriteFile(filepath.Join(dir, "soffice"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	xls := filepath.Join(dir, "水头.xls")
	if err := os.WriteFile(xls, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	lim := DefaultLimits
	lim.Convert = time.Second
	start := time.Now()
	_, err := Open(xls, lim)
	if err == nil || !strings.Contains(err.Error(), "LibreOffice 转换超过 1 秒未完成") {
		t.Fatalf("err %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v", took)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil { // poll: the kill is asynchronous
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("the converter's child outlived the timeout")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
