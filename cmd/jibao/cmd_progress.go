package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"jibao/model"
)

// cmdProgress measures the period's reports against the targets: the whole
// jurisdiction, then every unit with a target, worst first, with a bar each.
func (a *app) cmdProgress(args []string) int {
	var c common
	fs := a.newFlags("progress", &c)
	completeOnly := fs.Bool("complete-only", false, "只计已完成的报表（默认草稿也计入，并标出）")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("progress: 多余的参数 %q", strings.Join(fs.Args(), " "))
	}
	v, p, s, code := a.openForPeriod(&c)
	if s == nil {
		return code
	}
	defer s.Close()
	sum, err := model.LoadSummary(s, v, p, model.Options{CompleteOnly: *completeOnly})
	if err != nil {
		return a.failStore(err)
	}
	a.printProgress(a.screen(), sum)
	return exitOK
}

// floorPct is a goal's percentage as printed: rounded down, so that 99.6% does not
// read as done.
func floorPct(x float64) int { return int(math.Floor(x + 1e-9)) }

// bar draws a percentage in ASCII, '#' for the share done, '.' for the rest;
// beyond 100% the bar is full and ends in '+'.
func progressBar(pctDone float64, n int) string {
	if n <= 0 {
		return ""
	}
	full := int(math.Floor(pctDone/100*float64(n) + 1e-9))
	if full > n {
		return strings.Repeat("#", n-1) + "+"
	}
	return strings.Repeat("#", full) + strings.Repeat(".", n-full)
}

func (a *app) printProgress(w io.Writer, s *model.Summary) {
	pt := a.painter()
	v := s.Variant
	got, all := s.ReportedShare()
	fmt.Fprintf(w, "%s %s 目标进度\n", v.Name, s.Period.Label())
	basis := "含草稿和有错误的报表"
	if s.Options.CompleteOnly {
		basis = "只计已完成的报表"
	}
	fmt.Fprintf(w, "已报 %d/%d 个单位（%s；未报的单位按 0 计）\n\n", got, all, basis)

	counted := model.OverallTypes(v)
	scope := "全辖区"
	if len(counted) == 1 && len(v.UnitTypes) > 1 {
		t, _ := v.UnitType(counted[0])
		var others []string
		for _, ut := range v.UnitTypes {
			if ut.ID != t.ID {
				others = append(others, ut.Label)
			}
		}
		scope = "全辖区（按" + t.Label + "合计；" + strings.Join(others, "、") + "的数字已含在其中，不另计）"
	}
	fmt.Fprintln(w, scope)
	t := &txtTable{head: []string{"目标", "已报/目标", "完成", ""}, right: []bool{false, true, true}}
	overall := model.Overall(s)
	for _, g := range overall {
		t.add(g.Target.Name, g.Reported.Format(model.KindCount)+"/"+fmt.Sprint(g.Goal), pctText(floorPct(g.Percent())), "")
	}
	barWidth := outWidth - sumInts(t.widths()[:3]) - 3*2 - 1
	for i, g := range overall {
		t.rows[i][3] = progressBar(g.Percent(), min(barWidth, 30))
	}
	t.color = progressColor(func(row int) float64 { return overall[row].Percent() }, 2, 3)
	t.render(w, pt)
	for _, ut := range v.UnitTypes {
		if hasItem(counted, ut.ID) {
			continue
		}
		var parts []string
		for _, g := range overall {
			parts = append(parts, g.Target.Name+" "+g.ByType[ut.ID].Format(model.KindCount))
		}
		fmt.Fprintln(w, wrapText(ut.Label+"合计（供参考）: "+strings.Join(parts, "，"), outWidth, 2))
	}

	rows := model.Progress(s)
	if len(rows) == 0 {
		return
	}
	var ids []string
	var names []string
	for _, tg := range v.Targets {
		for _, r := range rows {
			if _, ok := r.Goal(tg.ID); ok {
				ids = append(ids, tg.ID)
				names = append(names, tg.Name)
				break
			}
		}
	}
	fmt.Fprintf(w, "\n各单位（每单位取完成最低的一项，最差在前）\n")
	head := append(append([]string{"单位", "状态"}, names...), "最低", "")
	right := []bool{false, false}
	for range ids {
		right = append(right, true)
	}
	right = append(right, true)
	ut := &txtTable{head: head, right: right, limit: []int{14}}
	for _, r := range rows {
		cells := []string{r.Unit, r.Status.Label()}
		for _, id := range ids {
			if g, ok := r.Goal(id); ok {
				cells = append(cells, g.Reported.Format(model.KindCount)+"/"+fmt.Sprint(g.Goal))
			} else {
				cells = append(cells, "-")
			}
		}
		cells = append(cells, pctText(floorPct(r.Percent())), "")
		ut.add(cells...)
	}
	wd := ut.widths()
	barWidth = outWidth - sumInts(wd[:len(wd)-1]) - (len(wd)-1)*2 - 1
	for i, r := range rows {
		ut.rows[i][len(wd)-1] = progressBar(r.Percent(), min(max(barWidth, 10), 30))
	}
	pcol := len(wd) - 2
	ut.color = func(row, col int) string {
		if col == 1 && rows[row].Status == model.StatusMissing {
			return sgrRed
		}
		return progressColor(func(row int) float64 { return rows[row].Percent() }, pcol, pcol+1)(row, col)
	}
	ut.render(w, pt)
	if note := v.DerivationNote("未填报的单位显示 -"); note != "" {
		fmt.Fprintln(w, "\n"+wrapText(note, outWidth, 0))
	}
}

// progressColor colours the percentage and bar columns: red below half, yellow
// below the goal, green at or above it.
func progressColor(pctOf func(row int) float64, cols ...int) func(row, col int) string {
	return func(row, col int) string {
		if !hasItem(cols, col) {
			return ""
		}
		switch p := pctOf(row); {
		case p < 50:
			return sgrRed
		case p < 100:
			return sgrYellow
		default:
			return sgrGreen
		}
	}
}

func sumInts(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func hasItem[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
