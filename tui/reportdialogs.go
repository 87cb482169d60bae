package tui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// The report's own dialogs: the header line and marking complete.

// headerDialog asks for the line above the forms, one field after another.
func (m *root) headerDialog() dialog {
	if m.s.readOnly {
		m.ov.msg, m.ov.bad = readOnlyText, true
		return nil
	}
	b := m.b
	h := b.r.Header
	if h.Unit == "" {
		h.Unit = b.unit.Name
	}
	suggested := h.Date == ""
	if suggested {
		h.Date = m.s.now().Format("2006-01-02")
	}
	hint := "Enter 下一项  Esc 取消"
	date := &promptDialog{title: "填报日期（年-月-日）", buf: []rune(h.Date), hint: "Enter 保存  Esc 取消", fresh: suggested}
	if suggested { // typing a date after today's ran the two together (2025-11-252025-09-30)
		date.hint = "Enter 保存今天的日期，直接输入则替换  Esc 取消"
	}
	date.check = func(text string) string {
		if _, err := time.Parse("2006-01-02", text); err != nil {
			return "日期「" + text + "」应写成 2025-09-30 这样的格式"
		}
		return ""
	}
	date.ok = func(text string) tea.Cmd {
		h.Date = text
		m.ov.msg, m.ov.bad = "表头已保存", false
		return b.setHeader(m.s, h)
	}
	phone := &promptDialog{title: "联系电话", buf: []rune(h.Phone), hint: hint}
	filler := &promptDialog{title: "填表人", buf: []rune(h.Filler), hint: hint}
	filler.ok = func(text string) tea.Cmd { h.Filler = text; return nil }
	phone.ok = func(text string) tea.Cmd { h.Phone = text; return nil }
	filler.next, phone.next = phone, date
	return filler
}

// missingHeader names the header fields still empty, as "：填表人、联系电话".
func missingHeader(h model.Header) string {
	var miss []string
	for _, f := range []struct{ v, name string }{{h.Filler, "填表人"}, {h.Phone, "联系电话"}, {h.Date, "日期"}} {
		if strings.TrimSpace(f.v) == "" {
			miss = append(miss, f.name)
		}
	}
	if len(miss) == 0 {
		return ""
	}
	return "：" + strings.Join(miss, "、")
}

func (m *root) completeDialog() dialog {
	b, g := m.b, m.g
	if m.s.readOnly {
		g.flash(readOnlyText, true)
		m.ov.msg, m.ov.bad = readOnlyText, true
		return nil
	}
	if b.r.State == model.StateComplete {
		return &confirmDialog{title: "重新打开", lines: []string{"报表已标记完成。重新打开后可以修改数据，修改记录会保留。", "确定重新打开？"},
			yes: func() tea.Cmd { return b.setState(m.s, model.StateReopened) }}
	}
	if !b.res.Complete() {
		text := fmt.Sprintf("不能标记完成：还有 %d 个空白格、%d 个错误（b 跳到空白格，r 查看错误）", len(b.res.Blanks), b.res.Errors())
		g.flash(text, true)
		m.ov.msg, m.ov.bad = text, true
		return nil
	}
	lines := []string{"全部填完，没有错误。标记完成后报表不能再修改（可重新打开）。"}
	if w := b.res.Warnings(); w > 0 {
		lines = append(lines, fmt.Sprintf("注意：还有 %d 条提醒未确认（r 查看）。", w))
	}
	// The exported sheet prints this line; a complete report without a filler
	// or phone reaches the office with nobody to ask.
	if missing := missingHeader(b.r.Header); missing != "" {
		lines = append(lines, "注意：表头未填"+missing+"（概览中按 e 填写）。")
	}
	lines = append(lines, "确定标记完成？")
	return &confirmDialog{title: "标记完成", lines: lines,
		yes: func() tea.Cmd { return b.setState(m.s, model.StateComplete) }}
}
