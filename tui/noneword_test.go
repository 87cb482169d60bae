package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestNoneWordsInACell: 无, -, /, — typed into a cell that is to be filled get the
// answer import and paste give, 若无请填 0, and Enter writes nothing; an IME's 无
// or —— opens the cell like a digit does.
func TestNoneWordsInACell(t *testing.T) {
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	cases := []struct {
		name string
		keys []tea.KeyMsg
		want string
	}{
		{"无 from an IME", []tea.KeyMsg{runes("无")}, "「无」不是数字；若无请填 0"},
		{"—— from an IME", []tea.KeyMsg{runes("——")}, "「——」不是数字；若无请填 0"},
		{"an em dash", []tea.KeyMsg{runes("—")}, "「—」不是数字；若无请填 0"},
		{"a hyphen", []tea.KeyMsg{runes("-")}, "「-」不是数字；若无请填 0"},
		{"a slash inside the cell", []tea.KeyMsg{runes("5"), keyMsg("backspace"), runes("/")}, "「/」不是数字；若无请填 0"},
		{"没有 after a digit was rubbed out", []tea.KeyMsg{runes("7"), keyMsg("backspace"), runes("没有")}, "若无请填 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
			h.keys("2")
			for _, k := range c.keys {
				h.send(k)
			}
			if !h.grid().edit.on {
				t.Fatalf("the cell is not open for typing:\n%s", h.screen())
			}
			// The screen draws an ambiguous-width — as -; the message quotes what was typed.
			h.contains(unambiguous(c.want))
			if got := h.grid().edit.err; !strings.Contains(got, c.want) {
				t.Fatalf("edit message %q, want %q", got, c.want)
			}
			h.keys("enter")
			h.contains(unambiguous(c.want))
			if !h.grid().edit.on || len(h.root().b.r.Values) != 0 {
				t.Fatalf("Enter left the cell (%v) or wrote %d values", !h.grid().edit.on, len(h.root().b.r.Values))
			}
		})
	}
	// Pasted, the same words: the same reason.
	for _, w := range []string{"无", "-", "/", "—"} {
		h := openReport(t, openTestStore(t), 200, 50, "nanan", "水头", "2025Q3")
		h.keys("2")
		h.paste(w + "\t5")
		h.contains(unambiguous("「" + w + "」不是数字；若无请填 0"))
		if n := len(h.root().b.r.Values); n != 0 {
			t.Fatalf("paste of %q wrote %d values", w, n)
		}
	}
}
