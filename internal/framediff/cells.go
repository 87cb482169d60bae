package framediff

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// pen is the look that SGR sequences set: the attributes the workstation uses
// and its colours. It is small, as a cell holds one: the writer keeps a
// screen of cells per session.
type pen struct {
	attrs  uint8 // bit i: attrCodes[i]
	fg, bg colour
}

// colour is 0 for the default, the SGR code of one of the 16 colours (30-37,
// 90-97; 40-47, 100-107), palette|n for 256-colour n, direct|RGB.
type colour uint32

const (
	palette colour = 1 << 24
	direct  colour = 1 << 25
)

// param is the SGR parameter that sets c; base is 38 (foreground) or 48.
func (c colour) param(base string) string {
	switch {
	case c&direct != 0:
		return base + ";2;" + strconv.Itoa(int(c>>16&0xff)) + ";" + strconv.Itoa(int(c>>8&0xff)) + ";" + strconv.Itoa(int(c&0xff))
	case c&palette != 0:
		return base + ";5;" + strconv.Itoa(int(c&0xff))
	}
	return strconv.Itoa(int(c))
}

// attrCodes are the attributes a pen models, in the order they are written.
var attrCodes = [...]string{"1", "2", "3", "4", "5", "7", "8", "9"}

// attrOff is the parameter that ends attrCodes[i] (22 ends bold and faint).
var attrOff = [...]string{"22", "22", "23", "24", "25", "27", "28", "29"}

func attrIndex(p string) int {
	for i, c := range attrCodes {
		if c == p {
			return i
		}
	}
	return -1
}

// apply reads the parameters of one SGR sequence (what is between ESC [ and
// m) into the pen; reset says it began with a reset (the pen is then known
// whatever it was before). ok is false for a parameter it does not model
// (colon sub-parameters, underline colours, fonts, overline): the line is then
// sent as it is.
func (p *pen) apply(params string) (reset, ok bool) {
	if params == "" {
		*p = pen{}
		return true, true
	}
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		s := ps[i]
		n, err := strconv.Atoi(s)
		if err != nil || s == "" {
			return reset, false
		}
		switch {
		case n == 0:
			*p = pen{}
			reset = reset || i == 0
		case n == 21: // double underline in xterm, bold off elsewhere: not modelled
			return reset, false
		case n == 22:
			p.attrs &^= 1<<0 | 1<<1
		case offIndex(s) >= 0:
			p.attrs &^= 1 << offIndex(s)
		case attrIndex(s) >= 0:
			p.attrs |= 1 << attrIndex(s)
		case n >= 30 && n <= 37, n >= 90 && n <= 97:
			p.fg = colour(n)
		case n == 39:
			p.fg = 0
		case n >= 40 && n <= 47, n >= 100 && n <= 107:
			p.bg = colour(n)
		case n == 49:
			p.bg = 0
		case n == 38 || n == 48:
			c, used, good := extColour(ps[i+1:])
			if !good {
				return reset, false
			}
			if n == 38 {
				p.fg = c
			} else {
				p.bg = c
			}
			i += used
		default:
			return reset, false
		}
	}
	return reset, true
}

// offIndex is the attribute an off code other than 22 ends, or -1.
func offIndex(s string) int {
	for i := 2; i < len(attrOff); i++ {
		if attrOff[i] == s {
			return i
		}
	}
	return -1
}

// extColour reads the rest of 38/48: 5;n or 2;r;g;b.
func extColour(ps []string) (colour, int, bool) {
	byteOf := func(s string) (colour, bool) {
		n, err := strconv.Atoi(s)
		return colour(n), err == nil && n >= 0 && n <= 255 && s == strconv.Itoa(n)
	}
	switch {
	case len(ps) >= 2 && ps[0] == "5":
		if n, ok := byteOf(ps[1]); ok {
			return palette | n, 2, true
		}
	case len(ps) >= 4 && ps[0] == "2":
		r, ok1 := byteOf(ps[1])
		g, ok2 := byteOf(ps[2])
		b, ok3 := byteOf(ps[3])
		if ok1 && ok2 && ok3 {
			return direct | r<<16 | g<<8 | b, 4, true
		}
	}
	return 0, 0, false
}

// params are the SGR parameters that set the pen from the default.
func (p pen) params() []string {
	var ps []string
	for i, c := range attrCodes {
		if p.attrs&(1<<i) != 0 {
			ps = append(ps, c)
		}
	}
	if p.fg != 0 {
		ps = append(ps, p.fg.param("38"))
	}
	if p.bg != 0 {
		ps = append(ps, p.bg.param("48"))
	}
	return ps
}

// to is the shortest of two ways from pen a to pen b: what differs, or a reset
// and b's parameters.
func (a pen) to(b pen) string {
	if a == b {
		return ""
	}
	if b == (pen{}) {
		return "\x1b[m"
	}
	full := "\x1b[0;" + strings.Join(b.params(), ";") + "m"
	if a == (pen{}) {
		full = "\x1b[" + strings.Join(b.params(), ";") + "m"
	}
	var ps []string
	off22 := false
	for i := range attrCodes {
		if a.attrs&(1<<i) != 0 && b.attrs&(1<<i) == 0 {
			if attrOff[i] == "22" {
				if off22 {
					continue
				}
				off22 = true
			}
			ps = append(ps, attrOff[i])
		}
	}
	for i, c := range attrCodes {
		had := a.attrs&(1<<i) != 0
		if b.attrs&(1<<i) != 0 && (!had || (off22 && i <= 1)) {
			ps = append(ps, c)
		}
	}
	switch {
	case a.fg == b.fg:
	case b.fg == 0:
		ps = append(ps, "39")
	default:
		ps = append(ps, b.fg.param("38"))
	}
	switch {
	case a.bg == b.bg:
	case b.bg == 0:
		ps = append(ps, "49")
	default:
		ps = append(ps, b.bg.param("48"))
	}
	if d := "\x1b[" + strings.Join(ps, ";") + "m"; len(d) < len(full) {
		return d
	}
	return full
}

// cell is one character on a line and the pen it was written with; a wide
// character is one cell of width 2. 16 bytes.
type cell struct {
	r   rune
	w   uint8
	pen pen
}

// blank is what a cell erased with the default background looks like.
var blank = cell{r: ' ', w: 1}

// runeWidth is the width of a character the writer is sure of, the way Bubble
// Tea (x/ansi) and a terminal both count it: printable ASCII one, the CJK
// ideographs, kana, CJK punctuation and full-width forms two; 0 for anything
// else (combining marks, emoji, ambiguous widths, controls), which makes the
// line go out whole.
func runeWidth(r rune) int {
	switch {
	case r >= 0x20 && r < 0x7f:
		return 1
	case r >= 0x4e00 && r <= 0x9fff, r >= 0x3400 && r <= 0x4dbf, // ideographs
		r >= 0x3001 && r <= 0x303e, r >= 0x3041 && r <= 0x3096, r >= 0x30a1 && r <= 0x30fa, // punctuation, kana
		r >= 0xff01 && r <= 0xff60, r >= 0xffe0 && r <= 0xffe6: // full-width forms
		return 2
	}
	return 0
}

// parseLine reads the text Bubble Tea writes for one line into cells, starting
// with the pen p (known: whether the writer knows it). It returns the cells,
// the pen at the end (and whether that is known), and whether every cell's
// look is known and every byte was understood: only then can the line be
// compared cell by cell.
func parseLine(s string, p pen, known bool) (cells []cell, end pen, endKnown, ok bool) {
	ok = true
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			j := i + 2
			if i+1 >= len(s) || s[i+1] != '[' {
				return nil, p, false, false
			}
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			if j >= len(s) || s[j] != 'm' {
				// Another sequence: nothing about the line is sure, nor the pen.
				return nil, p, false, false
			}
			reset, good := p.apply(s[i+2 : j])
			if !good {
				return nil, p, false, false
			}
			known = known || reset
			i = j + 1
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		w := runeWidth(r)
		if w == 0 || (r == utf8.RuneError && size == 1) {
			ok = false
			w = 1 // the pen is still followed; the cells are not used
		}
		if !known {
			ok = false
		}
		cells = append(cells, cell{r: r, w: uint8(w), pen: p})
		i += size
	}
	if !ok {
		cells = nil
	}
	return cells, p, known, ok
}

func width(cs []cell) int {
	n := 0
	for _, c := range cs {
		n += int(c.w)
	}
	return n
}
