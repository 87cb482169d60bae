package tui

import (
	"sort"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// frameBytes is what Bubble Tea v1's standard renderer writes in the alternate
// screen to go from one frame to the next (standard_renderer.go flush): cursor
// home, a newline for every unchanged line, the full text of every changed line
// (with erase-to-end when it is narrower than the terminal) and a final cursor
// position.
func frameBytes(prev, next string, w int) int {
	if prev == next {
		return 0
	}
	old, lines := strings.Split(prev, "\n"), strings.Split(next, "\n")
	n := len(ansi.CursorHomePosition)
	for i, l := range lines {
		last := i == len(lines)-1
		if i < len(old) && old[i] == l {
			if !last {
				n++
			}
			continue
		}
		n += len(l)
		if ansi.StringWidth(l) < w {
			n += len(ansi.EraseLineRight)
		}
		if !last {
			n += 2
		}
	}
	if len(old) > len(lines) {
		n += len(ansi.EraseScreenBelow)
	}
	return n + len(ansi.CursorPosition(0, len(lines)))
}

func median(xs []int) int {
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[(len(s)-1)/2]
}

// The targets of the issue, checked on every test run with the renderer's own
// arithmetic (ptybytes measures the same on the real binary, see the README):
// at most 300 B per cursor move and 250 B per typed digit on 表四 at 120x40, and
// at most 4 sideways repaints for a walk across its 49 columns.
func TestBytesPerKeyT4(t *testing.T) {
	for _, view := range []string{"grid", "list"} {
		t.Run(view, func(t *testing.T) {
			st := openTestStore(t)
			r := asciiRenderer()
			r.SetColorProfile(termenv.ANSI256)
			h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", Renderer: r})
			h.keys("4")
			move := "right"
			if view == "list" {
				h.keys("v")
				move = "down"
			}
			frame := h.m.View()
			step := func(k tea.KeyMsg) int {
				h.send(k)
				next := h.m.View()
				n := frameBytes(frame, next, 120)
				frame = next
				return n
			}
			var moves, digits []int
			repaints := 0
			for i := 0; i < 48; i++ {
				n := step(keyMsg(move))
				moves = append(moves, n)
				if n > 600 {
					repaints++
				}
			}
			h.keys("home")
			if view == "list" {
				h.grid().col, h.grid().loff = 0, 0
			}
			frame = h.m.View()
			for i := 0; i < 20; i++ {
				for _, d := range []string{"1", "2", "3"} {
					digits = append(digits, step(keyMsg(d)))
				}
				step(keyMsg("enter"))
			}
			t.Logf("%s: move median %d B, digit median %d B, %d sideways repaints", view, median(moves), median(digits), repaints)
			if m := median(moves); m > 300 {
				t.Errorf("%s: %d B per move (want <= 300)", view, m)
			}
			if m := median(digits); m > 250 {
				t.Errorf("%s: %d B per digit (want <= 250)", view, m)
			}
			if view == "grid" && repaints > 4 {
				t.Errorf("a walk across 表四 repainted the grid %d times (want <= 4)", repaints)
			}
		})
	}
}
