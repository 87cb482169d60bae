package model

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestDefaultCatalogShape(t *testing.T) {
	c := DefaultCatalog()
	wantCols := map[string]int{"t1": 31, "t2": 19, "t3": 29, "t4": 49}
	wantCells := map[string]int{"t1": 26 + 5*3 - 3, "t2": 19*3 - 1, "t3": 29, "t4": 49}
	for _, id := range []string{"nanan", "quanzhou-edu"} {
		v, err := c.Variant(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Forms) != 4 {
			t.Fatalf("%s: %d forms", id, len(v.Forms))
		}
		for _, f := range v.Forms {
			if got := len(f.Columns); got != wantCols[f.ID] {
				t.Errorf("%s %s: %d number columns, want %d", id, f.ID, got, wantCols[f.ID])
			}
			if got := len(f.Cells()); got != wantCells[f.ID] {
				t.Errorf("%s %s: %d cells per unit, want %d", id, f.ID, got, wantCells[f.ID])
			}
			if f.Depth != 3 {
				t.Errorf("%s %s: header depth %d", id, f.ID, f.Depth)
			}
			if !strings.Contains(f.Title(2025), "2025年") || !strings.HasSuffix(f.Title(2025), "季报表（"+f.Number+"）") {
				t.Errorf("%s %s: title %q", id, f.ID, f.Title(2025))
			}
			if !strings.HasPrefix(f.Notes, "注：1.") || !strings.Contains(f.Notes, "若无则应填写0") {
				t.Errorf("%s %s: notes %q", id, f.ID, f.Notes)
			}
			for _, col := range f.Columns {
				if (col.Unit == "万元") != (col.Kind == KindMoney) {
					t.Errorf("%s %s: kind of %s", id, f.ID, col.PathText())
				}
			}
		}
	}
	nanan, _ := c.Variant("南安")
	if got := len(nanan.Units); got != 27+20 {
		t.Errorf("南安 units: %d", got)
	}
	sum := map[string]int{}
	base := 0
	for _, u := range nanan.Units {
		base += u.Base
		if u.Type == "xiangzhen" {
			for k, n := range u.Targets {
				sum[k] += n
			}
		}
	}
	if base != 9498 || sum["benchmark"] != 30 || sum["reviewed"] != 242 || sum["posts"] != 2388 {
		t.Errorf("附件1 totals: base %d %v", base, sum)
	}
	u, err := nanan.Unit("水头镇")
	if err != nil || u.Name != "水头" || u.Base != 1533 {
		t.Errorf("水头镇 → %+v %v", u, err)
	}
	if _, err := nanan.Unit("不存在"); err == nil {
		t.Error("unknown unit accepted")
	}
	if got := len(nanan.FormsFor("shizhi")); got != 3 {
		t.Errorf("市直 fills %d forms, want 3 (no 表四)", got)
	}
	qz, _ := c.Variant("quanzhou-edu")
	if qz.TownshipType().Label != "县（市、区）" {
		t.Errorf("泉州 township type %+v", qz.TownshipType())
	}
	for _, name := range []string{"泉州开发区", "泉州台商投资区", "晋江市"} {
		if _, err := qz.Unit(name); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(qz.Form("t1").Notes, "市直单位填报的数据只填报本单位直接监管的企业") {
		t.Error("泉州 表一 note 2 missing")
	}
}

func TestNotApplicableAndMerged(t *testing.T) {
	v, _ := DefaultCatalog().Variant("nanan")
	t1, t2 := v.Form("t1"), v.Form("t2")
	for _, col := range []string{"c21", "c22", "c23"} {
		if t1.Applicable("dibiao", col) || !t1.Applicable("guobiao", col) {
			t.Errorf("地标 %s applicability wrong", col)
		}
	}
	if !t1.Applicable("dibiao", "c24") {
		t.Error("地标 总数 must be applicable")
	}
	if !t1.Merged("shengbiao", "c1") || t1.Merged("guobiao", "c1") || t1.Merged("shengbiao", "c21") {
		t.Error("表一 block scope wrong")
	}
	if t2.Applicable("xiang", "c1") || !t2.Applicable("xiang", "c2") {
		t.Error("表二 十佳 乡级 must be not applicable")
	}
	var labels []string
	for _, h := range t2.Display {
		if h.Label == "row" {
			labels = append(labels, t2.RowLabel(h, t2.Rows[2]))
		}
	}
	if strings.Join(labels, ",") != ",乡级,乡级" {
		t.Errorf("乡级 row labels %q", labels)
	}
}

func TestHeaderCellsCoverEveryColumnOnce(t *testing.T) {
	v, _ := DefaultCatalog().Variant("nanan")
	for _, f := range v.Forms {
		grid := make([][]int, f.Depth)
		for i := range grid {
			grid[i] = make([]int, len(f.Display))
		}
		for _, hc := range f.HeaderCells() {
			for r := hc.Row; r < hc.Row+hc.RowSpan; r++ {
				for c := hc.Col; c < hc.Col+hc.ColSpan; c++ {
					grid[r][c]++
				}
			}
		}
		for r := range grid {
			for c, n := range grid[r] {
				if n != 1 {
					t.Fatalf("%s header cell (%d,%d) covered %d times", f.ID, r, c, n)
				}
			}
		}
	}
}

// TestCatalogGolden pins the format `jibao forms --json` prints, which is also the
// format the loader reads.
func TestCatalogGolden(t *testing.T) {
	c := DefaultCatalog()
	for _, id := range c.VariantIDs() {
		got, err := c.Only(id)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "catalog-"+id+".golden.json")
		if *update {
			os.WriteFile(path, got, 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./model -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test ./model -update after checking the change)", id, path)
		}
		back, err := ParseCatalog(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("printed catalog does not load: %v", err)
		}
		again, _ := back.Only(id)
		if !bytes.Equal(again, got) {
			t.Error("print → load → print changed the catalog")
		}
	}
}

// TestNextYearIsADataFile shows that a new year's form set is a new file, not code.
func TestNextYearIsADataFile(t *testing.T) {
	s := string(DefaultCatalogJSON())
	s = strings.Replace(s, `"year": 2025`, `"year": 2026`, 1)
	s = strings.Replace(s, `"h": "自评企业"`, `"h": "自评企业（新）"`, 1)
	path := filepath.Join(t.TempDir(), "2026.json")
	os.WriteFile(path, []byte(s), 0o644)
	c, err := LoadCatalog(path)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := c.Variant("nanan")
	if v.Year != 2026 || !strings.Contains(v.Form("t1").Title(v.Year), "2026年") {
		t.Errorf("year not taken from file")
	}
	if v.Form("t1").Column("c25").Name != "自评企业（新）" {
		t.Error("header not taken from file")
	}
}

func TestBadCatalogsAreRefused(t *testing.T) {
	good := string(DefaultCatalogJSON())
	cases := map[string]string{
		"format":        strings.Replace(good, CatalogFormat, "other/9", 1),
		"unknown field": strings.Replace(good, `"year": 2025`, `"year": 2025, "colour": 1`, 1),
		"rule column":   strings.Replace(good, `"total": "c1"`, `"total": "c99"`, 1),
		"severity":      strings.Replace(good, `"severity": "warning"`, `"severity": "maybe"`, 1),
		"unit type":     strings.Replace(good, `"type": "xiangzhen"`, `"type": "village"`, 1),
		"no unit":       strings.Replace(good, `"unit": "家",`, ``, 1),
		"truncated":     good[:len(good)/2],
		"rule kind":     strings.Replace(good, `"kind": "iff"`, `"kind": "xor"`, 1),
		"rule field":    strings.Replace(good, `"kind": "iff",`, `"kind": "iff", "then": "c1",`, 1),
	}
	for name, s := range cases {
		if _, err := ParseCatalog(strings.NewReader(s)); err == nil {
			t.Errorf("%s: bad catalog accepted", name)
		}
	}
}
