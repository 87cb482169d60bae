package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/mattn/go-runewidth"

	"jibao/termenc"
)

// narrow measures text as a terminal shows it. Ambiguous-width characters count as
// narrow: our own chrome avoids them, and official header texts that carry them
// (“四项规范”) come out one column short at worst, never misaligned tables of ours.
func narrow() *runewidth.Condition {
	return &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}
}

// strWidth is the number of terminal columns s takes. Table cells are ASCII and
// common CJK, counted here directly; anything else (combining marks, emoji) goes
// through the grapheme-aware count, which is ten times slower and shows with
// ten thousand rows.
func strWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x300:
			n++
		case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3001 && r <= 0x303E, r >= 0xFF01 && r <= 0xFF60:
			n += 2
		default:
			return narrow().StringWidth(s)
		}
	}
	return n
}

// outWidth is the width the shell commands lay their output out for.
const outWidth = 80

// Colours of the shell commands' output (SGR codes).
const (
	sgrRed    = "31"
	sgrYellow = "33"
	sgrGreen  = "32"
	sgrBold   = "1"
	sgrDim    = "2"
)

// screen is stdout for human output. Official header texts carry “ ” and —,
// which terminals with a Chinese font draw two columns wide while the tables
// count one; termenc.Unambiguous puts one-column stand-ins in their place (JSON
// and files keep the exact texts).
func (a *app) screen() io.Writer { return screenWriter{a.stdout} }

type screenWriter struct{ w io.Writer }

func (s screenWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, termenc.Unambiguous(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// painter colours text only when that helps: stdout is a terminal and the user has
// not asked for NO_COLOR (https://no-color.org) or a dumb terminal.
type painter struct{ on bool }

func (a *app) painter() painter {
	// a.stdout is os.Stdout, or a transcoding writer around it that keeps its Fd.
	f, ok := a.stdout.(interface{ Fd() uintptr })
	return painter{on: ok && colorWanted(a.getenv, func() bool { return term.IsTerminal(f.Fd()) })}
}

// colorWanted decides colour from the environment and whether the output is a tty.
func colorWanted(getenv func(string) string, tty func() bool) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return tty()
}

func (p painter) paint(code, s string) string {
	if !p.on || code == "" || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// txtTable lays out cells in columns aligned by display width, two spaces apart.
type txtTable struct {
	head  []string
	rows  [][]string
	right []bool // right-aligned columns (numbers)
	limit []int  // widest a column may grow (0: no limit); longer text is cut with "~"
	color func(row, col int) string
}

func (t *txtTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *txtTable) widths() []int {
	w, _ := t.measure()
	return w
}

// measure is the width of every column and of every cell (heading first).
func (t *txtTable) measure() ([]int, [][]int) {
	w := make([]int, len(t.head))
	cells := make([][]int, 0, len(t.rows)+1)
	for _, r := range append([][]string{t.head}, t.rows...) {
		cw := make([]int, len(r))
		for i, c := range r {
			cw[i] = strWidth(c)
			if i < len(w) {
				w[i] = max(w[i], cw[i])
			}
		}
		cells = append(cells, cw)
	}
	for i := range w {
		if i < len(t.limit) && t.limit[i] > 0 && w[i] > t.limit[i] {
			w[i] = t.limit[i]
		}
	}
	return w, cells
}

func (t *txtTable) render(out io.Writer, p painter) {
	w, cw := t.measure()
	var b strings.Builder
	line := func(cells []string, widths []int, row int) {
		b.Reset()
		for i := range w {
			c, cwid := "", 0
			if i < len(cells) {
				c, cwid = cells[i], widths[i]
			}
			if cwid > w[i] {
				c = narrow().Truncate(c, w[i], "~")
				cwid = strWidth(c)
			}
			pad := strings.Repeat(" ", w[i]-cwid)
			code := ""
			if row < 0 {
				code = sgrBold
			} else if t.color != nil {
				code = t.color(row, i)
			}
			if i > 0 {
				b.WriteString("  ")
			}
			last := i == len(w)-1
			switch {
			case i < len(t.right) && t.right[i]:
				b.WriteString(pad + p.paint(code, c))
			case last:
				b.WriteString(p.paint(code, c))
			default:
				b.WriteString(p.paint(code, c) + pad)
			}
		}
		io.WriteString(out, strings.TrimRight(b.String(), " ")+"\n")
	}
	line(t.head, cw[0], -1)
	for i, r := range t.rows {
		line(r, cw[i+1], i)
	}
}

// wrapText breaks text into lines no wider than w columns; lines after the first
// are indented by indent spaces (the caller has printed that much before the
// first). Chinese breaks between any two characters, except that a line does not
// start with closing punctuation (，。；：、）) and numbers are not split: what
// would be cut moves down whole.
func wrapText(s string, w, indent int) string {
	var lines [][]rune
	var cur []rune
	cw := 0
	nw := narrow()
	for _, r := range s {
		rw := nw.RuneWidth(r)
		if cw+rw > w && len(cur) > 0 {
			k := 0 // runes to carry down with r
			word := func(x rune) bool { return x > ' ' && x < 0x7f }
			if word(r) || strings.ContainsRune("，。；：、）》！？", r) {
				for k < len(cur)-1 && k < 20 && word(cur[len(cur)-1-k]) {
					k++ // a number or ASCII word is not split
				}
				if k == 0 && !word(r) {
					k = 1
				}
			}
			next := append([]rune(nil), cur[len(cur)-k:]...)
			cur = cur[:len(cur)-k]
			lines = append(lines, cur)
			cur = next
			cw = nw.StringWidth(string(next))
		}
		cur = append(cur, r)
		cw += rw
	}
	lines = append(lines, cur)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(string(l), " ")
	}
	return strings.Join(out, "\n"+strings.Repeat(" ", indent))
}

// wrapItems joins items with sep into lines no wider than w columns, never
// splitting an item (a unit's name); lines after the first are indented.
func wrapItems(items []string, sep string, w, indent int) string {
	var b strings.Builder
	cw := 0
	for i, it := range items {
		piece := it
		if i < len(items)-1 {
			piece += sep
		}
		pw := strWidth(piece)
		if cw > 0 && cw+pw > w {
			b.WriteString("\n" + strings.Repeat(" ", indent))
			cw = 0
		}
		b.WriteString(piece)
		cw += pw
	}
	return b.String()
}

// pctText prints a percentage.
func pctText(n int) string { return strconv.Itoa(n) + "%" }
