package tui

import (
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
