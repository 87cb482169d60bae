package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// paste routes a paste taken out of the key stream (see pasteInput). In the grid
// a typed-out burst is a paste like a bracketed one. In a dialog or the chooser
// it is the keys it was, up to the key that closes the dialog or leaves the
// screen: the rest was aimed at what is gone, and typed on it would run into the
// grid as keys. Where nothing takes text (the overview, the summary) it is
// refused, and so is a burst that follows a refusal still on screen (the next
// piece of the same paste).
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
	if !msg.typed {
		return m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(msg.text), Paste: true})
	}
	if d, ok := m.dlg.(*infoDialog); ok {
		d.lines = append(d.lines, "", fmt.Sprintf("随后又收到 %s 连续输入的内容，也没有写入。", byteSize(msg.size)))
		return nil
	}
	m.help = false // the paste was aimed at the screen under the help
	switch {
	case m.dlg == nil && m.scr == scrGrid && m.g != nil:
		cmd, d := m.g.burst(msg.text)
		if d != nil {
			m.dlg = d
		}
		return cmd
	case m.dlg == nil && m.scr != scrOpener:
		m.dlg = &infoDialog{title: "粘贴被拒绝", lines: []string{
			"粘贴的数值只能落在表格里：没有写入任何数据。",
			"请先打开要填的表，把光标放在起始格，再粘贴。"}}
		return nil
	}
	return m.replayWhile(msg.text)
}

// replayWhile replays text as keys while the dialog or screen they were typed
// into is still there, and says what was left.
func (m *root) replayWhile(text string) tea.Cmd {
	dlg, scr := m.dlg, m.scr
	var cmds []tea.Cmd
	for i, r := range text {
		if m.dlg != dlg || m.scr != scr {
			if rest := text[i:]; strings.TrimSpace(rest) != "" {
				m.dlg = &infoDialog{title: "粘贴没有输入完", lines: []string{
					"连续输入的内容在窗口关闭或换屏处停下，其后的部分没有输入：",
					"「" + clip(strings.ReplaceAll(strings.ReplaceAll(rest, "\t", " "), "\r", " "), 60) + "」"}}
			}
			break
		}
		cmds = append(cmds, m.replay(string(r)))
	}
	return tea.Batch(cmds...)
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
