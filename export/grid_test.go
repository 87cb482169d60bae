package export

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// TestStreamedFormIsTheCellByCellForm: a form sheet written through the
// stream writer (the summary's) reads back, cell for cell, as the one written
// cell by cell (a unit's export): values, styles, merges, row heights, column
// widths, panes and page set-up, for every form of both variants, a draft
// header and blocks with a blank, a fraction and a row of their own.
func TestStreamedFormIsTheCellByCellForm(t *testing.T) {
	for _, id := range []string{"nanan", "quanzhou-edu"} {
		v := variant(t, id)
		s := scaleSummary(t, v, 80)
		for _, f := range v.Forms {
			sh := Sheet{Form: f, Header: model.Header{Unit: v.Office, Date: "2025-10-08"}, Blocks: SummaryBlocks(s, f), Draft: f.Number == "二"}
			if len(sh.Blocks) > 0 && len(sh.Blocks[0].Rows) > 0 {
				row := sh.Blocks[0].Rows[0]
				for c := range row.Values {
					delete(row.Values, c) // a blank
					break
				}
			}
			read := func(stream bool) *excelize.File {
				x := NewFile()
				if err := writeForm(x, v, sh, stream); err != nil {
					t.Fatal(err)
				}
				return reopen(t, x)
			}
			a, b := read(false), read(true)
			name := SheetName(f)
			if d := sheetDiff(a, b, name); d != "" {
				t.Errorf("%s %s: streamed differs: %s", id, name, d)
			}
		}
	}
}

// sheetDiff names the first difference of a sheet in two workbooks, "" if none.
func sheetDiff(a, b *excelize.File, name string) string {
	ra, _ := a.GetRows(name)
	rb, _ := b.GetRows(name)
	if len(ra) != len(rb) {
		return fmt.Sprintf("%d rows against %d", len(ra), len(rb))
	}
	cols := 0
	for _, r := range ra {
		cols = max(cols, len(r))
	}
	for r := 1; r <= len(ra)+1; r++ {
		ha, _ := a.GetRowHeight(name, r)
		hb, _ := b.GetRowHeight(name, r)
		if ha != hb {
			return fmt.Sprintf("row %d height %v against %v", r, ha, hb)
		}
		for c := 0; c <= cols; c++ {
			ref := cell(c, r)
			va, _ := a.GetCellValue(name, ref)
			vb, _ := b.GetCellValue(name, ref)
			sa, _ := a.GetCellStyle(name, ref)
			sb, _ := b.GetCellStyle(name, ref)
			if va != vb {
				return fmt.Sprintf("%s: %q against %q", ref, va, vb)
			}
			xa, _ := a.GetStyle(sa)
			xb, _ := b.GetStyle(sb)
			if ja, jb := deref(xa), deref(xb); ja != jb {
				return fmt.Sprintf("%s: style %s against %s", ref, ja, jb)
			}
		}
	}
	for c := 0; c <= cols; c++ {
		col, _ := excelize.ColumnNumberToName(c + 1)
		wa, _ := a.GetColWidth(name, col)
		wb, _ := b.GetColWidth(name, col)
		if wa != wb {
			return fmt.Sprintf("column %s width %v against %v", col, wa, wb)
		}
	}
	ma, _ := a.GetMergeCells(name)
	mb, _ := b.GetMergeCells(name)
	merges := func(ms []excelize.MergeCell) map[string]string {
		out := map[string]string{}
		for _, m := range ms {
			out[m.GetStartAxis()+":"+m.GetEndAxis()] = m.GetCellValue()
		}
		return out
	}
	if x, y := fmt.Sprint(merges(ma)), fmt.Sprint(merges(mb)); x != y {
		return fmt.Sprintf("merges %s against %s", x, y)
	}
	for _, get := range []func(*excelize.File) (any, error){
		func(x *excelize.File) (any, error) { return x.GetPageLayout(name) },
		func(x *excelize.File) (any, error) { return x.GetPageMargins(name) },
		func(x *excelize.File) (any, error) { return x.GetPanes(name) },
		func(x *excelize.File) (any, error) { return x.GetHeaderFooter(name) },
		func(x *excelize.File) (any, error) { return x.GetSheetProps(name) },
		func(x *excelize.File) (any, error) { return x.GetDataValidations(name) },
	} {
		pa, _ := get(a)
		pb, _ := get(b)
		if x, y := deref(pa), deref(pb); x != y {
			return fmt.Sprintf("settings %s against %s", x, y)
		}
	}
	return ""
}

// deref prints a value with its pointers followed.
func deref(v any) string { return string(mustJSON(v)) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(err.Error())
	}
	return b
}
