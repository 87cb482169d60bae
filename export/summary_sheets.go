package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// writeDetailSheet is the reconciliation of one unit type: a row per summed cell
// (form, row, column path), its total, how many units filled it or left it blank,
// then each unit's own figure in a column of its own. A blank stays blank; a unit
// that has not reported has an empty column headed 未填报.
func writeDetailSheet(x *excelize.File, s *model.Summary, t model.UnitType) error {
	name := DetailSheetName(t)
	p, err := newPlainSheet(x, name)
	if err != nil {
		return err
	}
	v := s.Variant
	p.set(1, 1, fmt.Sprintf("%s %s %s：每个合计数及其来源（各单位数值）", v.Name, s.Period.Label(), t.Label), p.title)
	p.widths[0] = 6
	head := []string{"表", "行", "栏目", "计量单位", "合计", "已填单位数", "空白单位数"}
	for i, h := range head {
		p.set(i+1, 2, h, p.bold)
	}
	units := s.OfType(t.ID)
	col := map[string]int{}
	for i, e := range units {
		c := len(head) + 1 + i
		col[e.Unit.Name] = c
		label := e.Unit.Name
		switch {
		case e.Report == nil:
			label += "（未填报）"
		case !e.Included:
			label += "（未计入）"
		case e.Status != model.StatusComplete:
			label += "（" + unitStanding(e) + "）"
		}
		p.set(c, 2, label, p.bold)
	}
	r := 3
	for _, k := range s.Keys() {
		if k.UnitType != t.ID {
			continue
		}
		f := v.Form(k.Cell.Form)
		c := f.Column(k.Cell.Col)
		rowLabel := ""
		if rd, ok := f.Row(k.Cell.Row); ok && len(f.Rows) > 1 && c.Scope == model.ScopeRow {
			rowLabel = rd.Label
		}
		p.set(1, r, f.Name(), 0)
		p.set(2, r, rowLabel, 0)
		p.set(3, r, c.PathText(), 0)
		p.set(4, r, c.Unit, 0)
		sc := s.Cell(t.ID, k.Cell)
		if sc.Filled > 0 {
			p.number(5, r, sc.Value, c.Kind)
		}
		p.set(6, r, sc.Filled, p.num)
		p.set(7, r, sc.Blank, p.num)
		for _, uv := range s.Sources(t.ID, k.Cell) {
			if !uv.Blank {
				p.number(col[uv.Unit], r, uv.Value, c.Kind)
			}
		}
		r++
	}
	if len(p.widths) >= 3 {
		p.widths[2] = 40
	}
	// One width for every unit column: alike on paper, and one column range
	// for the stream writer to look each cell's style up in.
	uw := 0.0
	for _, w := range p.widths[min(len(head), len(p.widths)):] {
		uw = max(uw, w)
	}
	if uw > 11 { // the figures are short; a long unit name wraps in its heading
		uw = 11
		p.tall = map[int]float64{2: 45}
	}
	for i := len(head); i < len(p.widths); i++ {
		p.widths[i] = uw
	}
	return p.finish(3, page{paper: paperA3})
}

// writeProgressSheet is progress against the targets: the jurisdiction first, then
// every unit with a target, worst first (lowest of its percentages).
func writeProgressSheet(x *excelize.File, s *model.Summary) error {
	p, err := newPlainSheet(x, SheetProgress)
	if err != nil {
		return err
	}
	v := s.Variant
	p.set(1, 1, fmt.Sprintf("%s %s 目标进度", v.Name, s.Period.Label()), p.title)
	p.widths[0] = 14
	head := []string{"全辖区目标", "目标数", "已报", "完成率", "计入的单位类型"}
	for _, t := range v.UnitTypes {
		head = append(head, t.Label+"合计")
	}
	for i, h := range head {
		p.set(i+1, 2, h, p.bold)
	}
	var counted string
	for i, id := range model.OverallTypes(v) {
		t, _ := v.UnitType(id)
		if i > 0 {
			counted += "、"
		}
		counted += t.Label
	}
	r := 3
	for _, g := range model.Overall(s) {
		p.set(1, r, g.Target.Name, 0)
		p.set(2, r, g.Goal, p.num)
		p.number(3, r, g.Reported, model.KindCount)
		p.set(4, r, g.Percent()/100, p.pct)
		p.set(5, r, counted, 0)
		for i, t := range v.UnitTypes {
			p.number(6+i, r, g.ByType[t.ID], model.KindCount)
		}
		r++
	}
	rows := model.Progress(s)
	r += 2
	top := r
	head = []string{"单位", "单位类型", "情况"}
	sized := v.UnitSize != nil
	if sized {
		head = append(head, v.UnitSize.Name)
	}
	first := len(head) + 1 // the first target's 目标 column
	for _, t := range v.Targets {
		head = append(head, t.Name+"目标", t.Name+"已报", t.Name+"完成率")
	}
	head = append(head, "最低完成率")
	for i, h := range head {
		p.set(i+1, r, h, p.bold)
	}
	for _, row := range rows {
		r++
		p.set(1, r, row.Unit, 0)
		p.set(2, r, progressRowType(v, row), 0)
		p.set(3, r, row.Status.Label(), 0)
		if sized && row.HasSize {
			p.number(4, r, row.Size, model.KindCount)
		}
		for i, tg := range v.Targets {
			g, ok := row.Goal(tg.ID)
			if !ok {
				continue
			}
			c := first + 3*i
			p.set(c, r, g.Goal, p.num)
			p.number(c+1, r, g.Reported, model.KindCount)
			p.set(c+2, r, g.Percent()/100, p.pct)
		}
		p.set(len(head), r, row.Percent()/100, p.pct)
	}
	pg := page{titleRows: 2}
	if len(rows) > 0 {
		pg.filter = cell(0, top) + ":" + cell(len(head)-1, r)
	}
	if note := v.DerivationNote("未填报" + sizeName(v) + "的单位不列推算的目标"); note != "" {
		p.set(1, r+2, "注："+note, 0)
	}
	return p.finish(0, pg)
}

// progressRowType is a row's 单位类型: the unit's type, or for a group measured
// on its sum who it is made of.
func progressRowType(v *model.Variant, row model.ProgressRow) string {
	if row.Group {
		if g, ok := v.Group(row.Unit); ok {
			return "合计考核：" + g.Label(v)
		}
		return "合计考核"
	}
	t, _ := v.UnitType(row.UnitType)
	return t.Label
}

func sizeName(v *model.Variant) string {
	if v.UnitSize == nil {
		return ""
	}
	return v.UnitSize.Name
}
