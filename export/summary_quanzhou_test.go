package export_test

import (
	"math"
	"strings"
	"testing"

	"jibao/export"
	"jibao/model"
)

// TestSummaryWorkbookQuanzhouTargets: every goal in 泉州's summary workbook, in
// the 目标进度 sheet and in the 进度图 table the charts plot, is the one
// model.Progress derives (45% of 学校数, 4 示范岗位 per school, 市属学校 and 泉州开发区
// measured together on 13/13). The expected numbers are computed here from the
// figures; the workbook is read back with openpyxl.
func TestSummaryWorkbookQuanzhouTargets(t *testing.T) {
	v, err := model.DefaultCatalog().Variant("quanzhou-edu")
	if err != nil {
		t.Fatal(err)
	}
	q2, q3 := model.Period{Year: 2025, Quarter: 2}, model.Period{Year: 2025, Quarter: 3}
	school := model.Unit{Name: "泉州第五中学", Type: "shizhi", Added: true}
	unit := func(name string) model.Unit {
		u, err := v.Unit(name, school)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	report := func(u model.Unit, p model.Period, schools int64, t2 map[string]int64) *model.Report {
		r := model.NewReport(v.ID, u, p)
		r.Values[model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}] = model.Whole(schools)
		for col, n := range t2 {
			r.Values[model.CellKey{Form: "t2", Row: "xian", Col: col}] = model.Whole(n)
		}
		return r
	}
	reports := []*model.Report{
		report(unit("鲤城区"), q2, 110, nil), // Q3 corrects it: the latest counts
		report(unit("鲤城区"), q3, 120, map[string]int64{"c2": 5, "c5": 30, "c6": 10, "c8": 200}),
		report(unit("丰泽区"), q2, 95, map[string]int64{"c5": 50}), // Q2's 学校数, nothing in Q3
		report(unit("泉州开发区"), q3, 40, map[string]int64{"c2": 4, "c5": 5, "c6": 3, "c7": 2, "c9": 100}),
		report(school, q3, 1, map[string]int64{"c3": 2, "c5": 1, "c10": 6}),
	}
	s := model.Summarize(v, reports, q3, school)
	sheets, charts := writeAndReadBack(t, s)

	ceil45 := func(n int) float64 { return math.Ceil(0.45 * float64(n)) }
	const group = "市属学校及泉州开发区"
	// want[unit][target] = {goal, reported}; nil goal: the cell stays blank.
	type gr struct{ goal, reported any }
	want := map[string]map[string]gr{
		"鲤城区":    {"标杆学校": {13.0, 5.0}, "达标学校": {ceil45(120), 40.0}, "示范岗位": {4.0 * 120, 200.0}},
		"丰泽区":    {"标杆学校": {13.0, 0.0}, "达标学校": {ceil45(95), 0.0}, "示范岗位": {4.0 * 95, 0.0}},
		"洛江区":    {"标杆学校": {13.0, 0.0}, "达标学校": {nil, 0.0}, "示范岗位": {nil, 0.0}},
		"泉州开发区":  {"标杆学校": {nil, nil}, "达标学校": {nil, nil}, "示范岗位": {4.0 * 40, 100.0}},
		"泉州第五中学": {"示范岗位": {4.0, 6.0}},
	}

	// 进度图: a block per unit type, headed 目标/已报 per target.
	table := sheets[export.SheetChart]
	var head []any
	seen := map[string]bool{}
	for _, row := range table {
		if len(row) == 0 {
			continue
		}
		name := toString(row[0])
		if len(row) > 1 && strings.HasSuffix(toString(row[1]), "目标") {
			head = row
			continue
		}
		w, ok := want[name]
		if !ok || head == nil {
			continue
		}
		seen[name] = true
		for tg, e := range w {
			col := indexOf(head, tg+"目标")
			if col < 0 {
				t.Errorf("进度图 block of %s has no %s目标: %v", name, tg, head)
				continue
			}
			if got := cellAt(row, col); got != e.goal {
				t.Errorf("进度图 %s %s目标 = %v, want %v", name, tg, got, e.goal)
			}
			if got := cellAt(row, col+1); got != e.reported {
				t.Errorf("进度图 %s %s已报 = %v, want %v", name, tg, got, e.reported)
			}
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("进度图 has no row for %s", name)
		}
	}
	// The group's block: its goals against its members' sum.
	gw := map[string][2]float64{"标杆学校": {13, 4 + 2}, "达标学校": {13, 5 + 3 + 2 + 1}}
	in := false
	got := map[string][2]float64{}
	for _, row := range table {
		if len(row) == 0 || row[0] == nil {
			in = false
			continue
		}
		if toString(row[0]) == group+"（合计考核）" {
			in = true
			continue
		}
		if in {
			got[toString(row[0])] = [2]float64{toFloat(cellAt(row, 1)), toFloat(cellAt(row, 2))}
		}
	}
	if len(got) != len(gw) || got["标杆学校"] != gw["标杆学校"] || got["达标学校"] != gw["达标学校"] {
		t.Errorf("进度图 group block %v, want %v", got, gw)
	}
	// Charts: 县 标杆/达标/示范岗位, 市直 示范岗位, and the group's.
	if len(charts) != 5 {
		t.Errorf("%d charts, want 5", len(charts))
	}
	groupChart := false
	for _, c := range charts {
		groupChart = groupChart || strings.Contains(c, group+"（合计考核）：已报与目标")
	}
	if !groupChart {
		t.Error("no chart of the group's sum against its goals")
	}

	// 目标进度: the group row names who it is made of; each unit's goals and its 学校数.
	prog := sheets[export.SheetProgress]
	var ph []any
	rows := map[string][]any{}
	for _, row := range prog {
		if len(row) > 0 && toString(row[0]) == "单位" {
			ph = row
			continue
		}
		if ph != nil && len(row) > 0 && row[0] != nil {
			rows[toString(row[0])] = row
		}
	}
	g := rows[group]
	if g == nil || !strings.Contains(toString(g[1]), "市直单位") || !strings.Contains(toString(g[1]), "泉州开发区") {
		t.Errorf("group row %v", g)
	}
	if c := indexOf(ph, "标杆学校目标"); c < 0 || cellAt(g, c) != 13.0 || cellAt(g, c+1) != 6.0 {
		t.Errorf("group row 标杆学校 %v (head %v)", g, ph)
	}
	if c := indexOf(ph, "学校数"); c < 0 || cellAt(rows["鲤城区"], c) != 120.0 || cellAt(g, c) != 41.0 {
		t.Errorf("学校数 column: 鲤城区 %v, group %v", rows["鲤城区"], g)
	}
	for name, w := range want {
		row := rows[name]
		for tg, e := range w {
			c := indexOf(ph, tg+"目标")
			if e.goal == nil || (name == "泉州开发区" && tg != "示范岗位") {
				if row != nil && cellAt(row, c) != nil {
					t.Errorf("目标进度 %s %s目标 = %v, want blank", name, tg, cellAt(row, c))
				}
				continue
			}
			if row == nil || cellAt(row, c) != e.goal || cellAt(row, c+1) != e.reported {
				t.Errorf("目标进度 %s %s = %v/%v, want %v/%v", name, tg, cellAt(row, c), cellAt(row, c+1), e.goal, e.reported)
			}
		}
	}
	if !strings.Contains(strings.Join(anyStrings(prog[len(prog)-1]), ""), "学校数×0.45") {
		t.Errorf("目标进度 does not say how goals are derived: %v", prog[len(prog)-1])
	}
}

func indexOf(row []any, s string) int {
	for i, c := range row {
		if toString(c) == s {
			return i
		}
	}
	return -1
}

func cellAt(row []any, i int) any {
	if i < 0 || i >= len(row) {
		return nil
	}
	return row[i]
}
