package export

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"jibao/internal/testenv"
	"jibao/model"
)

// filledBook is a blank template filled by openpyxl with a complete sample report
// of 水头 (township block) or 市应急局 (city block), built once per test run.
var filledBook struct {
	sync.Mutex
	path map[string]string
}

func openpyxlFilled(t *testing.T, unit string) (string, *model.Report) {
	t.Helper()
	py := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	v := variant(t, "nanan")
	want := Sample(v, unitOf(t, v, unit), q3, 11)
	filledBook.Lock()
	defer filledBook.Unlock()
	if p := filledBook.path[unit]; p != "" {
		return p, want
	}
	tpl, err := Template(v)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "jibao-filled-")
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "template.xlsx")
	if err := Save(tpl, in, false); err != nil {
		t.Fatal(err)
	}
	cells := map[string]any{}
	for _, f := range v.FormsFor(want.UnitType) {
		for k, n := range want.Values {
			if k.Form == f.ID {
				cells[SheetName(f)+"!"+at(v, f, want.UnitType, k.Row, k.Col)] = n.Float()
			}
		}
	}
	out := filepath.Join(dir, "filled.xlsx")
	runPy(t, py, "testdata/fill.py", map[string]any{"in": in, "out": out, "cells": cells,
		"header": "填报单位（盖章）：" + unit + "  填表人：王小明  联系电话：0595-86391234  2025年9月27日"})
	if filledBook.path == nil {
		filledBook.path = map[string]string{}
	}
	filledBook.path[unit] = out
	return out, want
}

func runPy(t *testing.T, py, script string, spec any) {
	t.Helper()
	b, _ := json.Marshal(spec)
	cmd := exec.Command(py, script)
	cmd.Stdin = bytes.NewReader(b)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}

// edited is the unit's openpyxl-filled workbook with spec's edits (testdata/cases.py).
func edited(t *testing.T, unit string, spec map[string]any) string {
	t.Helper()
	base, _ := openpyxlFilled(t, unit)
	out := filepath.Join(t.TempDir(), "edited.xlsx")
	spec["in"], spec["out"] = base, out
	runPy(t, testenv.Python, "testdata/cases.py", spec)
	return out
}

func readFile(t *testing.T, path string) (*Imported, error) {
	t.Helper()
	o, err := Open(path, DefaultLimits)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	return o.Read(variant(t, "nanan"), nil)
}

// TestImportCases drives every import case of issue 13 through a workbook
// openpyxl wrote: refused naming sheet!cell, or read with a note, never a value
// coerced.
func TestImportCases(t *testing.T) {
	v := variant(t, "nanan")
	t1, t3 := v.Form("t1"), v.Form("t3")
	fine := SheetName(t3) + "!" + at(v, t3, "xiangzhen", "r", "c12") // 罚款 金额（万元）
	count := SheetName(t1) + "!" + at(v, t1, "xiangzhen", "guobiao", "c1")
	na := SheetName(t1) + "!" + at(v, t1, "xiangzhen", "dibiao", "c21")
	other := func(row, col string) string { return SheetName(t1) + "!" + at(v, t1, "shizhi", row, col) }
	notes := rowGridTop + t3.Depth + 2 // the notes row of 表三 (one row per block)
	cases := []struct {
		name   string
		unit   string
		spec   map[string]any
		refuse []string // all in the error; nil: read
		notes  []string // all in the notes
		check  func(t *testing.T, im *Imported)
	}{
		{name: "date in a money cell", spec: cells(fine, map[string]any{"datetime": "2025-03-05T00:00"}),
			refuse: []string{"季报表（三）!" + at(v, t3, "xiangzhen", "r", "c12"), "是日期（2025-03-05），不是数字"}},
		{name: "date typed 3-5 into a General cell", spec: cells(count, map[string]any{"v": 45721, "fmt": "m-d"}),
			refuse: []string{count, "是日期"}},
		{name: "Chinese date format", spec: cells(count, map[string]any{"v": 45721, "fmt": `yyyy"年"m"月"d"日"`}),
			refuse: []string{count, "是日期"}},
		{name: "time", spec: cells(count, map[string]any{"time": "08:30"}), refuse: []string{count, "是时间"}},
		{name: "boolean", spec: cells(count, true), refuse: []string{count, "是逻辑值（TRUE）"}},
		{name: "error value", spec: cells(count, "#DIV/0!"), refuse: []string{count, "是错误值 #DIV/0!"}},
		{name: "formula without a result", spec: cells(count, map[string]any{"formula": "=1+2"}), refuse: []string{count, "公式 =1+2 没有计算结果"}},
		{name: "number with a number format", spec: cells(fine, map[string]any{"v": 12.5, "fmt": "#,##0.00"}),
			check: func(t *testing.T, im *Imported) {
				if n := im.Values[model.CellKey{Form: "t3", Row: "r", Col: "c12"}]; n != 1250 {
					t.Errorf("12.5 with #,##0.00 read as %v", n)
				}
			}},
		{name: "number typed as text", spec: cells(count, map[string]any{"text": "12"}),
			check: func(t *testing.T, im *Imported) {
				if n := im.Values[model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}]; n != model.Whole(12) {
					t.Errorf("text 12 read as %v", n)
				}
			}},
		{name: "无", spec: cells(count, "无"), refuse: []string{count, "「无」不是数字；若无请填 0"}},
		{name: "dash", spec: cells(count, "-"), refuse: []string{count, "若无请填 0"}},
		{name: "slash", spec: cells(count, "/"), refuse: []string{count, "若无请填 0"}},
		{name: "em dash", spec: cells(count, "—"), refuse: []string{count, "「—」不是数字；若无请填 0"}},
		{name: "other block all zero", spec: map[string]any{"cells": map[string]any{other("guobiao", "c1"): 0, other("guobiao", "c2"): 0, other("dibiao", "c21"): 0}},
			notes: []string{"“市直单位”一栏填的是 0（季报表（一）），不是本单位（乡镇（街道、开发区））的栏目，未读取"}},
		{name: "other block with a number", spec: cells(other("guobiao", "c1"), 3), refuse: []string{"同时填写了多个单位类型"}},
		{name: "zero in a not-applicable cell", spec: cells(na, 0),
			notes: []string{"季报表（一）：1 个不适用的格填了 0（" + strings.TrimPrefix(na, "季报表（一）!") + "），按空白读取"},
			check: func(t *testing.T, im *Imported) {
				if _, ok := im.Values[model.CellKey{Form: "t1", Row: "dibiao", Col: "c21"}]; ok {
					t.Error("the 0 of a not-applicable cell was stored")
				}
			}},
		{name: "number in a not-applicable cell", spec: cells(na, 3), refuse: []string{na, "此格不适用"}},
		{name: "备注 column", spec: map[string]any{"cells": map[string]any{
			SheetName(t3) + "!" + cell(len(t3.Display)+1, rowGridTop):          "备注",
			SheetName(t3) + "!" + cell(len(t3.Display)+1, rowGridTop+t3.Depth): "已核实"}},
			notes: []string{"季报表（三）!" + cell(len(t3.Display)+1, rowGridTop) + "：“备注”一栏（2 处内容）不是本表的栏目，未读取"}},
		{name: "备注 row under the notes", spec: cells(SheetName(t3)+"!"+cell(0, notes+2), "备注：数据已核实"),
			notes: []string{"季报表（三）!" + cell(0, notes+2) + "：表格下方的“备注：数据已核实”未读取"}},
		{name: "second sheet with the same title", spec: map[string]any{"copy": [][]string{{SheetName(t1), "季报表（一）修改"}}},
			notes: []string{"季报表（一）修改：也是表一", "只读取了工作表“季报表（一）”"}},
		{name: "another sheet", spec: map[string]any{"sheet": []any{"Sheet1", map[string]any{"B2": "草稿计算"}}},
			notes: []string{"Sheet1：不是季报表的工作表，未读取"}},
		{name: "content past the rows a form holds", spec: cells(SheetName(t1)+"!C5000", 7),
			notes: []string{"季报表（一）!C5000：超出季报表范围"}},
		{name: "impossible header date", spec: map[string]any{"cells": headerEverywhere(v, "填报单位（盖章）：水头  填表人：王  联系电话：1  2025年9月31日")},
			refuse: []string{"季报表（一）!A3：表头日期「2025-9-31」的日不对：2025年9月只有 30 天"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			unit := tc.unit
			if unit == "" {
				unit = "水头"
			}
			im, err := readFile(t, edited(t, unit, tc.spec))
			if tc.refuse != nil {
				if err == nil {
					t.Fatalf("read; want refused with %q", tc.refuse)
				}
				for _, w := range tc.refuse {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range im.Notes {
				got = append(got, n.String())
			}
			all := strings.Join(got, "\n")
			for _, w := range tc.notes {
				if !strings.Contains(all, w) {
					t.Errorf("notes lack %q:\n%s", w, all)
				}
			}
			if len(tc.notes) == 0 && len(got) > 0 {
				t.Errorf("unexpected notes:\n%s", all)
			}
			if tc.check != nil {
				tc.check(t, im)
			}
		})
	}
}

func cells(ref string, v any) map[string]any { return map[string]any{"cells": map[string]any{ref: v}} }

func headerEverywhere(v *model.Variant, line string) map[string]any {
	out := map[string]any{}
	for _, f := range v.Forms {
		out[SheetName(f)+"!A3"] = line
	}
	return out
}

// A formula's saved result counts only when it is a number: LibreOffice
// calculates the formulas openpyxl wrote and saves their results, as Excel or
// WPS would.
func TestImportFormulaResults(t *testing.T) {
	soffice := testenv.MustHaveTool(t, "soffice")
	v := variant(t, "nanan")
	t1 := v.Form("t1")
	ref := func(row, col string) string { return SheetName(t1) + "!" + at(v, t1, "xiangzhen", row, col) }
	spec := map[string]any{"cells": map[string]any{
		ref("guobiao", "c1"): map[string]any{"formula": "=40+2"},
		ref("guobiao", "c2"): map[string]any{"formula": `="12"`},
		ref("guobiao", "c3"): map[string]any{"formula": "=1/0"},
		ref("guobiao", "c4"): map[string]any{"formula": "=1>0"},
	}}
	path := edited(t, "水头", spec)
	dir := t.TempDir()
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "xlsx", "--outdir", filepath.Join(dir, "out"), path)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	_, err := readFile(t, filepath.Join(dir, "out", "edited.xlsx"))
	if err == nil {
		t.Fatal("formulas with a text, error and boolean result were read")
	}
	msg := err.Error()
	for _, w := range []string{
		ref("guobiao", "c2") + "：" + t1.Column("c2").ShortName() + "：公式 =\"12\" 的结果「12」不是数字",
		ref("guobiao", "c3") + "：" + t1.Column("c3").ShortName() + "：公式 =1/0 出错（#DIV/0!），不是数字",
		ref("guobiao", "c4") + "：" + t1.Column("c4").ShortName() + "：公式 =1>0 的结果是逻辑值（TRUE），不是数字",
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, ref("guobiao", "c1")) {
		t.Errorf("the numeric result of =40+2 was refused:\n%s", msg)
	}
}
