package tui

import (
	"fmt"
	"strings"
	"testing"
)

// Every screen survives terminals with no room at all (an ssh -tt without a local
// terminal asks for 0x0; a window dragged to nothing sends 0 rows or columns):
// no panic, and never more lines or columns than there are (at least one).
func TestTinyTerminals(t *testing.T) {
	st := openTestStore(t)
	seed := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	seed.keys("3 str:5 tab str:x ctrl+c")
	for _, size := range [][2]int{{0, 0}, {1, 1}, {0, 24}, {80, 0}, {2, 3}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			hs := newHarness(t, st, w, h, Options{})
			fits := func(what string) {
				t.Helper()
				checkWidths(t, hs.screen(), max(w, 1), max(h, 1))
				if t.Failed() {
					t.Fatalf("after %s:\n%s", what, hs.screen())
				}
			}
			fits("start")
			for _, k := range strings.Fields("? esc str:水头 enter 1 v v r esc / esc c esc i esc q 2 3 v 4 v z n ? esc str:1x q e esc S enter esc t 4 j enter esc p j ? esc q q") {
				hs.keys(k)
				fits(k)
				if k == "1" && hs.root().scr != scrGrid {
					t.Fatalf("表一 did not open:\n%s", hs.screen())
				}
			}
		})
	}
}
