// Package vt is a small terminal for tests: it reads what a program writes to
// a terminal and keeps the screen, so a test can compare screens or wait for a
// text the way a person reads it. The workstation's frames send only the cells
// that change (internal/framediff), so the bytes a key brings no longer hold
// whole lines: a test that reads the screen reads it here.
package vt

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// Terminal is the xterm behaviour Bubble Tea's frames and framediff's output
// rely on, written apart from framediff (its own SGR reading, go-runewidth's
// widths): Printing with auto-wrap and a pending wrap at
// the last column, wide characters (a half overwritten clears the other half),
// CR, LF (no CR: the terminal is raw), CUP, CUF/CUB/CUU/CUD, EL and ED (erasing
// with the background colour), SGR, the alternate screen (cleared); other
// sequences are read and ignored.
type Terminal struct {
	w, h    int
	cells   [][]vcell
	x, y    int
	pending bool
	look    vlook
	tail    string   // a sequence or character the last write cut off
	lines   []string // each line's text as Text last read it; "" with stale
	stale   []bool
}

// vlook is the attributes of a cell: a set of SGR codes and the colours.
type vlook struct {
	bold, faint, italic, under, blink, reverse, hidden, strike bool
	fg, bg                                                     colour
}

// colour is 0 for the default, the SGR code for the 16 colours (30-37, 90-97;
// 40-47, 100-107), 1000+n for palette colour n, 1<<24 | RGB for direct colour:
// small, since a load test keeps a screen per client.
type colour uint32

// ascii are the one-byte texts, so a cell does not keep a whole write alive.
var ascii = func() (a [128]string) {
	for i := range a {
		a[i] = string(rune(i))
	}
	return a
}()

type vcell struct {
	r    string // "" for the right half of a wide character
	look vlook
}

var vtWidth = &runewidth.Condition{EastAsianWidth: false}

// New is a blank terminal of w columns and h lines (80x24 for a size of 0, as
// Bubble Tea draws when it is told none).
func New(w, h int) *Terminal {
	if w <= 0 || h <= 0 {
		w, h = 80, 24
	}
	t := &Terminal{w: w, h: h, lines: make([]string, h), stale: make([]bool, h)}
	t.cells = make([][]vcell, h)
	for y := range t.cells {
		t.cells[y] = t.blankLine()
	}
	return t
}

func (t *Terminal) blankLine() []vcell {
	l := make([]vcell, t.w)
	for x := range l {
		l[x] = vcell{r: " ", look: vlook{bg: t.look.bg}}
	}
	return l
}

func (t *Terminal) erase(y, x0, x1 int) {
	for x := max(0, x0); x < min(t.w, x1); x++ {
		t.cells[y][x] = vcell{r: " ", look: vlook{bg: t.look.bg}}
	}
	t.stale[y] = true
}

func (t *Terminal) lineFeed() {
	if t.y == t.h-1 {
		t.cells = append(t.cells[1:], t.blankLine())
		t.lines = append(t.lines[1:], "")
		t.stale = append(t.stale[1:], true)
		return
	}
	t.y++
}

// put writes a character; a wide one that does not fit wraps first.
func (t *Terminal) put(s string, w int) {
	if t.pending || (w == 2 && t.x == t.w-1) {
		t.x, t.pending = 0, false
		t.lineFeed()
	}
	l := t.cells[t.y]
	t.stale[t.y] = true
	// Overwriting half of a wide character clears its other half.
	if l[t.x].r == "" && t.x > 0 {
		l[t.x-1] = vcell{r: " ", look: l[t.x-1].look}
	}
	end := t.x + w
	if end < t.w && l[end].r == "" {
		l[end] = vcell{r: " ", look: l[end].look}
	}
	l[t.x] = vcell{r: s, look: t.look}
	if w == 2 {
		l[t.x+1] = vcell{r: "", look: t.look}
	}
	if end >= t.w {
		t.x, t.pending = t.w-1, true
	} else {
		t.x = end
	}
}

// Write reads output as the terminal would; a sequence or character cut at the
// end of p waits for the next write.
func (t *Terminal) Write(p []byte) (int, error) {
	s := t.tail + string(p)
	t.tail = ""
	for len(s) > 0 {
		switch c := s[0]; {
		case c == '\r':
			t.x, t.pending = 0, false
			s = s[1:]
		case c == '\n':
			t.pending = false
			t.lineFeed()
			s = s[1:]
		case c == 0x1b && len(s) > 1 && s[1] == '[':
			j := 2
			for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
				j++
			}
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
				j++
			}
			if j >= len(s) {
				t.tail = s
				return len(p), nil
			}
			t.csi(s[2:j], s[j])
			s = s[j+1:]
		case c == 0x1b && len(s) > 1 && s[1] == ']':
			j := strings.IndexAny(s, "\x07")
			k := strings.Index(s, "\x1b\\")
			switch {
			case j >= 0 && (k < 0 || j < k):
				s = s[j+1:]
			case k >= 0:
				s = s[k+2:]
			default:
				t.tail = s
				return len(p), nil
			}
		case c == 0x1b && len(s) == 1:
			t.tail = s
			return len(p), nil
		case c == 0x1b:
			s = s[min(2, len(s)):]
		case c < 0x20 || c == 0x7f:
			s = s[1:]
		case !utf8.FullRuneInString(s):
			t.tail = s
			return len(p), nil
		default:
			r, size := utf8.DecodeRuneInString(s)
			w := vtWidth.RuneWidth(r)
			if w == 0 {
				// A combining mark joins the cell before.
				if t.x > 0 || t.pending {
					x := t.x - 1
					if t.pending {
						x = t.x
					}
					if t.cells[t.y][x].r == "" && x > 0 {
						x--
					}
					t.cells[t.y][x].r += s[:size] // a new string: the write is not kept
					t.stale[t.y] = true
				}
			} else if size == 1 && s[0] < 0x80 {
				t.put(ascii[s[0]], w)
			} else {
				t.put(strings.Clone(s[:size]), w)
			}
			s = s[size:]
		}
	}
	return len(p), nil
}

func (t *Terminal) csi(params string, final byte) {
	private := strings.HasPrefix(params, "?")
	var ns []int
	for _, p := range strings.Split(strings.TrimPrefix(params, "?"), ";") {
		n, _ := strconv.Atoi(p)
		ns = append(ns, n)
	}
	arg := func(i, def int) int {
		if i < len(ns) && ns[i] > 0 {
			return ns[i]
		}
		return def
	}
	switch {
	case private && (final == 'h' || final == 'l'):
		for _, n := range ns {
			if n == 1049 || n == 47 || n == 1047 {
				for y := range t.cells {
					t.cells[y] = t.blankLine()
					t.stale[y] = true
				}
			}
		}
	case private:
	case final == 'H' || final == 'f':
		t.y, t.x, t.pending = min(t.h, arg(0, 1))-1, min(t.w, arg(1, 1))-1, false
	case final == 'C':
		t.x, t.pending = min(t.w-1, t.x+arg(0, 1)), false
	case final == 'D':
		t.x, t.pending = max(0, t.x-arg(0, 1)), false
	case final == 'A':
		t.y, t.pending = max(0, t.y-arg(0, 1)), false
	case final == 'B':
		t.y, t.pending = min(t.h-1, t.y+arg(0, 1)), false
	case final == 'K':
		switch arg(0, 0) {
		case 0:
			t.erase(t.y, t.x, t.w)
		case 1:
			t.erase(t.y, 0, t.x+1)
		case 2:
			t.erase(t.y, 0, t.w)
		}
	case final == 'J':
		switch arg(0, 0) {
		case 0:
			t.erase(t.y, t.x, t.w)
			for y := t.y + 1; y < t.h; y++ {
				t.erase(y, 0, t.w)
			}
		case 1:
			for y := 0; y < t.y; y++ {
				t.erase(y, 0, t.w)
			}
			t.erase(t.y, 0, t.x+1)
		case 2:
			for y := 0; y < t.h; y++ {
				t.erase(y, 0, t.w)
			}
		}
	case final == 'm':
		t.sgr(params)
	}
}

func (t *Terminal) sgr(params string) {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		l := &t.look
		switch p := ps[i]; p {
		case "", "0":
			*l = vlook{}
		case "1":
			l.bold = true
		case "2":
			l.faint = true
		case "3":
			l.italic = true
		case "4":
			l.under = true
		case "5":
			l.blink = true
		case "7":
			l.reverse = true
		case "8":
			l.hidden = true
		case "9":
			l.strike = true
		case "22":
			l.bold, l.faint = false, false
		case "23":
			l.italic = false
		case "24":
			l.under = false
		case "25":
			l.blink = false
		case "27":
			l.reverse = false
		case "28":
			l.hidden = false
		case "29":
			l.strike = false
		case "39":
			l.fg = 0
		case "49":
			l.bg = 0
		case "38", "48":
			var c colour
			num := func(s string) colour { n, _ := strconv.Atoi(s); return colour(n & 0xff) }
			if i+2 < len(ps) && ps[i+1] == "5" {
				c, i = 1000+num(ps[i+2]), i+2
			} else if i+4 < len(ps) && ps[i+1] == "2" {
				c, i = 1<<24|num(ps[i+2])<<16|num(ps[i+3])<<8|num(ps[i+4]), i+4
			}
			if p == "38" {
				l.fg = c
			} else {
				l.bg = c
			}
		default:
			n, _ := strconv.Atoi(p)
			switch {
			case n >= 30 && n <= 37, n >= 90 && n <= 97:
				l.fg = colour(n)
			case n >= 40 && n <= 47, n >= 100 && n <= 107:
				l.bg = colour(n)
			}
		}
	}
}

// Text is what the screen shows, line by line, trailing blanks cut. Lines
// are read again only when they changed: a load test reads 50 screens a frame.
func (t *Terminal) Text() string {
	n := 0
	for y, l := range t.cells {
		if t.stale[y] || t.lines[y] == "" { // "": never read
			var buf []byte
			end := 0
			for _, c := range l {
				buf = append(buf, c.r...)
				if c.r != " " && c.r != "" {
					end = len(buf)
				}
			}
			t.lines[y], t.stale[y] = string(buf[:end])+"\n", false
		}
		n += len(t.lines[y])
	}
	var b strings.Builder
	b.Grow(n)
	for _, l := range t.lines {
		b.WriteString(l)
	}
	return b.String()
}

// Screen is the terminal's whole state as text, for comparing and for reading
// a difference: each line's characters, then each cell's look where not
// default, then the cursor and the pen.
func (t *Terminal) Screen() string {
	var b strings.Builder
	for y, l := range t.cells {
		for _, c := range l {
			b.WriteString(c.r)
		}
		b.WriteString("|\n")
		for x, c := range l {
			if c.look != (vlook{}) {
				fmt.Fprintf(&b, "  %d,%d %+v\n", y, x, c.look)
			}
		}
	}
	fmt.Fprintf(&b, "cursor %d,%d pending %v look %+v\n", t.y, t.x, t.pending, t.look)
	return b.String()
}
