package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jibao/export"
	"jibao/model"
	"jibao/store"
)

// In January one server takes both years: a 2026 catalog added next to the
// embedded 2025 one, one clerk fills 水头's 2025Q4 and then its 2026Q1 in the
// workstation over OpenSSH; 2026Q1 shows last year's long-running figures as
// ghosts and warns when one of them falls.
func TestServeTwoYearsInOneSession(t *testing.T) {
	w := startServeWorldSeeded(t, map[string]string{"张三": `role=clerk,units="nanan:水头"`}, func(db string) {
		bin := serveBinary(t)
		draft := filepath.Join(filepath.Dir(db), "forms-2026.json")
		for _, args := range [][]string{{"forms", "next-year", "--year", "2026", "-o", draft}, {"forms", "add", draft, "--db", db}} {
			if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				t.Fatalf("jibao %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
	})
	// Today (Dec 2026) the chooser offers 2026年第4季度: Tab to the period,
	// four quarters back to 2025Q4.
	w.login("a", "张三")
	w.waitScreen("a", "选择报表", "2026年第4季度")
	w.send("a", "Tab", "Tab", "Left", "Left", "Left", "Left")
	w.waitScreen("a", "2025年第4季度")
	w.send("a", "Enter")
	w.waitScreen("a", "表一 ")
	w.send("a", "Enter")
	w.waitScreen("a", "口径：")
	// 表一 c1–c4 (底数), c5–c9 (since 2021-08), c10 (自查隐患, since 1 January).
	for _, n := range []string{"50", "10", "20", "20", "40", "1", "1", "1", "1", "5"} {
		w.send("a", n, "Enter")
	}
	w.waitScreen("a", "表一 10/")
	// Back to the chooser in the same session, one quarter on: 2026Q1.
	w.send("a", "q")
	w.waitScreen("a", "换一份报表", "已填 10/172")
	// q waits for the last write to be durable (正在保存，请稍候): press again.
	w.waitUntil("the chooser", func() bool {
		if strings.Contains(w.screen("a"), "选择报表") {
			return true
		}
		w.send("a", "q")
		return false
	})
	w.waitScreen("a", "选择报表", "2025年第4季度")
	for i := 0; i < 3 && !strings.Contains(w.screen("a"), "> 期"); i++ {
		w.send("a", "Tab")
	}
	w.send("a", "Right")
	w.waitScreen("a", "2026年第1季度")
	w.send("a", "Enter")
	w.waitScreen("a", "表一 ")
	w.send("a", "Enter")
	// Last year's Q4 shows in the empty cells (dimmed): the 底数 50 runs on.
	w.waitScreen("a", "口径：", "50")
	// C copies the nine figures that run on, not 自查隐患 (counted from 1 January).
	w.send("a", "C")
	w.waitScreen("a", "9 个数值")
	w.send("a", "y")
	w.waitScreen("a", "表一 9/")
	for _, n := range []string{"50", "10", "20", "20", "30"} {
		w.send("a", n, "Enter")
	}
	w.waitScreen("a", "表一 9/38 ?2") // c1 below the 2024 base, c5 below 2025Q4
	w.send("a", "C-c")
	w.waitScreen("a", "SSH-EXIT=0")

	q4, q1 := model.Period{Year: 2025, Quarter: 4}, model.Period{Year: 2026, Quarter: 1}
	if got := w.values("张三", "水头", q4); len(got) != 10 {
		t.Errorf("2025Q4 holds %v, want the 10 values typed", got)
	}
	got := w.values("张三", "水头", q1)
	if len(got) != 9 || got["t1/guobiao/c10"] != "" || got["t1/guobiao/c9"] != "1" || got["t1/guobiao/c5"] != "30" {
		t.Errorf("2026Q1 holds %v, want c1–c9 (c5 = 30), no c10", got)
	}
	_, out, errs := w.run("张三", "jibao", "check", "--variant", "nanan", "--unit", "水头", "--period", q1.String())
	flat := strings.NewReplacer("\n", "", " ", "").Replace(out)
	if !strings.Contains(flat, "比上季度（2025年第4季度）的40少") {
		t.Errorf("2026Q1's check lacks the cross-year cumulative warning on c5:\n%s%s", out, errs)
	}
	if strings.Count(flat, "累计数不应减少") != 1 {
		t.Errorf("2026Q1's check warns more than once about figures falling:\n%s", out)
	}
	// Each report was filled with its year's catalog: both are in the one file.
	if err := w.proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-w.exitc
	w.exitc <- nil
	st, err := store.Open(filepath.Join(w.dir, "jibao.db"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if years := st.Catalogs().Years(); len(years) != 2 || years[0] != 2025 || years[1] != 2026 {
		t.Errorf("catalogs in the data file: %v", years)
	}
}

// Adding a year's catalog is checked against the reports it already has: only
// additions pass, anything else is refused saying what it would change.
func TestFormsAddRefusesAnIncompatibleCatalog(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "jibao.db")
	a, out, errb := checkApp(db)
	draft := filepath.Join(dir, "forms-2026.json")
	if code := a.run([]string{"forms", "next-year", "--year", "2026", "-o", draft}); code != exitOK {
		t.Fatalf("next-year: %s", errb)
	}
	if code := a.run([]string{"forms", "add", draft}); code != exitOK {
		t.Fatalf("forms add: exit %d: %s", code, errb)
	}
	out.Reset()
	if code := a.run([]string{"forms", "list"}); code != exitOK || !has(out.String(), "2026年") || !has(out.String(), "第 1 版") {
		t.Fatalf("forms list: exit %d:\n%s%s", code, out, errb)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.Catalogs().Variant("nanan", model.Period{Year: 2026, Quarter: 1})
	if err != nil || v.Year != 2026 {
		t.Fatalf("the store's 2026 variant: %v", err)
	}
	r := sampleReport(t, v, "水头", model.Period{Year: 2026, Quarter: 1})
	if err := st.PutReport(r, "tester"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// A catalog that drops a unit from the directory would orphan reports.
	b := mustRead(t, draft)
	cut := filepath.Join(dir, "cut.json")
	mustWrite(t, cut, strings.Replace(b, `"name": "水头"`, `"name": "水头镇"`, 1))
	errb.Reset()
	if code := a.run([]string{"forms", "add", cut}); code == exitOK || !has(errb.String(), "单位名录去掉了 水头") {
		t.Errorf("an incompatible catalog: exit %d: %s", code, errb)
	}
	// One that only adds a unit is the year's second version.
	more := filepath.Join(dir, "more.json")
	mustWrite(t, more, strings.Replace(b, `"units": [`, `"units": [{"name": "新设乡镇", "type": "xiangzhen"},`, 1))
	out.Reset()
	if code := a.run([]string{"forms", "add", more}); code != exitOK || !has(out.String(), "第 2 版") {
		t.Errorf("a compatible catalog: exit %d:\n%s%s", code, out, errb)
	}
	// 水头's report was written with version 1; written again, it says 2.
	out.Reset()
	a.run([]string{"check", "--variant", "nanan", "--unit", "水头", "--period", "2026Q1"})
	if !has(out.String(), "表式: 2026年 第 1 版") {
		t.Errorf("check does not name the version the report was filled with:\n%s", out)
	}
	st, err = store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Values[model.CellKey{Form: "t3", Row: "r", Col: "c1"}] = model.Whole(3)
	if err := st.PutReport(r, "tester"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out.Reset()
	a.run([]string{"check", "--variant", "nanan", "--unit", "水头", "--period", "2026Q1"})
	if !has(out.String(), "表式: 2026年 第 2 版") {
		t.Errorf("after a write under version 2 check says:\n%s", out)
	}
	out.Reset()
	if code := a.run([]string{"check", "--variant", "nanan", "--unit", "新设乡镇", "--period", "2026Q1"}); code != exitFail || !has(out.String(), "尚未填报") {
		t.Errorf("the unit the new version added: exit %d:\n%s%s", code, out, errb)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// In January the office imports late 2025Q4 files and the first 2026Q1 ones
// into one data file: each is read with the forms whose titles it carries, and a
// 2025 file offered as 2026Q1 is refused.
func TestImportBothYears(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "jibao.db")
	a, out, errb := checkApp(db)
	draft := filepath.Join(dir, "forms-2026.json")
	if a.run([]string{"forms", "next-year", "--year", "2026", "-o", draft}) != exitOK || a.run([]string{"forms", "add", draft}) != exitOK {
		t.Fatalf("adding 2026: %s", errb)
	}
	cats := model.NewCatalogs(model.DefaultCatalog(), mustCatalog(t, draft))
	files := map[model.Period]string{}
	for _, p := range []model.Period{{Year: 2025, Quarter: 4}, {Year: 2026, Quarter: 1}} {
		v, err := cats.Variant("nanan", p)
		if err != nil {
			t.Fatal(err)
		}
		x, err := export.Workbook(v, sampleReport(t, v, "水头", p), false)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = filepath.Join(dir, "水头-"+p.String()+".xlsx")
		if err := x.SaveAs(files[p]); err != nil {
			t.Fatal(err)
		}
	}
	for p, f := range files {
		errb.Reset()
		if code := a.run([]string{"import", f, "--period", p.String(), "--force"}); code != exitOK {
			t.Fatalf("import of %s: exit %d: %s%s", p, code, out, errb)
		}
	}
	out.Reset()
	if code := a.run([]string{"list", "--variant", "nanan"}); code != exitOK || !has(out.String(), "2025年第4季度") || !has(out.String(), "2026年第1季度") {
		t.Errorf("list after importing both years: exit %d:\n%s", code, out)
	}
	errb.Reset()
	if code := a.run([]string{"import", files[model.Period{Year: 2025, Quarter: 4}], "--period", "2026Q1", "--force"}); code == exitOK || !has(errb.String(), "2025年") {
		t.Errorf("a 2025 file imported as 2026Q1: exit %d: %s", code, errb)
	}
}

func mustCatalog(t *testing.T, path string) *model.Catalog {
	t.Helper()
	c, err := model.LoadCatalog(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// An office adds a column to 表二 in its template for next year: from-xlsx
// reads it, the office decides what the draft leaves open, forms check passes,
// forms add stores it; two townships' workbooks filled in the new column are
// imported and the summary workbook sums it.
func TestAddedColumnFromTemplateToSummary(t *testing.T) {
	dir := t.TempDir()
	a, out, errb := checkApp(filepath.Join(dir, "jibao.db"))
	tpl := filepath.Join(dir, "t.xlsx")
	if a.run([]string{"export", "--variant", "nanan", "--template", "-o", tpl}) != exitOK {
		t.Fatalf("template: %s", errb)
	}
	v25, _ := model.DefaultCatalog().Variant("nanan")
	f2 := v25.Form("t2")
	x, err := excelize.OpenFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	col := len(f2.Display) + 1
	top, _ := excelize.CoordinatesToCellName(col, 4)
	bottom, _ := excelize.CoordinatesToCellName(col, 4+f2.Depth-1)
	x.SetCellValue(export.SheetName(f2), top, "新增宣传场次（场次）")
	x.MergeCell(export.SheetName(f2), top, bottom)
	for _, s := range x.GetSheetList() { // next year's titles
		for _, ref := range []string{"A2"} {
			v, _ := x.GetCellValue(s, ref)
			x.SetCellValue(s, ref, strings.Replace(v, "2025年", "2026年", 1))
		}
	}
	if err := x.SaveAs(tpl); err != nil {
		t.Fatal(err)
	}
	draft := filepath.Join(dir, "d.json")
	if code := a.run([]string{"forms", "from-xlsx", tpl, "-o", draft}); code != exitOK {
		t.Fatalf("from-xlsx: exit %d: %s", code, errb)
	}
	if code := a.run([]string{"forms", "check", draft}); code != exitFail {
		t.Fatalf("check of the raw draft: exit %d", code)
	}
	// What the office decides: this year's names, since-dates, rules, rows, units.
	var d model.Catalog
	if err := json.Unmarshal([]byte(mustRead(t, draft)), &d); err != nil {
		t.Fatal(err)
	}
	old := map[string]*model.FormDef{}
	cat25 := model.DefaultCatalog()
	for _, f := range cat25.Forms {
		old[f.ID] = f
	}
	newID := fmt.Sprintf("c%d", len(f2.Columns)+1)
	for _, f := range d.Forms {
		f.Since, f.Rules = "2026-01", old[f.ID].Rules
		for j := range f.Rows {
			f.Rows[j].ID = old[f.ID].Rows[j].ID
		}
		f.NotApplicable = old[f.ID].NotApplicable
	}
	dv, src := d.Variants[0], cat25.Variants[0]
	dv.ID, dv.Name, dv.Region, dv.Issuer, dv.Office, dv.Subject = src.ID, src.Name, src.Region, src.Issuer, src.Office, src.Subject
	for i := range dv.UnitTypes {
		dv.UnitTypes[i].ID = src.UnitTypes[i].ID
	}
	dv.OverallTypes, dv.Units = src.OverallTypes, src.Units
	b, _ := d.CatalogJSON()
	mustWrite(t, draft, string(b))
	out.Reset()
	if code := a.run([]string{"forms", "check", draft}); code != exitOK {
		t.Fatalf("check of the decided draft: exit %d:\n%s%s", code, out, errb)
	}
	if code := a.run([]string{"forms", "add", draft}); code != exitOK {
		t.Fatalf("forms add: exit %d: %s", code, errb)
	}
	nc := mustCatalog(t, draft)
	v26, _ := nc.Variant("nanan")
	p := model.Period{Year: 2026, Quarter: 1}
	for i, unit := range []string{"水头", "溪美"} {
		r := sampleReport(t, v26, unit, p)
		r.Values[model.CellKey{Form: "t2", Row: "shi", Col: newID}] = model.Whole(int64(7 + i))
		wb, err := export.Workbook(v26, r, false)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, unit+".xlsx")
		if err := wb.SaveAs(f); err != nil {
			t.Fatal(err)
		}
		if code := a.run([]string{"import", f, "--period", p.String(), "--force"}); code != exitOK {
			t.Fatalf("import %s: exit %d: %s", unit, code, errb)
		}
	}
	sum := filepath.Join(dir, "s.xlsx")
	if code := a.run([]string{"summary", "--variant", "nanan", "--period", p.String(), "-o", sum, "--force"}); code != exitOK {
		t.Fatalf("summary: exit %d: %s", code, errb)
	}
	sx, err := excelize.OpenFile(sum)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := sx.GetRows(export.SheetName(v26.Form("t2")))
	c, found := -1, false
	for _, row := range rows {
		for j, cell := range row {
			if strings.Contains(strings.ReplaceAll(cell, "\n", ""), "新增宣传场次") {
				c = j
			}
			if c >= 0 && j == c && cell == "15" {
				found = true
			}
		}
	}
	if c < 0 || !found {
		t.Errorf("the summary workbook's 表二 lacks the new column (col %d) summing to 15", c)
	}
}
