package export

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// formReader reads one form sheet into per-unit-type values.
type formReader struct {
	v      *model.Variant
	f      *model.Form
	g      *grid
	add    func(Problem)
	note   func(Problem)
	byType map[string]map[model.CellKey]model.Number
	where  map[string]map[model.CellKey]string // by unit type
	// cells is the address of every applicable cell of the grid, filled or
	// not, by unit type: a comment typed on a blank cell is that cell's.
	cells map[string]map[model.CellKey]string

	header     *model.Header
	headerCell string
	badDate    string
	draft      bool
	naZeros    []string // not-applicable cells holding 0, read as blank
}

func (fr *formReader) problem(col, row int, format string, args ...any) {
	a := ""
	if col >= 0 {
		a = cell(col, row+1)
	}
	fr.add(Problem{Sheet: fr.g.name, Cell: a, Msg: fmt.Sprintf(format, args...)})
}

// anchor finds the 填报单位类型 cell, the top-left of the grid.
func (fr *formReader) anchor() (int, int, bool) {
	g := fr.g
	for r := 0; r < len(g.rows) && r < 40; r++ {
		for c := range g.rows[r] {
			if norm(g.rows[r][c]) == "填报单位类型" {
				return r, c, true
			}
		}
	}
	return 0, 0, false
}

// readHeaderLine reads everything above the grid: the 草稿 mark of the title, and
// the header line from the cell that says 填报单位 on (one merged cell in ours,
// maybe several cells in a form filled by hand).
func (fr *formReader) readHeaderLine(top int) {
	g := fr.g
	var b strings.Builder
	for r := 0; r < top; r++ {
		for c, s := range g.rows[r] {
			n := norm(s)
			if strings.Contains(n, "草稿") && !strings.Contains(n, "填报单位") {
				fr.draft = true
			}
			if fr.headerCell == "" && strings.Contains(n, "填报单位") {
				fr.headerCell = cell(c, r+1)
			}
			if fr.headerCell != "" {
				b.WriteString(fr.dateText(c, r, s))
				b.WriteString(" ")
			}
		}
	}
	if h, ok, bad := parseHeader(b.String()); ok {
		fr.header, fr.badDate = &h, bad
	}
}

// dateText turns a date that a spreadsheet stored as a serial number (the clerk
// typed 2025/9/28 into a cell of its own) back into 2025年9月28日.
func (fr *formReader) dateText(c, r int, raw string) string {
	x, err := strconv.ParseFloat(raw, 64)
	if err != nil || x < 36526 || x > 73051 { // 2000-01-01 … 2100-01-01
		return raw
	}
	if t, _ := fr.g.x.GetCellType(fr.g.name, cell(c, r+1)); t != excelize.CellTypeUnset && t != excelize.CellTypeNumber {
		return raw
	}
	d, err := excelize.ExcelDateToTime(x, false)
	if err != nil {
		return raw
	}
	return d.Format("2006年1月2日")
}

// displayPaths are the normalised header paths of every display column.
func displayPaths(f *model.Form) [][]string {
	var out [][]string
	var walk func(n *model.Node, path []string)
	walk = func(n *model.Node, path []string) {
		path = append(append([]string(nil), path...), norm(n.H))
		if len(n.Children) == 0 {
			out = append(out, path)
			return
		}
		for _, ch := range n.Children {
			walk(ch, path)
		}
	}
	for _, n := range f.Header {
		walk(n, nil)
	}
	return out
}

// columns maps every display column to a sheet column, by the header texts above
// it; a column whose group texts were lost is still found at its usual place when
// its own text is there.
func (fr *formReader) columns(ar, ac int) ([]int, bool) {
	g, f := fr.g, fr.f
	paths := map[string]int{}
	leafAt := map[int]string{}
	for c := ac; c < g.width(); c++ {
		var p []string
		for r := ar; r < ar+f.Depth; r++ {
			if s := norm(g.val(r, c)); s != "" && (len(p) == 0 || p[len(p)-1] != s) {
				p = append(p, s)
			}
		}
		if len(p) == 0 {
			continue
		}
		if _, dup := paths[strings.Join(p, "/")]; !dup {
			paths[strings.Join(p, "/")] = c
		}
		leafAt[c] = p[len(p)-1]
	}
	cols := make([]int, len(f.Display))
	ok := true
	for i, p := range displayPaths(f) {
		if c, found := paths[strings.Join(p, "/")]; found {
			cols[i] = c
			continue
		}
		if leafAt[ac+i] == p[len(p)-1] {
			cols[i] = ac + i
			continue
		}
		fr.problem(-1, 0, "表头中找不到“%s”（表头被改动过？请在 jibao export --template 导出的空白表上填写）", strings.Join(p, "/"))
		ok = false
	}
	return cols, ok
}

// block is the unit type block being read.
type block struct {
	typ  string
	idx  int
	seen map[string]bool
}

func (fr *formReader) read() {
	g, f := fr.g, fr.f
	ar, ac, ok := fr.anchor()
	if !ok {
		fr.problem(-1, 0, "找不到表头“填报单位类型”：不是季报表的格式")
		return
	}
	fr.readHeaderLine(ar)
	cols, ok := fr.columns(ar, ac)
	if !ok {
		return
	}
	typeCol := -1
	var labelCols []int
	for i, n := range f.Display {
		switch n.Label {
		case "unitType":
			typeCol = cols[i]
		case "row":
			labelCols = append(labelCols, cols[i])
		}
	}
	var cur *block
	end := len(g.rows)
	defer func() { fr.ignored(ar, end, cols) }()
	for r := ar + f.Depth; r < len(g.rows); r++ {
		if fr.isNotes(r) {
			end = r
			break
		}
		if lab := norm(g.val(r, typeCol)); lab != "" {
			t, ok := fr.unitType(lab)
			if !ok {
				if fr.hasData(r, cols) {
					fr.problem(typeCol, r, "“%s”不是本表的单位类型（应为 %s）", g.val(r, typeCol), fr.typeLabels())
				} else if !g.covered(r, typeCol) {
					fr.note(Problem{Sheet: g.name, Cell: cell(typeCol, r+1), Msg: fmt.Sprintf("“%s”这一行未读取（不是本表的单位类型）", clip(g.val(r, typeCol)))})
				}
				cur = nil
				continue
			}
			if cur == nil || cur.typ != t.ID {
				cur = &block{typ: t.ID, seen: map[string]bool{}}
			}
		} else if cur == nil {
			if fr.hasData(r, cols) {
				fr.problem(typeCol, r, "这一行有数字，但不在任何单位类型（%s）的栏目内", fr.typeLabels())
			}
			continue
		}
		rd, found := fr.rowDef(r, labelCols)
		if !found && cur.idx < len(f.Rows) {
			rd, found = f.Rows[cur.idx], true
		}
		cur.idx++
		if !found || cur.seen[rd.ID] {
			if fr.hasData(r, cols) {
				fr.problem(typeCol, r, "多出的一行：%s每类单位只有 %d 行", f.Name(), len(f.Rows))
			}
			continue
		}
		cur.seen[rd.ID] = true
		fr.readRow(r, rd, cur.typ, cols)
	}
	if len(fr.naZeros) > 0 {
		list := fr.naZeros
		if len(list) > 6 {
			list = append(list[:6:6], "…")
		}
		fr.note(Problem{Sheet: g.name, Msg: fmt.Sprintf("%d 个不适用的格填了 0（%s），按空白读取", len(fr.naZeros), strings.Join(list, "、"))})
	}
}

// ignored notes what the sheet holds that was not read: columns beside the
// grid (a 备注 column), text under the notes, cells past the rows and columns
// a form can have. The grid's own rows were looked at by read.
func (fr *formReader) ignored(ar, notes int, cols []int) {
	g := fr.g
	read := map[int]bool{}
	for _, c := range cols {
		read[c] = true
	}
	// Columns: from the header down to the notes.
	for c := 0; c < g.width(); c++ {
		if read[c] {
			continue
		}
		first, head, n := "", "", 0
		for r := ar; r < notes; r++ {
			if v := strings.TrimSpace(g.raw(r, c)); v != "" && !g.covered(r, c) {
				if first == "" {
					first = cell(c, r+1)
				}
				if head == "" && r < ar+fr.f.Depth {
					head = v
				}
				n++
			}
		}
		switch {
		case n == 0:
		case head != "":
			fr.note(Problem{Sheet: g.name, Cell: first, Msg: fmt.Sprintf("“%s”一栏（%d 处内容）不是本表的栏目，未读取", clip(head), n)})
		default:
			fr.note(Problem{Sheet: g.name, Cell: first, Msg: fmt.Sprintf("表格旁的内容（本列 %d 处）未读取", n)})
		}
	}
	// Under the notes: anything but the notes themselves (one merged cell in
	// ours, one row per note in a template typed by hand).
	want := norm(fr.f.Notes)
	for r := notes; r < len(g.rows); r++ {
		for c, v := range g.rows[r] {
			if n := norm(v); n == "" || g.covered(r, c) || strings.Contains(want, n) || (r == notes && c == 0) {
				continue
			}
			fr.note(Problem{Sheet: g.name, Cell: cell(c, r+1), Msg: fmt.Sprintf("表格下方的“%s”未读取", clip(v))})
			r = len(g.rows) // one note is enough to send the clerk looking
			break
		}
	}
	if g.beyond != "" {
		fr.note(Problem{Sheet: g.name, Cell: g.beyond, Msg: fmt.Sprintf("超出季报表范围（%d 行 × %d 列）的内容未读取", DefaultLimits.Rows, DefaultLimits.Cols)})
	}
}

// clip shortens a cell's text for a one-line note.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

func (fr *formReader) readRow(r int, rd model.RowDef, typ string, cols []int) {
	g, f := fr.g, fr.f
	vals := fr.byType[typ]
	if vals == nil {
		vals = map[model.CellKey]model.Number{}
		fr.byType[typ] = vals
		fr.where[typ] = map[model.CellKey]string{}
	}
	if fr.cells[typ] == nil {
		fr.cells[typ] = map[model.CellKey]string{}
	}
	for _, c := range f.Columns {
		sc := cols[c.Display]
		if g.covered(r, sc) {
			continue // a merged block-wide cell: its value is in the block's first row
		}
		raw := g.raw(r, sc)
		a := cell(sc, r+1)
		if !f.Applicable(rd.ID, c.ID) {
			if isDash(raw) {
				continue
			}
			if n, err := fr.number(c, a, raw); err == nil && n == 0 {
				fr.naZeros = append(fr.naZeros, a)
				continue
			}
			fr.problem(sc, r, "%s：此格不适用（%s），应留空", c.ShortName(), f.NotApplicableWhy(rd.ID, c.ID))
			continue
		}
		if ck := (model.CellKey{Form: f.ID, Row: f.CellRow(rd.ID, c.ID), Col: c.ID}); fr.cells[typ][ck] == "" {
			fr.cells[typ][ck] = g.name + "!" + a // a block-wide cell: its first row
		}
		if strings.TrimSpace(raw) == "" {
			// A formula saved by a program that does not calculate (a script, some
			// converters) has no value: say so rather than read it as blank.
			if fx, _ := g.x.GetCellFormula(g.name, a); fx != "" {
				fr.problem(sc, r, "%s：公式 =%s 没有计算结果；请在 Excel 或 WPS 中打开并保存后再导入", c.ShortName(), fx)
			}
			continue
		}
		if f.Merged(rd.ID, c.ID) && isDash(raw) {
			continue
		}
		// 无, -, /, — where a number is due: the parser says 若无请填 0, as it
		// does for the grid's typing and paste.
		n, err := fr.number(c, a, raw)
		if errors.Is(err, model.ErrBlank) {
			continue
		}
		if err != nil {
			fr.problem(sc, r, "%s：%v", c.ShortName(), err)
			continue
		}
		key := model.CellKey{Form: f.ID, Row: f.CellRow(rd.ID, c.ID), Col: c.ID}
		if f.Merged(rd.ID, c.ID) {
			// An unmerged copy of a block-wide cell must agree with the first row.
			if old, ok := vals[key]; !ok || old != n {
				fr.problem(sc, r, "%s：此栏每类单位只填一次（填在第一行，本行应合并或留空）", c.ShortName())
			}
			continue
		}
		vals[key] = n
		fr.where[typ][key] = g.name + "!" + a
	}
}

// number reads a number cell: refused when the spreadsheet holds a date, a
// time, TRUE/FALSE or an error there (Excel and WPS turn a typed 3-5 into a
// date), or a formula whose saved result is not a number; else its value (or
// text) through the model's parser.
func (fr *formReader) number(c *model.Column, a, raw string) (model.Number, error) {
	if why := fr.g.notNumber(a, raw); why != "" {
		return 0, errors.New(why)
	}
	t, _ := fr.g.x.GetCellType(fr.g.name, a)
	return fr.v.ParseCell(c, numericText(raw, t))
}

// rowDef reads the row's label (国标, 市级…) from the row label columns.
func (fr *formReader) rowDef(r int, labelCols []int) (model.RowDef, bool) {
	for _, c := range labelCols {
		s := norm(fr.g.val(r, c))
		if s == "" {
			continue
		}
		for _, rd := range fr.f.Rows {
			if norm(rd.Label) == s {
				return rd, true
			}
		}
	}
	return model.RowDef{}, false
}

func (fr *formReader) unitType(label string) (model.UnitType, bool) {
	for _, t := range fr.v.UnitTypes {
		if norm(t.Label) == label && (!fr.f.TownshipOnly || t.Township) {
			return t, true
		}
	}
	return model.UnitType{}, false
}

func (fr *formReader) typeLabels() string {
	var out []string
	for _, t := range fr.v.UnitTypes {
		if !fr.f.TownshipOnly || t.Township {
			out = append(out, t.Label)
		}
	}
	return strings.Join(out, "、")
}

// hasData reports whether any number cell of a row holds something.
func (fr *formReader) hasData(r int, cols []int) bool {
	for _, c := range fr.f.Columns {
		sc := cols[c.Display]
		if !fr.g.covered(r, sc) && !isDash(fr.g.raw(r, sc)) {
			return true
		}
	}
	return false
}

// isNotes reports whether the row starts the notes (注) under the grid.
func (fr *formReader) isNotes(r int) bool {
	for _, s := range fr.g.rows[r] {
		if n := norm(s); n != "" {
			return strings.HasPrefix(n, "注")
		}
	}
	return false
}
