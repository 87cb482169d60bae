package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"jibao/internal/testenv"
	"jibao/model"
)

// TestExplanationsTravel: a cell comment and a confirmed warning go out as Excel
// comments and the 说明 sheet (read with openpyxl), a comment typed in Excel on
// another cell is added, and the import on the office's side has the warning
// confirmed and both comments.
func TestExplanationsTravel(t *testing.T) {
	python := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	v := nanan(t)
	p := model.Period{Year: 2025, Quarter: 3}
	r := sampleReport(t, v, "石井", p)
	k12, k13 := model.CellKey{Form: "t2", Row: "shi", Col: "c12"}, model.CellKey{Form: "t2", Row: "shi", Col: "c13"}
	r.Values[k13] = r.Values[k12] + model.Whole(1) // 签订 > 函告: a warning
	res := v.Check(r, nil)
	if res.Warnings() != 1 {
		t.Fatalf("want one warning, got %d", res.Warnings())
	}
	at := time.Date(2025, 9, 21, 9, 15, 0, 0, time.Local)
	for _, f := range res.Findings {
		r.Confirmed[f.Key] = model.Confirmation{Comment: "另有企业主动签订", By: "赵六", At: at}
	}
	kc := model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}
	r.Comments[kc] = "含新增企业 2 家"
	clerk := newXIO(t)
	clerk.put(r)
	clerk.want(exitOK, "review", "--variant", "nanan", "--unit", "石井", "--period", "2025Q3", "--note", "t1/guobiao/c5=请核实")
	file := clerk.path("石井.xlsx")
	clerk.want(exitOK, "export", "--variant", "nanan", "--unit", "石井", "--period", "2025Q3", "-o", file)

	py := `import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.comment:
                print("COMMENT", ws.title, c.coordinate, c.comment.author, repr(c.comment.text))
ws = wb["说明"]
for row in ws.iter_rows(values_only=True):
    print("ROW", "|".join("" if c is None else str(c) for c in row))
if len(sys.argv) > 2:
    ws = wb["季报表（一）"]
    ws["C10"].comment = openpyxl.comments.Comment("张三:\n此数为年初核定数", "张三")
    wb.save(sys.argv[2])`
	edited := clerk.path("石井-改.xlsx")
	out, err := exec.Command(python, "-c", py, file, edited).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	dump := string(out)
	for _, want := range []string{
		"COMMENT 季报表（一） ", "jibao '批注：含新增企业 2 家'",
		"COMMENT 季报表（二） ", "已确认提醒：", "理由：另有企业主动签订（赵六）",
		"ROW 类别|位置|单元格|内容|说明|填写人|时间|标识",
		"ROW 批注|表一 第1栏 企业底数（家）/总数|季报表（一）!",
		"ROW 已确认提醒|表二 市级 第13栏", "|另有企业主动签订|赵六|2025-09-21 09:15|",
		"审核意见：请核实（tester）", "ROW 审核意见|表一 第5栏",
	} {
		if !strings.Contains(dump, want) {
			t.Errorf("the exported workbook lacks %q:\n%s", want, dump)
		}
	}

	office := newXIO(t)
	msg := office.want(exitOK, "import", "--period", "2025Q3", edited)
	if !strings.Contains(msg, "已上报") {
		t.Errorf("import: %s", msg)
	}
	got := office.get("石井")
	if got.Comments[kc] != "含新增企业 2 家" {
		t.Errorf("comment after import: %q (all %v)", got.Comments[kc], got.Comments)
	}
	typed := false
	for k, c := range got.Comments {
		if c == "此数为年初核定数" && k.Form == "t1" {
			typed = true
		}
	}
	for k, c := range got.Comments {
		if strings.Contains(c, "请核实") {
			t.Errorf("the office's note came back as the clerk's comment on %s: %q", k, c)
		}
	}
	if !typed {
		t.Errorf("the comment typed in Excel was not imported: %v", got.Comments)
	}
	out2 := office.want(exitOK, "check", "--json", "--variant", "nanan", "--unit", "石井", "--period", "2025Q3")
	var cj struct {
		Warnings int
		Findings []struct{ Confirmed bool }
	}
	if err := json.Unmarshal([]byte(out2), &cj); err != nil || cj.Warnings != 0 || len(cj.Findings) != 1 || !cj.Findings[0].Confirmed {
		t.Errorf("the office's check after import: %+v %v\n%s", cj, err, out2)
	}
	if text := office.want(exitOK, "check", "--variant", "nanan", "--unit", "石井", "--period", "2025Q3"); strings.Contains(text, "待确认") {
		t.Errorf("the office still sees a warning to confirm:\n%s", text)
	}
}

// TestConfirmationSentAgain: the office imported a file with an unconfirmed
// warning; the clerk confirms it and sends the same figures again; the import
// takes the confirmation (it used to say 无变化 and keep the warning open).
func TestConfirmationSentAgain(t *testing.T) {
	v := nanan(t)
	r := sampleReport(t, v, "石井", model.Period{Year: 2025, Quarter: 3})
	k12, k13 := model.CellKey{Form: "t2", Row: "shi", Col: "c12"}, model.CellKey{Form: "t2", Row: "shi", Col: "c13"}
	r.Values[k13] = r.Values[k12] + model.Whole(1)
	clerk, office := newXIO(t), newXIO(t)
	clerk.put(r)
	file := clerk.path("石井.xlsx")
	id := []string{"--variant", "nanan", "--unit", "石井", "--period", "2025Q3"}
	clerk.want(exitOK, append([]string{"export", "-o", file}, id...)...)
	office.want(exitOK, "import", file)
	if text := office.want(exitOK, append([]string{"check"}, id...)...); !strings.Contains(text, "警告") {
		t.Fatalf("no open warning before:\n%s", text)
	}
	for _, f := range v.Check(r, nil).Findings {
		r.Confirmed[f.Key] = model.Confirmation{Comment: "另有企业主动签订", By: "赵六"}
	}
	clerk2 := newXIO(t)
	clerk2.put(r)
	clerk2.want(exitOK, append([]string{"export", "-o", file, "--force"}, id...)...)
	office.want(exitOK, "import", "--force", file)
	if got := office.get("石井"); len(got.Confirmed) != 1 {
		t.Errorf("the confirmation sent again was not imported: %v", got.Confirmed)
	}
}
