package export

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// Undecided marks, in a catalog draft, what the workbook cannot tell and a person
// must decide before the catalog is added (a since-date, a name, a due rule).
// `jibao forms check` lists every place that still says it.
const Undecided = "待定"

// Bounds of a form template: far above any 季报表 (表四 has 50 columns), far below
// what would make reading a hostile file slow.
const (
	templateMaxRows = 400
	templateMaxCols = 200
)

// knownUnits are the units of measure a header text may end with; a text ending
// in （家） or in 人次 counts in that unit.
var knownUnits = []string{"万元", "家次", "人次", "场次", "家", "人", "条", "个", "份", "所", "次", "项", "处", "名", "元"}

// CatalogDraft reads a workbook laid out like the official forms — 附件N, the
// title, the 填报单位 line, a merged multi-level header, the row-label columns
// (单位类型, 达标类型, 层级…), notes starting 注 — into a catalog draft of one
// variant: the column tree from the merged header cells, units of measure from
// the header texts, row blocks from the label columns, not-applicable cells from
// their dashes, the notes word for word, and the due rule when the notes state it.
// What the workbook cannot say is marked Undecided. Every sheet with a header is
// a form; the others are named in the returned notes. Cost: one pass over each
// sheet's cells, bounded by templateMaxRows × templateMaxCols.
func CatalogDraft(x *excelize.File, year int) (*model.Catalog, []string, error) {
	cat := &model.Catalog{Format: model.CatalogFormat, Name: Undecided, Year: year,
		Kinds: map[string]model.KindDef{"count": {Max: "99999999"}, "money": {Max: "99999999.99", Decimals: 2}}}
	vd := &model.VariantDef{ID: Undecided, Name: Undecided, Region: Undecided, Issuer: Undecided,
		Office: Undecided, Subject: Undecided, Due: model.DueRule{Kind: Undecided}}
	var notes []string
	types := map[string]bool{}
	blocks := map[*model.FormDef][]string{}
	for i, name := range x.GetSheetList() {
		s, err := readTemplateSheet(x, name, year)
		if err != nil {
			return nil, nil, err
		}
		if s == nil {
			notes = append(notes, fmt.Sprintf("工作表 %s 没有表头，未读取", name))
			continue
		}
		fd, vf := s.def, s.vf
		blocks[fd] = s.blocks
		fd.ID = fmt.Sprintf("t%d", i+1)
		vf.ID = fd.ID
		if n := formNumber(vf.Title); n != "" {
			fd.Number = n
		} else {
			fd.Number = strconv.Itoa(i + 1)
		}
		cat.Forms = append(cat.Forms, fd)
		vd.Forms = append(vd.Forms, vf)
		for _, b := range s.blocks {
			if !types[b] {
				types[b] = true
				vd.UnitTypes = append(vd.UnitTypes, model.UnitType{ID: fmt.Sprintf("type%d", len(vd.UnitTypes)+1), Label: b})
			}
		}
		if vd.Due.Kind == Undecided {
			vd.Due = dueFromNotes(vf.Notes)
		}
		if cat.Name == Undecided {
			cat.Name = nameFromTitle(vf.Title)
		}
	}
	if len(cat.Forms) == 0 {
		return nil, nil, fmt.Errorf("工作簿中没有一张表头可读的表（需：附件N、标题、填报单位行、合并的多级表头）")
	}
	// A form that only some unit types fill (表四: the townships) marks those
	// types as the township types.
	for _, fd := range cat.Forms {
		if s := blocks[fd]; len(s) < len(vd.UnitTypes) {
			fd.TownshipOnly = true
			for i := range vd.UnitTypes {
				for _, b := range s {
					if vd.UnitTypes[i].Label == b {
						vd.UnitTypes[i].Township = true
					}
				}
			}
		}
	}
	cat.Variants = []*model.VariantDef{vd}
	return cat, notes, nil
}

type templateSheet struct {
	def    *model.FormDef
	vf     model.VariantForm
	blocks []string
}

// region is one merged range (or a lone cell), 1-based and inclusive.
type region struct {
	r1, c1, r2, c2 int
	text           string
}

func readTemplateSheet(x *excelize.File, sheet string, year int) (*templateSheet, error) {
	rows, err := boundedRows(x, sheet)
	if err != nil {
		return nil, err
	}
	at := func(r, c int) string {
		if r < 1 || r > len(rows) || c < 1 || c > len(rows[r-1]) {
			return ""
		}
		return strings.TrimSpace(rows[r-1][c-1])
	}
	merges, err := x.GetMergeCells(sheet)
	if err != nil {
		return nil, fmt.Errorf("工作表 %s: 合并单元格无法读取", sheet)
	}
	byTop := map[[2]int]region{}
	covered := map[[2]int]bool{}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		byTop[[2]int{r1, c1}] = region{r1, c1, r2, c2, joinLines(m.GetCellValue())}
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				covered[[2]int{r, c}] = true
			}
		}
	}
	cellRegion := func(r, c int) (region, bool) {
		if g, ok := byTop[[2]int{r, c}]; ok {
			return g, true
		}
		if covered[[2]int{r, c}] {
			return region{}, false
		}
		return region{r, c, r, c, joinLines(at(r, c))}, true
	}
	// 附件N, the title and the 填报单位 line, in the first rows.
	var attachment, title string
	lineRow := 0
	for r := 1; r <= min(len(rows), 10) && lineRow == 0; r++ {
		t := firstText(rows[r-1])
		switch {
		case t == "":
		case attachment == "" && title == "" && strings.HasPrefix(t, "附件"):
			attachment = t
		case strings.HasPrefix(t, "填报单位"):
			lineRow = r
		case title == "":
			title = t
		}
	}
	if lineRow == 0 || title == "" {
		return nil, nil
	}
	top := lineRow + 1
	first, ok := cellRegion(top, 1)
	if !ok || first.text == "" {
		return nil, fmt.Errorf("%s!%s: 表头第一格为空（应为“填报单位类型”等，并向下合并到表头最后一行）", sheet, cellName(1, top))
	}
	bottom := first.r2
	width := 0
	for c := 1; c <= templateMaxCols; c++ {
		if g, ok := cellRegion(top, c); ok && g.text != "" {
			width = max(width, g.c2)
		}
	}
	// Any merge that starts inside the header reaches to its end.
	for changed := true; changed; {
		changed = false
		for r := top; r <= bottom; r++ {
			for c := 1; c <= width; c++ {
				if g, ok := byTop[[2]int{r, c}]; ok && g.r2 > bottom {
					bottom, changed = g.r2, true
				}
			}
		}
	}
	var cells []region
	for r := top; r <= bottom; r++ {
		for c := 1; c <= width; c++ {
			if g, ok := cellRegion(r, c); ok && g.text != "" {
				cells = append(cells, g)
			}
		}
	}
	// Leaves reach the header's last row; each covers one column.
	leafAt := map[int]region{}
	for _, g := range cells {
		if g.r2 == bottom {
			if g.c1 != g.c2 {
				return nil, fmt.Errorf("%s!%s: 表头“%s”在最后一行跨了 %d 列，一列一个表头", sheet, cellName(g.c1, g.r1), g.text, g.c2-g.c1+1)
			}
			leafAt[g.c1] = g
		}
	}
	for c := 1; c <= width; c++ {
		if _, ok := leafAt[c]; !ok {
			return nil, fmt.Errorf("%s!%s: 这一列没有表头（表头须每列都有，合并的表头向下合并到第 %d 行）", sheet, cellName(c, bottom), bottom)
		}
	}
	// The data rows run from under the header to the notes (注…).
	notesRow := 0
	for r := bottom + 1; r <= len(rows); r++ {
		if t := firstText(rows[r-1]); strings.HasPrefix(t, "注") {
			notesRow = r
			break
		}
	}
	last := len(rows)
	if notesRow > 0 {
		last = notesRow - 1
	}
	if last <= bottom {
		return nil, fmt.Errorf("%s!%s: 表头下没有数据行（每类单位至少一行）", sheet, cellName(1, bottom+1))
	}
	// Label columns hold text in the data rows; number columns hold nothing,
	// numbers, or the dash of a not-applicable cell.
	label := map[int]bool{1: true}
	for c := 2; c <= width; c++ {
		for r := bottom + 1; r <= last; r++ {
			if g, ok := cellRegion(r, c); ok && g.text != "" && !isDash(g.text) && !isNumber(g.text) {
				label[c] = true
			}
		}
	}
	// Blocks: the first column's cells (merged over a block's rows).
	type block struct {
		label    string
		top, bot int
	}
	var blocks []block
	for r := bottom + 1; r <= last; {
		g, ok := cellRegion(r, 1)
		if !ok || g.text == "" {
			return nil, fmt.Errorf("%s!%s: 填报单位类型为空（每个行块第一列写单位类型）", sheet, cellName(1, r))
		}
		blocks = append(blocks, block{g.text, r, g.r2})
		r = g.r2 + 1
	}
	b0 := blocks[0]
	fd := &model.FormDef{}
	for r := b0.top; r <= b0.bot; r++ {
		lab := ""
		for c := 2; c <= width; c++ {
			if g, ok := cellRegion(r, c); ok && label[c] && g.text != "" {
				lab = g.text
				break
			}
		}
		fd.Rows = append(fd.Rows, model.RowDef{ID: fmt.Sprintf("r%d", r-b0.top+1), Label: lab})
	}
	if len(fd.Rows) == 1 {
		fd.Rows[0].ID = "r"
	}
	for _, b := range blocks[1:] {
		if b.bot-b.top != b0.bot-b0.top {
			return nil, fmt.Errorf("%s!%s: 行块“%s”有 %d 行，“%s”有 %d 行：每类单位的行须相同", sheet, cellName(1, b.top), b.label, b.bot-b.top+1, b0.label, b0.bot-b0.top+1)
		}
	}
	// The column tree: a cell's parent is the lowest cell above it whose columns
	// contain its own.
	nodes := make([]*model.Node, len(cells))
	var roots []*model.Node
	ids := map[int]string{}
	n := 0
	for c := 1; c <= width; c++ {
		if !label[c] {
			n++
			ids[c] = fmt.Sprintf("c%d", n)
		}
	}
	scopes := map[int]string{}
	na := map[string][]string{}
	for i, g := range cells {
		nd := &model.Node{H: g.text, Unit: headerUnit(g.text)}
		if g.r2 == bottom {
			switch {
			case g.c1 == 1:
				nd.Label = "unitType"
			case label[g.c1]:
				nd.Label = "row"
			default:
				nd.ID = ids[g.c1]
				scopes[g.c1] = model.ScopeRow
				if len(fd.Rows) > 1 {
					if m, ok := byTop[[2]int{b0.top, g.c1}]; ok && m.r2 == b0.bot {
						scopes[g.c1] = model.ScopeBlock
					}
				}
				for r := b0.top; r <= b0.bot; r++ {
					if v, ok := cellRegion(r, g.c1); ok && v.text != "" && isDash(v.text) {
						row := fd.Rows[r-b0.top].ID
						na[row] = append(na[row], nd.ID)
					}
				}
			}
		}
		nodes[i] = nd
		parent := -1
		for j, p := range cells {
			if p.r2 < g.r1 && p.c1 <= g.c1 && g.c2 <= p.c2 && (parent < 0 || p.r2 > cells[parent].r2) {
				parent = j
			}
		}
		if parent < 0 {
			roots = append(roots, nd)
		} else {
			nodes[parent].Children = append(nodes[parent].Children, nd)
		}
	}
	for _, nd := range nodes {
		if len(nd.Children) > 0 && (nd.ID != "" || nd.Label != "") {
			return nil, fmt.Errorf("%s: 表头“%s”下面还有表头，却到了表头最后一行", sheet, nd.H)
		}
	}
	fd.Columns = roots
	fd.Since = Undecided
	fd.Scope = majorityScope(scopes)
	setScopes(scopes, fd.Scope, cells, nodes)
	rowsOrder := make([]string, 0, len(na))
	for r := range na {
		rowsOrder = append(rowsOrder, r)
	}
	sort.Strings(rowsOrder)
	for _, r := range rowsOrder {
		fd.NotApplicable = append(fd.NotApplicable, model.NADef{Row: r, Columns: na[r]})
	}
	vf := model.VariantForm{Attachment: attachment, Title: yearToPlaceholder(title, year)}
	if notesRow > 0 {
		vf.Notes = strings.TrimSpace(at(notesRow, 1))
		if g, ok := byTop[[2]int{notesRow, 1}]; ok {
			vf.Notes = strings.TrimSpace(g.text)
		}
	}
	s := &templateSheet{def: fd, vf: vf}
	for _, b := range blocks {
		s.blocks = append(s.blocks, b.label)
	}
	return s, nil
}

// setScopes writes each number column's scope where it differs from the form's.
func setScopes(scopes map[int]string, def string, cells []region, nodes []*model.Node) {
	for i, nd := range nodes {
		if nd.ID != "" && scopes[cells[i].c1] != def {
			nd.Scope = scopes[cells[i].c1]
		}
	}
}

func majorityScope(scopes map[int]string) string {
	n := 0
	for _, s := range scopes {
		if s == model.ScopeBlock {
			n++
		}
	}
	if n*2 > len(scopes) {
		return model.ScopeBlock
	}
	return model.ScopeRow
}

// boundedRows reads a sheet's cells row by row and refuses a sheet larger than
// any form, before it is read whole.
func boundedRows(x *excelize.File, sheet string) ([][]string, error) {
	it, err := x.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("工作表 %s 无法读取", sheet)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) >= templateMaxRows {
			return nil, fmt.Errorf("工作表 %s 超过 %d 行，不像一张季报表的表样", sheet, templateMaxRows)
		}
		r, err := it.Columns()
		if err != nil {
			return nil, fmt.Errorf("工作表 %s 第 %d 行无法读取", sheet, len(rows)+1)
		}
		if len(r) > templateMaxCols {
			return nil, fmt.Errorf("工作表 %s 第 %d 行超过 %d 列，不像一张季报表的表样", sheet, len(rows)+1, templateMaxCols)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func cellName(c, r int) string {
	s, _ := excelize.CoordinatesToCellName(c, r)
	return s
}

// joinLines joins a header text that the sheet wraps over lines.
func joinLines(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r\n", "", "\n", "", "\r", "").Replace(s))
}

func firstText(row []string) string {
	for _, c := range row {
		if t := strings.TrimSpace(c); t != "" {
			return t
		}
	}
	return ""
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil
}

var unitSuffix = regexp.MustCompile(`（([^（）]{1,3})）$`)

// headerUnit is the unit of measure a header text ends with: （家）, or a bare 人次.
func headerUnit(h string) string {
	if m := unitSuffix.FindStringSubmatch(h); m != nil {
		for _, u := range knownUnits {
			if m[1] == u {
				return u
			}
		}
		return ""
	}
	for _, u := range []string{"人次", "场次", "家次"} {
		if strings.HasSuffix(h, u) {
			return u
		}
	}
	return ""
}

var yearInTitle = regexp.MustCompile(`(\d{4})年`)

// yearToPlaceholder puts {year} where the title names the catalog's year.
func yearToPlaceholder(title string, year int) string {
	y := strconv.Itoa(year)
	if strings.Contains(title, y+"年") {
		return strings.Replace(title, y+"年", "{year}年", 1)
	}
	if m := yearInTitle.FindStringSubmatchIndex(title); m != nil {
		return title[:m[2]] + "{year}" + title[m[3]:]
	}
	return title
}

var formNo = regexp.MustCompile(`（([一二三四五六七八九十]+)）\s*$`)

func formNumber(title string) string {
	if m := formNo.FindStringSubmatch(title); m != nil {
		return m[1]
	}
	return ""
}

// nameFromTitle is the form set's name: the title without the region before the
// campaign and without the form number.
func nameFromTitle(title string) string {
	t := formNo.ReplaceAllString(title, "")
	return t
}

var (
	dueEndMonth  = regexp.MustCompile(`每季度末月(\d{1,2})日前上报`)
	dueNextFirst = regexp.MustCompile(`每季度首月(\d{1,2})日前上报`)
)

// dueFromNotes reads the due rule the notes state (每季度末月30日前上报; 每季度首月1日前上报).
func dueFromNotes(notes string) model.DueRule {
	if m := dueEndMonth.FindStringSubmatch(notes); m != nil {
		d, _ := strconv.Atoi(m[1])
		return model.DueRule{Kind: "quarterEndMonth", Day: d}
	}
	if m := dueNextFirst.FindStringSubmatch(notes); m != nil {
		d, _ := strconv.Atoi(m[1])
		return model.DueRule{Kind: "nextQuarterFirstMonth", Day: d}
	}
	return model.DueRule{Kind: Undecided}
}
