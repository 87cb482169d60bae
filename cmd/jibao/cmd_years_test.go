package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
	for _, n := range []string{"50", "10", "20", "20", "40"} { // 表一 c1–c4 (底数), c5 (since 2021-08)
		w.send("a", n, "Enter")
	}
	w.waitScreen("a", "表一 5/")
	w.send("a", "C-c")
	w.waitScreen("a", "SSH-EXIT=0")

	// The chooser preselects the report opened last (2025Q4): one quarter on.
	w.login("b", "张三")
	w.waitScreen("b", "选择报表", "2025年第4季度")
	w.send("b", "Tab", "Tab", "Right")
	w.waitScreen("b", "2026年第1季度")
	w.send("b", "Enter")
	w.waitScreen("b", "表一 ")
	w.send("b", "Enter")
	// Last year's Q4 shows in the empty cells (dimmed): the 底数 50 runs on.
	w.waitScreen("b", "口径：", "50")
	for _, n := range []string{"50", "10", "20", "20", "30"} {
		w.send("b", n, "Enter")
	}
	w.waitScreen("b", "表一 5/")
	w.send("b", "C-c")
	w.waitScreen("b", "SSH-EXIT=0")

	q4, q1 := model.Period{Year: 2025, Quarter: 4}, model.Period{Year: 2026, Quarter: 1}
	if got := w.values("张三", "水头", q4); len(got) != 5 {
		t.Errorf("2025Q4 holds %v, want the 5 values typed", got)
	}
	if got := w.values("张三", "水头", q1); len(got) != 5 {
		t.Errorf("2026Q1 holds %v, want the 5 values typed", got)
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
