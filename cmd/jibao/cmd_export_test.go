package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jibao/export"
	"jibao/internal/testenv"
	"jibao/model"
	"jibao/store"
)

// xio is an in-process jibao with its own data file, working directory for
// relative paths, stdin and captured output.
type xio struct {
	t     *testing.T
	db    string
	dir   string
	stdin string
	out   bytes.Buffer
	err   bytes.Buffer
}

func newXIO(t *testing.T) *xio {
	dir := t.TempDir()
	return &xio{t: t, db: filepath.Join(dir, "jibao.db"), dir: dir}
}

func (x *xio) run(args ...string) int {
	x.out.Reset()
	x.err.Reset()
	env := map[string]string{"JIBAO_DB": x.db, "JIBAO_USER": "tester", "HOME": x.dir}
	a := &app{stdin: strings.NewReader(x.stdin), stdout: &x.out, stderr: &x.err,
		getenv: func(k string) string { return env[k] },
		now:    func() time.Time { return time.Date(2025, 9, 20, 10, 0, 0, 0, time.Local) }}
	return a.run(args)
}

// put stores a report directly, as the entry screen would have.
func (x *xio) put(r *model.Report) {
	x.t.Helper()
	s, err := store.Open(x.db, store.Options{NoSync: true, Catalog: model.DefaultCatalog()})
	if err != nil {
		x.t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutReport(r, "tester"); err != nil {
		x.t.Fatal(err)
	}
}

func (x *xio) get(unit string) *model.Report {
	x.t.Helper()
	s, err := store.Open(x.db, store.Options{NoSync: true, ReadOnly: true, Catalog: model.DefaultCatalog()})
	if err != nil {
		x.t.Fatal(err)
	}
	defer s.Close()
	r, err := s.Get(model.ReportID{Variant: "nanan", Unit: unit, Period: model.Period{Year: 2025, Quarter: 3}})
	if err != nil {
		x.t.Fatal(err)
	}
	return r
}

func (x *xio) path(name string) string { return filepath.Join(x.dir, name) }

func nanan(t *testing.T) *model.Variant {
	v, err := model.DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sampleOf(t *testing.T, unit string, seed int) *model.Report {
	v := nanan(t)
	u, err := v.Unit(unit)
	if err != nil {
		t.Fatal(err)
	}
	return export.Sample(v, u, model.Period{Year: 2025, Quarter: 3}, seed)
}

func (x *xio) want(code int, args ...string) string {
	x.t.Helper()
	if got := x.run(args...); got != code {
		x.t.Fatalf("jibao %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), got, code, x.out.String(), x.err.String())
	}
	return x.out.String() + x.err.String()
}

func sameReportValues(t *testing.T, a, b *model.Report) {
	t.Helper()
	if len(a.Values) != len(b.Values) {
		t.Errorf("%d values, want %d", len(b.Values), len(a.Values))
	}
	for k, n := range a.Values {
		if b.Values[k] != n {
			t.Errorf("%s: %v, want %v", k, b.Values[k], n)
		}
	}
}

func TestExportRefusesIncomplete(t *testing.T) {
	x := newXIO(t)
	r := sampleOf(t, "水头", 1)
	delete(r.Values, model.CellKey{Form: "t2", Row: "shi", Col: "c3"})
	r.State = model.StateDraft
	x.put(r)
	msg := x.want(exitFail, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "-o", x.path("a.xlsx"))
	if !strings.Contains(msg, "1 处空白，0 处错误") || !strings.Contains(msg, "--draft") {
		t.Errorf("message: %s", msg)
	}
	fits(t, x.err.String())
	if _, err := os.Stat(x.path("a.xlsx")); err == nil {
		t.Error("a refused export wrote a file")
	}
	x.want(exitOK, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--draft", "-o", x.path("a.xlsx"))
	f, err := excelize.OpenFile(x.path("a.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range f.GetSheetList() {
		if title, _ := f.GetCellValue(name, "A2"); !strings.HasSuffix(title, "（草稿）") {
			t.Errorf("%s title %q lacks the draft mark", name, title)
		}
	}
}

func TestExportFiles(t *testing.T) {
	x := newXIO(t)
	x.put(sampleOf(t, "水头", 2))
	t.Chdir(x.dir) // the default name is relative
	args := []string{"export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3"}
	x.want(exitOK, args...)
	def := x.path("南安-水头-2025Q3-季报表.xlsx")
	st, err := os.Stat(def)
	if err != nil {
		t.Fatal(err)
	}
	if msg := x.want(exitUsage, args...); !strings.Contains(msg, "文件已存在") || !strings.Contains(msg, "--force") {
		t.Errorf("message: %s", msg)
	}
	x.want(exitOK, append(args, "--force")...)
	if st2, _ := os.Stat(def); os.SameFile(st, st2) {
		t.Error("--force did not replace the file")
	}
	if msg := x.want(exitUsage, append(args, "-o", x.path("nodir/x.xlsx"))...); !strings.Contains(msg, "无法写入") || !strings.Contains(msg, "目录不存在") {
		t.Errorf("message: %s", msg)
	}
	if left, _ := filepath.Glob(x.path(".jibao-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	out := x.want(exitOK, append(args, "--format", "csv")...)
	if !strings.Contains(out, "nanan,水头,2025Q3,表一,乡镇（街道、开发区）,企业底数（家）/总数,家,") {
		t.Errorf("csv: %.300s", out)
	}
	x.want(exitOK, "export", "--template", "--variant", "nanan", "-o", x.path("blank.xlsx"))
}

// TestExportImportExport: export, import into a fresh data file, export again:
// the same values.
func TestExportImportExport(t *testing.T) {
	a, b := newXIO(t), newXIO(t)
	r := sampleOf(t, "水头", 3)
	a.put(r)
	first := a.path("first.xlsx")
	a.want(exitOK, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "-o", first)
	b.want(exitOK, "import", first, "--period", "2025Q3")
	got := b.get("水头")
	sameReportValues(t, r, got)
	if got.Header != r.Header || got.State != model.StateComplete {
		t.Errorf("header %+v state %s", got.Header, got.State)
	}
	second := b.path("second.xlsx")
	b.want(exitOK, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "-o", second)
	before := b.events("水头")
	b.want(exitOK, "import", second)
	if msg := b.out.String(); !strings.Contains(msg, "无变化") || !strings.Contains(msg, "推断") {
		t.Errorf("second import: %s", msg)
	}
	sameReportValues(t, r, b.get("水头"))
	if after := b.events("水头"); after != before {
		t.Errorf("importing the same file again recorded %d new changes", after-before)
	}
}

// events counts the recorded changes of a few cells of a report.
func (x *xio) events(unit string) int {
	x.t.Helper()
	s, err := store.Open(x.db, store.Options{NoSync: true, ReadOnly: true, Catalog: model.DefaultCatalog()})
	if err != nil {
		x.t.Fatal(err)
	}
	defer s.Close()
	id := model.ReportID{Variant: "nanan", Unit: unit, Period: model.Period{Year: 2025, Quarter: 3}}
	n := 0
	for _, k := range []model.CellKey{{Form: "t1", Row: "guobiao", Col: "c1"}, {Form: "t3", Row: "r", Col: "c12"}} {
		evs, err := s.History(id, k)
		if err != nil {
			x.t.Fatal(err)
		}
		n += len(evs)
	}
	return n
}

// TestImportGuessesQuanzhouPeriod: 泉州 reports a quarter in the month after it, so
// a file dated 1 October is the third quarter's.
func TestImportGuessesQuanzhouPeriod(t *testing.T) {
	x := newXIO(t)
	v, err := model.DefaultCatalog().Variant("quanzhou-edu")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := v.Unit("鲤城区")
	r := export.Sample(v, u, model.Period{Year: 2025, Quarter: 3}, 1)
	r.Header.Date = "2025-10-01"
	wb, _ := export.Workbook(v, r, false)
	file := x.path("lc.xlsx")
	if err := export.Save(wb, file, false); err != nil {
		t.Fatal(err)
	}
	if msg := x.want(exitOK, "import", file); !strings.Contains(msg, "推断为2025年第3季度") || !strings.Contains(msg, "泉州教育 鲤城区 2025年第3季度") {
		t.Errorf("message: %s", msg)
	}
}

// TestImportNamesTheFilesVariant: a 泉州 file imported with --variant nanan is
// refused in one line that says whose form it is, not with a missing sheet per form.
func TestImportNamesTheFilesVariant(t *testing.T) {
	x := newXIO(t)
	v, err := model.DefaultCatalog().Variant("quanzhou-edu")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := v.Unit("鲤城区")
	wb, _ := export.Workbook(v, export.Sample(v, u, model.Period{Year: 2025, Quarter: 3}, 1), false)
	file := x.path("lc.xlsx")
	if err := export.Save(wb, file, false); err != nil {
		t.Fatal(err)
	}
	x.want(exitFail, "import", "--variant", "nanan", "--period", "2025Q3", file)
	if msg := x.err.String(); !strings.Contains(msg, "这是泉州教育的季报表") || !strings.Contains(msg, "--variant quanzhou-edu") || strings.Contains(msg, "找不到") {
		t.Errorf("message: %s", msg)
	}
}

func TestImportOverExisting(t *testing.T) {
	x := newXIO(t)
	old := sampleOf(t, "水头", 4)
	x.put(old)
	changed := old.Clone()
	k := model.CellKey{Form: "t3", Row: "r", Col: "c5"}
	changed.Values[k] += model.Whole(1)
	v := nanan(t)
	wb, err := export.Workbook(v, changed, false)
	if err != nil {
		t.Fatal(err)
	}
	file := x.path("changed.xlsx")
	if err := export.Save(wb, file, false); err != nil {
		t.Fatal(err)
	}
	x.stdin = "n\n"
	msg := x.want(exitFail, "import", file, "--period", "2025Q3")
	if !strings.Contains(msg, "改变 1 处") || !strings.Contains(msg, "季报表（三）!F8 表三 执法激励约束/检查企业（家次）") {
		t.Errorf("message: %s", msg)
	}
	if !strings.Contains(x.out.String(), "覆盖已有报表吗？(y/N) n\n") {
		t.Errorf("the answer from a pipe is not on the question's line: %q", x.out.String())
	}
	if x.get("水头").Values[k] != old.Values[k] {
		t.Fatal("declined import changed the report")
	}
	x.stdin = ""
	x.want(exitOK, "import", "--dry-run", file, "--period", "2025Q3")
	if x.get("水头").Values[k] != old.Values[k] {
		t.Fatal("dry run changed the report")
	}
	x.stdin = "y\n"
	x.want(exitOK, "import", file, "--period", "2025Q3")
	if x.get("水头").Values[k] != changed.Values[k] {
		t.Fatal("accepted import did not change the report")
	}
}

// TestImportAllOrNothing: one bad file among good ones, nothing is written; the
// bad one is named with its sheet and cell.
func TestImportAllOrNothing(t *testing.T) {
	x := newXIO(t)
	v := nanan(t)
	good := x.path("good.xlsx")
	wb, _ := export.Workbook(v, sampleOf(t, "溪美", 5), false)
	if err := export.Save(wb, good, false); err != nil {
		t.Fatal(err)
	}
	bad := x.path("bad.xlsx")
	wb, _ = export.Workbook(v, sampleOf(t, "水头", 6), false)
	wb.SetCellValue("季报表（二）", "C8", "十")
	if err := export.Save(wb, bad, false); err != nil {
		t.Fatal(err)
	}
	x.put(sampleOf(t, "柳城", 1)) // the data file exists
	msg := x.want(exitFail, "import", good, bad, "--period", "2025Q3")
	if !strings.Contains(msg, "季报表（二）!C8") || !strings.Contains(msg, "未导入任何文件") {
		t.Errorf("message: %s", msg)
	}
	s, err := store.Open(x.db, store.Options{ReadOnly: true, Catalog: model.DefaultCatalog()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Get(model.ReportID{Variant: "nanan", Unit: "溪美", Period: model.Period{Year: 2025, Quarter: 3}}); err == nil {
		t.Error("the good file was imported although another one was bad")
	}
}

func TestImportTemplateNeedsPeriod(t *testing.T) {
	x := newXIO(t)
	v := nanan(t)
	r := sampleOf(t, "溪美", 7)
	r.Header.Date = ""
	wb, _ := export.Workbook(v, r, false)
	file := x.path("nodate.xlsx")
	if err := export.Save(wb, file, false); err != nil {
		t.Fatal(err)
	}
	if msg := x.want(exitFail, "import", file); !strings.Contains(msg, "--period") {
		t.Errorf("message: %s", msg)
	}
	x.want(exitOK, "import", file, "--period", "2025Q3")
}

func TestGuessPeriod(t *testing.T) {
	cat := model.DefaultCatalog()
	for _, tc := range []struct {
		variant, date, want string
	}{
		{"nanan", "2025-09-27", "2025Q3"},
		{"nanan", "2025-10-03", "2025Q3"}, // a few days late
		{"nanan", "2026-01-05", "2025Q4"}, // the year-end forms
		{"nanan", "2025-06-30", "2025Q2"},
		{"quanzhou-edu", "2025-10-01", "2025Q3"},
		{"quanzhou-edu", "2025-09-28", "2025Q3"}, // a few days early
		{"quanzhou-edu", "2026-01-01", "2025Q4"},
		{"quanzhou-edu", "2025-04-03", "2025Q1"},
	} {
		v, _ := cat.Variant(tc.variant)
		d, _ := time.ParseInLocation("2006-01-02", tc.date, time.Local)
		if got := guessPeriod(v, d).String(); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.variant, tc.date, got, tc.want)
		}
	}
}

// TestImportDryRunWithoutDataFile: checking a file needs no data file, and makes
// none.
func TestImportDryRunWithoutDataFile(t *testing.T) {
	x := newXIO(t)
	wb, _ := export.Workbook(nanan(t), sampleOf(t, "溪美", 8), false)
	file := x.path("xm.xlsx")
	if err := export.Save(wb, file, false); err != nil {
		t.Fatal(err)
	}
	if msg := x.want(exitOK, "import", "--dry-run", file); !strings.Contains(msg, "将导入南安 溪美 2025年第3季度（172 个数字；已上报）（试运行，未写入）") {
		t.Errorf("message: %s", msg)
	}
	if _, err := os.Stat(x.db); err == nil {
		t.Error("a dry run created the data file")
	}
}

// TestBinaryExportResavedImport drives the real binary: export a report, let
// openpyxl load and save the workbook (as another program would rewrite it),
// import that into a fresh data file, and export it as JSON: the same figures.
func TestBinaryExportResavedImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	python := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	bin := serveBinary(t)
	a, b := newXIO(t), newXIO(t)
	r := sampleOf(t, "水头", 12)
	a.put(r)
	jibao := func(db string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "JIBAO_DB="+db, "JIBAO_USER=tester")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("jibao %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	first, resaved := a.path("first.xlsx"), a.path("resaved.xlsx")
	jibao(a.db, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "-o", first)
	py := "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nprint(','.join(wb.sheetnames))\nwb.save(sys.argv[2])\n"
	out, err := exec.Command(python, "-c", py, first, resaved).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "季报表（一）,季报表（二）,季报表（三）,季报表（四）" {
		t.Fatalf("openpyxl: %v %s", err, out)
	}
	jibao(b.db, "import", resaved, "--period", "2025Q3")
	var recs []export.Record
	if err := json.Unmarshal([]byte(jibao(b.db, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--format", "json")), &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(r.Values) {
		t.Errorf("%d records, the report has %d values", len(recs), len(r.Values))
	}
	v := nanan(t)
	for _, rec := range recs {
		k, err := model.ParseCellKey(rec.Key)
		if err != nil {
			t.Fatal(err)
		}
		if want := r.Values[k].Format(v.Form(k.Form).Column(k.Col).Kind); string(rec.Value) != want {
			t.Errorf("%s: %s, want %s", rec.Key, rec.Value, want)
		}
	}
}
