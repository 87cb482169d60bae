package termcheck

import (
	"slices"
	"strings"
	"testing"
)

func TestAmbiguous(t *testing.T) {
	tests := []struct {
		in   string
		want []rune
	}{
		{"表一 国标 12.50 万元 [x] <> ^ ｜－＋「」（）", nil},
		{"┌─┐│└┘", []rune("┌─┐│└┘")},
		{"完善“四项规范”（份）", []rune("“”")},
		{"·…※○●→①×≤≥—", []rune("·…※○●→①×≤≥—")},
		{"a→b→c", []rune("→")}, // once each
		{"\x1b[31m→\x1b[0m ok", []rune("→")},
		{"\x1b[38;5;196mred\x1b[0m", nil}, // the escape sequence itself is not text
		{"done ✅ ⭐ ⌚ 😀 🇨🇳", []rune("✅⭐⌚😀🇨🇳")},
		{"✔ ™", []rune("✔™")},                    // narrow in Unicode, drawn as emoji by many fonts
		{"✓ ✗", nil},                             // plain narrow symbols (GBK lacks them: see NotGBK)
		{"e\u0301 \u00e9", []rune{0x0301, 0xe9}}, // combining marks and Latin-1 letters too
	}
	for _, tt := range tests {
		if got := Ambiguous(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Ambiguous(%q) = %q, want %q", tt.in, string(got), string(tt.want))
		}
	}
}

func TestLineWidths(t *testing.T) {
	screen := "表一 国标\n┌─┐\n\x1b[7m“a”\x1b[0m\nabc\r\n\n"
	if got, want := LineWidths(screen, false), []int{9, 3, 3, 3, 0}; !slices.Equal(got, want) {
		t.Errorf("ambiguous narrow: %v, want %v", got, want)
	}
	if got, want := LineWidths(screen, true), []int{9, 6, 5, 3, 0}; !slices.Equal(got, want) {
		t.Errorf("ambiguous wide: %v, want %v", got, want)
	}
	if got := LineWidths("", false); !slices.Equal(got, []int{0}) {
		t.Errorf("empty screen: %v, want one empty line", got)
	}
}

func TestNotGBK(t *testing.T) {
	if got := NotGBK("表一「」（）－＋┌─ “”·…①※○●→× €"); got != nil {
		t.Errorf("NotGBK found %q in text GBK has", string(got))
	}
	if got, want := NotGBK("✓ ▶ ⇒ ・ 😀 ✓"), []rune("✓▶⇒・😀"); !slices.Equal(got, want) {
		t.Errorf("NotGBK = %q, want %q", string(got), string(want))
	}
}

func TestProblems(t *testing.T) {
	good := "表一 国标 \n[x] 12.50 \n"
	if p := Problems(good, 10, true); p != nil {
		t.Errorf("Problems(good) = %q", p)
	}
	if p := Problems("ab\n", 10, false); p != nil {
		t.Errorf("a short line with exact false: %q", p)
	}
	tests := []struct {
		screen string
		cols   int
		exact  bool
		want   string
	}{
		{"→ 下一格", 0, false, "ambiguous-width or emoji characters: U+2192 '→'"},
		{"→ 下一格", 0, false, "line 1 is 8 columns with ambiguous = 1 but 9 with ambiguous = 2"},
		{"完成 ✓", 0, false, "characters GBK cannot show: U+2713 '✓'"},
		{"abc", 4, true, "line 1 is 3 columns, want 4"},
		{"abcde", 4, false, "line 1 is 5 columns, wider than 4"},
	}
	for _, tt := range tests {
		p := Problems(tt.screen, tt.cols, tt.exact)
		if !slices.ContainsFunc(p, func(s string) bool { return strings.HasPrefix(s, tt.want) }) {
			t.Errorf("Problems(%q, %d, %v) = %q, want one starting %q", tt.screen, tt.cols, tt.exact, p, tt.want)
		}
	}
}
