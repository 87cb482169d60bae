package export

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// Sheet names of the summary workbook besides the four form sheets.
const (
	SheetUnits    = "单位情况"
	SheetProgress = "目标进度"
	SheetChart    = "进度图"
)

// DetailSheetName is the reconciliation sheet of one unit type: every summed cell
// with the figure of every unit behind it, e.g. 明细（市直单位）.
func DetailSheetName(t model.UnitType) string { return "明细（" + t.Label + "）" }

// SummaryBlocks are a form's blocks for the jurisdiction: one per unit type with
// that type's sums (表一 per 达标类型 row, 表二 per 层级 row, 表三 one row), and for
// 表四 one row per township-level unit of the directory, in its order, then a 合计
// block. A unit that has not reported keeps its row, blank, labelled 未填报, so
// that nothing missing reads as 0.
func SummaryBlocks(s *model.Summary, f *model.Form) []Block {
	v := s.Variant
	if f.TownshipOnly {
		tt := v.TownshipType()
		var out []Block
		for _, e := range s.OfType(tt.ID) {
			label := e.Unit.Name
			if e.Report == nil {
				label += "（未填报）"
			} else if e.Status != model.StatusComplete {
				label += "（" + unitStanding(e) + "）"
			}
			b := Block{Label: label}
			for _, rd := range f.Rows {
				row := Row{Def: rd, Values: map[string]model.Number{}}
				if e.Included {
					for _, c := range f.Columns {
						if n, ok := s.UnitValue(e.Unit.Name, model.CellKey{Form: f.ID, Row: rd.ID, Col: c.ID}); ok {
							row.Values[c.ID] = n
						}
					}
				}
				b.Rows = append(b.Rows, row)
			}
			out = append(out, b)
		}
		return append(out, typeBlock(s, f, tt.ID, "合计"))
	}
	var out []Block
	for _, t := range v.UnitTypes {
		out = append(out, typeBlock(s, f, t.ID, t.Label))
	}
	return out
}

// typeBlock is a unit type's block of sums.
func typeBlock(s *model.Summary, f *model.Form, typ, label string) Block {
	b := Block{Label: label}
	for _, rd := range f.Rows {
		row := Row{Def: rd, Values: map[string]model.Number{}}
		for _, c := range f.Columns {
			if n, ok := s.Value(typ, model.CellKey{Form: f.ID, Row: rd.ID, Col: c.ID}); ok {
				row.Values[c.ID] = n
			}
		}
		b.Rows = append(b.Rows, row)
	}
	return b
}

// SummaryWorkbook is the collecting office's workbook: the four official form
// sheets filled for the jurisdiction (header names the office), then 单位情况 (who
// reported, in what state), one 明细 sheet per unit type (each summed cell and the
// units' figures behind it), 目标进度 (progress against the targets, worst first)
// and 进度图 (reported figures against targets per township-level unit).
func SummaryWorkbook(s *model.Summary, h model.Header) (*excelize.File, error) {
	v := s.Variant
	x := NewFile()
	x.SetZipWriter(fastZip)
	fail := func(what string, err error) (*excelize.File, error) {
		x.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	// Before the streamed sheets: SetActiveSheet reads every sheet back.
	x.SetActiveSheet(0)
	for _, f := range v.Forms {
		sh := Sheet{Form: f, Header: h, Blocks: SummaryBlocks(s, f)}
		if err := writeForm(x, v, sh, true); err != nil {
			return fail(SheetName(f), err)
		}
	}
	if err := writeUnitsSheet(x, s); err != nil {
		return fail(SheetUnits, err)
	}
	for _, t := range v.UnitTypes {
		if err := writeDetailSheet(x, s, t); err != nil {
			return fail(DetailSheetName(t), err)
		}
	}
	if err := writeProgressSheet(x, s); err != nil {
		return fail(SheetProgress, err)
	}
	if err := writeChartSheet(x, s); err != nil {
		return fail(SheetChart, err)
	}
	_ = x.SetDocProps(&excelize.DocProperties{Title: fmt.Sprintf("%s %s 季报表汇总", v.Name, s.Period.Label()),
		Creator: "jibao", Language: "zh-CN"})
	return x, nil
}

// WriteSummary writes the summary workbook to w.
func WriteSummary(w io.Writer, s *model.Summary, h model.Header) error {
	x, err := SummaryWorkbook(s, h)
	if err != nil {
		return err
	}
	defer x.Close()
	_, err = x.WriteTo(w)
	return err
}

// SummaryFileName is the default name of a summary workbook: 南安-2025Q3-季报表汇总.xlsx.
func SummaryFileName(s *model.Summary) string {
	return fmt.Sprintf("%s-%s-季报表汇总.xlsx", s.Variant.Name, s.Period)
}

// plainSheet is a simple table: a title row, a heading row, then rows; the
// heading is bold and frozen, columns sized to their text. Cells are gathered
// first (the widths depend on every row) and written at finish with excelize's
// stream writer: at 2,000 units the 明细 sheets hold hundreds of thousands of
// cells, which the cell-by-cell API keeps as a tree of objects.
type plainSheet struct {
	x      *excelize.File
	name   string
	widths []float64
	rows   [][]any         // rows[r-1][c-1]: an excelize.Cell, or nil
	tall   map[int]float64 // row heights that differ from the default (a wrapped heading)
	err    error
	bold   int
	title  int // the sheet's title: bold, not wrapped (it runs over the columns)
	plain  int // the style of a cell without one (never 0: see finish)
	num    int
	money  int
	pct    int
}

func newPlainSheet(x *excelize.File, name string) (*plainSheet, error) {
	if _, err := x.NewSheet(name); err != nil {
		return nil, err
	}
	p := &plainSheet{x: x, name: name}
	var err error
	if p.bold, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Family: Font, Bold: true},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	if p.title, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Family: Font, Bold: true, Size: 12}}); err != nil {
		return nil, err
	}
	if p.plain, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Family: Font}}); err != nil {
		return nil, err
	}
	if p.num, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Family: Font}, NumFmt: 1}); err != nil {
		return nil, err
	}
	if p.money, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Family: Font}, NumFmt: 2}); err != nil {
		return nil, err
	}
	if p.pct, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Family: Font}, NumFmt: 10}); err != nil {
		return nil, err
	}
	return p, nil
}

// set puts a value into 1-based (col, row) and grows the column to fit it.
func (p *plainSheet) set(col, row int, v any, style int) {
	for len(p.rows) < row {
		p.rows = append(p.rows, nil)
	}
	r := p.rows[row-1]
	for len(r) < col {
		r = append(r, nil)
	}
	r[col-1] = excelize.Cell{StyleID: style, Value: v}
	p.rows[row-1] = r
	for len(p.widths) < col {
		p.widths = append(p.widths, 6)
	}
	if style == p.title {
		return // it runs over the empty cells to its right
	}
	w := min(float64(valueWidth(v))+2, 40)
	p.widths[col-1] = max(p.widths[col-1], w)
}

// valueWidth is the width of a value as the spreadsheet shows it: the width of
// fmt.Sprint(v), without formatting the hundreds of thousands of figures of
// the 明细 sheets through fmt.
func valueWidth(v any) int {
	var buf [32]byte
	switch x := v.(type) {
	case string:
		return textWidth(x)
	case int:
		return len(strconv.AppendInt(buf[:0], int64(x), 10))
	case int64:
		return len(strconv.AppendInt(buf[:0], x, 10))
	case float64:
		return len(strconv.AppendFloat(buf[:0], x, 'g', -1, 64))
	}
	return textWidth(fmt.Sprint(v))
}

// number writes a figure: whole counts as integers, 万元 with two decimals, so
// that the spreadsheet keeps the exact value the forms print.
func (p *plainSheet) number(col, row int, n model.Number, kind model.Kind) {
	if kind == model.KindMoney {
		p.set(col, row, n.Float(), p.money)
		return
	}
	if n%100 == 0 {
		p.set(col, row, int64(n)/100, p.num)
		return
	}
	p.set(col, row, n.Float(), p.money)
}

// finish sets the page up, then writes the rows, the columns sized and the
// rows above top frozen (and repeated on every printed page).
func (p *plainSheet) finish(top int, pg page) error {
	if p.err != nil {
		return p.err
	}
	pg.titleRows = max(pg.titleRows, top-1)
	if err := printSetup(p.x, p.name, pg); err != nil {
		return err
	}
	sw, err := p.x.NewStreamWriter(p.name)
	if err != nil {
		return err
	}
	// Runs of equal widths in one call: excelize merges column ranges at
	// every call, which over a thousand unit columns is quadratic.
	for i := 0; i < len(p.widths); {
		j := i
		for j+1 < len(p.widths) && p.widths[j+1] == p.widths[i] {
			j++
		}
		if err := sw.SetColWidth(i+1, j+1, p.widths[i]); err != nil {
			return err
		}
		i = j + 1
	}
	if top > 1 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: top - 1,
			TopLeftCell: cell(0, top), ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	// A row style: without one the stream writer looks every cell's style up
	// among the columns, one by one (a thousand unit columns, per cell).
	opt := excelize.RowOpts{StyleID: p.plain}
	for i, r := range p.rows {
		if len(r) == 0 {
			continue
		}
		o := opt
		o.Height = p.tall[i+1]
		if err := sw.SetRow(cell(0, i+1), r, o); err != nil {
			return err
		}
	}
	p.rows = nil
	return sw.Flush()
}

// writeUnitsSheet lists every unit: type, where it stands (情况: 未填报, 有错误,
// or its state in the reporting cycle), completeness, errors, who and when, under
// the counts by state, so the office sees at a glance who is missing and what the
// sums contain.
func writeUnitsSheet(x *excelize.File, s *model.Summary) error {
	p, err := newPlainSheet(x, SheetUnits)
	if err != nil {
		return err
	}
	got, total := s.ReportedShare()
	basis := "草稿和有错误的报表也计入合计；空白单元格不按 0 计"
	switch {
	case s.Options.AcceptedOnly:
		basis = "只汇总已审核的报表；空白单元格不按 0 计"
	case s.Options.CompleteOnly:
		basis = "只汇总已上报和已审核的报表；空白单元格不按 0 计"
	}
	p.set(1, 1, fmt.Sprintf("%s %s 各单位填报情况：已报 %d/%d（%s）", s.Variant.Name, s.Period.Label(), got, total, basis), p.title)
	p.set(1, 2, "各状态单位数："+model.StateCountsText(s.StateCounts()), 0)
	p.widths[0] = 14
	head := []string{"单位", "单位类型", "情况", "状态", "已填", "应填", "完成率", "错误", "未确认警告", "计入合计", "最后修改", "修改人"}
	for i, h := range head {
		p.set(i+1, 3, h, p.bold)
	}
	for i, e := range s.Worst() {
		r := i + 4
		t, _ := s.Variant.UnitType(e.Unit.Type)
		p.set(1, r, e.Unit.Name, 0)
		p.set(2, r, t.Label, 0)
		p.set(3, r, unitStanding(e), 0)
		if e.Report == nil {
			continue
		}
		filled, all := e.Checked.Filled, e.Checked.Total
		p.set(4, r, e.Report.State.Label(), 0)
		p.set(5, r, filled, p.num)
		p.set(6, r, all, p.num)
		p.set(7, r, float64(filled)/float64(max(all, 1)), p.pct)
		p.set(8, r, e.Checked.Errors, p.num)
		p.set(9, r, e.Checked.Warnings, p.num)
		in := "是"
		if !e.Included {
			in = "否"
		}
		p.set(10, r, in, 0)
		if !e.Report.Updated.IsZero() {
			p.set(11, r, e.Report.Updated.Local().Format("2006-01-02 15:04"), 0)
		}
		p.set(12, r, e.Report.UpdatedBy, 0)
	}
	return p.finish(4, page{})
}

// unitStanding is a unit's 情况 in the summary workbook: 未填报 or 有错误, else
// its state in the reporting cycle (草稿, 已上报, 已退回, 已审核), never the
// old 已完成.
func unitStanding(e model.UnitEntry) string {
	switch {
	case e.Report == nil, e.Status == model.StatusErrors:
		return e.Status.Label()
	}
	return model.BoardLabel(model.MigrateState(string(e.Report.State)))
}

// fastZip compresses the summary workbook at deflate's best speed: at 2,000
// units the default level spent a quarter of the run on a file a third smaller.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}
