package tui

import (
	"strings"
	"testing"

	"jibao/model"
)

// TestBaseBesideTotal: in 表一 the status line of 企业底数 总数 names 附件1's 2024
// base, the list view shows it after the column, and a 总数 below it is a
// warning that names both numbers.
func TestBaseBesideTotal(t *testing.T) {
	st := openTestStore(t)
	hs := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	hs.keys("1 str:1500 enter h")
	hs.contains("口径：底数（以2024年底数为基数）  （本栏按单位类型只填一格）")
	hs.contains("国标 第1栏 总数  2024年底数：1533")
	hs.contains("? 表一：企业底数（家）/总数 为 1500，低于本单位2024年企业底数 1533（附件1）")
	hs.keys("v")
	hs.contains("企业底数（家）/总数（家）  2024年底数 1533")
	if strings.Contains(hs.screen(), "规上企业（家）  2024年底数") {
		t.Error("the base shown beside another column")
	}
}

// TestSummaryNamesOutliers: the office's summary names a unit's figure far outside
// its peers' in the status line of that cell, with the median it is compared to.
func TestSummaryNamesOutliers(t *testing.T) {
	st := openTestStore(t)
	v, _ := model.DefaultCatalog().Variant("nanan")
	p, _ := model.ParsePeriod("2025Q3")
	k := model.CellKey{Form: "t4", Row: "r", Col: "c1"}
	names := []string{"溪美", "柳城", "美林", "省新", "东田", "仑苍"}
	for i, name := range names {
		u, _ := v.Unit(name)
		id := model.ReportID{Variant: v.ID, Unit: u.Name, Period: p}
		if _, err := st.Ensure(id, u.Type, "seed"); err != nil {
			t.Fatal(err)
		}
		x := model.Whole(int64(100 + i))
		if name == "溪美" {
			x = model.Whole(9000)
		}
		if _, err := st.SetCells(id, []model.Change{{Key: k, Value: &x}}, "seed"); err != nil {
			t.Fatal(err)
		}
	}
	hs := newHarness(t, st, 120, 40, Options{Variant: "nanan", Period: "2025Q3", User: "市局"})
	hs.keys("S t 4")
	hs.contains("? 离群：表四：溪美 \"九小场所\"底数（家）/总数 为 9000，同类（乡镇（街道、开发区））6 个单位的中位数 104")
	hs.keys("j")
	if strings.Contains(hs.screen(), "离群") {
		t.Errorf("柳城's row names an outlier:\n%s", hs.screen())
	}
}

// TestProgressQuanzhouDerived: the TUI's progress screen shows 泉州's goals derived
// from the 学校数 (45% 达标学校, 4 示范岗位 per school) and the row of 市属学校 and
// 泉州开发区 measured together.
func TestProgressQuanzhouDerived(t *testing.T) {
	st := openTestStore(t)
	v, _ := model.DefaultCatalog().Variant("quanzhou-edu")
	p, _ := model.ParsePeriod("2025Q3")
	put := func(unit string, cells map[model.CellKey]int64) {
		u, _ := v.Unit(unit)
		id := model.ReportID{Variant: v.ID, Unit: u.Name, Period: p}
		if _, err := st.Ensure(id, u.Type, "seed"); err != nil {
			t.Fatal(err)
		}
		var ch []model.Change
		for k, n := range cells {
			x := model.Whole(n)
			ch = append(ch, model.Change{Key: k, Value: &x})
		}
		if _, err := st.SetCells(id, ch, "seed"); err != nil {
			t.Fatal(err)
		}
	}
	schools := model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}
	reviewed := model.CellKey{Form: "t2", Row: "xian", Col: "c5"}
	benchmark := model.CellKey{Form: "t2", Row: "xian", Col: "c2"}
	// Each row shows its furthest-behind goal: 鲤城区 标杆 13/13, 达标 27 of
	// ceil(0.45×120) = 54, 示范岗位 0 of 4×120; the group 标杆 13/13, 达标 7/13.
	put("鲤城区", map[model.CellKey]int64{schools: 120, reviewed: 27, benchmark: 13})
	put("泉州开发区", map[model.CellKey]int64{schools: 40, reviewed: 7, benchmark: 13})
	hs := newHarness(t, st, 120, 40, Options{Variant: "quanzhou-edu", Period: "2025Q3", User: "市局"})
	hs.keys("S p")
	if hs.root().scr != scrProgress {
		t.Fatalf("no progress screen:\n%s", hs.screen())
	}
	hs.contains("鲤城区       草稿      0%")
	hs.contains("示范岗位 0/480")
	hs.contains("泉州开发区   草稿      0%  ..............................  示范岗位 0/160")
	hs.contains("市属学校及泉 草稿     53%")
	hs.contains("达标学校 7/13")
}
