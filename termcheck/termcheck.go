// Package termcheck holds test helpers that find what breaks a screen in the
// terminals clerks use: characters whose width terminals disagree on (East
// Asian ambiguous, emoji), characters a GBK terminal cannot show, and lines
// whose width depends on the terminal's ambiguous-width setting.
//
// Any package's tests may use it; it imports no UI code.
package termcheck

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"
)

// Ambiguous lists the runes of s, once each in order of first appearance, that
// are East Asian Ambiguous width (Unicode's EastAsianWidth.txt: ─ │ ┌ · … ※ ○
// ● → ① × “ ”) or emoji. Xshell, PuTTY and SecureCRT with a Chinese font draw
// the former two columns wide; terminals draw the latter one or two columns
// depending on their age and font. Escape sequences in s are ignored.
func Ambiguous(s string) []rune {
	var out []rune
	seen := map[rune]bool{}
	for _, r := range ansi.Strip(s) {
		if !seen[r] && IsAmbiguous(r) {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// IsAmbiguous reports whether terminals may disagree on the width of r; see
// Ambiguous.
func IsAmbiguous(r rune) bool {
	return width.LookupRune(r).Kind() == width.EastAsianAmbiguous || IsEmoji(r)
}

// widthOf measures like a terminal with ambiguous-width characters drawn
// wide or narrow; emojiWide also widens the emoji Unicode calls narrow.
func widthOf(ambiguousWide, emojiWide bool) *runewidth.Condition {
	return &runewidth.Condition{EastAsianWidth: ambiguousWide, StrictEmojiNeutral: !emojiWide}
}

// IsEmoji reports whether r is an emoji or a part of one: the pictographic
// planes (U+1F000-U+1FAFF, flags included), the emoji-presentation symbols
// among U+2300-U+2BFF (⌚ ☕ ✅ ⭐, wide only since Unicode 9), the symbols
// that fonts draw as emoji although Unicode makes them narrow (✔ ™ ↔), and
// the emoji variation selector and zero-width joiner.
func IsEmoji(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF:
		return true
	case r == 0xFE0F || r == 0x200D || r == 0x20E3:
		return true
	case r >= 0x2300 && r <= 0x2BFF && width.LookupRune(r).Kind() == width.EastAsianWide:
		return true
	}
	// go-runewidth's emoji table, seen through the one switch that uses it.
	return widthOf(true, false).RuneWidth(r) != widthOf(true, true).RuneWidth(r)
}

// LineWidths is the display width of every line of screen, escape sequences
// stripped, with ambiguous-width characters counted one column
// (ambiguousWide false, a UTF-8 xterm) or two (true, a terminal with a
// Chinese font). A final newline ends the last line; it does not start one.
func LineWidths(screen string, ambiguousWide bool) []int {
	cond := widthOf(ambiguousWide, false)
	lines := strings.Split(strings.TrimSuffix(ansi.Strip(screen), "\n"), "\n")
	out := make([]int, len(lines))
	for i, l := range lines {
		out[i] = cond.StringWidth(strings.TrimSuffix(l, "\r"))
	}
	return out
}

// NotGBK lists the runes of s, once each, that GBK (code page 936, what
// Xshell and PuTTY on Chinese Windows use unless told otherwise) cannot show.
// jibao sends GB18030, which encodes them, but a GBK terminal prints them as
// garbage.
func NotGBK(s string) []rune {
	var out []rune
	seen := map[rune]bool{}
	enc := simplifiedchinese.GBK.NewEncoder()
	for _, r := range ansi.Strip(s) {
		if r < 0x80 || seen[r] {
			continue
		}
		seen[r] = true
		if _, err := enc.String(string(r)); err != nil {
			out = append(out, r)
		}
	}
	return out
}

// Problems checks a screen meant for a terminal cols columns wide and
// describes, one per line, everything that would look wrong in some
// terminal: ambiguous-width and emoji characters, characters GBK lacks, and
// lines whose width differs between ambiguous = 1 and = 2 or from cols.
// With exact false a line may be narrower than cols (the renderer clears the
// rest); cols 0 checks only that both ways agree. No problems, no lines.
func Problems(screen string, cols int, exact bool) []string {
	var out []string
	if rs := Ambiguous(screen); len(rs) > 0 {
		out = append(out, "ambiguous-width or emoji characters: "+describe(rs))
	}
	if rs := NotGBK(screen); len(rs) > 0 {
		out = append(out, "characters GBK cannot show: "+describe(rs))
	}
	narrow, wide := LineWidths(screen, false), LineWidths(screen, true)
	lines := strings.Split(strings.TrimSuffix(ansi.Strip(screen), "\n"), "\n")
	for i := range narrow {
		n, w := narrow[i], wide[i]
		switch {
		case n != w:
			out = append(out, fmt.Sprintf("line %d is %d columns with ambiguous = 1 but %d with ambiguous = 2: %q", i+1, n, w, lines[i]))
		case cols > 0 && exact && n != cols:
			out = append(out, fmt.Sprintf("line %d is %d columns, want %d: %q", i+1, n, cols, lines[i]))
		case cols > 0 && n > cols:
			out = append(out, fmt.Sprintf("line %d is %d columns, wider than %d: %q", i+1, n, cols, lines[i]))
		}
	}
	return out
}

func describe(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%U %q", r, r)
	}
	return strings.Join(parts, ", ")
}
