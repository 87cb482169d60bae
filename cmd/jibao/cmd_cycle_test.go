package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jibao/export"
	"jibao/internal/testenv"
	"jibao/model"
)

// TestShellCycle runs the whole cycle through the commands: submit refused with
// the reason, submit, the clerk's edit refused, return with a note, resubmit,
// accept, withdraw refused, unlock; the state in list --json and check --json.
func TestShellCycle(t *testing.T) {
	x := newXIO(t)
	v := nanan(t)
	r := sampleReport(t, v, "水头", model.Period{Year: 2025, Quarter: 3})
	r.State = model.StateDraft
	x.put(r)
	id := []string{"--variant", "nanan", "--unit", "水头", "--period", "2025Q3"}
	with := func(args ...string) []string { return append(args, id...) }
	if msg := x.want(exitUsage, with("review", "--accept")...); !strings.Contains(msg, "尚未上报") {
		t.Errorf("accepting a draft: %s", msg)
	}
	x.want(exitOK, with("submit")...)
	if msg := x.want(exitUsage, with("submit")...); !strings.Contains(msg, "已上报") {
		t.Errorf("submitting twice: %s", msg)
	}
	if msg := x.want(exitUsage, with("review", "--return", "")...); !strings.Contains(msg, "须说明理由") {
		t.Errorf("return without a reason: %s", msg)
	}
	if msg := x.want(exitUsage, with("review", "--return", "x", "--note", "t1/nope")...); !strings.Contains(msg, "表/行/栏=意见") {
		t.Errorf("bad note: %s", msg)
	}
	x.want(exitOK, with("review", "--return", "表一底数请核实", "--note", "t1/guobiao/c1=与上季度不符", "-o", x.path("通知.txt"))...)
	if msg := x.want(exitOK, with("check")...); !strings.Contains(msg, "退回理由: 表一底数请核实") || !strings.Contains(msg, "与上季度不符") {
		t.Errorf("check of a returned report: %s", msg)
	}
	out := x.want(exitOK, with("check", "--json")...)
	var cj struct {
		State  string
		Review struct {
			StateLabel   string
			ReturnReason string
			Notes        []struct{ Cell, Path, Text string }
			Moves        []struct{ Action, By, Reason string }
		}
	}
	if err := json.Unmarshal([]byte(out), &cj); err != nil {
		t.Fatal(err, out)
	}
	if cj.State != "returned" || cj.Review.ReturnReason != "表一底数请核实" || len(cj.Review.Notes) != 1 ||
		cj.Review.Notes[0].Text != "与上季度不符" || len(cj.Review.Moves) != 2 || cj.Review.Moves[1].By != "tester" {
		t.Errorf("check --json: %+v", cj)
	}
	x.want(exitOK, with("submit")...)
	x.want(exitOK, with("review", "--accept")...)
	if msg := x.want(exitUsage, with("withdraw")...); !strings.Contains(msg, "已审核") {
		t.Errorf("withdrawing an accepted report: %s", msg)
	}
	var rows struct {
		Reports []struct{ Unit, State string }
	}
	if err := json.Unmarshal([]byte(x.want(exitOK, "list", "--json")), &rows); err != nil || len(rows.Reports) != 1 || rows.Reports[0].State != "accepted" {
		t.Errorf("list --json: %+v %v", rows, err)
	}
	x.want(exitOK, with("review", "--unlock", "更正表二")...)
	x.want(exitOK, with("withdraw")...)
	if got := x.get("水头"); got.State != model.StateDraft {
		t.Errorf("after withdraw: %s", got.State)
	}
}

// TestEmailCycle is the office working locally: an imported complete file is
// 已上报; returning writes a 退回通知 (text and xlsx); the corrected file moves the
// report back to 已上报 and the import lists what changed.
func TestEmailCycle(t *testing.T) {
	x := newXIO(t)
	v := nanan(t)
	p := model.Period{Year: 2025, Quarter: 3}
	var clean []*model.Report
	u, _ := v.Unit("水头")
	for seed := 1; len(clean) < 2 && seed < 80; seed++ {
		r := export.Sample(v, u, p, seed)
		if res := v.Check(r, nil); res.Complete() && res.Warnings() == 0 {
			clean = append(clean, r)
		}
	}
	if len(clean) < 2 {
		t.Fatal("no two clean samples")
	}
	file := x.path("水头.xlsx")
	wb, _ := export.Workbook(v, clean[0], false)
	if err := export.Save(wb, file, true); err != nil {
		t.Fatal(err)
	}
	if msg := x.want(exitOK, "import", "--period", "2025Q3", file); !strings.Contains(msg, "已上报") {
		t.Errorf("import: %s", msg)
	}
	id := []string{"--variant", "nanan", "--unit", "水头", "--period", "2025Q3"}
	notice := x.path("通知.txt")
	msg := x.want(exitOK, append([]string{"review", "--return", "表一数字有误", "--note", "t1/guobiao/c1=请核实总数", "-o", notice}, id...)...)
	if !strings.Contains(msg, "退回通知已写到 "+notice) {
		t.Errorf("review --return: %s", msg)
	}
	text, err := os.ReadFile(notice)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"退回通知", "填报单位：水头", "期别：2025年第3季度", "退回理由：表一数字有误",
		"[审核意见] 表一 第1栏 企业底数（家）/总数（季报表（一）!", "请核实总数"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
	xlsx := x.path("通知.xlsx")
	x.want(exitOK, append([]string{"review", "--note", "t1/guobiao/c1=请核实总数"}, id...)...)
	x.want(exitUsage, append([]string{"review", "--return", "again", "-o", xlsx}, id...)...) // already returned
	if got := x.get("水头"); got.State != model.StateReturned {
		t.Fatalf("state %s", got.State)
	}
	wb, _ = export.Workbook(v, clean[1], false)
	if err := export.Save(wb, file, true); err != nil {
		t.Fatal(err)
	}
	msg = x.want(exitOK, "import", "--force", "--period", "2025Q3", file)
	if !strings.Contains(msg, "导入将改变") || !strings.Contains(msg, "状态：已退回 → 已上报") {
		t.Errorf("corrected import: %s", msg)
	}
	out := x.want(exitOK, append([]string{"check", "--json"}, id...)...)
	if !strings.Contains(out, `"action": "receive"`) || !strings.Contains(out, `"from": "returned"`) {
		t.Errorf("check --json after the corrected file:\n%s", out)
	}
	if msg := x.want(exitUsage, append([]string{"review", "--notice", "-o", x.path("n2.txt")}, id...)...); !strings.Contains(msg, "没有退回通知") {
		t.Errorf("--notice of a submitted report: %s", msg)
	}
	// A workbook notice, read back with openpyxl.
	x.want(exitOK, append([]string{"review", "--return", "表二也请核实", "-o", xlsx}, id...)...)
	python := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	py := `import openpyxl,sys
ws = openpyxl.load_workbook(sys.argv[1]).active
print(ws.title)
for row in ws.iter_rows(values_only=True):
    print("|".join("" if c is None else str(c) for c in row))`
	x.want(exitOK, append([]string{"review", "--notice", "-o", x.path("n2.txt")}, id...)...)
	if again, _ := os.ReadFile(x.path("n2.txt")); !strings.Contains(string(again), "退回理由：表二也请核实") {
		t.Errorf("review --notice:\n%s", again)
	}
	dump, err := exec.Command(python, "-c", py, xlsx).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v %s", err, dump)
	}
	for _, want := range []string{"退回通知", "退回理由：表二也请核实", "审核意见|表一 第1栏", "请核实总数"} {
		if !strings.Contains(string(dump), want) {
			t.Errorf("xlsx notice lacks %q:\n%s", want, dump)
		}
	}
}

// TestRemindAndAcceptedOnly: 催报 lists the units that have not submitted or were
// returned, with their contact and the days overdue (text and xlsx); the summary
// counts states and --accepted-only sums only 已审核 reports.
func TestRemindAndAcceptedOnly(t *testing.T) {
	db, _ := checkStore(t)
	late := []string{"JIBAO_USER", "市安委办"}
	run := func(want int, args ...string) string {
		t.Helper()
		a, out, errb := checkApp(db, late...)
		a.now = func() time.Time { return time.Date(2025, 10, 3, 9, 0, 0, 0, time.Local) }
		if code := a.run(args); code != want {
			t.Fatalf("jibao %s: exit %d, want %d: %s%s", strings.Join(args, " "), code, want, out, errb)
		}
		return out.String() + errb.String()
	}
	at := func(unit string, args ...string) []string {
		return append(args, "--variant", "nanan", "--unit", unit, "--period", "2025Q3")
	}
	run(0, at("水头", "review", "--accept")...)
	run(0, at("石井", "review", "--return", "请补充说明", "-o", filepath.Join(filepath.Dir(db), "n.txt"))...)
	out := run(0, "remind", "--variant", "nanan", "--period", "2025Q3", "-o", filepath.Join(filepath.Dir(db), "催报.xlsx"))
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "46 个单位未上报或被退回") || !strings.Contains(lines[0], "已逾期 3 天") {
		t.Errorf("remind title: %q", lines[0])
	}
	find := func(unit string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, unit+" ") {
				return l
			}
		}
		return ""
	}
	if l := find("石井"); !strings.Contains(l, "已退回") || !strings.Contains(l, "退回：请补充说明") || !strings.Contains(l, "3 天") {
		t.Errorf("石井: %q\n%s", l, out)
	}
	if l := find("溪美"); !strings.Contains(l, "草稿") {
		t.Errorf("溪美: %q", l)
	}
	if l := find("水头"); l != "" {
		t.Errorf("an accepted unit is chased: %q", l)
	}
	if l := find("柳城"); !strings.Contains(l, "未填报") {
		t.Errorf("柳城: %q", l)
	}
	python := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	py := `import openpyxl,sys
ws = openpyxl.load_workbook(sys.argv[1])["催报名单"]
for row in ws.iter_rows(values_only=True):
    print("|".join("" if c is None else str(c) for c in row))`
	dump, err := exec.Command(python, "-c", py, filepath.Join(filepath.Dir(db), "催报.xlsx")).CombinedOutput()
	if err != nil || !strings.Contains(string(dump), "单位|状态|填表人|联系电话|逾期|说明|催报记录") || !strings.Contains(string(dump), "石井|已退回|") {
		t.Errorf("催报.xlsx: %v\n%s", err, dump)
	}
	// -o - writes the same workbook to standard output and nothing else (ssh …
	// jibao remind -o - > 催报名单.xlsx).
	toOut := run(0, "remind", "--variant", "nanan", "--period", "2025Q3", "-o", "-")
	onDisk, _ := os.ReadFile(filepath.Join(filepath.Dir(db), "催报.xlsx"))
	if diff := workbookDiff([]byte(toOut), onDisk); !strings.HasPrefix(toOut, "PK") || diff != "" {
		t.Errorf("remind -o -: %d bytes starting %q, against the file: %s", len(toOut), toOut[:min(4, len(toOut))], diff)
	}

	sum := run(0, "summary", "--variant", "nanan", "--period", "2025Q3", "--accepted-only")
	if !strings.Contains(sum, "状态: 未填报 43  草稿 2  已上报 0  已退回 1  已审核 1") || !strings.Contains(sum, "口径: 只汇总已审核的报表") {
		t.Errorf("summary --accepted-only:\n%s", sum)
	}
	// The workbook: the counts by state over 单位情况, and 情况 in the states'
	// words (已审核, 已退回, 草稿), never the old 已完成.
	book := filepath.Join(filepath.Dir(db), "汇总.xlsx")
	run(0, "summary", "--variant", "nanan", "--period", "2025Q3", "-o", book)
	units := `import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["单位情况"]
for row in ws.iter_rows(values_only=True):
    print("|".join("" if c is None else str(c) for c in row))
for row in openpyxl.load_workbook(sys.argv[1])["季报表（四）"].iter_rows(values_only=True):
    print("表四|" + "|".join("" if c is None else str(c) for c in row))`
	dump, err = exec.Command(python, "-c", units, book).CombinedOutput()
	text := string(dump)
	for _, want := range []string{"\n各状态单位数：未填报 43  草稿 2  已上报 0  已退回 1  已审核 1|", "\n单位|单位类型|情况|状态|",
		"\n水头|乡镇（街道、开发区）|已审核|已审核|", "\n石井|乡镇（街道、开发区）|已退回|已退回|", "|草稿|草稿|", "表四|石井\n（已退回）|"} {
		if !strings.Contains(text, want) {
			t.Errorf("单位情况 lacks %q: %v\n%s", want, err, text)
		}
	}
	if strings.Contains(text, "已完成") {
		t.Errorf("单位情况 still says 已完成:\n%s", text)
	}
}
