package model

import (
	"math"
	"testing"
)

// TestQuanzhouDerivedTargets: 泉州's goals from the plan (方案三（四）1–3): each county
// 达标 = 45% of its 学校数 and 4 示范岗位 per school, the 学校数 being its latest
// 表一 企业底数总数 of the year; 市属学校 and 泉州开发区 measured together on 13/13.
// The expected numbers are computed here from the figures, not copied from the code.
func TestQuanzhouDerivedTargets(t *testing.T) {
	v, err := DefaultCatalog().Variant("quanzhou-edu")
	if err != nil {
		t.Fatal(err)
	}
	q2, q3 := Period{2025, 2}, Period{2025, 3}
	school := Unit{Name: "泉州第五中学", Type: "shizhi", Added: true}
	report := func(u Unit, p Period, schools int64, t2 map[string]int64) *Report {
		r := NewReport(v.ID, u, p)
		r.Values[CellKey{"t1", "guobiao", "c1"}] = Whole(schools)
		for col, n := range t2 {
			r.Values[CellKey{"t2", "xian", col}] = Whole(n)
		}
		return r
	}
	unit := func(name string) Unit {
		u, err := v.Unit(name, school)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	reports := []*Report{
		report(unit("鲤城区"), q2, 110, nil), // Q3 corrects it: the latest counts
		report(unit("鲤城区"), q3, 120, map[string]int64{"c2": 5, "c5": 30, "c6": 10, "c8": 200}),
		report(unit("丰泽区"), q2, 95, map[string]int64{"c5": 50}), // no Q3 report: Q2's 学校数, 0 reported
		report(unit("泉州开发区"), q3, 40, map[string]int64{"c2": 4, "c5": 5, "c6": 3, "c7": 2, "c9": 100}),
		report(school, q3, 1, map[string]int64{"c3": 2, "c5": 1, "c10": 6}),
	}
	s := Summarize(v, reports, q3, school)
	rows := map[string]ProgressRow{}
	for _, r := range Progress(s) {
		rows[r.Unit] = r
	}
	ceil := func(share float64, n int) int { return int(math.Ceil(share * float64(n))) }
	want := []struct {
		unit         string
		target       string
		goal         int
		reported     int64
		inGroupToo   bool
		absentTarget bool
	}{
		{unit: "鲤城区", target: "benchmark", goal: 13, reported: 5},
		{unit: "鲤城区", target: "reviewed", goal: ceil(0.45, 120), reported: 40},
		{unit: "鲤城区", target: "posts", goal: 4 * 120, reported: 200},
		{unit: "丰泽区", target: "reviewed", goal: ceil(0.45, 95), reported: 0},
		{unit: "丰泽区", target: "posts", goal: 4 * 95, reported: 0},
		{unit: "泉州开发区", target: "posts", goal: 4 * 40, reported: 100},
		{unit: "泉州开发区", target: "benchmark", absentTarget: true},
		{unit: "泉州开发区", target: "reviewed", absentTarget: true},
		{unit: "泉州第五中学", target: "posts", goal: 4 * 1, reported: 6},
		{unit: "泉州第五中学", target: "reviewed", absentTarget: true},
		{unit: "市属学校及泉州开发区", target: "benchmark", goal: 13, reported: 4 + 2},
		{unit: "市属学校及泉州开发区", target: "reviewed", goal: 13, reported: 5 + 3 + 2 + 1},
		{unit: "市属学校及泉州开发区", target: "posts", absentTarget: true},
	}
	for _, w := range want {
		row, ok := rows[w.unit]
		if !ok {
			t.Fatalf("no progress row for %s: %v", w.unit, rows)
		}
		g, ok := row.Goal(w.target)
		if w.absentTarget {
			if ok {
				t.Errorf("%s measured on %s by itself: %+v", w.unit, w.target, g)
			}
			continue
		}
		if !ok || g.Goal != w.goal || g.Reported != Whole(w.reported) {
			t.Errorf("%s %s: goal %d reported %s, want %d and %d", w.unit, w.target, g.Goal, g.Reported.Format(KindCount), w.goal, w.reported)
		}
	}
	if g := rows["市属学校及泉州开发区"]; !g.Group || g.Size != Whole(41) || g.Status != StatusDraft {
		t.Errorf("group row %+v", g)
	}
	if r := rows["丰泽区"]; r.Status != StatusMissing || r.Size != Whole(95) {
		t.Errorf("丰泽区 %+v", r)
	}
	// A county that never reported its 学校数 is measured on 标杆 only.
	if r := rows["洛江区"]; len(r.Goals) != 1 || r.Goals[0].Target.ID != "benchmark" {
		t.Errorf("洛江区 %+v", r)
	}
}
