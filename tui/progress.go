package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// progressView is the period's progress against the targets: the share of
// units reported, the units still missing, the jurisdiction against its totals,
// then every unit with a target as a bar, worst first. Bars are '#' and '.',
// which every terminal draws one column wide.
type progressView struct {
	keys ProgressKeyMap
	s    *session
	sum  *model.Summary
	rows []model.ProgressRow
	all  []model.Goal
	top  int
}

// ProgressKeyMap are the keys of the progress screen.
type ProgressKeyMap struct {
	Up, Down, PageUp, PageDown, Back, Help key.Binding
}

// DefaultProgressKeyMap is the progress screen's key set.
func DefaultProgressKeyMap() ProgressKeyMap {
	return ProgressKeyMap{
		Up:       kb([]string{"up", "k"}, "上/k", "上滚"),
		Down:     kb([]string{"down", "j"}, "下/j", "下滚"),
		PageUp:   kb([]string{"pgup", "H"}, "PgUp", "上一页"),
		PageDown: kb([]string{"pgdown", "L", " "}, "PgDn", "下一页"),
		Back:     kb([]string{"q", "esc", "p"}, "q", "返回汇总表"),
		Help:     kb([]string{"?"}, "?", "全部按键"),
	}
}

// ShortHelp is the progress screen's hint line.
func (k ProgressKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Back}
}

// FullHelp lists the progress screen's keys.
func (k ProgressKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Back, k.Help}}
}

func newProgressView(s *session, sum *model.Summary) *progressView {
	return &progressView{keys: DefaultProgressKeyMap(), s: s, sum: sum, rows: model.Progress(sum), all: model.Overall(sum)}
}

// update scrolls; back is true when the clerk leaves the screen.
func (p *progressView) update(k tea.KeyMsg) (back, help bool) {
	page := max(1, p.s.h-3)
	switch {
	case key.Matches(k, p.keys.Up):
		p.top--
	case key.Matches(k, p.keys.Down):
		p.top++
	case key.Matches(k, p.keys.PageUp):
		p.top -= page
	case key.Matches(k, p.keys.PageDown):
		p.top += page
	case key.Matches(k, p.keys.Back):
		return true, false
	case key.Matches(k, p.keys.Help):
		return false, true
	}
	p.top = max(0, min(p.top, len(p.body())-page))
	return false, false
}

// bar draws a percentage in w cells: '#' for the part done, '.' for the rest,
// and '+' in the last cell when over 100%.
func bar(pct float64, w int) string {
	if w <= 0 {
		return ""
	}
	n := int(math.Floor(pct / 100 * float64(w)))
	n = max(0, min(n, w))
	s := strings.Repeat("#", n) + strings.Repeat(".", w-n)
	if pct > 100 {
		s = s[:w-1] + "+"
	}
	return s
}

func pctText(p float64) string { return fmt.Sprintf("%d%%", int(math.Floor(p))) }

// body is every line below the title, to scroll through.
func (p *progressView) body() []string {
	sum, w := p.sum, p.s.w
	v := sum.Variant
	n, m := sum.ReportedShare()
	share := 100.0
	if m > 0 {
		share = float64(n) / float64(m) * 100
	}
	bw := max(4, min(30, w-40))
	out := []string{fmt.Sprintf(" 已报 %d/%d 个单位  %5s  %s", n, m, pctText(share), bar(share, bw))}
	if miss := sum.Missing(); len(miss) > 0 {
		names := make([]string, len(miss))
		for i, e := range miss {
			names[i] = e.Unit.Name
		}
		for _, l := range wrapList(fmt.Sprintf("未报（%d）：", len(miss)), names, max(1, w-1)) {
			out = append(out, " "+l)
		}
	}
	out = append(out, "", " 全辖区（已报/目标  完成）")
	nw := 4
	for _, g := range p.all {
		nw = max(nw, min(26, textWidth(g.Target.Name)))
	}
	for _, g := range p.all {
		out = append(out, fmt.Sprintf(" %s %12s  %5s  %s", fit(g.Target.Name, nw),
			fmt.Sprintf("%s/%d", g.Reported.Format(model.KindCount), g.Goal), pctText(g.Percent()), bar(g.Percent(), bw)))
	}
	out = append(out, "", " 各单位（每单位取完成最低的一项，最差在前）")
	for _, r := range p.rows {
		low := r.Goals[0]
		for _, g := range r.Goals[1:] {
			if g.Percent() < low.Percent() {
				low = g
			}
		}
		line := fmt.Sprintf(" %s %s %5s  %s  %s %s/%d", fit(r.Unit, 12), fit(r.Status.Label(), 6), pctText(r.Percent()),
			bar(r.Percent(), bw), low.Target.Name, low.Reported.Format(model.KindCount), low.Goal)
		out = append(out, line)
	}
	if len(p.rows) == 0 {
		out = append(out, " （"+v.Name+"没有按单位下达的目标）")
	}
	return out
}

// View renders the progress screen.
func (p *progressView) View() string {
	s := p.s
	lines := []string{paint(s.st.Title, clip(summaryTitle(p.sum)+"  目标进度", s.w))}
	body := p.body()
	page := max(0, s.h-2)
	for i := p.top; i < len(body) && i < p.top+page; i++ {
		lines = append(lines, clip(body[i], s.w))
	}
	lines = padLines(lines, s.w, s.h-1)
	lines = append(lines, paint(s.st.Dim, hintLine(p.keys.ShortHelp(), s.w)))
	return strings.Join(lines, "\n")
}
