// Package export writes the official 季报表 workbook (xlsx) from reports and reads
// filled workbooks back into reports. It is pure: reports in, workbook out;
// workbook in, values out. The store and the command line live elsewhere.
//
// A form sheet is laid out like the printed attachment:
//
//	row 1   附件N
//	row 2   the title (with （草稿） for a draft)
//	row 3   填报单位（盖章）：X   填表人：Y   联系电话：Z   YYYY年M月D日, four merged
//	        cells spread across the width as the seed spaces them
//	row 4…  the multi-level header (Form.Depth rows, merged cells)
//	then    one block per unit type (or per unit in a summary), rows as Form.Rows
//	then    the notes (注), word for word
package export

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// NotApplicable is what a cell the form leaves empty on purpose shows (on a grey
// fill); the reader accepts it, an empty cell, or any of the other dashes.
const NotApplicable = "—"

// Rows of a form sheet, 1-based as in Excel.
const (
	rowAttachment = 1
	rowTitle      = 2
	rowHeaderLine = 3
	rowGridTop    = 4
)

// Block is one row block of a form sheet: the text shown (merged) in the
// 填报单位类型 column, and its rows. A unit's report has one block per unit type;
// a summary may have one block per unit (表四: one row each) or a 合计 block.
type Block struct {
	Label string
	Rows  []Row
}

// Row is one printed row of a block. Def says which form row it is (国标, 市级, or
// the single row of 表三/表四): its label fills the row label columns and decides
// which cells are not applicable. Values are keyed by column ID ("c5"); an absent
// column is printed blank. Block-wide columns (表一's Scope "block") are merged over
// the block's rows and take their value from the block's first row.
type Row struct {
	Def    model.RowDef
	Values map[string]model.Number
}

// Sheet is one form sheet to write with WriteForm.
type Sheet struct {
	Form   *model.Form
	Title  string       // "" means Form.Title(variant year)
	Header model.Header // a zero Header prints the blank line of the template
	Draft  bool         // marks the sheet 草稿 in the title and the page header
	Blocks []Block
}

// SheetName is the official sheet name of a form, e.g. 季报表（一）.
func SheetName(f *model.Form) string { return "季报表（" + f.Number + "）" }

// geometry is where everything of one form sheet lands.
type geometry struct {
	form      *model.Form
	ncols     int   // display columns
	dataTop   int   // first data row
	blockTop  []int // first row of each block
	notesRow  int
	labelCol  int // display index of the 填报单位类型 column
	widths    []float64
	rowHeight map[int]float64
}

func newGeometry(f *model.Form, blocks []Block) *geometry {
	g := &geometry{form: f, ncols: len(f.Display), dataTop: rowGridTop + f.Depth, rowHeight: map[int]float64{}}
	r := g.dataTop
	for _, b := range blocks {
		g.blockTop = append(g.blockTop, r)
		n := len(b.Rows)
		if n == 0 {
			n = 1
		}
		r += n
	}
	g.notesRow = r
	for i, n := range f.Display {
		if n.Label == "unitType" {
			g.labelCol = i
		}
	}
	g.widths = columnWidths(f, blocks)
	return g
}

// cell names a 1-based sheet cell from a display column index and a row.
func cell(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col+1, row)
	return s
}

// textWidth is a text's width in Excel character units: CJK characters take two.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r == '\n':
		case r > 0x2E80 || unicode.Is(unicode.Han, r):
			w += 2
		default:
			w++
		}
	}
	return w
}

func ceilDiv(a, b int) int {
	if b <= 0 {
		return a
	}
	return (a + b - 1) / b
}

// columnWidths gives every number column room for three or four characters a
// line (the headers wrap; A3 is tall enough) and money for 12345.67, so that even
// 表四's 49 columns print at a readable scale on one page width; label columns fit
// their labels.
func columnWidths(f *model.Form, blocks []Block) []float64 {
	w := make([]float64, len(f.Display))
	for i, n := range f.Display {
		tw := textWidth(n.H)
		switch n.Label {
		case "unitType":
			lw := tw
			for _, b := range blocks {
				for _, part := range splitLines(breakBeforeParen(b.Label, 12)) {
					lw = max(lw, textWidth(part))
				}
			}
			w[i] = clamp(float64(lw)*0.65+2, 12, 16)
			continue
		case "row":
			w[i] = clamp(float64(tw+2), 6, 10)
			continue
		}
		cw := 7.0
		if c := f.Column(n.ID); c != nil && c.Kind == model.KindMoney {
			cw = 9
		}
		w[i] = cw
	}
	return w
}

// breakBeforeParen puts a line break before a closing parenthetical (the unit,
// （家）, or （街道、开发区）) when the text would wrap anyway, so that a lone "）"
// never ends up on a line of its own.
func breakBeforeParen(s string, width float64) string {
	if float64(textWidth(s))*0.85 <= width-1 { // a CJK character is a little under two units
		return s
	}
	i := strings.LastIndex(s, "（")
	if i <= 0 || !strings.HasSuffix(s, "）") || strings.Contains(s, "\n") {
		return s
	}
	return s[:i] + "\n" + s[i:]
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }

// spanWidth is the width of display columns [col, col+n).
func (g *geometry) spanWidth(col, n int) float64 {
	s := 0.0
	for i := col; i < col+n && i < len(g.widths); i++ {
		s += g.widths[i]
	}
	return s
}

func (g *geometry) totalWidth() float64 { return g.spanWidth(0, g.ncols) }

// linesFor is how many wrapped lines a text needs in a width.
func linesFor(text string, width float64) int {
	usable := int(width) - 1
	if usable < 2 {
		usable = 2
	}
	n := 0
	for _, part := range splitLines(text) {
		n += max(1, ceilDiv(textWidth(part), usable))
	}
	return n
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// lineHeight is the points per wrapped line of the 10-point body font.
const lineHeight = 13.5

// headerHeights sizes the header rows so that every header cell's wrapped text
// fits in the rows it spans.
func (g *geometry) headerHeights() {
	f := g.form
	h := make([]float64, f.Depth)
	for i := range h {
		h[i] = 2*lineHeight + 4
	}
	cells := printedHeaderCells(f)
	need := func(c model.HeaderCell) float64 {
		return float64(linesFor(breakBeforeParen(c.Text, g.spanWidth(c.Col, c.ColSpan)), g.spanWidth(c.Col, c.ColSpan)))*lineHeight + 4
	}
	for _, c := range cells {
		if c.RowSpan == 1 {
			h[c.Row] = max(h[c.Row], need(c))
		}
	}
	for _, c := range cells {
		if c.RowSpan <= 1 {
			continue
		}
		sum := 0.0
		for r := c.Row; r < c.Row+c.RowSpan; r++ {
			sum += h[r]
		}
		if d := need(c) - sum; d > 0 {
			h[c.Row+c.RowSpan-1] += d
		}
	}
	for i, x := range h {
		g.rowHeight[rowGridTop+i] = x
	}
}

// printedHeaderCells is the header as the seed prints it: a group with PrintRows n
// spans n header rows and its subtree moves down by n-1, its leaves keeping the
// bottom row (表三's 完善"四项规范"（份） over two rows, its four leaves in the third).
// A PrintRows the tree has no room for is ignored, the header then laid out as on
// screen; the layout test keeps the shipped forms clear of that.
func printedHeaderCells(f *model.Form) []model.HeaderCell {
	cells := f.HeaderCells()
	for i, c := range cells {
		n := c.Node.PrintRows
		if n <= 1 || len(c.Node.Children) == 0 {
			continue
		}
		var below []int
		fits := true
		for j, d := range cells {
			if d.Row > c.Row && d.Col >= c.Col && d.Col < c.Col+c.ColSpan {
				below = append(below, j)
				if len(d.Node.Children) == 0 {
					fits = fits && d.RowSpan > n-1
				} else {
					fits = fits && d.Row+n-1 < f.Depth-1
				}
			}
		}
		if !fits {
			continue
		}
		cells[i].RowSpan = n
		for _, j := range below {
			cells[j].Row += n - 1
			if len(cells[j].Node.Children) == 0 {
				cells[j].RowSpan -= n - 1
			}
		}
	}
	return cells
}

// headerLineStarts are where the header line's four items begin, as shares of the
// width: the seed's line (附件5–8, 附件3–6) is 填报单位（盖章）： and 31 spaces, 填表人：
// and 17, 联系电话： and 27, then 年    月    日: 49, 25, 37 and 14 of 125 columns.
// Each item gets a merged cell of its own from there, so that the spacing holds in
// any font (spaces would depend on the renderer's: half a CJK character in 宋体, a
// fifth in the fallback LibreOffice picks without it).
var headerLineStarts = [4]float64{0, 49.0 / 125, 74.0 / 125, 111.0 / 125}

// headerLineParts are the header line's four items, each for a cell of its own.
func headerLineParts(h model.Header) [4]string {
	date := "      年    月    日"
	if y, m, d, ok := parseISODate(h.Date); ok {
		date = fmt.Sprintf("%d年%d月%d日", y, m, d)
	}
	return [4]string{"填报单位（盖章）：" + h.Unit, "填表人：" + h.Filler, "联系电话：" + h.Phone, date}
}

// headerLineSpans are the display-column ranges of the header line's cells: each
// begins at the first column whose left edge reaches its share of the width. A
// sheet too narrow to spread over gets one cell.
func (g *geometry) headerLineSpans() [][2]int {
	total := g.totalWidth()
	var starts []int
	left := 0.0
	for c := 0; c < g.ncols && len(starts) < len(headerLineStarts); c++ {
		if left >= headerLineStarts[len(starts)]*total-1e-9 {
			starts = append(starts, c)
		}
		left += g.widths[c]
	}
	if len(starts) < len(headerLineStarts) {
		return [][2]int{{0, g.ncols - 1}}
	}
	out := make([][2]int, len(starts))
	for i, s := range starts {
		end := g.ncols - 1
		if i+1 < len(starts) {
			end = starts[i+1] - 1
		}
		out[i] = [2]int{s, end}
	}
	return out
}
