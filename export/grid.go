package export

import "github.com/xuri/excelize/v2"

// cellGrid gathers a form sheet's cells for excelize's stream writer, which
// takes rows in order once: the layout writes the header, the blocks and the
// notes in the order it reads best, and the grid hands them over row by row.
// The summary's 表四 lists every township-level unit; written cell by cell it
// was a quarter of the 2,000-unit workbook's time, kept as a tree of objects
// until saved. Memory: one excelize.Cell per written cell.
type cellGrid struct {
	rows   [][]any // rows[r-1][c]: an excelize.Cell, or nil for no cell
	merges [][2]string
}

// set writes a value (nil keeps the cell's) and a style into 0-based col and
// 1-based row, as SetCellValue and SetCellStyle do.
func (g *cellGrid) set(col, row int, value any, style int) {
	for len(g.rows) < row {
		g.rows = append(g.rows, nil)
	}
	r := g.rows[row-1]
	for len(r) <= col {
		r = append(r, nil)
	}
	c, _ := r[col].(excelize.Cell)
	if value != nil {
		c.Value = value
	}
	c.StyleID = style
	r[col] = c
	g.rows[row-1] = r
}

// style styles every cell of a range, as SetCellStyle does.
func (g *cellGrid) style(c1, r1, c2, r2, style int) {
	for r := r1; r <= r2; r++ {
		for c := c1; c <= c2; c++ {
			g.set(c, r, nil, style)
		}
	}
}

// merge merges a range, as MergeCell does.
func (g *cellGrid) merge(c1, r1, c2, r2 int) {
	g.merges = append(g.merges, [2]string{cell(c1, r1), cell(c2, r2)})
}

// flush writes the rows through a stream writer, with their heights. The
// sheet's other settings (columns, panes, page set-up, validation) are set on
// it before: the stream writer carries them over. Nothing may have been
// written to the sheet's cells or merges through the cell API: the stream
// writer replaces its sheet data and drops those merges.
func (g *cellGrid) flush(x *excelize.File, name string, heights map[int]float64) error {
	sw, err := x.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for _, m := range g.merges {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	last := len(g.rows)
	for r := range heights {
		last = max(last, r)
	}
	for r := 1; r <= last; r++ {
		var cells []any
		if r <= len(g.rows) {
			cells = g.rows[r-1]
		}
		h, tall := heights[r]
		if len(cells) == 0 && !tall {
			continue
		}
		if err := sw.SetRow(cell(0, r), cells, excelize.RowOpts{Height: h}); err != nil {
			return err
		}
	}
	g.rows = nil
	return sw.Flush()
}
