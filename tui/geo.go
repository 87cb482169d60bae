package tui

import (
	"sort"

	"jibao/model"
)

// formGeo is what the grid derives once from a form's definition: which leaves are
// body columns, where each number column sits, and the orders Tab and Enter walk.
// Nothing here names a column: any form of the catalog lays out the same way.
type formGeo struct {
	f        *model.Form
	rows     []geoRow    // the grid's rows: the unit's block, or a summary's blocks
	frozen   *model.Node // the unit-type label column, shown in the frozen pane
	body     []*model.Node
	bodyCol  []*model.Column // per body column; nil for a label column
	colBody  []int           // number column index -> body index
	dispBody []int           // display index -> body index (-1 for the frozen column)
	rowMajor []model.CellKey // Tab order
	colMajor []model.CellKey // Enter-down order
	rmIdx    map[model.CellKey]int
	cmIdx    map[model.CellKey]int
	hcells   []model.HeaderCell
	groups   []int  // number column index of each top-level group's first column
	gstart   []bool // per body column: it starts a top-level header group
}

// geoRow is one row of the grid: a row of the form, in the block of one unit
// type or one unit (a summary shows several blocks; a report, its unit's one).
type geoRow struct {
	def   model.RowDef
	label string // the frozen pane's text; "" shows the row's label or the unit type
	src   int    // which block's values the row shows
}

func newFormGeo(f *model.Form) *formGeo { return newFormGeoRows(f, nil) }

// newFormGeoRows lays out a form over the given rows (nil: the form's own).
func newFormGeoRows(f *model.Form, rows []geoRow) *formGeo {
	if rows == nil {
		for _, r := range f.Rows {
			rows = append(rows, geoRow{def: r})
		}
	}
	g := &formGeo{f: f, rows: rows, rmIdx: map[model.CellKey]int{}, cmIdx: map[model.CellKey]int{}}
	g.colBody = make([]int, len(f.Columns))
	g.dispBody = make([]int, len(f.Display))
	for i, n := range f.Display {
		if n.Label == "unitType" && g.frozen == nil {
			g.frozen = n
			g.dispBody[i] = -1
			continue
		}
		g.dispBody[i] = len(g.body)
		g.body = append(g.body, n)
		g.bodyCol = append(g.bodyCol, nil)
	}
	for _, c := range f.Columns {
		b := g.dispBody[c.Display]
		g.bodyCol[b] = c
		g.colBody[c.Index] = b
	}
	g.rowMajor = f.Cells()
	g.colMajor = append([]model.CellKey(nil), g.rowMajor...)
	rowIdx := map[string]int{}
	for i, r := range f.Rows {
		rowIdx[r.ID] = i
	}
	sort.SliceStable(g.colMajor, func(i, j int) bool {
		a, b := f.Column(g.colMajor[i].Col).Index, f.Column(g.colMajor[j].Col).Index
		if a != b {
			return a < b
		}
		return rowIdx[g.colMajor[i].Row] < rowIdx[g.colMajor[j].Row]
	})
	for i, k := range g.rowMajor {
		g.rmIdx[k] = i
	}
	for i, k := range g.colMajor {
		g.cmIdx[k] = i
	}
	g.hcells = f.HeaderCells()
	g.gstart = make([]bool, len(g.body))
	for _, hc := range g.hcells {
		if hc.Row == 0 {
			if b := g.dispBody[hc.Col]; b >= 0 {
				g.gstart[b] = true
			}
		}
	}
	last := -1
	for _, c := range f.Columns {
		if c.Group != last {
			g.groups = append(g.groups, c.Index)
			last = c.Group
		}
	}
	return g
}

// editable reports whether the cursor may rest on a cell.
func (g *formGeo) editable(row, col int) bool {
	if row < 0 || row >= len(g.rows) || col < 0 || col >= len(g.f.Columns) {
		return false
	}
	r, c := g.rows[row].def.ID, g.f.Columns[col].ID
	return g.f.Applicable(r, c) && !g.f.Merged(r, c)
}

// blockStart is the first row of the block a row is in (where a block-wide
// 表一 cell is drawn and entered).
func (g *formGeo) blockStart(row int) int {
	for row > 0 && g.rows[row-1].src == g.rows[row].src {
		row--
	}
	return row
}

// key is the stored key of the cell at a grid position.
func (g *formGeo) key(row, col int) model.CellKey {
	r, c := g.rows[row].def.ID, g.f.Columns[col].ID
	return model.CellKey{Form: g.f.ID, Row: g.f.CellRow(r, c), Col: c}
}

// pos is the grid position of a stored key.
func (g *formGeo) pos(k model.CellKey) (row, col int) {
	for i := len(g.rows) - 1; i >= 0; i-- { // the first row with the key's row
		if g.rows[i].def.ID == k.Row {
			row = i
		}
	}
	if c := g.f.Column(k.Col); c != nil {
		col = c.Index
	}
	return
}

// rowText is what the frozen pane shows for a row: its label, or the unit type for
// forms with one row per unit.
func (g *formGeo) rowText(row int, unitType string) string {
	if l := g.rows[row].label; l != "" {
		return l
	}
	if l := g.rows[row].def.Label; l != "" {
		return l
	}
	return unitType
}
