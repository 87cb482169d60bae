package termenc

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestUnambiguous(t *testing.T) {
	tests := []struct{ in, want string }{
		{"完善“四项规范”（份）", `完善"四项规范"（份）`},
		{"‘红、橙’—黄–蓝·×→←↑↓", "'红、橙'-黄-蓝.x><^v"},
		{"┌─┬─┐\n│a│b│\n└─┴─┘", "+-+-+\n|a|b|\n+-+-+"},
		{"\x1b[7m“x”\x1b[0m", "\x1b[7m\"x\"\x1b[0m"},
		{"≤ … ①", "≤ … ①"}, // no stand-in of the same width: left alone
		{"plain 表一 ASCII", "plain 表一 ASCII"},
	}
	for _, tt := range tests {
		got := Unambiguous(tt.in)
		if got != tt.want {
			t.Errorf("Unambiguous(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// lipgloss lays out with ansi.StringWidth: the stand-ins must not move anything.
		if ansi.StringWidth(got) != ansi.StringWidth(tt.in) {
			t.Errorf("Unambiguous(%q) changed the width from %d to %d", tt.in, ansi.StringWidth(tt.in), ansi.StringWidth(got))
		}
	}
}

func TestUnambiguousLeavesCleanStringsAlone(t *testing.T) {
	s := "表一 国标 12.50 万元"
	if got := Unambiguous(s); got != s {
		t.Errorf("Unambiguous changed %q to %q", s, got)
	}
}
