package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// sgr is the escape sequence that starts a style and the one that ends it,
// computed once per session from the session's renderer so that rendering a row is
// string appends, not lipgloss calls, and a colourless terminal gets no escapes.
// blank says a space looks the same in the style as outside it (a colour, bold or
// faint, not reverse video or underline): a row can then run one style across the
// spaces between cells instead of ending and restarting it at every cell.
type sgr struct {
	on, off string
	blank   bool
	params  []string // the parameters of on, when it is plain SGR (see to)
}

func sgrOf(st lipgloss.Style) sgr {
	out := st.Render("x")
	i := strings.IndexByte(out, 'x')
	if i < 0 {
		return sgr{}
	}
	on, off := out[:i], out[i+1:]
	params, ok := sgrParams(on)
	if !ok {
		return sgr{on: on, off: off}
	}
	blank := true
	for _, p := range params {
		switch {
		case p == "38", p == "48": // extended colours: their parameters repeat numbers
			return sgr{on: on, off: off, blank: false}
		case p == "7", p == "4", p == "9", p == "53", strings.HasPrefix(p, "4:"), // reverse, underline, strike, overline
			len(p) == 2 && p[0] == '4', len(p) == 3 && strings.HasPrefix(p, "10"): // backgrounds
			blank = false
		}
	}
	// One sequence with each parameter once (lipgloss repeats underline), ended by
	// the short reset: a few bytes less for every run on every frame.
	on = "\x1b[" + strings.Join(params, ";") + "m"
	if off == "\x1b[0m" {
		off = "\x1b[m"
	}
	return sgr{on: on, off: off, blank: blank, params: params}
}

// offCode is the SGR parameter that ends one attribute ("" when unknown).
func offCode(p string) string {
	switch {
	case p == "1", p == "2":
		return "22"
	case p == "3":
		return "23"
	case p == "4", strings.HasPrefix(p, "4:"):
		return "24"
	case p == "5":
		return "25"
	case p == "7":
		return "27"
	case p == "9":
		return "29"
	case len(p) == 2 && (p[0] == '3' || p[0] == '9'):
		return "39"
	case len(p) == 2 && p[0] == '4', len(p) == 3 && strings.HasPrefix(p, "10"):
		return "49"
	}
	return ""
}

// to is the escape sequence that changes the look from a to b (nil: plain):
// the attributes that differ rather than a reset and b's whole sequence when
// that is shorter, as from an error's colour into the cursor on it and back.
func (a *sgr) to(b *sgr) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil:
		return b.on
	case b == nil:
		return a.off
	}
	full := a.off + b.on
	if a.params == nil || b.params == nil || a.off != "\x1b[m" {
		return full
	}
	has := func(ps []string, p string) bool {
		for _, q := range ps {
			if q == p {
				return true
			}
		}
		return false
	}
	var ps []string
	for _, p := range a.params {
		if has(b.params, p) {
			continue
		}
		o := offCode(p)
		if o == "" {
			return full
		}
		if !has(ps, o) {
			ps = append(ps, o)
		}
	}
	for _, p := range b.params {
		// 22 ends bold and faint together: what b keeps of them comes back.
		if !has(a.params, p) || (has(ps, "22") && (p == "1" || p == "2")) {
			ps = append(ps, p)
		}
	}
	if diff := "\x1b[" + strings.Join(ps, ";") + "m"; len(ps) > 0 && len(diff) < len(full) {
		return diff
	}
	return full
}

// sgrParams reads the parameters of one or more SGR sequences (\x1b[...m), in
// order, each once; ok is false for anything else (left as it is).
func sgrParams(s string) (params []string, ok bool) {
	seen := map[string]bool{}
	for s != "" {
		rest, found := strings.CutPrefix(s, "\x1b[")
		end := strings.IndexByte(rest, 'm')
		if !found || end < 0 {
			return nil, false
		}
		for _, p := range strings.Split(rest[:end], ";") {
			if p == "" || strings.Trim(p, "0123456789:") != "" {
				return nil, false
			}
			if !seen[p] {
				seen[p] = true
				params = append(params, p)
			}
		}
		s = rest[end+1:]
	}
	return params, len(params) > 0
}

// Styles are the looks of one session. Meaning never rests on colour alone: every
// styled cell also carries a marker character (see the grid's markers).
type Styles struct {
	Cursor sgr // the cursor cell: its own look in reverse video, plus [ ] brackets
	// The cursor on a marked cell keeps the mark's colour (and the run it sits in).
	CursorBad, CursorWarn, CursorFaint sgr
	Edit                               sgr // the cell being typed into
	Bad                                sgr // an error: wrong input, a broken rule (marker !)
	Warn                               sgr // an unconfirmed warning (marker ?)
	NA                                 sgr // not applicable (shown as /)
	Prev                               sgr // last quarter's value in an empty cell (marker ~)
	Title                              sgr
	Tab                                sgr // the current form's tab
	Dim                                sgr // hints
	OK                                 sgr // a good message
	Selected                           sgr // a selected list item
}

// DefaultStyles derives the styles from a renderer: 16-colour codes only (they
// degrade everywhere), and nothing at all under NO_COLOR.
func DefaultStyles(r *lipgloss.Renderer) *Styles {
	ns := r.NewStyle
	return &Styles{
		Cursor:      sgrOf(ns().Reverse(true)),
		CursorBad:   sgrOf(ns().Foreground(lipgloss.Color("9")).Bold(true).Reverse(true)),
		CursorWarn:  sgrOf(ns().Foreground(lipgloss.Color("3")).Reverse(true)),
		CursorFaint: sgrOf(ns().Faint(true).Reverse(true)),
		Edit:        sgrOf(ns().Reverse(true).Underline(true)),
		Bad:         sgrOf(ns().Foreground(lipgloss.Color("9")).Bold(true)),
		Warn:        sgrOf(ns().Foreground(lipgloss.Color("3"))),
		NA:          sgrOf(ns().Faint(true)),
		Prev:        sgrOf(ns().Faint(true)),
		Title:       sgrOf(ns().Bold(true)),
		Tab:         sgrOf(ns().Reverse(true)),
		Dim:         sgrOf(ns().Faint(true)),
		OK:          sgrOf(ns().Foreground(lipgloss.Color("2"))),
		Selected:    sgrOf(ns().Reverse(true)),
	}
}

// cursorOn is the cursor's look on a cell of look base (nil: plain).
func (st *Styles) cursorOn(base *sgr) *sgr {
	switch base {
	case &st.Bad:
		return &st.CursorBad
	case &st.Warn:
		return &st.CursorWarn
	case &st.Prev, &st.NA:
		return &st.CursorFaint
	}
	return &st.Cursor
}

// paint wraps plain text in a style.
func paint(st sgr, s string) string {
	if st.on == "" || s == "" {
		return s
	}
	return st.on + s + st.off
}
