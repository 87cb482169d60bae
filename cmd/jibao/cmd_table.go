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

// strWidth is the number of terminal columns s takes.
func strWidth(s string) int { return narrow().StringWidth(s) }

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
	w := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			if i < len(w) {
				w[i] = max(w[i], strWidth(c))
			}
		}
	}
	for i := range w {
		if i < len(t.limit) && t.limit[i] > 0 && w[i] > t.limit[i] {
			w[i] = t.limit[i]
		}
	}
	return w
}

func (t *txtTable) render(out io.Writer, p painter) {
	w := t.widths()
	line := func(cells []string, row int) {
		var b strings.Builder
		for i := range w {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			if strWidth(c) > w[i] {
				c = narrow().Truncate(c, w[i], "~")
			}
			pad := strings.Repeat(" ", w[i]-strWidth(c))
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
	line(t.head, -1)
	for i, r := range t.rows {
		line(r, i)
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
