package termenc

import "strings"

// Unambiguous replaces the East Asian ambiguous-width characters that have an
// obvious one-column ASCII stand-in: curly quotes, dashes, middle dots,
// arrows, ×, and box drawing. Terminals with a Chinese font (Xshell, PuTTY,
// SecureCRT in their CJK modes) draw those two columns wide while lipgloss
// counts one, which breaks every line they are on. The stand-ins keep the
// width lipgloss counted, so a finished frame can be passed through this
// just before it goes to the terminal; texts that must stay exact (the xlsx)
// never should be. Other ambiguous characters (…, ≤, ①) have no stand-in of
// the same width and are left for the screen tests to find.
func Unambiguous(s string) string {
	if !hasStandIn(s) {
		return s
	}
	return strings.Map(standIn, s)
}

func hasStandIn(s string) bool {
	for _, r := range s {
		if r >= 0x80 && standIn(r) != r {
			return true
		}
	}
	return false
}

// standIn is the one-column stand-in for r, or r itself.
func standIn(r rune) rune {
	switch r {
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033': // “ ” „ ‟ ″
		return '"'
	case '\u2018', '\u2019', '\u201a', '\u201b', '\u2032': // ‘ ’ ‚ ‛ ′
		return '\''
	case '\u2010', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212': // ‐ ‒ – — ― −
		return '-'
	case '\u00b7', '\u2022', '\u2027', '\u2219': // · • ‧ ∙
		return '.'
	case '\u00d7': // ×
		return 'x'
	case '\u2192': // →
		return '>'
	case '\u2190': // ←
		return '<'
	case '\u2191': // ↑
		return '^'
	case '\u2193': // ↓
		return 'v'
	}
	if r >= 0x2500 && r <= 0x257f { // box drawing
		switch r {
		case '─', '━', '┄', '┅', '┈', '┉', '╌', '╍', '═', '╴', '╶', '╸', '╺':
			return '-'
		case '│', '┃', '┆', '┇', '┊', '┋', '╎', '╏', '║', '╵', '╷', '╹', '╻':
			return '|'
		}
		return '+'
	}
	return r
}
