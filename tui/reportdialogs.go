package tui

import (
	"strings"

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
	date := &promptDialog{title: "填报日期（如 2025-9-28 或 2025年9月28日）", buf: []rune(h.Date), hint: "Enter 保存  Esc 取消", fresh: suggested}
	if suggested { // typing a date after today's ran the two together (2025-11-252025-09-30)
		date.freshHint = "Enter 保存今天的日期，直接输入则替换  Esc 取消"
	}
	date.check = func(text string) string {
		if _, err := model.ParseDate(text); err != nil {
			return err.Error()
		}
		return ""
	}
	date.ok = func(text string) tea.Cmd {
		h.Date, _ = model.ParseDate(text)
		m.ov.msg, m.ov.bad = "表头已保存", false
		return b.setHeader(m.s, h)
	}
	phone := offered("联系电话", h.Phone, b.last.Phone, hint)
	filler := offered("填表人", h.Filler, b.last.Filler, hint)
	filler.ok = func(text string) tea.Cmd { h.Filler = text; return nil }
	phone.ok = func(text string) tea.Cmd { h.Phone = text; return nil }
	filler.next, phone.next = phone, date
	return filler
}

// offered is the prompt for a header field: what the report has, else what the
// unit's previous report had, offered as a suggestion (Enter keeps it, typing
// replaces it): the same clerk usually fills every quarter.
func offered(title, have, last, hint string) *promptDialog {
	d := &promptDialog{title: title, buf: []rune(have), hint: hint}
	if strings.TrimSpace(have) == "" && strings.TrimSpace(last) != "" {
		d.buf, d.fresh = []rune(last), true
		d.freshHint = "Enter 沿用上次报表的" + title + "，直接输入则替换  Esc 取消"
	}
	return d
}

// lastHeader is the header of the unit's latest report before id's period
// (looking back at most a year, across the new year), for offering its 填表人
// and 联系电话; zero when there is none. It runs inside openCmd, off the
// update loop; at most four reads.
func lastHeader(st Store, id model.ReportID) model.Header {
	p := id.Period
	for range 4 {
		if p.Quarter--; p.Quarter < 1 {
			p.Year, p.Quarter = p.Year-1, 4
		}
		r, err := st.Get(model.ReportID{Variant: id.Variant, Unit: id.Unit, Period: p})
		if err == nil && (r.Header.Filler != "" || r.Header.Phone != "") {
			return r.Header
		}
	}
	return model.Header{}
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
