package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"jibao/internal/testenv"
	"jibao/model"
	"jibao/store"
)

func TestListGolden(t *testing.T) {
	db, _ := checkStore(t)
	a, out, errb := checkApp(db)
	if code := a.run([]string{"list"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	fits(t, out.String())
	golden(t, "list.golden", out.String())

	a, out, _ = checkApp(db)
	if code := a.run([]string{"list", "--variant", "nanan", "--period", "2025Q3", "--json"}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Reports []map[string]any `json:"reports"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Reports) != 4 {
		t.Fatalf("%d reports", len(got.Reports))
	}
	want := []string{"variant", "unit", "unitType", "period", "state", "filled", "total", "percent", "errors",
		"warnings", "updated", "updatedBy", "due", "daysLeft"}
	for _, k := range want {
		if _, ok := got.Reports[0][k]; !ok {
			t.Errorf("key %q missing in %v", k, got.Reports[0])
		}
	}
	if len(got.Reports[0]) != len(want) {
		t.Errorf("unexpected keys: %v", got.Reports[0])
	}
	first := got.Reports[0]
	if first["unit"] != "溪美" || first["state"] != "draft" || first["percent"].(float64) != 98 || first["daysLeft"].(float64) != 5 {
		t.Errorf("first report %v", first)
	}

	// Another period has nothing; an overdue period says so.
	a, out, _ = checkApp(db)
	a.run([]string{"list", "--period", "2025Q2"})
	if !strings.Contains(out.String(), "还没有报表") {
		t.Errorf("empty list: %q", out)
	}
	a, out, _ = checkApp(db)
	a.now = func() time.Time { return time.Date(2025, 10, 3, 9, 0, 0, 0, time.Local) }
	a.run([]string{"list"})
	if !strings.Contains(out.String(), "已逾期 3 天") {
		t.Errorf("overdue list: %q", out)
	}
	// Months overdue (a forgotten draft): the count is shown whole, still in 80
	// columns.
	a, out, _ = checkApp(db)
	a.now = func() time.Time { return time.Date(2026, 1, 30, 9, 0, 0, 0, time.Local) }
	a.run([]string{"list"})
	if !strings.Contains(out.String(), "李四    已逾期 122 天\n") {
		t.Errorf("long overdue list: %q", out)
	}
	fits(t, out.String())
}

func TestSummaryAndProgressGolden(t *testing.T) {
	db, _ := checkStore(t)
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"summary.golden", []string{"summary", "--variant", "nanan", "--period", "2025Q3"}},
		{"summary-complete-only.golden", []string{"summary", "--variant", "nanan", "--period", "2025Q3", "--complete-only"}},
		{"progress.golden", []string{"progress", "--variant", "nanan", "--period", "2025Q3"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			a, out, errb := checkApp(db)
			if code := a.run(tc.args); code != exitOK {
				t.Fatalf("exit %d: %s", code, errb)
			}
			fits(t, out.String())
			golden(t, tc.golden, out.String())
		})
	}
}

// fullStore has a clean sample report from every 南安 unit but 眉山 and 海事处;
// 柳城's is a draft.
func fullStore(t testing.TB) (string, []*model.Report) {
	t.Helper()
	cat := model.DefaultCatalog()
	v, _ := cat.Variant("nanan")
	p := model.Period{Year: 2025, Quarter: 3}
	db := filepath.Join(t.TempDir(), "jibao.db")
	s, err := store.Open(db, store.Options{NoSync: true, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var reports []*model.Report
	for _, u := range v.Units {
		if u.Name == "眉山" || u.Name == "海事处" {
			continue
		}
		r := sampleReport(t, v, u.Name, p)
		if u.Name == "柳城" {
			r.State = model.StateDraft
		}
		if err := s.PutReport(r, "tester"); err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	return db, reports
}

func TestSummaryOfTheWholeDirectory(t *testing.T) {
	db, reports := fullStore(t)
	xlsx := filepath.Join(t.TempDir(), "汇总.xlsx")
	a, out, errb := checkApp(db)
	if code := a.run([]string{"summary", "--variant", "nanan", "--period", "2025Q3", "-o", xlsx}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	text := out.String()
	fits(t, text)
	for _, want := range []string{"已报 45/47 个单位：已完成 44，未完成 1；未填报 2",
		"未填报（2）: 眉山、海事处", "草稿（1）: 柳城 100%", "已写出 " + xlsx} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	// Totals computed here, apart from the model: 企业底数 总数 per unit type and
	// 表三 罚款金额 in 万元 (exact cents).
	sums := map[string]model.Number{}
	for _, r := range reports {
		sums[r.UnitType+"/t1c1"] += r.Values[model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}]
		sums[r.UnitType+"/t3c12"] += r.Values[model.CellKey{Form: "t3", Row: "r", Col: "c12"}]
		sums[r.UnitType+"/t4c1"] += r.Values[model.CellKey{Form: "t4", Row: "r", Col: "c1"}]
	}
	line := regexp.MustCompile(`表一 企业底数（家）/总数\s+(\S+)\s+(\S+)`).FindStringSubmatch(text)
	if line == nil || line[1] != sums["shizhi/t1c1"].Format(model.KindCount) || line[2] != sums["xiangzhen/t1c1"].Format(model.KindCount) {
		t.Errorf("企业底数 总数 line %v, want %v %v", line, sums["shizhi/t1c1"], sums["xiangzhen/t1c1"])
	}
	a, out, _ = checkApp(db)
	a.run([]string{"summary", "--variant", "nanan", "--period", "2025Q3", "--all"})
	money := regexp.MustCompile(`表三 罚款/金额\s+(\S+)\s+(\S+)`).FindStringSubmatch(out.String())
	if money == nil || money[1] != sums["shizhi/t3c12"].Format(model.KindMoney) || money[2] != sums["xiangzhen/t3c12"].Format(model.KindMoney) {
		t.Errorf("罚款金额 line %v, want %s %s", money, sums["shizhi/t3c12"].Format(model.KindMoney), sums["xiangzhen/t3c12"].Format(model.KindMoney))
	}

	// The workbook, read back by openpyxl.
	py := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	script := `
import sys, json, zipfile, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
t4 = wb["季报表（四）"]
total = [r for r in t4.iter_rows(values_only=True) if r[0] == "合计"]
charts = [n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith("xl/charts/chart")]
print(json.dumps({"sheets": wb.sheetnames, "total": total[0][1] if total else None, "charts": len(charts),
  "prog": [list(r) for r in wb["目标进度"].iter_rows(min_row=3, max_row=6, max_col=4, values_only=True)]}, ensure_ascii=False))
`
	b, err := exec.Command(py, "-c", script, xlsx).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, b)
	}
	var got struct {
		Sheets []string
		Total  float64
		Charts int
		Prog   [][]any
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if len(got.Sheets) != 16 || got.Sheets[3] != "季报表（四）" || got.Sheets[8] != "进度图" || got.Sheets[9] != "图1 乡镇 标杆企业" {
		t.Errorf("sheets %v", got.Sheets)
	}
	if got.Total != sums["xiangzhen/t4c1"].Float() {
		t.Errorf("表四 合计 %v, want %v", got.Total, sums["xiangzhen/t4c1"].Float())
	}
	if got.Charts != 7 {
		t.Errorf("%d charts", got.Charts)
	}
	if len(got.Prog) != 4 || got.Prog[1][0] != "标杆企业" || got.Prog[1][1].(float64) != 30 {
		t.Errorf("progress rows %v", got.Prog)
	}
	// -o does not overwrite without --force.
	a, _, errb = checkApp(db)
	if code := a.run([]string{"summary", "--variant", "nanan", "--period", "2025Q3", "-o", xlsx}); code != exitUsage || !strings.Contains(errb.String(), "--force") {
		t.Errorf("overwrite: exit %d %s", code, errb)
	}
}

func TestProgressBars(t *testing.T) {
	for _, tc := range []struct {
		pct  float64
		want string
	}{{0, ".........."}, {49.9, "####......"}, {50, "#####....."}, {100, "##########"}, {250, "#########+"}} {
		if got := progressBar(tc.pct, 10); got != tc.want {
			t.Errorf("bar(%v) = %q, want %q", tc.pct, got, tc.want)
		}
	}
	db, _ := fullStore(t)
	a, out, _ := checkApp(db)
	a.run([]string{"progress", "--variant", "nanan", "--period", "2025Q3"})
	fits(t, out.String())
	// Worst first: the two missing units lead the unit table.
	lines := strings.Split(out.String(), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "单位") {
			if !strings.HasPrefix(lines[i+1], "眉山") && !strings.HasPrefix(lines[i+1], "海事处") {
				t.Errorf("first unit line %q", lines[i+1])
			}
			break
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrapText("表一：企业底数 总数 应等于 规上企业之和；填的是 1508，各项合计 620", 36, 2)
	for _, l := range strings.Split(got, "\n") {
		if strWidth(l) > 36+2 || strings.HasPrefix(strings.TrimSpace(l), "，") {
			t.Errorf("line %q", l)
		}
	}
	if !strings.Contains(got, "1508，") {
		t.Errorf("number split: %q", got)
	}
	if got := wrapItems([]string{"市林业局", "市教育局", "市人社局"}, "、", 12, 0); got != "市林业局、\n市教育局、\n市人社局" {
		t.Errorf("items %q", got)
	}
}

// BenchmarkList10000 lists 10,000 reports (25 units over 400 quarters) from the
// store's info records, with the table printed: `jibao list` must stay under
// 200 ms.
func BenchmarkList10000(b *testing.B) {
	cat := model.DefaultCatalog()
	db := filepath.Join(b.TempDir(), "jibao.db")
	s, err := store.Open(db, store.Options{NoSync: true, Catalog: cat})
	if err != nil {
		b.Fatal(err)
	}
	v, _ := cat.Variant("nanan")
	n := 0
	for y := 2001; n < 10000; y++ {
		for q := 1; q <= 4 && n < 10000; q++ {
			for _, u := range v.Units[:25] {
				r := model.NewReport(v.ID, u, model.Period{Year: y, Quarter: q})
				r.Values[model.CellKey{Form: "t3", Row: "r", Col: "c1"}] = model.Whole(int64(n % 7))
				if err := s.PutReport(r, "bench"); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
	}
	s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, _, errb := checkApp(db)
		a.stdout = io.Discard
		if code := a.run([]string{"list"}); code != exitOK {
			b.Fatalf("exit %d: %s", code, errb)
		}
	}
	b.StopTimer()
	if b.Elapsed()/time.Duration(b.N) > 200*time.Millisecond {
		b.Errorf("jibao list over %d reports took %v, over 200 ms", n, b.Elapsed()/time.Duration(b.N))
	}
}

// BenchmarkSummary50Units runs `jibao summary -o` over 50 township-level units,
// each filling all four forms (the 27 townships and 23 added ones): reading the
// reports, checking and summing them, and writing the workbook must stay under
// a second.
func BenchmarkSummary50Units(b *testing.B) {
	cat := model.DefaultCatalog()
	v, _ := cat.Variant("nanan")
	p := model.Period{Year: 2025, Quarter: 3}
	dir := b.TempDir()
	db := filepath.Join(dir, "jibao.db")
	s, err := store.Open(db, store.Options{NoSync: true, Catalog: cat})
	if err != nil {
		b.Fatal(err)
	}
	clean := sampleReport(b, v, "水头", p)
	units := 0
	for i := 0; units < 50; i++ {
		var u model.Unit
		if i < len(v.Units) {
			u = v.Units[i]
			if u.Type != "xiangzhen" {
				continue
			}
		} else {
			u = model.Unit{Name: fmt.Sprintf("新增乡镇%02d", i), Type: "xiangzhen", Added: true}
			if err := s.AddUnit(v.ID, u); err != nil {
				b.Fatal(err)
			}
		}
		r := clean.Clone()
		r.Unit, r.Header.Unit = u.Name, u.Name
		if err := s.PutReport(r, "bench"); err != nil {
			b.Fatal(err)
		}
		units++
	}
	s.Close()
	out := filepath.Join(dir, "汇总.xlsx")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, _, errb := checkApp(db)
		a.stdout = io.Discard
		if code := a.run([]string{"summary", "--variant", "nanan", "--period", "2025Q3", "-o", out, "--force"}); code != exitOK {
			b.Fatalf("exit %d: %s", code, errb)
		}
	}
	b.StopTimer()
	if per := b.Elapsed() / time.Duration(b.N); per > time.Second {
		b.Errorf("summary of 50 units took %v, over 1 s", per)
	}
}

// TestSummaryRefusesAnExistingFileFirst: -o onto an existing file fails before
// the page of totals, which would push the message off the screen.
func TestSummaryRefusesAnExistingFileFirst(t *testing.T) {
	db, _ := checkStore(t)
	out := filepath.Join(filepath.Dir(db), "汇总.xlsx")
	if err := os.WriteFile(out, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, stdout, stderr := checkApp(db)
	if code := a.run([]string{"summary", "--variant", "nanan", "--period", "2025Q3", "-o", out}); code != exitUsage {
		t.Errorf("exit %d", code)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "文件已存在（加 --force 覆盖）") {
		t.Errorf("stdout %q\nstderr %q", stdout, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "keep" {
		t.Errorf("the existing file was changed")
	}
}
