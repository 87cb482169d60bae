package tui

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestStyleRuns checks the escapes of a marked row: one run across the spaces
// between cells of one look, the short reset, the cursor on a marked cell as
// one attribute more, and nothing at all without colour.
func TestStyleRuns(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI) // 16 colours, as TERM=xterm
	st := DefaultStyles(r)
	if st.Bad.on != "\x1b[1;91m" || st.Bad.off != "\x1b[m" || !st.Bad.blank || st.Cursor.blank {
		t.Fatalf("Bad = %q %q blank %v, Cursor blank %v", st.Bad.on, st.Bad.off, st.Bad.blank, st.Cursor.blank)
	}
	if st.Edit.on != "\x1b[4;7m" {
		t.Errorf("Edit = %q, want each parameter once", st.Edit.on)
	}
	var lb lineBuf
	lb.add(nil, "本单位")
	lb.sep("|")
	lb.add(&st.Bad, "!  12")
	lb.sep("[")
	lb.add(st.cursorOn(&st.Bad), "!   5")
	lb.sep("]")
	lb.add(&st.Bad, "!   4")
	lb.sep(" ")
	lb.add(nil, "   33")
	lb.sep(" ")
	lb.add(&st.Prev, "~  41")
	lb.sep(" ")
	lb.add(&st.NA, "    /")
	lb.sep("|")
	want := "本单位\x1b[1;91m|!  12[\x1b[7m!   5\x1b[27m]!   4 \x1b[m   33\x1b[2m ~  41     /|\x1b[m"
	if got := lb.String(); got != want {
		t.Errorf("row\n got %q\nwant %q", got, want)
	}

	plain := DefaultStyles(asciiRenderer()) // NO_COLOR, TERM=dumb
	lb = lineBuf{}
	lb.add(&plain.Bad, "!  12")
	lb.sep("[")
	lb.add(plain.cursorOn(&plain.Bad), "!   5")
	lb.sep("]  ")
	if got := lb.String(); got != "!  12[!   5]" {
		t.Errorf("without colour: %q", got)
	}
}

// TestHintKeepsHelp: at 80 columns every hint line still shows ? and the way
// out, whole (the issue: cut before "? 全部按键" in the grid, "Esc 退出" in the
// chooser).
func TestHintKeepsHelp(t *testing.T) {
	for name, bs := range map[string][]string{
		"grid":     {"? 全部按键", "q "},
		"opener":   {"? 全部按键", "Esc 退出"},
		"overview": {"? 全部按键", "q "},
	} {
		var line string
		switch name {
		case "grid":
			line = hintLine(DefaultGridKeyMap().ShortHelp(), 80)
		case "opener":
			line = hintLine(DefaultOpenerKeyMap().ShortHelp(), 80)
		case "overview":
			line = hintLine(DefaultOverviewKeyMap().ShortHelp(), 80)
		}
		if textWidth(line) > 80 {
			t.Errorf("%s: %d cells: %q", name, textWidth(line), line)
		}
		for _, want := range bs {
			if !strings.Contains(line, want) {
				t.Errorf("%s hint at 80 columns lacks %q: %q", name, want, line)
			}
		}
	}
	if got, want := hintLine(DefaultGridKeyMap().ShortHelp(), 400), shortHelpLine(DefaultGridKeyMap().ShortHelp()); got != want {
		t.Errorf("a wide terminal shows every hint: %q, want %q", got, want)
	}
}
