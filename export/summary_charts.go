package export

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// chartGroup is one block of the 进度图 table: the units of a type and the
// targets charted for them. Every goal comes from model.Progress, as in
// `jibao progress` and the TUI: the directory's, or derived from the unit's size;
// a target a unit is measured on in a group is left blank in its own row.
type chartGroup struct {
	t       model.UnitType
	units   []model.UnitEntry
	targets []model.Target // with a goal per unit: 目标 and 已报 columns
	whole   []model.Target // with only a jurisdiction goal (样板乡镇): 已报 only
	top     int            // the block's heading row
}

// chartGoals are the progress rows' goals by unit and target, and the groups'
// rows. A goal absent from a unit's row is either not asked, not derivable yet
// (no 学校数 reported) or measured in a group.
type chartGoals struct {
	unit   map[string]map[string]model.Goal
	groups []model.ProgressRow
}

func progressGoals(s *model.Summary) chartGoals {
	c := chartGoals{unit: map[string]map[string]model.Goal{}}
	for _, r := range model.Progress(s) {
		if r.Group {
			c.groups = append(c.groups, r)
			continue
		}
		m := map[string]model.Goal{}
		for _, g := range r.Goals {
			m[g.Target.ID] = g
		}
		c.unit[r.Unit] = m
	}
	return c
}

// has reports whether any unit (or group) has a goal of its own for the target.
func (c chartGoals) has(target string) bool {
	for _, m := range c.unit {
		if _, ok := m[target]; ok {
			return true
		}
	}
	for _, r := range c.groups {
		if _, ok := r.Goal(target); ok {
			return true
		}
	}
	return false
}

// chartGroups are the township-level units first, then every other type
// whose units carry targets (the 市直 departments).
func chartGroups(s *model.Summary, goals chartGoals) []chartGroup {
	v := s.Variant
	tt := v.TownshipType()
	types := []model.UnitType{tt}
	for _, t := range v.UnitTypes {
		if t.ID != tt.ID {
			types = append(types, t)
		}
	}
	var out []chartGroup
	for _, t := range types {
		g := chartGroup{t: t, units: s.OfType(t.ID)}
		for _, tg := range v.Targets {
			any := false
			for _, e := range g.units {
				_, ok := goals.unit[e.Unit.Name][tg.ID]
				any = any || ok
			}
			if any {
				g.targets = append(g.targets, tg)
			} else if t.ID == tt.ID && !goals.has(tg.ID) {
				g.whole = append(g.whole, tg)
			}
		}
		if len(g.units) > 0 && len(g.targets)+len(g.whole) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// writeChartSheet writes the 进度图 table (per unit: each target's goal and
// reported figure; per group measured on its sum: each of its targets) and draws
// each chart on a sheet of its own, sized to print whole on one landscape page:
// reported against goal per township-level unit and per 市直 department, reported
// 样板乡镇 per township, and each group's sum against its goals.
func writeChartSheet(x *excelize.File, s *model.Summary) error {
	p, err := newPlainSheet(x, SheetChart)
	if err != nil {
		return err
	}
	v := s.Variant
	goals := progressGoals(s)
	groups := chartGroups(s, goals)
	r := 1
	for gi := range groups {
		g := &groups[gi]
		g.top = r
		p.set(1, r, g.t.Label, p.bold)
		for i, t := range g.targets {
			p.set(2+2*i, r, t.Name+"目标", p.bold)
			p.set(3+2*i, r, t.Name+"已报", p.bold)
		}
		for i, t := range g.whole {
			p.set(2+2*len(g.targets)+i, r, t.Name+"已报", p.bold)
		}
		var inGroup []string
		for _, e := range g.units {
			r++
			p.set(1, r, e.Unit.Name, 0)
			own := goals.unit[e.Unit.Name]
			grouped := false
			for i, t := range g.targets {
				if gl, ok := own[t.ID]; ok {
					p.set(2+2*i, r, gl.Goal, p.num)
					p.number(3+2*i, r, gl.Reported, model.KindCount)
				} else if _, ok := v.GroupOf(e.Unit, t.ID); ok {
					grouped = true
				} else {
					p.number(3+2*i, r, s.Measure(e, t.Measure), model.KindCount)
				}
			}
			for i, t := range g.whole {
				p.number(2+2*len(g.targets)+i, r, s.Measure(e, t.Measure), model.KindCount)
			}
			if grouped {
				inGroup = append(inGroup, e.Unit.Name)
			}
		}
		if len(inGroup) > 0 {
			r++
			p.set(1, r, "注："+strings.Join(inGroup, "、")+"空白的目标按所在目标组合计考核，见下", 0)
		}
		r += 2
	}
	gtop := make([]int, len(goals.groups))
	for i, row := range goals.groups {
		gtop[i] = r
		p.set(1, r, row.Unit+"（合计考核）", p.bold)
		p.set(2, r, "目标", p.bold)
		p.set(3, r, "已报", p.bold)
		for _, gl := range row.Goals {
			r++
			p.set(1, r, gl.Target.Name, 0)
			p.set(2, r, gl.Goal, p.num)
			p.number(3, r, gl.Reported, model.KindCount)
		}
		r += 2
	}
	if err := p.finish(2, page{}); err != nil {
		return err
	}
	n := 0
	for _, g := range groups {
		first, last := g.top+1, g.top+len(g.units)
		cats := dataRef(1, first, last)
		for i, t := range g.targets {
			n++
			title := fmt.Sprintf("%s %s %s：%s 已报与目标（%s）", v.Name, s.Period.Label(), g.t.Label, t.Name, t.Unit)
			series := []excelize.ChartSeries{
				chartSeries(dataRef(3+2*i, g.top, g.top), cats, dataRef(3+2*i, first, last), "2E5FA8"),
				chartSeries(dataRef(2+2*i, g.top, g.top), cats, dataRef(2+2*i, first, last), "F0A030"),
			}
			if err := addChartPage(x, chartSheetName(n, g.t.Label, t.Name), title, series, len(g.units)); err != nil {
				return err
			}
		}
		for i, t := range g.whole {
			n++
			col := 2 + 2*len(g.targets) + i
			var sum model.Number
			for _, e := range g.units {
				sum += s.Measure(e, t.Measure)
			}
			title := fmt.Sprintf("%s %s %s：各%s已报（全辖区目标 %d %s，已报 %s）", v.Name, s.Period.Label(), t.Name,
				shortLabel(g.t.Label), t.Total, t.Unit, sum.Format(model.KindCount))
			series := []excelize.ChartSeries{chartSeries(dataRef(col, g.top, g.top), cats, dataRef(col, first, last), "2E5FA8")}
			if err := addChartPage(x, chartSheetName(n, g.t.Label, t.Name), title, series, len(g.units)); err != nil {
				return err
			}
		}
	}
	for i, row := range goals.groups {
		n++
		top := gtop[i]
		first, last := top+1, top+len(row.Goals)
		cats := dataRef(1, first, last)
		title := fmt.Sprintf("%s %s %s（合计考核）：已报与目标", v.Name, s.Period.Label(), row.Unit)
		series := []excelize.ChartSeries{
			chartSeries(dataRef(3, top, top), cats, dataRef(3, first, last), "2E5FA8"),
			chartSeries(dataRef(2, top, top), cats, dataRef(2, first, last), "F0A030"),
		}
		if err := addChartPage(x, chartSheetName(n, "合计", row.Unit), title, series, len(row.Goals)); err != nil {
			return err
		}
	}
	return nil
}

func dataRef(col, r1, r2 int) string {
	c := summaryColName(col)
	if r2 == r1 {
		return fmt.Sprintf("'%s'!$%s$%d", SheetChart, c, r1)
	}
	return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetChart, c, r1, c, r2)
}

func chartSeries(name, cats, values, color string) excelize.ChartSeries {
	return excelize.ChartSeries{Name: name, Categories: cats, Values: values,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}}
}

// chartSheetName is 图1 乡镇 标杆企业: short, and unique by its number.
func chartSheetName(n int, typ, target string) string {
	return fmt.Sprintf("图%d %s %s", n, shortLabel(typ), shortLabel(target))
}

// shortLabel drops a label's parenthesised part: 乡镇（街道、开发区） is 乡镇.
func shortLabel(s string) string {
	if i := strings.Index(s, "（"); i > 0 {
		return s[:i]
	}
	return s
}

// addChartPage draws a column chart alone on a new sheet that prints on one
// landscape A4 page. Black labels at 11–16 pt: the default pale grey 9 pt was
// illegible on paper.
func addChartPage(x *excelize.File, name, title string, series []excelize.ChartSeries, cats int) error {
	if _, err := x.NewSheet(name); err != nil {
		return err
	}
	if err := printSetup(x, name, page{onePage: true}); err != nil {
		return err
	}
	black := "000000"
	no := false
	ch := &excelize.Chart{
		Type:       excelize.Col,
		Series:     series,
		VaryColors: &no,
		Title:      []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Family: Font, Size: 16, Bold: true, Color: black}}},
		Legend:     excelize.ChartLegend{Position: "top", Font: &excelize.Font{Family: Font, Size: 12, Color: black}},
		XAxis:      excelize.ChartAxis{Font: excelize.Font{Family: Font, Size: 11, Color: black}},
		YAxis:      excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Family: Font, Size: 12, Color: black}},
		PlotArea:   excelize.ChartPlotArea{ShowVal: cats <= 40},
		// 26 × 17.5 cm: a landscape A4 page inside its margins.
		Dimension: excelize.ChartDimension{Width: 980, Height: 660},
	}
	return x.AddChart(name, "A1", ch)
}

func summaryColName(col int) string {
	n, _ := excelize.ColumnNumberToName(col)
	return n
}
