package export

import (
	"errors"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// book is a workbook being read, each sheet's grid loaded once.
type book struct {
	x      *excelize.File
	grids  map[string]*grid
	errs   map[string]error
	beyond map[string]string // sheet → a value cut before excelize read it
}

func newBook(x *excelize.File) *book {
	return &book{x: x, grids: map[string]*grid{}, errs: map[string]error{}}
}

func (b *book) grid(name string) (*grid, error) {
	if g, ok := b.grids[name]; ok {
		return g, b.errs[name]
	}
	g, err := loadGrid(b.x, name, DefaultLimits)
	if g != nil && g.beyond == "" {
		g.beyond = b.beyond[name]
	}
	b.grids[name], b.errs[name] = g, err
	return g, err
}

// findSheet finds a form's sheet: by its official name, else by its title in the
// first rows (the clerk may have renamed the sheets).
func (b *book) findSheet(v *model.Variant, f *model.Form) (string, bool) {
	want := norm(SheetName(f))
	title := norm(f.Title(v.Year))
	for _, s := range b.x.GetSheetList() {
		if norm(s) == want && b.hasTitle(s, title) {
			return s, true
		}
	}
	if list := b.sheetsWithTitle(f.Title(v.Year)); len(list) > 0 {
		return list[0], true
	}
	return "", false
}

// sheetsWithTitle lists the sheets whose first rows carry a form's title.
func (b *book) sheetsWithTitle(title string) []string {
	var out []string
	for _, s := range b.x.GetSheetList() {
		if b.hasTitle(s, norm(title)) {
			out = append(out, s)
		}
	}
	return out
}

func (b *book) hasTitle(sheet, title string) bool {
	g, err := b.grid(sheet)
	if err != nil {
		return false
	}
	rows := g.rows
	for i := 0; i < len(rows) && i < 8; i++ {
		for _, c := range rows[i] {
			if strings.Contains(norm(c), title) {
				return true
			}
		}
	}
	return false
}

// hasContent reports whether a sheet holds any text or number.
func (b *book) hasContent(sheet string) bool {
	g, err := b.grid(sheet)
	if err != nil {
		return true
	}
	for _, row := range g.rows {
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				return true
			}
		}
	}
	return g.beyond != ""
}

// grid is a sheet's cells with merged ranges resolved.
type grid struct {
	x     *excelize.File
	name  string
	rows  [][]string
	owner map[[2]int][2]int // a cell inside a merged range (0-based) → its top-left
	// beyond is the first cell with content past the rows and columns a form
	// can have, which was not read; "" when there is none.
	beyond  string
	formats map[int]int // style index → fmtNumber, fmtDate, fmtTime
}

// maxSheetRows is where reading a sheet's rows ends for good: Excel's own
// limit, which a row number in the XML may claim to exceed.
const maxSheetRows = 1 << 20

// loadGrid reads a sheet's cells row by row, keeping at most lim.Rows rows of
// lim.Cols columns: more than any form's layout holds (a form is some 30 rows
// by 40 columns), so the cost is bounded whatever the sheet claims. Past the
// bound it only looks for the first cell with content, to say it was not read.
func loadGrid(x *excelize.File, name string, lim Limits) (*grid, error) {
	it, err := x.Rows(name)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	g := &grid{x: x, name: name, owner: map[[2]int][2]int{}}
	for r := 0; r < maxSheetRows && it.Next(); r++ {
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		for c := range cols {
			if (r >= lim.Rows || c >= lim.Cols) && strings.TrimSpace(cols[c]) != "" {
				g.beyond = cell(c, r+1)
				break
			}
		}
		if g.beyond != "" && r >= lim.Rows {
			break
		}
		if r < lim.Rows {
			g.rows = append(g.rows, cols[:min(len(cols), lim.Cols)])
		}
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	for len(g.rows) > 0 && len(g.rows[len(g.rows)-1]) == 0 {
		g.rows = g.rows[:len(g.rows)-1]
	}
	mcs, err := x.GetMergeCells(name, true)
	if err != nil {
		return nil, err
	}
	budget := 4 * lim.Rows * lim.Cols // a form's merged ranges cover each cell once
	for _, m := range mcs {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		// Only the part inside the rows and columns read matters; a range
		// claiming the whole sheet must not make a map of 17 billion cells.
		r2, c2 = min(r2, len(g.rows)), min(c2, lim.Cols)
		if budget -= max(0, r2-r1+1) * max(0, c2-c1+1); budget < 0 {
			return nil, errors.New("too many merged cells")
		}
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				g.owner[[2]int{r - 1, c - 1}] = [2]int{r1 - 1, c1 - 1}
			}
		}
	}
	return g, nil
}

// raw is the cell's own value.
func (g *grid) raw(r, c int) string {
	if r < 0 || r >= len(g.rows) || c < 0 || c >= len(g.rows[r]) {
		return ""
	}
	return g.rows[r][c]
}

// val is what the cell shows: the value of its merged range, if in one.
func (g *grid) val(r, c int) string {
	if o, ok := g.owner[[2]int{r, c}]; ok {
		return g.raw(o[0], o[1])
	}
	return g.raw(r, c)
}

// covered reports whether the cell is inside a merged range but not its top-left.
func (g *grid) covered(r, c int) bool {
	o, ok := g.owner[[2]int{r, c}]
	return ok && o != [2]int{r, c}
}

func (g *grid) width() int {
	w := 0
	for _, row := range g.rows {
		w = max(w, len(row))
	}
	return w
}
