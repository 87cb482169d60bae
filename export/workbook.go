package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/xuri/excelize/v2"

	"jibao/internal/atomicfile"
	"jibao/model"
)

// Blocks are a form's row blocks for one report: one per unit type, in the order of
// the official grid (表四 has only the township type's block), the report's own
// block filled and the others left empty, so that every unit's file lines up with
// every other's. A nil report gives the empty blocks of the blank template.
func Blocks(v *model.Variant, f *model.Form, r *model.Report) []Block {
	var out []Block
	for _, t := range v.UnitTypes {
		if f.TownshipOnly && !t.Township {
			continue
		}
		b := Block{Label: t.Label}
		for _, rd := range f.Rows {
			row := Row{Def: rd, Values: map[string]model.Number{}}
			if r != nil && r.UnitType == t.ID {
				for _, c := range f.Columns {
					if n, ok := r.Values[model.CellKey{Form: f.ID, Row: rd.ID, Col: c.ID}]; ok {
						row.Values[c.ID] = n
					}
				}
			}
			b.Rows = append(b.Rows, row)
		}
		out = append(out, b)
	}
	return out
}

// ReportHeader is the header line of a report, naming the unit when the clerk
// left 填报单位 empty.
func ReportHeader(r *model.Report) model.Header {
	h := r.Header
	if h.Unit == "" {
		h.Unit = r.Unit
	}
	return h
}

// Workbook is the official workbook of a report: the four form sheets, in order.
// A draft is marked 草稿 on every sheet. Whether the report may be exported at all
// (complete, or a draft asked for) is the caller's decision. The report is
// checked alone: a caller with last quarter uses WorkbookReviewed.
func Workbook(v *model.Variant, r *model.Report, draft bool) (*excelize.File, error) {
	return WorkbookReviewed(v, r, model.Review{}, nil, draft) // with the comments (explain.go)
}

// Template is the blank official workbook: every sheet, every block, no figures.
func Template(v *model.Variant) (*excelize.File, error) { return build(v, nil, false) }

func build(v *model.Variant, r *model.Report, draft bool) (*excelize.File, error) {
	x := NewFile()
	var h model.Header
	if r != nil {
		h = ReportHeader(r)
	}
	for _, f := range v.Forms {
		s := Sheet{Form: f, Header: h, Draft: draft, Blocks: Blocks(v, f, r)}
		if err := WriteForm(x, v, s); err != nil {
			x.Close()
			return nil, fmt.Errorf("%s: %w", SheetName(f), err)
		}
	}
	x.SetActiveSheet(0)
	title := v.Name + " 季报表"
	if r != nil {
		title = fmt.Sprintf("%s %s %s 季报表", v.Name, r.Unit, r.Period.Label())
	}
	_ = x.SetDocProps(&excelize.DocProperties{Title: title, Creator: "jibao", Language: "zh-CN"})
	return x, nil
}

// IncompleteError is why a report is not exported as final: it still has blanks
// or errors (`--draft` exports it anyway, marked 草稿).
type IncompleteError struct {
	Blanks, Errors int
}

// Error says what is missing, in the clerk's words.
func (e *IncompleteError) Error() string {
	return fmt.Sprintf("报表尚未完成：%d 处空白，%d 处错误，不能导出正式报表", e.Blanks, e.Errors)
}

// Export writes a report's workbook to path, the rule shared by the command line
// and the grid: a report whose check (res) is not complete is refused with an
// *IncompleteError unless draft; a draft is marked 草稿; an existing file is kept
// unless force (ErrExists).
func Export(v *model.Variant, r *model.Report, res *model.Result, path string, draft, force bool) error {
	return ExportReviewed(v, r, model.Review{}, res, path, draft, force)
}

// ExportReviewed is Export with the office's review notes in the workbook's
// comments and 说明 sheet (explain.go).
func ExportReviewed(v *model.Variant, r *model.Report, rev model.Review, res *model.Result, path string, draft, force bool) error {
	if !res.Complete() && !draft {
		return &IncompleteError{Blanks: len(res.Blanks), Errors: res.Errors()}
	}
	x, err := WorkbookReviewed(v, r, rev, res, draft)
	if err != nil {
		return fmt.Errorf("生成表格失败：%w", err)
	}
	defer x.Close()
	return Save(x, path, force)
}

// FileName is the default file name of a report's workbook, saying what it is:
// 南安-水头-2025Q3-季报表.xlsx (a draft ends in -草稿.xlsx).
func FileName(v *model.Variant, r *model.Report, draft bool) string {
	name := fmt.Sprintf("%s-%s-%s-季报表", v.Name, r.Unit, r.Period)
	if draft {
		name += "-草稿"
	}
	return name + ".xlsx"
}

// TemplateName is the default file name of the blank workbook.
func TemplateName(v *model.Variant) string {
	return fmt.Sprintf("%s-%d-季报表-空白.xlsx", v.Name, v.Year)
}

// ErrExists is returned by Save when the file is there and force is off.
var ErrExists = errors.New("文件已存在")

// Save writes the workbook to path without ever leaving a half-written file (see
// WriteFile). Without force an existing file is kept and ErrExists returned.
func Save(x *excelize.File, path string, force bool) error {
	buf, err := x.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("无法生成 %s：%v", path, err)
	}
	return WriteFile(path, buf.Bytes(), force)
}

// WriteFile writes data to path through a temporary file in the same directory
// that is moved into place, so that a full disk or a killed process leaves either
// the old file or the new one. Without force an existing file is kept and
// ErrExists returned.
func WriteFile(path string, data []byte, force bool) error {
	return writeFileFrom(path, force, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// SaveStreamed is Save without the workbook's bytes in memory: excelize writes
// it straight into the temporary file (the summary at 2,000 units).
func SaveStreamed(x *excelize.File, path string, force bool) error {
	return writeFileFrom(path, force, func(w io.Writer) error {
		_, err := x.WriteTo(w)
		return err
	})
}

// writeFileFrom is WriteFile with the contents written by write
// (internal/atomicfile), its errors said with the path.
func writeFileFrom(path string, force bool, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("无法写入 %s：这是一个目录", path)
	}
	err := atomicfile.Write(path, force, write)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s：%w（加 --force 覆盖）", path, ErrExists)
	}
	return fmt.Errorf("无法写入 %s：%s", path, atomicfile.Why(err))
}
