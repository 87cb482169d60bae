// Package testenv says what a test needs from the machine, in one place, as the
// standard library's internal/testenv does: a missing tool fails the test with
// the Debian package that brings it, unless the person running the tests opts
// out of the end-to-end tests explicitly with JIBAO_SKIP_E2E=1.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// packages names the Debian package that brings each tool the tests drive.
var packages = map[string]string{
	"tmux":       "tmux",
	"ssh":        "openssh-client",
	"ssh-keygen": "openssh-client",
	"sz":         "lrzsz",
	"rz":         "lrzsz",
	"soffice":    "libreoffice-calc-nogui",
	"pdfinfo":    "poppler-utils",
	"pdftoppm":   "poppler-utils",
	"pdftotext":  "poppler-utils",
	"setpriv":    "util-linux",
	"python3":    "python3",
}

// SkipE2E reports whether the person running the tests asked to leave out the
// tests that drive tools besides Go (JIBAO_SKIP_E2E=1).
func SkipE2E() bool { return os.Getenv("JIBAO_SKIP_E2E") == "1" }

// MustHaveTool returns the path of a command the test drives. When it is not
// installed the test fails with the package to install (scripts/deps.sh, run by
// `make test`, installs all of them), or skips under JIBAO_SKIP_E2E=1.
func MustHaveTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	missing(t, name+" is not installed", packages[name])
	return ""
}

// Python is the interpreter the reader tests run: Debian's, where
// python3-openpyxl lands, whatever python3 comes first on PATH.
const Python = "/usr/bin/python3"

// MustHavePython returns Python after checking that it imports module; pkg is
// the Debian package that brings the module (python3-openpyxl for openpyxl).
func MustHavePython(t testing.TB, module, pkg string) string {
	t.Helper()
	if err := exec.Command(Python, "-c", "import "+module).Run(); err != nil {
		missing(t, Python+" cannot import "+module, pkg)
	}
	return Python
}

// MustBeRoot fails a test that needs root (mounting a file system, switching
// users) when run as another user, saying why; CI and `make test` in the
// project's container run as root. JIBAO_SKIP_E2E=1 skips it instead.
func MustBeRoot(t testing.TB, why string) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if SkipE2E() {
		t.Skipf("needs root: %s (JIBAO_SKIP_E2E=1)", why)
		return
	}
	t.Fatalf("needs root: %s; run the tests as root, or set JIBAO_SKIP_E2E=1 to leave out the end-to-end tests", why)
}

func missing(t testing.TB, what, pkg string) {
	t.Helper()
	if pkg == "" {
		pkg = "the package that provides it"
	}
	if SkipE2E() {
		t.Skipf("%s (JIBAO_SKIP_E2E=1)", what)
		return // a real Skipf does not return; a recording testing.TB does
	}
	t.Fatalf("%s: install %s (`make deps`, as root, installs every tool the tests use), or set JIBAO_SKIP_E2E=1 to leave out the end-to-end tests", what, pkg)
}
