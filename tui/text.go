package tui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"jibao/termenc"
)

// All widths go through x/ansi, the same measure Bubble Tea's renderer uses, so a
// line we pad to the terminal width is never truncated or wrapped by it.

// textWidth is the display width of plain text (CJK counts two).
func textWidth(s string) int { return ansi.StringWidth(s) }

// fit truncates plain text to w cells and pads it with spaces to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(s, w, "")
	if n := textWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// fitRight right-aligns plain text in w cells, keeping its right end when too wide.
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := textWidth(s)
	if n > w {
		return ansi.TruncateLeft(s, n-w, "")
	}
	return strings.Repeat(" ", w-n) + s
}

// clip truncates plain text to at most w cells without padding.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "")
}

// wrap cuts plain text into at most n lines of at most w cells.
func wrap(s string, w, n int) []string {
	var out []string
	for s != "" && len(out) < n && w > 0 {
		head := ansi.Truncate(s, w, "")
		if head == "" { // a wide rune in a one-cell slot
			break
		}
		out = append(out, head)
		s = s[len(head):]
	}
	return out
}

// noLineStart are the marks a Chinese line must not begin with (kinsoku): a
// wrapped note that begins a line with "；" or splits "8." reads as broken.
const noLineStart = "，。、；：！？）」》.,;:)%"

// wrapProse wraps running text like wrap, but never begins a line with a
// closing mark: the rune before it moves down with it.
func wrapProse(s string, w, n int) []string {
	var out []string
	for s != "" && len(out) < n && w > 0 {
		head := ansi.Truncate(s, w, "")
		if head == "" {
			break
		}
		for try := 0; try < 3 && len(head) < len(s) && !strings.Contains(head, "\x1b"); try++ {
			r, _ := utf8.DecodeRuneInString(s[len(head):])
			_, size := utf8.DecodeLastRuneInString(head)
			if !strings.ContainsRune(noLineStart, r) || size >= len(head) {
				break
			}
			head = head[:len(head)-size]
		}
		out = append(out, head)
		s = s[len(head):]
	}
	return out
}

// lineBuf builds one terminal line of styled runs; it emits an escape sequence only
// where the look changes, so a line costs few bytes over SSH. Separators (spaces,
// and the glyphs sep takes: | [ ]) carry no meaning in their colour, so they wait
// and join whichever neighbouring run they may: "! 12 !  5 !  4" is one run, and
// the cursor inside it changes one attribute rather than ending the run.
type lineBuf struct {
	b    strings.Builder
	cur  *sgr
	pend string // separators held until the next look is known
}

// sep appends separator glyphs, which may take the colour of a neighbour.
func (l *lineBuf) sep(s string) { l.pend += s }

// add appends text in a style (nil = plain); spaces in no style are separators.
func (l *lineBuf) add(st *sgr, s string) {
	if s == "" {
		return
	}
	if st != nil && st.on == "" {
		st = nil
	}
	if st == nil && strings.Trim(s, " ") == "" {
		l.pend += s
		return
	}
	l.to(st)
	l.b.WriteString(s)
}

// to writes the held separators and changes the look to st: the separators go
// in whichever of the two looks shows them as plain text does (colour, bold or
// faint), else plain between the two.
func (l *lineBuf) to(st *sgr) {
	if st != nil && l.cur != nil && st.on == l.cur.on {
		st = l.cur // the same look: the run goes on
	}
	switch {
	case st == l.cur:
		l.b.WriteString(l.pend)
	case l.cur != nil && l.cur.blank:
		l.b.WriteString(l.pend)
		l.b.WriteString(l.cur.to(st))
	case st != nil && st.blank:
		l.b.WriteString(l.cur.to(st))
		l.b.WriteString(l.pend)
	default:
		l.b.WriteString(l.cur.to(nil))
		l.b.WriteString(l.pend)
		l.b.WriteString((*sgr)(nil).to(st))
	}
	l.pend, l.cur = "", st
}

// String ends the last run; trailing spaces are dropped (the renderer erases the
// rest of the line anyway).
func (l *lineBuf) String() string {
	l.pend = strings.TrimRight(l.pend, " ")
	l.to(nil)
	return strings.TrimRight(l.b.String(), " ")
}

// padLines makes a block exactly h lines tall (cutting or adding empty lines) with
// every line at most w cells wide.
func padLines(lines []string, w, h int) []string {
	h = max(h, 0) // a 0- or 1-row terminal leaves callers no room, not a negative
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if len(l) > w && textWidth(l) > w { // a cell takes at least a byte
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// capLines cuts a frame to at most h lines (at least one): on a terminal with
// fewer rows than a screen's fixed lines, Bubble Tea would otherwise scroll.
func capLines(v string, h int) string {
	at := 0
	for i := 0; i < max(h, 1); i++ {
		j := strings.IndexByte(v[at:], '\n')
		if j < 0 {
			return v
		}
		at += j + 1
	}
	return v[:at-1]
}

// unambiguous is termenc.Unambiguous with a fast path for text that has nothing
// to replace: every character it replaces starts with byte 0xC2, 0xC3 or 0xE2 in
// UTF-8, which no ASCII, CJK or full-width character does. The grid puts the
// official texts through it where it caches them (header, title), so a frame
// usually takes only the fast path.
func unambiguous(s string) string {
	if strings.IndexByte(s, 0xe2) < 0 && strings.IndexByte(s, 0xc2) < 0 && strings.IndexByte(s, 0xc3) < 0 {
		return s
	}
	return termenc.Unambiguous(s)
}

// fitPath writes a header path in w cells keeping its leaf whole: the outer
// groups give way first ("落实全员..四色安全风险分级动态监管/红色（家）"). Cut
// from the end, four fields of 表一 read the same at 80 columns.
func fitPath(path []string, unit string, w int) string {
	parts := append([]string(nil), path...)
	full := func() string { return strings.Join(parts, "/") + unit }
	for i := 0; i < len(parts)-1 && textWidth(full()) > w; i++ {
		excess := textWidth(full()) - w
		keep := max(2, textWidth(parts[i])-excess-2)
		if keep+2 < textWidth(parts[i]) {
			parts[i] = clip(parts[i], keep) + ".."
		}
	}
	return clip(full(), w)
}

// wrapList wraps a head and a list of names joined by "、", never splitting a
// name that fits on a line ("码" at one line's end and "头" at the next's read
// as two units).
func wrapList(head string, items []string, w int) []string {
	var out []string
	line := head
	for i, it := range items {
		if i < len(items)-1 {
			it += "、"
		}
		if textWidth(line)+textWidth(it) > w && line != "" && textWidth(it) <= w {
			out = append(out, line)
			line = ""
		}
		line += it
		for textWidth(line) > w && w > 0 { // a name longer than the line
			part := ansi.Truncate(line, w, "")
			if part == "" {
				break
			}
			out = append(out, part)
			line = line[len(part):]
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
