package main

import (
	"os"
	"strings"
	"testing"
)

// TestWorkstationNeedsATerminal: plain `jibao` from a script says what to use
// instead, and creates no data file.
func TestWorkstationNeedsATerminal(t *testing.T) {
	x := newXIO(t)
	if code := x.run(); code != exitUsage || !strings.Contains(x.err.String(), "需要在终端中运行") {
		t.Fatalf("exit %d, stderr %q", code, x.err.String())
	}
	if _, err := os.Stat(x.db); !os.IsNotExist(err) {
		t.Errorf("data file created: %v", err)
	}
}
