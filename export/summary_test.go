package export_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jibao/export"
	"jibao/internal/testenv"
	"jibao/model"
)

// summaryFixture: every 南安 unit reports a sample except 眉山 and 海事处; 柳城 is a
// draft.
func summaryFixture(t testing.TB) (*model.Summary, []*model.Report) {
	t.Helper()
	v, err := model.DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	p := model.Period{Year: 2025, Quarter: 3}
	var reports []*model.Report
	for i, u := range v.Units {
		if u.Name == "眉山" || u.Name == "海事处" {
			continue
		}
		r := export.Sample(v, u, p, i+1)
		if u.Name == "柳城" {
			r.State = model.StateDraft
		}
		reports = append(reports, r)
	}
	return model.Summarize(v, reports, p), reports
}

// writeAndReadBack saves the summary workbook of s and reads it back with readBack.
func writeAndReadBack(t *testing.T, s *model.Summary) (sheets map[string][][]any, charts []string) {
	t.Helper()
	x, err := export.SummaryWorkbook(s, model.Header{Unit: s.Variant.Office, Date: "2025-09-30"})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	path := filepath.Join(t.TempDir(), export.SummaryFileName(s))
	if err := export.Save(x, path, false); err != nil {
		t.Fatal(err)
	}
	return readBack(t, path)
}

// readBack dumps the workbook's sheets (values only) and its chart parts with
// Debian's python3 and openpyxl, the reader the collecting office's tools resemble.
func readBack(t *testing.T, path string) (sheets map[string][][]any, charts []string) {
	t.Helper()
	py := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	script := `
import json, sys, zipfile, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": {}, "charts": []}
for ws in wb.worksheets:
    out["sheets"][ws.title] = [[c for c in row] for row in ws.iter_rows(values_only=True)]
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("xl/charts/chart"):
        out["charts"].append(z.read(n).decode("utf-8"))
print(json.dumps(out, ensure_ascii=False, default=str))
`
	b, err := exec.Command(py, "-c", script, path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var out struct {
		Sheets map[string][][]any
		Charts []string
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out.Sheets, out.Charts
}

func TestSummaryWorkbookReadBack(t *testing.T) {
	s, reports := summaryFixture(t)
	v := s.Variant
	sheets, charts := writeAndReadBack(t, s)

	want := []string{"季报表（一）", "季报表（二）", "季报表（三）", "季报表（四）", export.SheetUnits,
		"明细（市直单位）", "明细（乡镇（街道、开发区））", export.SheetProgress, export.SheetChart}
	for _, name := range want {
		if _, ok := sheets[name]; !ok {
			t.Errorf("sheet %s missing; have %v", name, keys(sheets))
		}
	}

	// 表四: one row per township, then 合计 equal to the sum computed here.
	f4 := v.Form("t4")
	c1 := f4.Column("c1").Display
	var want4 float64
	for _, r := range reports {
		if r.UnitType == "xiangzhen" {
			want4 += r.Values[model.CellKey{Form: "t4", Row: "r", Col: "c1"}].Float()
		}
	}
	var total4 any
	var labels []string
	for _, row := range sheets["季报表（四）"] {
		if len(row) > c1 && row[0] != nil {
			label := strings.ReplaceAll(toString(row[0]), "\n", "") // the writer breaks long labels
			labels = append(labels, label)
			if label == "合计" {
				total4 = row[c1]
			}
		}
	}
	if toFloat(total4) != want4 || want4 == 0 {
		t.Errorf("表四 合计 %v, want %v", total4, want4)
	}
	joined := strings.Join(labels, ",")
	for _, l := range []string{"溪美", "眉山（未填报）", "柳城（草稿）", "雪峰"} {
		if !strings.Contains(joined, l) {
			t.Errorf("表四 has no row %s: %s", l, joined)
		}
	}

	// 表三 市直 block: 罚款金额 (万元) is the exact sum of the departments' figures.
	f3 := v.Form("t3")
	money := f3.Column("c12")
	var cents model.Number
	for _, r := range reports {
		if r.UnitType == "shizhi" {
			cents += r.Values[model.CellKey{Form: "t3", Row: "r", Col: "c12"}]
		}
	}
	found := false
	for _, row := range sheets["季报表（三）"] {
		if len(row) > money.Display && toString(row[0]) == "市直单位" {
			found = true
			if got := toFloat(row[money.Display]); got != cents.Float() {
				t.Errorf("表三 市直 罚款金额 %v, want %v", got, cents.Float())
			}
		}
	}
	if !found {
		t.Error("表三 has no 市直单位 block")
	}

	// Reconciliation: the 明细 row of 表一 企业底数 总数 lists 水头's own figure.
	det := sheets["明细（乡镇（街道、开发区））"]
	head := det[1]
	col := -1
	for i, h := range head {
		if toString(h) == "水头" {
			col = i
		}
	}
	var shuitou model.Number
	for _, r := range reports {
		if r.Unit == "水头" {
			shuitou = r.Values[model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}]
		}
	}
	if col < 0 || toFloat(det[2][col]) != shuitou.Float() || !strings.Contains(toString(det[2][2]), "总数") {
		t.Errorf("明细 row %v (col %d), want 水头 %v", det[2], col, shuitou.Float())
	}
	if !strings.Contains(strings.Join(anyStrings(head), ","), "眉山（未填报）") {
		t.Errorf("明细 heading lacks the missing unit: %v", head)
	}

	// Progress: worst first, so the missing township comes first among units.
	prog := sheets[export.SheetProgress]
	if toString(prog[1][0]) != "全辖区目标" || !strings.Contains(progressFirstUnit(prog), "眉山") {
		t.Errorf("progress sheet: %v / first unit %q", prog[1], progressFirstUnit(prog))
	}

	// Charts: reported against target per township and per 市直 department, one
	// per target, and reported 样板乡镇 per township; each on a sheet of its own.
	if len(charts) != 7 {
		t.Fatalf("%d charts, want 7", len(charts))
	}
	if !strings.Contains(charts[0], "进度图") || !strings.Contains(charts[0], "barChart") {
		t.Errorf("chart does not plot the 进度图 table: %.300s", charts[0])
	}
	for _, name := range []string{"图1 乡镇 标杆企业", "图4 乡镇 样板乡镇", "图5 市直单位 标杆企业"} {
		if _, ok := sheets[name]; !ok {
			t.Errorf("no chart sheet %s; have %v", name, keys(sheets))
		}
	}
	rows := sheets[export.SheetChart]
	if len(rows) < 30 || toString(rows[1][0]) != "溪美" || toString(rows[29][0]) != "市直单位" {
		t.Errorf("chart table: %d rows, first %v, second block %v", len(rows), rows[1], rows[min(29, len(rows)-1)])
	}
}

func progressFirstUnit(rows [][]any) string {
	for i, r := range rows {
		if len(r) > 0 && toString(r[0]) == "单位" && i+1 < len(rows) {
			return toString(rows[i+1][0])
		}
	}
	return ""
}

func keys(m map[string][][]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func anyStrings(xs []any) []string {
	var out []string
	for _, x := range xs {
		out = append(out, toString(x))
	}
	return out
}

func toString(x any) string {
	if x == nil {
		return ""
	}
	if s, ok := x.(string); ok {
		return s
	}
	b, _ := json.Marshal(x)
	return string(b)
}

func toFloat(x any) float64 {
	f, _ := x.(float64)
	return f
}

func BenchmarkSummaryWorkbook(b *testing.B) {
	s, _ := summaryFixture(b)
	for i := 0; i < b.N; i++ {
		x, err := export.SummaryWorkbook(s, model.Header{})
		if err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
}
