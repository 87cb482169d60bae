package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
)

// paste routes a paste taken out of the key stream (see pasteInput). In the grid
// a typed-out burst is a paste like a bracketed one; anywhere else (a dialog, the
// chooser) it is the keys it was, as before.
func (m *root) paste(msg pasteMsg) tea.Cmd {
	if msg.before != "" {
		before := m.replay(msg.before)
		msg.before = ""
		return tea.Sequence(before, m.paste(msg))
	}
	if msg.tooBig {
		m.help = false
		m.dlg = tooBigDialog(msg.size)
		return nil
	}
	inGrid := m.scr == scrGrid && m.dlg == nil && !m.help && m.g != nil
	if !msg.typed || !inGrid {
		if !msg.typed {
			return m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(msg.text), Paste: true})
		}
		return m.replay(msg.text)
	}
	cmd, d := m.g.burst(msg.text)
	if d != nil {
		m.dlg = d
	}
	return cmd
}

// replay feeds typed-out text back as the keys Bubble Tea would have made of it.
func (m *root) replay(text string) tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range text {
		k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		switch r {
		case '\t':
			k = tea.KeyMsg{Type: tea.KeyTab}
		case '\r':
			k = tea.KeyMsg{Type: tea.KeyEnter}
		case '\n':
			k = tea.KeyMsg{Type: tea.KeyCtrlJ}
		case 0x7f:
			k = tea.KeyMsg{Type: tea.KeyBackspace}
		case ' ':
			k = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		}
		cmds = append(cmds, m.key(k))
	}
	return tea.Batch(cmds...)
}

// eachKey splits keys that arrived in one read (one message of several runes:
// "]]", "lll", or "t4") into one message each, so that every key takes effect as
// if typed apart. Typing into a cell or a prompt comes out the same either way.
func (m *root) eachKey(k tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range k.Runes {
		cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
	}
	return tea.Batch(cmds...)
}

// byteSize prints a size for a clerk: 2.9 MB, 64 KB, 310 字节.
func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}
