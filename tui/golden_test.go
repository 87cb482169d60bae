package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden screens under testdata/")

// golden compares a screen with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("screen %s differs from %s (-update rewrites it):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// checkWidths fails when a line is wider than the terminal.
func checkWidths(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) > h {
		t.Errorf("%d lines on a %d-line terminal", len(lines), h)
	}
	for i, l := range lines {
		if n := textWidth(l); n > w {
			t.Errorf("line %d is %d cells wide on a %d-cell terminal: %q", i, n, w, l)
		}
	}
}

func TestGoldenForms(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		w, h := size[0], size[1]
		st := openTestStore(t)
		// Some values, a wrong sum (error), last quarter's figures and a comment,
		// so every marker shows.
		seed := openReport(t, st, 120, 40, "nanan", "水头", "2025Q2")
		seed.keys("1 str:10 tab str:4 tab str:3 tab str:3 tab tab str:7 enter ctrl+c")
		hs := openReport(t, st, w, h, "nanan", "水头", "2025Q3")
		golden(t, fmt.Sprintf("overview-%dx%d", w, h), hs.screen())
		checkWidths(t, hs.screen(), w, h)
		hs.keys("1 str:12 tab str:5 tab str:4 tab str:2 tab c str:核实 enter")
		for i, f := range []string{"t1", "t2", "t3", "t4"} {
			hs.keys(fmt.Sprintf("t %d", i+1))
			if hs.grid().list { // one-row forms open as a list at 80 columns
				hs.keys("v")
			}
			scr := hs.screen()
			checkWidths(t, scr, w, h)
			golden(t, fmt.Sprintf("grid-%s-%dx%d", f, w, h), scr)
			hs.keys("v")
			scr = hs.screen()
			checkWidths(t, scr, w, h)
			golden(t, fmt.Sprintf("list-%s-%dx%d", f, w, h), scr)
			hs.keys("v")
		}
	}
}

func TestGoldenOpener(t *testing.T) {
	st := openTestStore(t)
	hs := newHarness(t, st, 80, 24, Options{})
	hs.keys("str:水")
	golden(t, "opener-80x24", hs.screen())
	checkWidths(t, hs.screen(), 80, 24)
	hs.keys("?")
	golden(t, "help-opener-80x24", hs.screen())
}

func TestGoldenHelpAndPanels(t *testing.T) {
	st := openTestStore(t)
	hs := openReport(t, st, 80, 24, "nanan", "水头", "2025Q3")
	hs.keys("3 ?")
	golden(t, "help-grid-80x24", hs.screen())
	checkWidths(t, hs.screen(), 80, 24)
	hs.keys("esc tab tab tab tab tab str:1 tab str:5 enter r")
	golden(t, "rules-80x24", hs.screen())
	checkWidths(t, hs.screen(), 80, 24)
	hs.keys("esc")
	hs.paste("1\tx\n2\t3")
	golden(t, "paste-refused-80x24", hs.screen())
	checkWidths(t, hs.screen(), 80, 24)
}
