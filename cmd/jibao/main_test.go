package main

import (
	"strings"
	"testing"
)

// TestHelpListsTheCommands: `jibao --help` is the usage page (the commands), not
// the entry screen's flag list, and it fits 80 columns without ambiguous-width
// characters.
func TestHelpListsTheCommands(t *testing.T) {
	for _, arg := range []string{"help", "-h", "-help", "--help"} {
		a, out, errb := checkApp(t.TempDir() + "/jibao.db")
		if code := a.run([]string{arg}); code != exitOK {
			t.Errorf("jibao %s: exit %d, stderr %q", arg, code, errb)
		}
		if !strings.Contains(out.String(), "jibao import") {
			t.Errorf("jibao %s does not list the commands:\n%s", arg, out)
		}
		fits(t, out.String())
	}
}
