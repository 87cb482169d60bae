package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jibao/internal/testenv"
	"jibao/model"
)

// debianPython is the interpreter that has python3-openpyxl (scripts/deps.sh); the
// python3 first on PATH may be another one.
const debianPython = testenv.Python

// needOpenpyxl fails a test when debianPython cannot import openpyxl.
func needOpenpyxl(t *testing.T) {
	t.Helper()
	testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
}

type pyCell struct {
	V    any     `json:"v"`
	T    string  `json:"t"`
	Fmt  string  `json:"fmt"`
	Font string  `json:"font"`
	Fill *string `json:"fill"`
}

type pySheet struct {
	Merged         []string          `json:"merged"`
	Cells          map[string]pyCell `json:"cells"`
	Paper          int               `json:"paper"`
	Orientation    string            `json:"orientation"`
	FitToWidth     int               `json:"fitToWidth"`
	FitToHeight    int               `json:"fitToHeight"`
	FitToPage      bool              `json:"fitToPage"`
	PrintTitleRows string            `json:"printTitleRows"`
	Freeze         string            `json:"freeze"`
	Header         *string           `json:"header"`
	Validations    []struct {
		Type     string `json:"type"`
		Operator string `json:"operator"`
		Sqref    string `json:"sqref"`
	} `json:"validations"`
}

type pyBook struct {
	Sheets []string           `json:"sheets"`
	Detail map[string]pySheet `json:"detail"`
}

func pyDump(t *testing.T, path string) pyBook {
	t.Helper()
	out, err := exec.Command(debianPython, "testdata/dump.py", path).Output()
	if err != nil {
		t.Fatalf("dump.py: %v", err)
	}
	var b pyBook
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func saveTemp(t *testing.T, x *excelize.File, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := Save(x, p, false); err != nil {
		t.Fatal(err)
	}
	return p
}

// expectedMerges lists, from the model alone, every merged range a form sheet must
// have with the given number of rows per block.
func expectedMerges(f *model.Form, blockRows []int) []string {
	last := len(f.Display) - 1
	var out []string
	rng := func(c1, r1, c2, r2 int) { out = append(out, cell(c1, r1)+":"+cell(c2, r2)) }
	rng(0, rowTitle, last, rowTitle)
	for _, sp := range newGeometry(f, nil).headerLineSpans() {
		rng(sp[0], rowHeaderLine, sp[1], rowHeaderLine)
	}
	for _, h := range printedHeaderCells(f) { // as printed: TestTemplateLayoutMatchesSeed pins 表三's
		if h.RowSpan > 1 || h.ColSpan > 1 {
			rng(h.Col, rowGridTop+h.Row, h.Col+h.ColSpan-1, rowGridTop+h.Row+h.RowSpan-1)
		}
	}
	top := rowGridTop + f.Depth
	for _, n := range blockRows {
		if n > 1 {
			for i, d := range f.Display {
				c := f.Column(d.ID)
				if d.Label == "unitType" || (c != nil && c.Scope == model.ScopeBlock && len(f.Rows) > 1) {
					rng(i, top, i, top+n-1)
				}
			}
		}
		top += n
	}
	rng(0, top, last, top)
	sort.Strings(out)
	return out
}

func TestOpenpyxlReadsExport(t *testing.T) {
	needOpenpyxl(t)
	v := variant(t, "nanan")
	r := Sample(v, unitOf(t, v, "水头"), q3, 3)
	x, err := Workbook(v, r, true)
	if err != nil {
		t.Fatal(err)
	}
	book := pyDump(t, saveTemp(t, x, FileName(v, r, true)))
	var want []string
	for _, f := range v.Forms {
		want = append(want, SheetName(f))
	}
	if fmt.Sprint(book.Sheets) != fmt.Sprint(want) {
		t.Fatalf("sheets %v, want %v", book.Sheets, want)
	}
	checked := 0
	for _, f := range v.Forms {
		name := SheetName(f)
		s := book.Detail[name]
		blocks := Blocks(v, f, r)
		var rows []int
		for _, b := range blocks {
			rows = append(rows, len(b.Rows))
		}
		if got, want := s.Merged, expectedMerges(f, rows); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s merged:\n got %v\nwant %v", name, got, want)
		}
		if s.Paper != 8 || s.Orientation != "landscape" || s.FitToWidth != 1 || s.FitToHeight != 0 || !s.FitToPage {
			t.Errorf("%s print set-up: %+v", name, s)
		}
		dataTop := rowGridTop + f.Depth
		if s.PrintTitleRows != fmt.Sprintf("$%d:$%d", rowGridTop, dataTop-1) || s.Freeze != cell(1, dataTop) {
			t.Errorf("%s print titles %q freeze %q", name, s.PrintTitleRows, s.Freeze)
		}
		kinds := map[string]model.Kind{"whole": model.KindCount, "decimal": model.KindMoney}
		for _, c := range f.Columns {
			ref := cell(c.Display, dataTop)
			if n := len(f.Rows) * len(blocks); n > 1 {
				ref += ":" + cell(c.Display, dataTop+n-1)
			}
			found := false
			for _, dv := range s.Validations {
				if kinds[dv.Type] == c.Kind && dv.Operator == "greaterThanOrEqual" && strings.Contains(" "+dv.Sqref+" ", " "+ref+" ") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s %s: no %s validation over %s in %+v", name, c.ID, c.Kind, ref, s.Validations)
				break
			}
		}
		if s.Header == nil || !strings.Contains(*s.Header, "草稿") {
			t.Errorf("%s: draft not marked in the page header: %v", name, s.Header)
		}
		if got := s.Cells["A2"].V; got != f.Title(v.Year)+"（草稿）" {
			t.Errorf("%s title %q", name, got)
		}
		var line []string
		for c := range f.Display {
			if got, ok := s.Cells[cell(c, rowHeaderLine)].V.(string); ok {
				line = append(line, got)
			}
		}
		if got := strings.Join(line, " "); !strings.Contains(got, "填报单位（盖章）：水头") || !strings.Contains(got, "填表人：王小明") || !strings.Contains(got, "2025年") {
			t.Errorf("%s header line %q", name, got)
		}
		for _, h := range printedHeaderCells(f) {
			got, _ := s.Cells[cell(h.Col, rowGridTop+h.Row)].V.(string)
			if norm(got) != norm(h.Text) {
				t.Errorf("%s header %s: %q, want %q", name, cell(h.Col, rowGridTop+h.Row), got, h.Text)
			}
		}
		top := dataTop
		for _, b := range blocks {
			if got, _ := s.Cells[cell(0, top)].V.(string); norm(got) != norm(b.Label) {
				t.Errorf("%s %s: %q, want %q", name, cell(0, top), got, b.Label)
			}
			for j, row := range b.Rows {
				for _, c := range f.Columns {
					a := cell(c.Display, top+j)
					pc, present := s.Cells[a]
					switch {
					case f.Merged(row.Def.ID, c.ID):
						if present {
							t.Errorf("%s %s: merged cell holds %v", name, a, pc.V)
						}
					case !f.Applicable(row.Def.ID, c.ID):
						if pc.V != NotApplicable || pc.Fill == nil {
							t.Errorf("%s %s: not-applicable cell %+v", name, a, pc)
						}
					default:
						n, ok := row.Values[c.ID]
						if !ok {
							if present {
								t.Errorf("%s %s: want blank, got %v", name, a, pc.V)
							}
							continue
						}
						checked++
						num, isNum := pc.V.(float64)
						wantFmt := "0"
						if c.Kind == model.KindMoney {
							wantFmt = "0.00"
						}
						if !isNum || num != n.Float() || (pc.T != "int" && pc.T != "float") || pc.Fmt != wantFmt || pc.Font != Font {
							t.Errorf("%s %s: %+v, want number %v format %s", name, a, pc, n.Float(), wantFmt)
						}
					}
				}
			}
			top += len(b.Rows)
		}
		if got := s.Cells[cell(0, top)].V; got != f.Notes {
			t.Errorf("%s notes %q", name, got)
		}
	}
	if want := len(r.Values); checked != want {
		t.Errorf("checked %d values, the report has %d", checked, want)
	}
}

// TestImportFilledByOpenpyxl fills the blank template with openpyxl, as a clerk's
// spreadsheet program would (numbers as numbers and as full-width text, header
// texts with stray spaces and line breaks), and imports it.
func TestImportFilledByOpenpyxl(t *testing.T) {
	needOpenpyxl(t)
	v := variant(t, "nanan")
	tpl, err := Template(v)
	if err != nil {
		t.Fatal(err)
	}
	in := saveTemp(t, tpl, TemplateName(v))
	want := Sample(v, unitOf(t, v, "水头"), q3, 11)
	cells := map[string]any{}
	i := 0
	for _, f := range v.FormsFor(want.UnitType) {
		blocks := Blocks(v, f, want)
		top := rowGridTop + f.Depth
		for _, b := range blocks {
			for j, row := range b.Rows {
				for _, c := range f.Columns {
					n, ok := row.Values[c.ID]
					if !ok || f.Merged(row.Def.ID, c.ID) {
						continue
					}
					ref := SheetName(f) + "!" + cell(c.Display, top+j)
					switch i++; i % 3 {
					case 0:
						cells[ref] = fullWidth(n.Format(c.Kind))
					default:
						cells[ref] = n.Float()
					}
				}
			}
			top += len(b.Rows)
		}
	}
	out := filepath.Join(t.TempDir(), "filled.xlsx")
	spec, _ := json.Marshal(map[string]any{
		"in": in, "out": out, "cells": cells,
		"header": "填报单位（盖章）： 水头镇   填表人： 王小明  联系电话：0595-86391234   2025 年 9 月 27 日",
		"tweak": map[string]string{
			"季报表（一）!B5": " 总 数\n",
			"季报表（一）!A4": "填报单位\n类型",
			"季报表（三）!A4": "填报单位  类型",
		},
	})
	cmd := exec.Command(debianPython, "testdata/fill.py")
	cmd.Stdin = bytes.NewReader(spec)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fill.py: %v\n%s", err, b)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	im, err := Read(x, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if im.Unit.Name != "水头" || im.Header.Filler != "王小明" || im.Header.Date != "2025-09-27" {
		t.Errorf("unit %q header %+v", im.Unit.Name, im.Header)
	}
	sameValues(t, want.Values, im.Values)
}

func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune('０' + (r - '0'))
		case r == '.':
			b.WriteRune('．')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
