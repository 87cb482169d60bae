package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// Font is the face of every cell, as on the printed forms.
const Font = "宋体"

// paperA3 is the OOXML paper size code of A3 (297 × 420 mm).
const paperA3 = 8

// NewFile makes an empty workbook in the forms' font. WriteForm replaces its empty
// default sheet with the first form sheet.
func NewFile() *excelize.File {
	x := excelize.NewFile()
	_ = x.SetDefaultFont(Font)
	return x
}

// styles are the cell styles of one workbook; excelize returns the same ID for an
// identical style, so asking again for another sheet costs nothing.
type styles struct {
	attachment, title, headerLine, header, label, na, count, money, blank, notes int
}

func newStyles(x *excelize.File) (*styles, error) {
	thin := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: Font, Size: size, Bold: bold}
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	s := &styles{}
	defs := []struct {
		id *int
		s  *excelize.Style
	}{
		{&s.attachment, &excelize.Style{Font: font(12, true), Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.title, &excelize.Style{Font: font(16, true), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.headerLine, &excelize.Style{Font: font(11, false), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}},
		{&s.header, &excelize.Style{Font: font(10, false), Border: thin, Alignment: center}},
		{&s.label, &excelize.Style{Font: font(10, false), Border: thin, Alignment: center}},
		{&s.na, &excelize.Style{Font: font(10, false), Border: thin, Alignment: center,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}}},
		{&s.count, &excelize.Style{Font: font(10, false), Border: thin, NumFmt: 1,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.money, &excelize.Style{Font: font(10, false), Border: thin, NumFmt: 2,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.blank, &excelize.Style{Font: font(10, false), Border: thin,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.notes, &excelize.Style{Font: font(10, false), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}},
	}
	for _, d := range defs {
		id, err := x.NewStyle(d.s)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	return s, nil
}

// HeaderLine is the line above the grid. A zero Header gives the blank line of the
// official template, with room to write by hand.
func HeaderLine(h model.Header) string {
	pad := func(s string, n int) string {
		if s == "" {
			return strings.Repeat(" ", n)
		}
		return s
	}
	date := "      年    月    日"
	if y, m, d, ok := parseISODate(h.Date); ok {
		date = fmt.Sprintf("%d年%d月%d日", y, m, d)
	}
	return "填报单位（盖章）：" + pad(h.Unit, 24) + "    填表人：" + pad(h.Filler, 12) +
		"    联系电话：" + pad(h.Phone, 14) + "    " + date
}

func parseISODate(s string) (y, m, d int, ok bool) {
	p := strings.Split(strings.TrimSpace(s), "-")
	if len(p) != 3 {
		return 0, 0, 0, false
	}
	var err [3]error
	y, err[0] = strconv.Atoi(p[0])
	m, err[1] = strconv.Atoi(p[1])
	d, err[2] = strconv.Atoi(p[2])
	if err[0] != nil || err[1] != nil || err[2] != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// WriteForm writes one form sheet, named SheetName(s.Form), into x: the 附件 line,
// the title, the header line, the multi-level header with its merged cells, every
// block of s.Blocks (any number of blocks, each with any number of rows), the notes
// and the print set-up (A3 landscape, one page wide, header rows repeated, frozen
// panes). The summary calls it with its own blocks: for 表四, one block per unit
// with one row each and a 合计 block. The first call on a NewFile replaces its empty
// default sheet.
func WriteForm(x *excelize.File, v *model.Variant, s Sheet) error {
	return writeForm(x, v, s, false)
}

// writeForm is WriteForm, through the stream writer when stream is set (the
// summary's sheets, whose 表四 has a row per unit). A streamed sheet cannot
// be written to afterwards: a unit's report keeps the cell-by-cell sheet,
// which Explain adds its comments to.
func writeForm(x *excelize.File, v *model.Variant, s Sheet, stream bool) error {
	f := s.Form
	name := SheetName(f)
	if err := addSheet(x, name); err != nil {
		return err
	}
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	g := newGeometry(f, s.Blocks)
	w := &sheetWriter{x: x, name: name, st: st, g: g}
	if stream {
		w.grid = &cellGrid{}
	}
	last := g.ncols - 1
	for i, wd := range g.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		w.try(x.SetColWidth(name, col, col, wd))
	}
	title := s.Title
	if title == "" {
		title = f.Title(v.Year)
	}
	if s.Draft {
		title += "（草稿）"
	}
	w.put(0, rowAttachment, f.Attachment, st.attachment)
	w.merged(0, rowTitle, last, rowTitle, title, st.title)
	spans, parts := g.headerLineSpans(), headerLineParts(s.Header)
	for i, sp := range spans {
		text := parts[i]
		if len(spans) == 1 {
			text = HeaderLine(s.Header)
		}
		w.merged(sp[0], rowHeaderLine, sp[1], rowHeaderLine, text, st.headerLine)
	}
	g.rowHeight[rowAttachment] = 20
	g.rowHeight[rowTitle] = max(36, float64(linesFor(title, g.totalWidth()*0.7))*22+8)
	g.rowHeight[rowHeaderLine] = 26
	for _, c := range printedHeaderCells(f) {
		text := breakBeforeParen(c.Text, g.spanWidth(c.Col, c.ColSpan))
		w.merged(c.Col, rowGridTop+c.Row, c.Col+c.ColSpan-1, rowGridTop+c.Row+c.RowSpan-1, text, st.header)
	}
	g.headerHeights()
	for i, b := range s.Blocks {
		w.block(b, g.blockTop[i])
	}
	w.merged(0, g.notesRow, last, g.notesRow, f.Notes, st.notes)
	g.rowHeight[g.notesRow] = float64(linesFor(f.Notes, g.totalWidth()*0.95))*lineHeight + 8
	if w.grid == nil {
		for r, h := range g.rowHeight {
			w.try(x.SetRowHeight(name, r, h))
		}
	}
	w.validation()
	w.pageSetup(s.Draft)
	if w.grid != nil && w.err == nil {
		w.try(w.grid.flush(x, name, g.rowHeight))
	}
	return w.err
}

// validation makes Excel and WPS refuse, as the clerk types, what the importer
// would refuse anyway: a negative number, or a fraction where things are counted.
func (w *sheetWriter) validation() {
	g := w.g
	if g.notesRow <= g.dataTop {
		return
	}
	refs := map[model.Kind][]string{}
	for _, c := range g.form.Columns {
		refs[c.Kind] = append(refs[c.Kind], cell(c.Display, g.dataTop)+":"+cell(c.Display, g.notesRow-1))
	}
	for _, k := range []struct {
		kind model.Kind
		typ  excelize.DataValidationType
		msg  string
	}{
		{model.KindCount, excelize.DataValidationTypeWhole, "请填写不小于0的整数（若无则填0）"},
		{model.KindMoney, excelize.DataValidationTypeDecimal, "请填写不小于0的金额（万元，最多两位小数；若无则填0）"},
	} {
		if len(refs[k.kind]) == 0 {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = strings.Join(refs[k.kind], " ")
		w.try(dv.SetRange(0, 0, k.typ, excelize.DataValidationOperatorGreaterThanOrEqual))
		dv.SetError(excelize.DataValidationErrorStyleStop, "数值不合要求", k.msg)
		w.try(w.x.AddDataValidation(w.name, dv))
	}
}

// addSheet creates the named sheet, reusing the empty default sheet of a new file.
func addSheet(x *excelize.File, name string) error {
	if idx, _ := x.GetSheetIndex(name); idx >= 0 {
		return fmt.Errorf("工作表 %s 已存在", name)
	}
	list := x.GetSheetList()
	if len(list) == 1 && list[0] == "Sheet1" {
		if rows, _ := x.GetRows("Sheet1"); len(rows) == 0 {
			return x.SetSheetName("Sheet1", name)
		}
	}
	_, err := x.NewSheet(name)
	return err
}

// sheetWriter keeps the first error, so the layout code reads straight.
type sheetWriter struct {
	x    *excelize.File
	name string
	st   *styles
	g    *geometry
	err  error
	grid *cellGrid // non-nil: the cells go to the stream writer at the end
}

func (w *sheetWriter) try(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

func (w *sheetWriter) put(col, row int, value any, style int) {
	if w.grid != nil {
		w.grid.set(col, row, value, style)
		return
	}
	a := cell(col, row)
	if value != nil {
		w.try(w.x.SetCellValue(w.name, a, value))
	}
	w.try(w.x.SetCellStyle(w.name, a, a, style))
}

// merged writes a value into a range and merges it when it spans more than a cell;
// the style covers every cell so that borders are drawn all round.
func (w *sheetWriter) merged(c1, r1, c2, r2 int, value any, style int) {
	if w.grid != nil {
		w.grid.style(c1, r1, c2, r2, style)
		w.grid.set(c1, r1, value, style)
		if c1 != c2 || r1 != r2 {
			w.grid.merge(c1, r1, c2, r2)
		}
		return
	}
	a, b := cell(c1, r1), cell(c2, r2)
	if value != nil {
		w.try(w.x.SetCellValue(w.name, a, value))
	}
	if a != b {
		w.try(w.x.MergeCell(w.name, a, b))
	}
	w.try(w.x.SetCellStyle(w.name, a, b, style))
}

func (w *sheetWriter) number(col, row int, c *model.Column, n model.Number, ok bool) {
	if w.grid != nil {
		switch {
		case !ok:
			w.grid.set(col, row, nil, w.st.blank)
		case c.Kind != model.KindMoney && n%100 == 0:
			w.grid.set(col, row, int64(n)/100, w.st.count)
		default:
			w.grid.set(col, row, n.Float(), w.st.money)
		}
		return
	}
	a := cell(col, row)
	switch {
	case !ok:
		w.try(w.x.SetCellStyle(w.name, a, a, w.st.blank))
		return
	case c.Kind == model.KindMoney:
		w.try(w.x.SetCellFloat(w.name, a, n.Float(), -1, 64))
		w.try(w.x.SetCellStyle(w.name, a, a, w.st.money))
	case n%100 == 0:
		w.try(w.x.SetCellInt(w.name, a, int64(n)/100))
		w.try(w.x.SetCellStyle(w.name, a, a, w.st.count))
	default: // a count with a fraction is refused by the model; print it as it is
		w.try(w.x.SetCellFloat(w.name, a, n.Float(), -1, 64))
		w.try(w.x.SetCellStyle(w.name, a, a, w.st.money))
	}
}

// block writes one block's rows starting at sheet row top.
func (w *sheetWriter) block(b Block, top int) {
	f := w.g.form
	rows := b.Rows
	if len(rows) == 0 {
		rows = []Row{{Def: f.Rows[0]}}
	}
	bottom := top + len(rows) - 1
	multi := len(f.Rows) > 1
	for i, node := range f.Display {
		switch node.Label {
		case "unitType":
			w.merged(i, top, i, bottom, breakBeforeParen(b.Label, w.g.widths[i]), w.st.label)
			continue
		case "row":
			for j, r := range rows {
				if t := f.RowLabel(node, r.Def); t != "" || !multi {
					w.put(i, top+j, t, w.st.label)
				} else {
					w.put(i, top+j, nil, w.st.na)
				}
			}
			continue
		}
		c := f.Column(node.ID)
		if c.Scope == model.ScopeBlock && multi && len(rows) > 1 {
			w.merged(i, top, i, bottom, nil, w.st.blank)
			n, ok := rows[0].Values[c.ID]
			w.number(i, top, c, n, ok)
			continue
		}
		for j, r := range rows {
			if !f.Applicable(r.Def.ID, c.ID) {
				w.put(i, top+j, NotApplicable, w.st.na)
				continue
			}
			n, ok := r.Values[c.ID]
			w.number(i, top+j, c, n, ok)
		}
	}
	labelLines := linesFor(breakBeforeParen(b.Label, w.g.widths[w.g.labelCol]), w.g.widths[w.g.labelCol])
	per := max(22, (float64(labelLines)*lineHeight+8)/float64(len(rows)))
	for j := range rows {
		w.g.rowHeight[top+j] = per
	}
}

// pageSetup is what a clerk would otherwise fix by hand before printing.
func (w *sheetWriter) pageSetup(draft bool) {
	x, name, g := w.x, w.name, w.g
	size, orient, one, zero := paperA3, "landscape", 1, 0
	w.try(x.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &one, FitToHeight: &zero}))
	fit := true
	w.try(x.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}))
	m, mt, hz := 0.4, 0.6, true
	w.try(x.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &mt,
		Bottom: &mt, Horizontally: &hz}))
	hf := &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}
	if draft {
		hf.OddHeader = `&C&"宋体,Bold"&14草稿（未完成，不得作为正式报表上报）`
	}
	w.try(x.SetHeaderFooter(name, hf))
	headLast := g.dataTop - 1
	w.try(x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", name, rowGridTop, headLast)}))
	w.try(x.SetPanes(name, &excelize.Panes{Freeze: true, XSplit: g.labelCol + 1, YSplit: headLast,
		TopLeftCell: cell(g.labelCol+1, g.dataTop), ActivePane: "bottomRight"}))
	off := false
	w.try(x.SetSheetView(name, -1, &excelize.ViewOptions{ShowGridLines: &off}))
}
