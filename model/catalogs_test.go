package model

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func catalog2026(t *testing.T) *Catalog {
	t.Helper()
	b, err := NextYear(DefaultCatalog(), 2026)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCatalog(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogsPickTheYear(t *testing.T) {
	c25, c26 := DefaultCatalog(), catalog2026(t)
	cs := NewCatalogs(c25, c26)
	for _, tc := range []struct {
		p    Period
		year int
	}{{Period{2025, 4}, 2025}, {Period{2026, 1}, 2026}} {
		v, err := cs.Variant("nanan", tc.p)
		if err != nil || v.Year != tc.year {
			t.Errorf("%s: variant of %d, %v", tc.p, v.Year, err)
		}
	}
	if _, err := cs.For(Period{2027, 1}); err == nil || !strings.Contains(err.Error(), "jibao forms add") {
		t.Errorf("2027 without a catalog: %v", err)
	}
	// 泉州 reports Q4 in early January: the default is last year's Q4 with
	// last year's forms; 南安 in mid-February is on the new year's Q1.
	v, p, err := cs.Default("quanzhou-edu", time.Date(2026, 1, 3, 9, 0, 0, 0, time.Local))
	if err != nil || p != (Period{2025, 4}) || v.Year != 2025 {
		t.Errorf("泉州 on 2026-01-03: %v %d %v", p, v.Year, err)
	}
	v, p, err = cs.Default("nanan", time.Date(2026, 2, 14, 9, 0, 0, 0, time.Local))
	if err != nil || p != (Period{2026, 1}) || v.Year != 2026 {
		t.Errorf("南安 on 2026-02-14: %v %d %v", p, v.Year, err)
	}
	// Without a 2027 catalog, a day in 2027 clamps to the newest year's Q4.
	if _, p, _ := cs.Default("nanan", time.Date(2027, 5, 1, 9, 0, 0, 0, time.Local)); p != (Period{2026, 4}) {
		t.Errorf("2027 clamps to %v", p)
	}
}

// Figures counted from before the year run on from last year's Q4; those
// counted from 1 January start again, and neither the rule nor the ghosts reach
// back for them.
func TestCumulativeAcrossTheYear(t *testing.T) {
	c25, c26 := DefaultCatalog(), catalog2026(t)
	v25, _ := c25.Variant("nanan")
	v26, _ := c26.Variant("nanan")
	u, _ := v26.Unit("水头")
	q4 := NewReport("nanan", u, Period{2025, 4})
	q1 := NewReport("nanan", u, Period{2026, 1})
	long := CellKey{Form: "t1", Row: "guobiao", Col: "c5"}   // since 2021-08
	fresh := CellKey{Form: "t1", Row: "guobiao", Col: "c10"} // since 1 January
	t2 := CellKey{Form: "t2", Row: "shi", Col: "c2"}         // 表二: all of it since 1 January
	q4.Values[long], q4.Values[fresh], q4.Values[t2] = Whole(40), Whole(12), Whole(9)
	q1.Values[long], q1.Values[fresh], q1.Values[t2] = Whole(30), Whole(2), Whole(1)
	carried := v26.CarryOver(q4)
	if _, ok := carried.Values[fresh]; ok {
		t.Error("a figure counted from 1 January carried into the new year")
	}
	if _, ok := carried.Values[t2]; ok {
		t.Error("表二 carried into the new year")
	}
	if n, ok := carried.Values[long]; !ok || n != Whole(40) {
		t.Errorf("the long-running figure did not carry: %v %v", n, ok)
	}
	if v25.CarryOver(q4) != q4 {
		t.Error("within the year the previous report is not kept as it is")
	}
	res := v26.Check(q1, q4)
	var msgs []string
	for _, f := range res.Findings {
		if f.Rule == "t1.cumulative" || f.Rule == "t2.cumulative" {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "2025年第4季度") || !strings.Contains(msgs[0], "40") {
		t.Errorf("cumulative findings across the year: %q, want one on c5 naming 2025年第4季度 and 40", msgs)
	}
}

func TestIncompatibleCatalogs(t *testing.T) {
	old := catalog2026(t)
	if why := Incompatible(old, old); len(why) != 0 {
		t.Errorf("a catalog is incompatible with itself: %v", why)
	}
	b, _ := old.CatalogJSON()
	cut := strings.Replace(string(b), `"name": "市应急局"`, `"name": "市应急管理局"`, 1)
	nc, err := ParseCatalog(strings.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	why := strings.Join(Incompatible(old, nc), "；")
	if !strings.Contains(why, "单位名录去掉了 市应急局") {
		t.Errorf("a removed unit not named: %s", why)
	}
}

// A township renamed in the new year's directory keeps its earlier reports: the
// report before its 2026Q1 is last year's under the old name, and a catalog
// that renames (formerly) is no removal.
func TestRenamedUnitKeepsItsHistory(t *testing.T) {
	old := catalog2026(t)
	b, _ := old.CatalogJSON()
	renamed := strings.Replace(string(b), `"name": "水头",`, `"name": "水头镇", "formerly": ["水头"],`, 1)
	nc, err := ParseCatalog(strings.NewReader(renamed))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := nc.Variant("nanan")
	q4 := NewReport("nanan", Unit{Name: "水头", Type: "xiangzhen"}, Period{2025, 4})
	long := CellKey{Form: "t1", Row: "guobiao", Col: "c5"}
	q4.Values[long] = Whole(40)
	stored := map[ReportID]*Report{q4.ID(): q4}
	get := func(id ReportID) (*Report, error) {
		if r, ok := stored[id]; ok {
			return r, nil
		}
		return nil, ErrNotFound
	}
	prev, err := v.LoadPrev(ReportID{Variant: "nanan", Unit: "水头镇", Period: Period{2026, 1}}, get)
	if err != nil || prev == nil || prev.Values[long] != Whole(40) {
		t.Errorf("before 水头镇 2026Q1: %v %v, want 水头's 2025Q4", prev, err)
	}
	if ids := v.PrevIDs(ReportID{Variant: "nanan", Unit: "水头镇", Period: Period{2026, 2}}); len(ids) != 1 || ids[0].Unit != "水头镇" {
		t.Errorf("within the year the name stays: %v", ids)
	}
	// Two townships merged into one: last year's figures add up, those
	// of the cells both have.
	merged := strings.Replace(string(b), `"name": "水头",`, `"name": "水头石井", "formerly": ["水头", "石井"],`, 1)
	merged = strings.Replace(merged, `"name": "石井",`, `"name": "石井旧址", "added": true,`, 1)
	mc, err := ParseCatalog(strings.NewReader(merged))
	if err != nil {
		t.Fatal(err)
	}
	mv, _ := mc.Variant("nanan")
	sj := NewReport("nanan", Unit{Name: "石井", Type: "xiangzhen"}, Period{2025, 4})
	sj.Values[long] = Whole(2)
	id := ReportID{Variant: "nanan", Unit: "水头石井", Period: Period{2026, 1}}
	if prev, _ := mv.LoadPrev(id, get); prev != nil {
		t.Errorf("with 石井's 2025Q4 missing the merged baseline is %v, want none", prev.Values)
	}
	stored[sj.ID()] = sj
	if prev, _ := mv.LoadPrev(id, get); prev == nil || prev.Values[long] != Whole(42) || prev.Unit != "水头石井" {
		t.Errorf("merged baseline: %+v, want 40 + 2", prev)
	}
	if why := Incompatible(old, nc); len(why) != 0 {
		t.Errorf("a recorded rename counted as a removal: %v", why)
	}
}
