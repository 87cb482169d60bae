package tui

import (
	"fmt"
	"strings"
	"testing"

	"jibao/model"
	"jibao/store"
)

// summaryUnits are the 南安 units given reports for the summary tests: five
// townships and two 市直 departments; the rest of the directory has none.
var summaryUnits = []string{"水头", "溪美", "美林", "石井", "柳城", "市应急局", "市住建局"}

// seedSummary stores generated reports for summaryUnits in 2025Q3: unit i puts
// (i+1)*(n%7+1) in its n-th cell, 溪美 leaves its last cell of every form blank,
// and 石井 is marked... nothing: the states come from the rules (the generated
// figures break the sum rules, so some reports have errors).
func seedSummary(t *testing.T, st *store.Store) *model.Variant {
	t.Helper()
	v, err := model.DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := model.ParsePeriod("2025Q3")
	for i, name := range summaryUnits {
		u, err := v.Unit(name)
		if err != nil {
			t.Fatal(err)
		}
		id := model.ReportID{Variant: v.ID, Unit: u.Name, Period: p}
		if _, err := st.Ensure(id, u.Type, "seed"); err != nil {
			t.Fatal(err)
		}
		var ch []model.Change
		for _, f := range v.FormsFor(u.Type) {
			cells := f.Cells()
			for n, k := range cells {
				if name == "溪美" && n == len(cells)-1 {
					continue
				}
				x := model.Whole(int64((i + 1) * (n%7 + 1)))
				ch = append(ch, model.Change{Key: k, Value: &x})
			}
		}
		if _, err := st.SetCells(id, ch, "seed"); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

// expectSum adds up a cell over the seeded units of a type, independently of
// model.Summarize.
func expectSum(v *model.Variant, unitType string, k model.CellKey) (model.Number, int) {
	var sum model.Number
	filled := 0
	for i, name := range summaryUnits {
		u, _ := v.Unit(name)
		if u.Type != unitType {
			continue
		}
		for _, f := range v.FormsFor(u.Type) {
			cells := f.Cells()
			for n, c := range cells {
				if c != k || (name == "溪美" && n == len(cells)-1) {
					continue
				}
				sum += model.Whole(int64((i + 1) * (n%7 + 1)))
				filled++
			}
		}
	}
	return sum, filled
}

func TestSummaryScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		st := openTestStore(t)
		v := seedSummary(t, st)
		hs := newHarness(t, st, w, h, Options{Variant: "nanan", Period: "2025Q3", User: "市局"})
		hs.keys("S")
		if hs.root().scr != scrSummary {
			t.Fatalf("S in the chooser did not open the summary:\n%s", hs.screen())
		}
		name := func(s string) string { return fmt.Sprintf("summary-%s-%dx%d", s, w, h) }
		shot := func(s string) {
			t.Helper()
			scr := hs.screen()
			checkWidths(t, scr, w, h)
			golden(t, name(s), scr)
		}
		shot("t1")
		// Every summed cell of every form matches the sums made here.
		g := hs.root().sg
		for fi, f := range g.b.forms {
			geo := g.geo[fi]
			for ri, r := range geo.rows {
				b := g.sum.blocks[r.src]
				if b.unit != "" {
					continue
				}
				for ci := range f.Columns {
					if !geo.editable(ri, ci) {
						continue
					}
					k := geo.key(ri, ci)
					want, filled := expectSum(v, b.unitType, k)
					got, ok := g.sum.value(r.src, k)
					if ok != (filled > 0) || (ok && got != want) {
						t.Fatalf("%s %s %v: summary %v,%v, want %v (%d units)", f.Name(), r.label, k, got, ok, want, filled)
					}
				}
			}
		}
		hs.keys("t 4")
		shot("t4")
		// Drill down from 表四's 合计 of its first column.
		for range len(g.cur().rows) {
			hs.keys("j")
		}
		if l := g.cur().rows[g.row].label; l != "合计" {
			t.Fatalf("cursor on row %q, want 合计", l)
		}
		hs.keys("enter")
		shot("drill-t4")
		for _, u := range []string{"水头", "溪美", "美林", "石井", "柳城"} {
			hs.contains(u)
		}
		hs.contains("未填报（")
		hs.keys("esc p")
		if hs.root().scr != scrProgress {
			t.Fatalf("p did not open the progress screen:\n%s", hs.screen())
		}
		shot("progress")
		hs.keys("q")
		if hs.root().scr != scrSummary {
			t.Fatal("q in the progress screen did not go back to the summary")
		}
	}
}

// The summary is read-only even for a clerk who may write: typing is refused
// with a message and nothing reaches the store.
func TestSummaryRefusesEntry(t *testing.T) {
	st := openTestStore(t)
	seedSummary(t, st)
	hs := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	hs.keys("S")
	if hs.root().scr != scrSummary {
		t.Fatalf("S in the overview did not open the summary:\n%s", hs.screen())
	}
	before, _ := st.List("nanan", nil)
	hs.keys("str:5 enter x u")
	hs.contains("汇总只能查看")
	if hs.root().sg.edit.on {
		t.Error("a summary cell opened for typing")
	}
	after, _ := st.List("nanan", nil)
	if len(after) != len(before) {
		t.Errorf("the summary wrote to the store: %d reports, were %d", len(after), len(before))
	}
	hs.keys("q")
	if hs.root().scr != scrOverview {
		t.Error("q did not go back to the overview")
	}
	hs.keys("?")
	hs.contains("本期汇总")
}

// A clerk who may open only their own unit cannot see everyone's totals.
func TestSummaryNeedsEveryUnit(t *testing.T) {
	st := openTestStore(t)
	seedSummary(t, st)
	hs := newHarness(t, st, 80, 24, Options{AllowedUnits: func(v, u string) bool { return u == "水头" }})
	hs.keys("S")
	if hs.root().scr == scrSummary {
		t.Fatal("a one-unit clerk opened the summary")
	}
	hs.contains("汇总需要能查看全部单位的账号")
	if !strings.Contains(hs.screen(), "水头") {
		t.Error("the chooser is gone")
	}
}

// "t4" typed fast arrives as one message of two runes: it still picks the form,
// in the summary and in a report.
func TestFormByNumberTypedFast(t *testing.T) {
	st := openTestStore(t)
	seedSummary(t, st)
	hs := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	hs.keys("1 t4")
	if f := hs.grid().form(); f.ID != "t4" {
		t.Errorf("t4 in a report opened %s", f.ID)
	}
	hs.keys("q S t3")
	if f := hs.root().sg.form(); f.ID != "t3" {
		t.Errorf("t3 in the summary opened %s", f.ID)
	}
}
