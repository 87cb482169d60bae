package export

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"jibao/internal/testenv"
)

// TestTemplateLayoutMatchesSeed reads the blank template with openpyxl: in 表三 the
// seed's 完善"四项规范"（份） spans the first two header rows and its four leaves sit
// in the third (附件7: two empty cells under the group, the leaves a row further
// down); and the header line is spread over the width as the seed spaces it
// (填报单位（盖章）： + 31 spaces, 填表人： + 17, 联系电话： + 27, 年 月 日 at the end).
func TestTemplateLayoutMatchesSeed(t *testing.T) {
	py := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	for _, id := range []string{"nanan", "quanzhou-edu"} {
		v := variant(t, id)
		x, err := Template(v)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "template.xlsx")
		if err := Save(x, path, false); err != nil {
			t.Fatal(err)
		}
		script := `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = {"merged": sorted(str(r) for r in ws.merged_cells.ranges),
                     "cells": {c: ws[c].value for c in ("B4", "B5", "B6", "C6", "D6", "E6")},
                     "line": sorted([r.min_col, r.max_col, ws.cell(3, r.min_col).value] for r in ws.merged_cells.ranges if r.min_row == 3),
                     "ncols": ws.max_column,
                     "widths": [d.width for d in ws.column_dimensions.values() for _ in range(d.min, d.max + 1)]}
print(json.dumps(out, ensure_ascii=False))
`
		raw, err := exec.Command(py, "-c", script, path).Output()
		if err != nil {
			t.Fatalf("openpyxl: %v", err)
		}
		var book map[string]struct {
			Merged []string
			Cells  map[string]*string
			Line   [][3]any
			Ncols  int
			Widths []float64
		}
		if err := json.Unmarshal(raw, &book); err != nil {
			t.Fatal(err)
		}
		t3 := book["季报表（三）"]
		has := map[string]bool{}
		for _, m := range t3.Merged {
			has[m] = true
		}
		if !has["B4:E5"] || has["B4:E4"] || has["B5:B6"] || has["E5:E6"] {
			t.Errorf("%s 表三 四项规范: merged %v, want B4:E5 and its leaves unmerged in row 6", id, t3.Merged)
		}
		want := map[string]string{"B4": "完善“四项规范”（份）", "B6": "安全检查清单（份）", "C6": "达标细则（份）",
			"D6": "标准化运行提升指南（份）", "E6": "网格员检查导则（份）"}
		for c, w := range want {
			if got := t3.Cells[c]; got == nil || norm(*got) != norm(w) {
				t.Errorf("%s 表三 %s = %v, want %q", id, c, got, w)
			}
		}
		if t3.Cells["B5"] != nil {
			t.Errorf("%s 表三 B5 holds %q: it is inside the group's merge", id, *t3.Cells["B5"])
		}
		// The seed's shares of the line: 填表人 at 49/125, 联系电话 at 74/125, the date
		// (14 wide) at 111/125, ending at the right edge.
		wantStart := []float64{0, 0.392, 0.592, 0.888}
		wantText := []string{"填报单位（盖章）：", "填表人：", "联系电话：", "      年    月    日"}
		for name, s := range book {
			if len(s.Widths) != s.Ncols || len(s.Line) != 4 {
				t.Errorf("%s %s: header line cells %v (widths %d of %d columns)", id, name, s.Line, len(s.Widths), s.Ncols)
				continue
			}
			total := 0.0
			for _, w := range s.Widths {
				total += w
			}
			for i, part := range s.Line {
				first, last := int(part[0].(float64)), int(part[1].(float64))
				left := 0.0
				for _, w := range s.Widths[:first-1] {
					left += w
				}
				if share := left / total; share < wantStart[i]-0.04 || share > wantStart[i]+0.04 {
					t.Errorf("%s %s: %q starts at %.2f of the width, the seed at %.2f", id, name, part[2], share, wantStart[i])
				}
				if text, _ := part[2].(string); text != wantText[i] {
					t.Errorf("%s %s: header line cell %d = %q, want %q", id, name, i, text, wantText[i])
				}
				if i == 3 && last != s.Ncols {
					t.Errorf("%s %s: the date cell ends at column %d of %d", id, name, last, s.Ncols)
				}
			}
		}
	}
}
