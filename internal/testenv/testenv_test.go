package testenv

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what a helper said instead of ending
// the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = fmt.Sprintf(f, args...) }
func (r *recorder) Skipf(f string, args ...any)  { r.skip = fmt.Sprintf(f, args...) }

// TestMissingToolFails: a tool that is not installed fails the test with the
// package to install; only JIBAO_SKIP_E2E=1 turns that into a skip.
func TestMissingToolFails(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("JIBAO_SKIP_E2E", "")
	r := &recorder{TB: t}
	if path := MustHaveTool(r, "tmux"); path != "" || r.skip != "" || !strings.Contains(r.fatal, "install tmux") {
		t.Errorf("missing tmux: path %q, fatal %q, skip %q", path, r.fatal, r.skip)
	}
	r = &recorder{TB: t}
	MustHaveTool(r, "sz")
	if !strings.Contains(r.fatal, "install lrzsz") {
		t.Errorf("missing sz: fatal %q, want the package lrzsz", r.fatal)
	}

	t.Setenv("JIBAO_SKIP_E2E", "1")
	r = &recorder{TB: t}
	MustHaveTool(r, "tmux")
	if r.fatal != "" || !strings.Contains(r.skip, "JIBAO_SKIP_E2E=1") {
		t.Errorf("opted out: fatal %q, skip %q", r.fatal, r.skip)
	}
}

// TestMissingModuleFails: a Python module the interpreter cannot import fails
// the test with its package.
func TestMissingModuleFails(t *testing.T) {
	MustHaveTool(t, "python3")
	t.Setenv("JIBAO_SKIP_E2E", "")
	r := &recorder{TB: t}
	MustHavePython(r, "no_such_module_jibao", "python3-nosuch")
	if !strings.Contains(r.fatal, "install python3-nosuch") {
		t.Errorf("fatal %q, want the package named", r.fatal)
	}
}
