package model

import (
	"math/rand"
	"sort"
	"testing"
)

// genReport fills every cell a unit fills with pseudo-random figures that keep the
// hard rules (sums add up, parts stay under their wholes), so that a report is
// "with errors" only when a test breaks it on purpose. Money cells get cents.
func genReport(v *Variant, u Unit, p Period, rng *rand.Rand) *Report {
	r := NewReport(v.ID, u, p)
	for _, f := range v.FormsFor(u.Type) {
		for _, k := range f.Cells() {
			if f.Column(k.Col).Kind == KindMoney {
				r.Values[k] = Number(rng.Intn(100000))
			} else {
				r.Values[k] = Whole(int64(rng.Intn(500)))
			}
		}
		for _, rule := range f.Rules {
			_, sum := rule.(*SumRule)
			_, le := rule.(*LERule)
			_, levels := rule.(*LevelsRule)
			if rule.Head().Severity != SeverityError || !(sum || le || levels) {
				continue
			}
			for _, row := range f.Rows {
				rule.Settle(v, r, f, row.ID)
			}
		}
	}
	r.State = StateComplete
	return r
}

type fixture struct {
	v       *Variant
	p       Period
	reports []*Report
	figures map[string]map[CellKey]Number // unit → its figures, kept apart from the reports
	types   map[string]string
}

// nananFixture: all 27 townships and 20 departments except three that have not
// reported; 柳城 is a draft, 美林 has an error, 省新 left one cell blank.
func nananFixture(t *testing.T) *fixture {
	t.Helper()
	v, err := DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{v: v, p: Period{2025, 3}, figures: map[string]map[CellKey]Number{}, types: map[string]string{}}
	rng := rand.New(rand.NewSource(7))
	skip := map[string]bool{"眉山": true, "雪峰": true, "海事处": true}
	for _, u := range v.Units {
		if skip[u.Name] {
			continue
		}
		r := genReport(v, u, fx.p, rng)
		switch u.Name {
		case "柳城":
			r.State = StateDraft
		case "美林":
			r.Values[CellKey{"t1", "guobiao", "c1"}] += Whole(1) // 总数 ≠ 规上+中等+小微
		case "省新":
			delete(r.Values, CellKey{"t3", "r", "c12"})
			r.State = StateReopened
		}
		fx.reports = append(fx.reports, r)
		figs := map[CellKey]Number{}
		for k, n := range r.Values {
			figs[k] = n
		}
		fx.figures[u.Name] = figs
		fx.types[u.Name] = u.Type
	}
	// A report of another period and one of another variant must be ignored.
	other := genReport(v, v.Units[0], Period{2025, 2}, rng)
	fx.reports = append(fx.reports, other)
	return fx
}

func TestSummaryMatchesIndependentSums(t *testing.T) {
	fx := nananFixture(t)
	s := Summarize(fx.v, fx.reports, fx.p)
	checked := 0
	for _, typ := range fx.v.UnitTypes {
		for _, f := range fx.v.FormsFor(typ.ID) {
			for _, k := range f.Cells() {
				var want Number
				filled, blank := 0, 0
				for unit, figs := range fx.figures {
					if fx.types[unit] != typ.ID {
						continue
					}
					if n, ok := figs[k]; ok {
						want += n
						filled++
					} else {
						blank++
					}
				}
				got, ok := s.Value(typ.ID, k)
				if !ok || got != want {
					t.Fatalf("%s %s: got %v (%v), want %v", typ.ID, k, got, ok, want)
				}
				c := s.Cell(typ.ID, k)
				if c.Filled != filled || c.Blank != blank {
					t.Fatalf("%s %s: filled %d blank %d, want %d %d", typ.ID, k, c.Filled, c.Blank, filled, blank)
				}
				src := s.Sources(typ.ID, k)
				var back Number
				for _, uv := range src {
					if uv.Blank == has(fx.figures[uv.Unit], k) {
						t.Fatalf("%s %s: source %+v", typ.ID, k, uv)
					}
					back += uv.Value
				}
				if len(src) != filled+blank || back != want {
					t.Fatalf("%s %s: sources %d sum %v", typ.ID, k, len(src), back)
				}
				checked++
			}
		}
	}
	if checked != 2*(38+56+29)+49 {
		t.Errorf("checked %d cells", checked)
	}
	// 表四 is only the township block; 市直 has no such cells.
	if s.Cell("shizhi", CellKey{"t4", "r", "c1"}) != nil {
		t.Error("市直 has a 表四 block")
	}
	// Money is exact: 罚款金额 of 市直 equals the sum of cents, not a float.
	k := CellKey{"t3", "r", "c12"}
	got, _ := s.Value("shizhi", k)
	var cents int64
	for unit, figs := range fx.figures {
		if fx.types[unit] == "shizhi" {
			cents += int64(figs[k])
		}
	}
	if int64(got) != cents {
		t.Errorf("money sum %d, want %d", got, cents)
	}
}

func has(m map[CellKey]Number, k CellKey) bool { _, ok := m[k]; return ok }

func TestSummaryLists(t *testing.T) {
	fx := nananFixture(t)
	s := Summarize(fx.v, fx.reports, fx.p)
	names := func(es []UnitEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Unit.Name)
		}
		return out
	}
	eq := func(what string, got, want []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", what, got, want)
			return
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", what, got, want)
				return
			}
		}
	}
	eq("missing", names(s.Missing()), []string{"眉山", "雪峰", "海事处"})
	eq("drafts", names(s.Drafts()), []string{"柳城", "省新"})
	eq("errors", names(s.WithErrors()), []string{"美林"})
	if n := len(s.Reported()); n != 44 {
		t.Errorf("reported %d, want 44", n)
	}
	if r, n := s.ReportedShare(); r != 44 || n != 47 {
		t.Errorf("share %d/%d", r, n)
	}
	worst := names(s.Worst())
	eq("worst first", worst[:5], []string{"眉山", "雪峰", "海事处", "美林", "省新"})
	if e, _ := s.Entry("柳城"); e.Status != StatusDraft || !e.Included {
		t.Errorf("柳城 %+v", e.Status)
	}
	// 表四 lists every township in directory order, missing ones too.
	if rows := s.OfType("xiangzhen"); len(rows) != 27 || rows[0].Unit.Name != "溪美" {
		t.Errorf("表四 rows: %d", len(rows))
	}
	if _, ok := s.UnitValue("眉山", CellKey{"t4", "r", "c1"}); ok {
		t.Error("a missing unit has a value")
	}

	only := SummarizeWith(fx.v, fx.reports, fx.p, Options{CompleteOnly: true})
	k := CellKey{"t3", "r", "c1"}
	all, _ := s.Value("xiangzhen", k)
	done, _ := only.Value("xiangzhen", k)
	if all-done != fx.figures["柳城"][k]+fx.figures["省新"][k] {
		t.Errorf("complete only: %v vs %v", all, done)
	}
}

func TestProgressAgainstTargets(t *testing.T) {
	fx := nananFixture(t)
	s := Summarize(fx.v, fx.reports, fx.p)
	rows := Progress(s)
	measure := func(unit string, cols ...string) Number {
		var sum Number
		for k, n := range fx.figures[unit] {
			if k.Form != "t2" {
				continue
			}
			for _, c := range cols {
				if k.Col == c {
					sum += n
				}
			}
		}
		return sum
	}
	cols := map[string][]string{"benchmark": {"c2", "c3", "c4"}, "reviewed": {"c5", "c6", "c7"}, "posts": {"c8", "c9", "c10", "c11"}}
	if len(rows) != 47 {
		t.Fatalf("%d progress rows", len(rows))
	}
	for i, r := range rows {
		u, _ := fx.v.Unit(r.Unit)
		for id, goal := range u.Targets {
			g, ok := r.Goal(id)
			if goal == 0 {
				if ok {
					t.Errorf("%s %s: zero goal listed", r.Unit, id)
				}
				continue
			}
			if !ok || g.Goal != goal || g.Reported != measure(r.Unit, cols[id]...) {
				t.Errorf("%s %s: %+v, want goal %d reported %v", r.Unit, id, g, goal, measure(r.Unit, cols[id]...))
			}
		}
		if i > 0 && rows[i-1].Percent() > r.Percent() {
			t.Errorf("not worst first at %d: %s %.1f after %s %.1f", i, r.Unit, r.Percent(), rows[i-1].Unit, rows[i-1].Percent())
		}
	}
	if rows[0].Percent() != 0 || rows[0].Status != StatusMissing {
		t.Errorf("first row %+v", rows[0])
	}
	// 南安's township figures include the departments' (注2): the city-wide figure
	// is the township block's, measured against 附件1's totals.
	want := map[string]Number{}
	dept := map[string]Number{}
	cols["model_town"] = []string{"c1"}
	for unit := range fx.figures {
		for id, c := range cols {
			if fx.types[unit] == "xiangzhen" {
				want[id] += measure(unit, c...)
			} else {
				dept[id] += measure(unit, c...)
			}
		}
	}
	totals := map[string]int{"model_town": 5, "benchmark": 30, "reviewed": 242, "posts": 2388}
	for _, g := range Overall(s) {
		id := g.Target.ID
		if g.Reported != want[id] || g.Goal != totals[id] || g.ByType["shizhi"] != dept[id] || g.ByType["xiangzhen"] != want[id] {
			t.Errorf("overall %s: %v/%d %v, want %v/%d 市直 %v", id, g.Reported, g.Goal, g.ByType, want[id], totals[id], dept[id])
		}
	}
}

func TestProgressQuanzhouCityTargets(t *testing.T) {
	v, _ := DefaultCatalog().Variant("quanzhou-edu")
	p := Period{2025, 3}
	r := NewReport(v.ID, v.Units[0], p)
	r.Values[CellKey{"t2", "shi", "c2"}] = Whole(3)
	r.Values[CellKey{"t2", "xian", "c3"}] = Whole(4)
	r.Values[CellKey{"t2", "xiang", "c8"}] = Whole(100)
	dept := NewReport(v.ID, Unit{Name: "市教育局直属", Type: "shizhi"}, p)
	dept.Values[CellKey{"t2", "shi", "c2"}] = Whole(2)
	s := Summarize(v, []*Report{r, dept}, p)
	got := map[string]Goal{}
	for _, g := range Overall(s) {
		got[g.Target.ID] = g
	}
	// 泉州's 市直 units report only what the 县 do not (注2): both blocks count.
	if g := got["benchmark"]; g.Goal != 170 || g.Reported != Whole(9) {
		t.Errorf("benchmark %+v", g)
	}
	if g := got["reviewed"]; g.Goal != 1300 || g.Reported != 0 {
		t.Errorf("reviewed %+v", g)
	}
	if g := got["posts"]; g.Goal != 13000 || g.Reported != Whole(100) || g.Percent() < 0.76 || g.Percent() > 0.77 {
		t.Errorf("posts %+v %.3f", g, g.Percent())
	}
	rows := Progress(s)
	var names []string
	for _, r := range rows {
		names = append(names, r.Unit)
	}
	if !sort.SliceIsSorted(rows, func(i, j int) bool { return rows[i].Percent() < rows[j].Percent() }) || rows[len(rows)-1].Unit != v.Units[0].Name {
		t.Errorf("order %v", names)
	}
}

func BenchmarkSummarize50Units(b *testing.B) {
	v, _ := DefaultCatalog().Variant("nanan")
	p := Period{2025, 3}
	rng := rand.New(rand.NewSource(1))
	var reports []*Report
	units := append([]Unit(nil), v.Units...)
	for i := 0; len(units) < 50; i++ {
		units = append(units, Unit{Name: "新增" + string(rune('甲'+i)), Type: "xiangzhen"})
	}
	for _, u := range units[:50] {
		reports = append(reports, genReport(v, u, p, rng))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := Summarize(v, reports, p, units[47:]...)
		_ = Progress(s)
		_ = Overall(s)
	}
}
