package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"jibao/export"
	"jibao/model"
	"jibao/store"
	"jibao/termcheck"
)

// checkClock is the fixed "now" of these tests: five days before 南安's 2025Q3
// reports are due (09-30). Local time, so that goldens do not depend on TZ.
var checkClock = time.Date(2025, 9, 25, 10, 0, 0, 0, time.Local)

// checkApp runs commands in-process against the data file db, with buffers for
// the streams and the fixed clock.
func checkApp(db string, env ...string) (*app, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	vars := map[string]string{"JIBAO_DB": db, "JIBAO_USER": "tester", "HOME": filepath.Dir(db)}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] }, now: func() time.Time { return checkClock }}
	return a, &out, &errb
}

// sampleReport is a complete, error-free sample report of a unit.
func sampleReport(t testing.TB, v *model.Variant, unit string, p model.Period) *model.Report {
	t.Helper()
	u, err := v.Unit(unit)
	if err != nil {
		t.Fatal(err)
	}
	for seed := 1; seed < 50; seed++ {
		r := export.Sample(v, u, p, seed)
		if res := v.Check(r, nil); res.Complete() && res.Warnings() == 0 {
			return r
		}
	}
	t.Fatalf("no clean sample for %s", unit)
	return nil
}

// checkStore writes the fixture: 水头 complete, 溪美 a draft with blanks, 美林 a
// draft with an error and an unconfirmed warning, 石井 complete with a confirmed
// warning; every other unit has not reported.
func checkStore(t testing.TB) (string, *model.Variant) {
	t.Helper()
	cat := model.DefaultCatalog()
	v, _ := cat.Variant("nanan")
	p := model.Period{Year: 2025, Quarter: 3}
	db := filepath.Join(t.TempDir(), "jibao.db")
	at := time.Date(2025, 9, 20, 14, 30, 0, 0, time.Local)
	s, err := store.Open(db, store.Options{NoSync: true, Catalog: cat, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(r *model.Report, by string) {
		t.Helper()
		if err := s.PutReport(r, by); err != nil {
			t.Fatalf("%s: %v", r.Unit, err)
		}
	}
	put(sampleReport(t, v, "水头", p), "王小明")

	r := sampleReport(t, v, "溪美", p)
	r.State = model.StateDraft
	delete(r.Values, model.CellKey{Form: "t1", Row: "guobiao", Col: "c10"})
	delete(r.Values, model.CellKey{Form: "t2", Row: "xian", Col: "c5"})
	delete(r.Values, model.CellKey{Form: "t4", Row: "r", Col: "c12"})
	put(r, "李四")

	r = sampleReport(t, v, "美林", p)
	r.State = model.StateDraft
	r.Values[model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}] += model.Whole(3)
	k12, k13 := model.CellKey{Form: "t2", Row: "shi", Col: "c12"}, model.CellKey{Form: "t2", Row: "shi", Col: "c13"}
	r.Values[k13] = r.Values[k12] + model.Whole(2) // 签订承诺书 > 函告: a warning
	put(r, "张三")

	r = sampleReport(t, v, "石井", p)
	r.Values[k13] = r.Values[k12] + model.Whole(1)
	res := v.Check(r, nil)
	for _, f := range res.Findings {
		r.Confirmed[f.Key] = model.Confirmation{Comment: "另有企业主动签订", By: "赵六", At: at}
	}
	put(r, "赵六")
	return db, v
}

// golden compares got with testdata/name; JIBAO_UPDATE_GOLDEN=1 rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("JIBAO_UPDATE_GOLDEN") != "" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with JIBAO_UPDATE_GOLDEN=1 to create)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// fits checks the house rules for shell output: 80 columns, nothing whose width
// terminals disagree on, nothing GBK cannot show, no colour when stdout is not a
// terminal.
func fits(t *testing.T, out string) {
	t.Helper()
	for _, p := range termcheck.Problems(out, outWidth, false) {
		t.Error(p)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequences in output to a buffer: %q", out)
	}
}

func TestCheckOneUnit(t *testing.T) {
	db, _ := checkStore(t)
	for _, tc := range []struct {
		unit, golden string
		code         int
	}{
		{"水头", "check-complete.golden", exitOK},
		{"溪美", "check-incomplete.golden", exitFail},
		{"美林", "check-error.golden", exitFail},
		{"石井", "check-confirmed.golden", exitOK},
		{"眉山", "check-missing.golden", exitFail},
	} {
		t.Run(tc.unit, func(t *testing.T) {
			a, out, errb := checkApp(db)
			code := a.run([]string{"check", "--variant", "nanan", "--unit", tc.unit, "--period", "2025Q3"})
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.code, errb)
			}
			fits(t, out.String())
			golden(t, tc.golden, out.String())
		})
	}
}

func TestCheckUsageAndStoreErrors(t *testing.T) {
	db, _ := checkStore(t)
	for _, tc := range []struct {
		name string
		args []string
		db   string
		want string
	}{
		{"no variant", []string{"check", "--period", "2025Q3"}, db, "--variant"},
		{"bad period", []string{"check", "--variant", "nanan", "--period", "2025Q5"}, db, "期别"},
		{"unknown unit", []string{"check", "--variant", "nanan", "--unit", "火星", "--period", "2025Q3"}, db, "单位名录"},
		{"bad flag", []string{"check", "--frobnicate"}, db, "frobnicate"},
		{"extra args", []string{"check", "--variant", "nanan", "水头"}, db, "多余"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, out, errb := checkApp(tc.db)
			if code := a.run(tc.args); code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errb.String(), tc.want) || out.Len() != 0 {
				t.Errorf("stderr %q (want %q), stdout %q", errb, tc.want, out)
			}
		})
	}
}

// Nothing entered on this machine yet is not a store problem: check says 尚未填报
// (exit 1), list prints an empty list (exit 0), and no data file is created.
func TestCheckAndListWithoutDataFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3"}, exitFail, "尚未填报"},
		{[]string{"check", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--json"}, exitFail, `"state": "missing"`},
		{[]string{"check", "--variant", "nanan", "--period", "2025Q3"}, exitFail, "已报 0/"},
		{[]string{"list"}, exitOK, "还没有报表"},
		{[]string{"list", "--json"}, exitOK, `"reports": []`},
	} {
		a, out, errb := checkApp(db)
		if code := a.run(tc.args); code != tc.code || !strings.Contains(out.String(), tc.want) || errb.Len() != 0 {
			t.Errorf("%v: exit %d (want %d), stdout %q (want %q), stderr %q", tc.args, code, tc.code, out, tc.want, errb)
		}
	}
	if fileExists(db) {
		t.Error("a read-only command created the data file")
	}
	a, _, errb := checkApp(db)
	if code := a.run([]string{"check", "--variant", "nanan", "--unit", "火星", "--period", "2025Q3"}); code != exitUsage || !strings.Contains(errb.String(), "单位名录") {
		t.Errorf("unknown unit without a data file: exit %d, %q", code, errb)
	}
}

func TestCheckWhileAWriterHoldsTheFile(t *testing.T) {
	db, _ := checkStore(t)
	w, err := store.Open(db, store.Options{NoSync: true, Catalog: model.DefaultCatalog()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	a, _, errb := checkApp(db)
	if code := a.run([]string{"list"}); code != exitUsage {
		t.Errorf("exit %d with the file held by a writer", code)
	}
	if !strings.Contains(errb.String(), "正被") || !strings.Contains(errb.String(), "待其退出后再试") {
		t.Errorf("stderr %q", errb)
	}
}

func TestCheckReadersShareTheFile(t *testing.T) {
	db, _ := checkStore(t)
	r, err := store.Open(db, store.Options{ReadOnly: true, Catalog: model.DefaultCatalog()})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	a, _, errb := checkApp(db)
	if code := a.run([]string{"list", "--variant", "nanan"}); code != exitOK {
		t.Errorf("list beside another reader: exit %d, %s", code, errb)
	}
}

func TestCheckAllUnits(t *testing.T) {
	db, _ := checkStore(t)
	a, out, errb := checkApp(db)
	if code := a.run([]string{"check", "--variant", "nanan", "--period", "2025Q3"}); code != exitFail {
		t.Errorf("exit %d, want 1: %s", code, errb)
	}
	fits(t, out.String())
	golden(t, "check-all.golden", out.String())
	lines := strings.Split(out.String(), "\n")
	// Worst first: the 43 missing units, then 美林 (error), 溪美 (blanks), then
	// complete ones.
	var order []string
	for _, l := range lines[4:] {
		if f := strings.Fields(l); len(f) > 0 {
			order = append(order, f[0])
		}
	}
	if len(order) != 47 || order[43] != "美林" || order[44] != "溪美" || order[46] != "石井" && order[46] != "水头" {
		t.Errorf("order %v", order)
	}
}

func TestCheckJSON(t *testing.T) {
	db, _ := checkStore(t)
	a, out, _ := checkApp(db)
	if code := a.run([]string{"check", "--variant", "nanan", "--unit", "美林", "--period", "2025Q3", "--json"}); code != exitFail {
		t.Errorf("exit %d", code)
	}
	// The time carries the local offset; the golden is written in UTC+0.
	golden(t, "check-error.json", regexp.MustCompile(`"updated": "[^"]*"`).ReplaceAllString(out.String(), `"updated": "2025-09-20T14:30:00Z"`))
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"variant", "unit", "unitType", "period", "state", "complete", "filled", "total",
		"percent", "errors", "warnings", "due", "daysLeft", "updated", "updatedBy", "forms", "blanks", "findings"} {
		if _, ok := got[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if got["complete"] != false || got["errors"].(float64) != 1 || got["warnings"].(float64) != 1 || len(got["forms"].([]any)) != 4 {
		t.Errorf("json %v", got)
	}
	fd := got["findings"].([]any)[0].(map[string]any)
	if fd["severity"] != "error" || fd["form"] != "表一" || !strings.Contains(fd["message"].(string), "总数") {
		t.Errorf("first finding %v", fd)
	}

	a, out, _ = checkApp(db)
	a.run([]string{"check", "--variant", "nanan", "--unit", "溪美", "--period", "2025Q3", "--json"})
	var inc checkJSON
	if err := json.Unmarshal(out.Bytes(), &inc); err != nil {
		t.Fatal(err)
	}
	if len(inc.Blanks) != 3 || inc.Blanks[0].Key != "t1/guobiao/c10" || inc.Blanks[0].Row != "" ||
		inc.Blanks[1].Row != "县级" || !strings.Contains(inc.Blanks[0].Path, "自查隐患数量") {
		t.Errorf("blanks %+v", inc.Blanks)
	}

	a, out, _ = checkApp(db)
	if code := a.run([]string{"check", "--variant", "nanan", "--period", "2025Q3", "--json"}); code != exitFail {
		t.Errorf("exit %d", code)
	}
	var all checkAllJSON
	if err := json.Unmarshal(out.Bytes(), &all); err != nil {
		t.Fatal(err)
	}
	if all.Units != 47 || all.Reported != 4 || all.Complete != 2 || all.Rows[0].State != "missing" || all.Rows[43].Unit != "美林" {
		t.Errorf("all: %+v", all)
	}
}

func TestColourOnlyOnATerminal(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	tty := func() bool { return true }
	if !colorWanted(get, tty) {
		t.Error("no colour on a terminal")
	}
	if colorWanted(get, func() bool { return false }) {
		t.Error("colour into a pipe")
	}
	env["NO_COLOR"] = "1"
	if colorWanted(get, tty) {
		t.Error("colour despite NO_COLOR")
	}
	delete(env, "NO_COLOR")
	env["TERM"] = "dumb"
	if colorWanted(get, tty) {
		t.Error("colour on a dumb terminal")
	}
	p := painter{on: true}
	if got := p.paint(sgrRed, "错误"); got != "\x1b[31m错误\x1b[0m" {
		t.Errorf("paint %q", got)
	}
	// A table keeps its alignment when coloured.
	tb := &txtTable{head: []string{"单位", "错误"}, right: []bool{false, true}}
	tb.add("水头", "1")
	tb.add("围头湾港务站", "12")
	tb.color = func(row, col int) string { return sgrRed }
	var plain, coloured bytes.Buffer
	tb.render(&plain, painter{})
	tb.render(&coloured, p)
	if stripSGR(coloured.String()) != plain.String() {
		t.Errorf("colour changes the layout:\n%s\n%s", coloured.String(), plain.String())
	}
}

func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// The previous quarter's report feeds the rule that cumulative figures do not
// shrink within a year.
func TestCheckComparesWithThePreviousQuarter(t *testing.T) {
	db, v := checkStore(t)
	cat := model.DefaultCatalog()
	s, err := store.Open(db, store.Options{NoSync: true, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	q3, err := s.Get(model.ReportID{Variant: v.ID, Unit: "水头", Period: model.Period{Year: 2025, Quarter: 3}})
	if err != nil {
		t.Fatal(err)
	}
	q2 := q3.Clone()
	q2.Period = model.Period{Year: 2025, Quarter: 2}
	k := model.CellKey{Form: "t3", Row: "r", Col: "c5"} // 检查企业, counted since 2025-01
	q2.Values[k] = q3.Values[k] + model.Whole(10)
	q2.State = model.StateDraft
	if err := s.PutReport(q2, "王小明"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	a, out, errb := checkApp(db)
	code := a.run([]string{"check", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3"})
	if code != exitOK { // a warning does not make the report incomplete
		t.Errorf("exit %d: %s", code, errb)
	}
	if !strings.Contains(out.String(), "未确认的警告 1 处") || !strings.Contains(out.String(), "比上季度") {
		t.Errorf("no cumulative warning:\n%s", out)
	}
}

// TestCheckPeriodShowsOutliers: `check` of the period lists a unit's figure far
// outside its peers' once five of its type have reported, naming the numbers.
func TestCheckPeriodShowsOutliers(t *testing.T) {
	cat := model.DefaultCatalog()
	v, _ := cat.Variant("nanan")
	p := model.Period{Year: 2025, Quarter: 3}
	db := filepath.Join(t.TempDir(), "jibao.db")
	s, err := store.Open(db, store.Options{NoSync: true, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	k := model.CellKey{Form: "t3", Row: "r", Col: "c5"}
	for i, unit := range []string{"溪美", "柳城", "美林", "省新", "东田", "仑苍"} {
		r := sampleReport(t, v, unit, p)
		r.Values[k] = model.Whole(int64(100 + i))
		if unit == "美林" {
			r.Values[k] = model.Whole(9000)
		}
		if err := s.PutReport(r, "tester"); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	a, out, _ := checkApp(db)
	a.run([]string{"check", "--variant", "nanan", "--period", "2025Q3"})
	flat := strings.NewReplacer("\n", "", " ", "").Replace(out.String())
	if !strings.Contains(out.String(), "离群值") || !strings.Contains(flat, "美林执法激励约束/检查企业为9000，同类（乡镇（街道、开发区））6个单位的中位数104，") {
		t.Errorf("no outlier for 美林:\n%s", out)
	}
	a, out, _ = checkApp(db)
	a.run([]string{"check", "--variant", "nanan", "--period", "2025Q3", "--json"})
	if !strings.Contains(out.String(), `"outliers": [`) || !strings.Contains(out.String(), `"unit": "美林"`) {
		t.Errorf("json without outliers:\n%s", out)
	}
}
