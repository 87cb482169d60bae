package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// sgr is the escape sequence that starts a style and the one that ends it,
// computed once per session from the session's renderer so that rendering a row is
// string appends, not lipgloss calls, and a colourless terminal gets no escapes.
type sgr struct{ on, off string }

func sgrOf(st lipgloss.Style) sgr {
	out := st.Render("x")
	i := strings.IndexByte(out, 'x')
	if i < 0 {
		return sgr{}
	}
	return sgr{on: out[:i], off: out[i+1:]}
}

// Styles are the looks of one session. Meaning never rests on colour alone: every
// styled cell also carries a marker character (see the grid's markers).
type Styles struct {
	Cursor   sgr // the cursor cell: reverse video, plus [ ] brackets
	Edit     sgr // the cell being typed into
	Bad      sgr // an error: wrong input, a broken rule (marker !)
	Warn     sgr // an unconfirmed warning (marker ?)
	NA       sgr // not applicable (shown as /)
	Prev     sgr // last quarter's value in an empty cell (marker ~)
	Title    sgr
	Tab      sgr // the current form's tab
	Dim      sgr // hints
	OK       sgr // a good message
	Selected sgr // a selected list item
}

// DefaultStyles derives the styles from a renderer: 16-colour codes only (they
// degrade everywhere), and nothing at all under NO_COLOR.
func DefaultStyles(r *lipgloss.Renderer) *Styles {
	ns := r.NewStyle
	return &Styles{
		Cursor:   sgrOf(ns().Reverse(true)),
		Edit:     sgrOf(ns().Reverse(true).Underline(true)),
		Bad:      sgrOf(ns().Foreground(lipgloss.Color("9")).Bold(true)),
		Warn:     sgrOf(ns().Foreground(lipgloss.Color("3"))),
		NA:       sgrOf(ns().Faint(true)),
		Prev:     sgrOf(ns().Faint(true)),
		Title:    sgrOf(ns().Bold(true)),
		Tab:      sgrOf(ns().Reverse(true)),
		Dim:      sgrOf(ns().Faint(true)),
		OK:       sgrOf(ns().Foreground(lipgloss.Color("2"))),
		Selected: sgrOf(ns().Reverse(true)),
	}
}

// paint wraps plain text in a style.
func paint(st sgr, s string) string {
	if st.on == "" || s == "" {
		return s
	}
	return st.on + s + st.off
}
