package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// Overview shows the forms of the open report: how full each is, its errors and
// warnings, and how long until the report is due.
type Overview struct {
	keys OverviewKeyMap
	s    *session
	b    *book
	sel  int // index into the variant's forms
	msg  string
	bad  bool
}

// overviewOut is what the overview asks of the root.
type overviewOut struct {
	open     int // form index into the book's forms, or -1
	back     bool
	help     bool
	rules    bool
	complete bool
	header   bool
	summary  bool
}

// NewOverview makes the overview of an open report.
func NewOverview(s *session, b *book) *Overview {
	return &Overview{keys: DefaultOverviewKeyMap(), s: s, b: b}
}

// Update handles a key in the overview.
func (o *Overview) Update(k tea.KeyMsg) overviewOut {
	out := overviewOut{open: -1}
	o.msg = ""
	n := len(o.b.v.Forms)
	switch {
	case key.Matches(k, o.keys.Up):
		o.sel = (o.sel + n - 1) % n
	case key.Matches(k, o.keys.Down):
		o.sel = (o.sel + 1) % n
	case key.Matches(k, o.keys.FormN):
		o.sel = min(n-1, int(k.String()[0]-'1'))
		out.open = o.pick()
	case key.Matches(k, o.keys.Open):
		out.open = o.pick()
	case key.Matches(k, o.keys.Rules):
		out.rules = true
	case key.Matches(k, o.keys.Complete):
		out.complete = true
	case key.Matches(k, o.keys.Header):
		out.header = true
	case key.Matches(k, o.keys.Summary):
		out.summary = true
	case key.Matches(k, o.keys.Back):
		out.back = true
	case key.Matches(k, o.keys.Help):
		out.help = true
	}
	return out
}

func (o *Overview) pick() int {
	f := o.b.v.Forms[o.sel]
	fi := o.b.formIndex(f.ID)
	if fi < 0 {
		o.msg, o.bad = f.Name()+"不适用于本单位（只由"+o.b.v.TownshipType().Label+"填报）", true
	}
	return fi
}

func orBlank(s string) string {
	if s == "" {
		return "____"
	}
	return s
}

// View renders the overview: its content, then the key hint on the last line.
func (o *Overview) View() string {
	lines := padLines(o.body(), o.s.w, o.s.h-1)
	lines = append(lines, paint(o.s.st.Dim, hintLine(o.keys.ShortHelp(), o.s.w)))
	return strings.Join(lines, "\n")
}

// body is the overview without the padding and the key hint: a dialog is drawn
// right under it, not at the foot of a tall terminal.
func (o *Overview) body() []string {
	s, b, st := o.s, o.b, o.s.st
	lines := reportHeader(s, b, -1)
	days := b.v.DaysLeft(b.id.Period, s.now())
	due := b.v.DueDate(b.id.Period).Format("2006-01-02")
	dueText := model.DueText(days)
	if days < 0 {
		dueText = paint(st.Bad, dueText)
	}
	filled, total := b.res.Filled()
	lines = append(lines, "",
		fmt.Sprintf(" 截止日期：%s（%s）", due, dueText),
		fmt.Sprintf(" 填报单位：%s  填表人：%s  联系电话：%s  日期：%s", orBlank(b.r.Header.Unit), orBlank(b.r.Header.Filler),
			orBlank(b.r.Header.Phone), orBlank(b.r.Header.Date)),
		fmt.Sprintf(" 状态：%s   已填 %d/%d（%d%%）  错误 %d  未确认提醒 %d", b.r.State.Label(), filled, total,
			model.Percent(filled, total), b.res.Errors(), b.res.Warnings()),
		cycleOverviewLine(b, s.w),
		"    表      已填        完成度  错误  提醒  标题")
	for i, f := range b.v.Forms {
		fi := b.formIndex(f.ID)
		var row string
		if fi < 0 {
			row = fmt.Sprintf("%d %s    不适用（只由%s填报）", i+1, f.Name(), b.v.TownshipType().Label)
		} else {
			fs := b.res.Forms[fi]
			row = fmt.Sprintf("%d %s  %9s  %5d%%  %4d  %4d  %s", i+1, f.Name(), fmt.Sprintf("%d/%d", fs.Filled, fs.Total),
				model.Percent(fs.Filled, fs.Total), fs.Errors, fs.Warnings, f.Title(b.v.Year))
		}
		if i == o.sel {
			lines = append(lines, paint(st.Selected, clip(" > "+row, s.w)))
		} else {
			lines = append(lines, clip("   "+row, s.w))
		}
	}
	lines = append(lines, "")
	if o.msg != "" {
		if o.bad {
			lines = append(lines, paint(st.Bad, " ! "+o.msg))
		} else {
			lines = append(lines, paint(st.OK, " "+o.msg))
		}
	}
	if h := cycleHint(b); h != "" {
		lines = append(lines, " "+h)
	}
	if f := b.v.Forms[o.sel]; f.Notes != "" {
		lines = append(lines, "", " "+f.Name()+"填表说明：")
		room := max(0, s.h-len(lines)-2)
		notes := wrapProse(strings.ReplaceAll(f.Notes, "\n", " "), max(1, s.w-1), room+1)
		if len(notes) > room && room > 1 { // say so: notes cut mid-sentence read as whole
			notes = append(notes[:room-1], paint(st.Dim, clip(" （说明未完：加高窗口，或用 jibao forms --variant "+b.v.ID+" 看全文）", s.w)))
		}
		lines = append(lines, notes[:min(len(notes), room)]...)
	}
	return lines
}
