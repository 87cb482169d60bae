package model

import (
	"fmt"
	"strings"
)

// Kind is what a number column holds.
type Kind string

// The kinds of value a cell may hold.
const (
	KindCount Kind = "count" // whole number ≥ 0: 家, 人, 条, 个, 份, 场次, 家次, 人次
	KindMoney Kind = "money" // 万元, ≥ 0, at most two decimals
)

// Scopes of a number column within a unit type's block.
const (
	ScopeBlock = "block" // entered once per block (merged over its rows)
	ScopeRow   = "row"   // entered in every row
)

// Variant is a resolved edition of the form set: everything the grid, the store, the
// exporter and the summary need to know about one issuing office's forms.
type Variant struct {
	ID           string
	Name         string
	Region       string
	Issuer       string
	Office       string
	Subject      string
	Year         int
	UnitTypes    []UnitType
	OverallTypes []string
	DueRule      DueRule
	Forms        []*Form
	Units        []Unit
	Targets      []Target
	UnitSize     *UnitSize     // nil: no target is derived from a size
	Groups       []TargetGroup // units measured together

	def   *VariantDef
	kinds map[Kind]bound
	bases map[string]int // unit name → 2024 企业底数 (附件1), for the base rule
}

// Form is one resolved 季报表 of a variant.
type Form struct {
	ID           string
	Number       string // 一, 二, 三, 四
	Attachment   string
	TitleFormat  string
	Notes        string
	TownshipOnly bool
	Header       []*Node   // the column tree, label columns included
	Columns      []*Column // number columns, left to right
	Display      []*Node   // every leaf of the tree, label columns included, left to right
	Depth        int       // header rows
	Rows         []RowDef
	Rules        []Rule

	colByID map[string]*Column
	na      map[string]map[string]string
	parent  map[*Node]*Node
	cells   []CellKey // computed once at load; forms are immutable after that
	basis   map[string]string
}

func (c *Catalog) resolve() error {
	if c.Year < 2000 || c.Year > 2100 {
		return fmt.Errorf("年度 %d 不合理", c.Year)
	}
	kinds := map[Kind]bound{}
	for name, k := range c.Kinds {
		n, err := parseDecimal(k.Max)
		if err != nil {
			return fmt.Errorf("kinds.%s.max: %v", name, err)
		}
		kinds[Kind(name)] = bound{max: n}
	}
	for _, k := range []Kind{KindCount, KindMoney} {
		if _, ok := kinds[k]; !ok {
			return fmt.Errorf("kinds 缺少 %s", k)
		}
	}
	defs := map[string]*FormDef{}
	for _, f := range c.Forms {
		if defs[f.ID] != nil {
			return fmt.Errorf("表 %s 重复", f.ID)
		}
		defs[f.ID] = f
	}
	c.variants = map[string]*Variant{}
	for _, vd := range c.Variants {
		v, err := resolveVariant(c, vd, defs, kinds)
		if err != nil {
			return fmt.Errorf("版本 %s: %w", vd.ID, err)
		}
		c.variants[v.ID] = v
	}
	if len(c.variants) == 0 {
		return fmt.Errorf("没有任何版本")
	}
	return nil
}

func resolveVariant(c *Catalog, vd *VariantDef, defs map[string]*FormDef, kinds map[Kind]bound) (*Variant, error) {
	v := &Variant{ID: vd.ID, Name: vd.Name, Region: vd.Region, Issuer: vd.Issuer, Office: vd.Office,
		Subject: vd.Subject, Year: c.Year, UnitTypes: vd.UnitTypes, OverallTypes: vd.OverallTypes, DueRule: vd.Due, Units: vd.Units,
		Targets: vd.Targets, UnitSize: vd.UnitSize, Groups: vd.Groups, def: vd, kinds: kinds}
	if vd.Due.Kind != "quarterEndMonth" && vd.Due.Kind != "nextQuarterFirstMonth" {
		return nil, fmt.Errorf("due.kind %q 未知", vd.Due.Kind)
	}
	if vd.Due.Day < 1 || vd.Due.Day > 31 {
		return nil, fmt.Errorf("due.day %d 不合理", vd.Due.Day)
	}
	for _, vf := range vd.Forms {
		fd := defs[vf.ID]
		if fd == nil {
			return nil, fmt.Errorf("表 %s 未定义", vf.ID)
		}
		f, err := resolveForm(fd, vf)
		if err != nil {
			return nil, fmt.Errorf("表%s: %w", fd.Number, err)
		}
		v.Forms = append(v.Forms, f)
	}
	types := map[string]bool{}
	for _, t := range v.UnitTypes {
		types[t.ID] = true
	}
	seen := map[string]bool{}
	v.bases = map[string]int{}
	for _, u := range v.Units {
		v.bases[u.Name] = u.Base
		if !types[u.Type] {
			return nil, fmt.Errorf("单位 %s 的类型 %q 未定义", u.Name, u.Type)
		}
		if seen[u.Name] {
			return nil, fmt.Errorf("单位 %s 重复", u.Name)
		}
		seen[u.Name] = true
	}
	for _, id := range v.OverallTypes {
		if !types[id] {
			return nil, fmt.Errorf("overallTypes 中的单位类型 %q 未定义", id)
		}
	}
	for _, f := range v.Forms {
		if err := v.checkRules(f); err != nil {
			return nil, fmt.Errorf("表%s: %w", f.Number, err)
		}
	}
	return v, v.checkTargets()
}

func resolveForm(fd *FormDef, vf VariantForm) (*Form, error) {
	f := &Form{ID: fd.ID, Number: fd.Number, Attachment: vf.Attachment, TitleFormat: vf.Title,
		Notes: vf.Notes, TownshipOnly: fd.TownshipOnly, Header: fd.Columns, Rows: fd.Rows,
		colByID: map[string]*Column{}, na: map[string]map[string]string{},
		parent: map[*Node]*Node{}}
	for _, rs := range fd.Rules {
		f.Rules = append(f.Rules, rs.Rule)
	}
	if !strings.Contains(vf.Title, "{year}") {
		return nil, fmt.Errorf("标题缺少 {year}")
	}
	scope := fd.Scope
	if scope == "" {
		scope = ScopeRow
	}
	var walk func(h *Node, parent *Node, path []string, unit, since, scope string, depth, group int) error
	walk = func(h *Node, parent *Node, path []string, unit, since, scope string, depth, group int) error {
		f.parent[h] = parent
		path = append(append([]string(nil), path...), h.H)
		if h.Unit != "" {
			unit = h.Unit
		}
		if h.Since != "" {
			since = h.Since
		}
		if h.Scope != "" {
			scope = h.Scope
		}
		if depth > f.Depth {
			f.Depth = depth
		}
		switch {
		case len(h.Children) > 0:
			if h.ID != "" || h.Label != "" {
				return fmt.Errorf("表头 %q 既有下级又是叶子", h.H)
			}
			for _, ch := range h.Children {
				if err := walk(ch, h, path, unit, since, scope, depth+1, group); err != nil {
					return err
				}
			}
		case h.Label != "":
			if h.Label != "unitType" && h.Label != "row" {
				return fmt.Errorf("表头 %q 的 label %q 未知", h.H, h.Label)
			}
			f.Display = append(f.Display, h)
		default:
			if h.ID == "" {
				return fmt.Errorf("表头 %q 没有 id", h.H)
			}
			if f.colByID[h.ID] != nil {
				return fmt.Errorf("列 %s 重复", h.ID)
			}
			if unit == "" || since == "" {
				return fmt.Errorf("列 %s (%s) 缺少计量单位或起算时间", h.ID, h.H)
			}
			kind := KindCount
			if unit == "万元" {
				kind = KindMoney
			}
			col := &Column{ID: h.ID, Index: len(f.Columns), Display: len(f.Display), Path: path,
				Name: strings.TrimSuffix(h.H, "（"+unit+"）"), Unit: unit, Kind: kind, Since: since,
				Scope: scope, Group: group, Leaf: h, DistributionOf: h.DistributionOf}
			f.Columns = append(f.Columns, col)
			f.Display = append(f.Display, h)
			f.colByID[h.ID] = col
		}
		return nil
	}
	for g, h := range fd.Columns {
		if err := walk(h, nil, nil, "", fd.Since, scope, 1, g); err != nil {
			return nil, err
		}
	}
	if len(f.Rows) == 0 {
		return nil, fmt.Errorf("没有行")
	}
	rows := map[string]bool{}
	for _, r := range f.Rows {
		rows[r.ID] = true
	}
	for _, na := range fd.NotApplicable {
		if !rows[na.Row] {
			return nil, fmt.Errorf("不适用单元格的行 %q 未定义", na.Row)
		}
		for _, id := range na.Columns {
			if f.colByID[id] == nil {
				return nil, fmt.Errorf("不适用单元格的列 %q 未定义", id)
			}
			if f.na[na.Row] == nil {
				f.na[na.Row] = map[string]string{}
			}
			f.na[na.Row][id] = na.Why
		}
	}
	for _, col := range f.Columns {
		if d := col.DistributionOf; d != "" && (f.colByID[d] == nil || d == col.ID) {
			return nil, fmt.Errorf("列 %s 的 distributionOf %q 不是本表另一列", col.ID, d)
		}
	}
	if err := f.resolveBasis(vf.Basis); err != nil {
		return nil, err
	}
	f.cells = f.computeCells()
	return f, nil
}

// Title is the form's official title for a year.
func (f *Form) Title(year int) string {
	return strings.ReplaceAll(f.TitleFormat, "{year}", fmt.Sprint(year))
}

// Name is the short name used in tabs and messages, e.g. "表一".
func (f *Form) Name() string { return "表" + f.Number }

// Column returns a number column by ID.
func (f *Form) Column(id string) *Column { return f.colByID[id] }

// Row returns a row definition by ID.
func (f *Form) Row(id string) (RowDef, bool) {
	for _, r := range f.Rows {
		if r.ID == id {
			return r, true
		}
	}
	return RowDef{}, false
}

// Applicable reports whether a cell is to be filled at all (地标's 一级/二级/三级 and
// 乡级's 十佳 are not).
func (f *Form) Applicable(row, col string) bool {
	_, na := f.na[row][col]
	return !na
}

// NotApplicableWhy says why a cell is left empty, or "" when it is applicable.
func (f *Form) NotApplicableWhy(row, col string) string { return f.na[row][col] }

// Merged reports whether a cell is covered by the block-wide cell of its column (a
// block-scoped column in any row but the block's first).
func (f *Form) Merged(row, col string) bool {
	c := f.colByID[col]
	return c != nil && c.Scope == ScopeBlock && len(f.Rows) > 0 && row != f.Rows[0].ID
}

// CellRow is the row under which a cell's value is kept: the block's first row for
// block-scoped columns.
func (f *Form) CellRow(row, col string) string {
	if f.Merged(row, col) {
		return f.Rows[0].ID
	}
	return row
}

// Cells lists the cells one unit fills in this form, in reading order (row by row,
// left to right), each once.
func (f *Form) Cells() []CellKey {
	return append([]CellKey(nil), f.cells...)
}

func (f *Form) computeCells() []CellKey {
	var out []CellKey
	for _, r := range f.Rows {
		for _, c := range f.Columns {
			if f.Merged(r.ID, c.ID) || !f.Applicable(r.ID, c.ID) {
				continue
			}
			out = append(out, CellKey{Form: f.ID, Row: r.ID, Col: c.ID})
		}
	}
	return out
}

// RowLabel is what a label column shows in a row: the row's label, or nothing where
// every number column of its group is not applicable (乡级 has no 十佳 row).
func (f *Form) RowLabel(h *Node, row RowDef) string {
	if h.Label != "row" {
		return ""
	}
	p := f.parent[h]
	if p == nil {
		return row.Label
	}
	for _, ch := range p.Children {
		if ch.ID != "" && f.Applicable(row.ID, ch.ID) {
			return row.Label
		}
	}
	return ""
}

// HeaderCell is one printed cell of the multi-level header, with its span, in
// display columns (label columns included) and header rows.
type HeaderCell struct {
	Text    string
	Row     int
	Col     int
	RowSpan int
	ColSpan int
	Node    *Node
}

// HeaderCells lays out the column tree as merged cells: each group spans its leaves,
// each leaf reaches down to the last header row.
func (f *Form) HeaderCells() []HeaderCell {
	var out []HeaderCell
	next := 0
	var walk func(h *Node, depth int) (int, int)
	walk = func(h *Node, depth int) (int, int) {
		i := len(out)
		out = append(out, HeaderCell{Text: h.H, Row: depth, Node: h})
		if len(h.Children) == 0 {
			out[i].Col, out[i].ColSpan, out[i].RowSpan = next, 1, f.Depth-depth
			next++
			return out[i].Col, out[i].Col
		}
		first, last := -1, -1
		for _, ch := range h.Children {
			a, b := walk(ch, depth+1)
			if first < 0 {
				first = a
			}
			last = b
		}
		out[i].Col, out[i].ColSpan, out[i].RowSpan = first, last-first+1, 1
		return first, last
	}
	for _, h := range f.Header {
		walk(h, 0)
	}
	return out
}

// FormsFor lists the forms a unit type fills (表四 only for township-level types).
func (v *Variant) FormsFor(unitType string) []*Form {
	t, _ := v.UnitType(unitType)
	var out []*Form
	for _, f := range v.Forms {
		if f.TownshipOnly && !t.Township {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Form returns a form by ID ("t1") or by name ("表一", "1").
func (v *Variant) Form(id string) *Form {
	for _, f := range v.Forms {
		if f.ID == id || f.Name() == id || f.Number == id || "t"+id == f.ID {
			return f
		}
	}
	return nil
}

// UnitType returns a unit type by ID or by label.
func (v *Variant) UnitType(id string) (UnitType, bool) {
	for _, t := range v.UnitTypes {
		if t.ID == id || t.Label == id {
			return t, true
		}
	}
	return UnitType{}, false
}

// TownshipType is the unit type that fills 表四.
func (v *Variant) TownshipType() UnitType {
	for _, t := range v.UnitTypes {
		if t.Township {
			return t
		}
	}
	return UnitType{}
}

// Unit finds a unit of the directory by name; extra units (added by users) are
// passed in by the caller, who keeps them.
func (v *Variant) Unit(name string, extra ...Unit) (Unit, error) {
	name = strings.TrimSpace(name)
	for _, list := range [][]Unit{v.Units, extra} {
		for _, u := range list {
			if u.Name == name {
				return u, nil
			}
		}
	}
	// Accept the common long forms: 水头镇, 溪美街道, 南安市应急管理局 is not guessed.
	for _, list := range [][]Unit{v.Units, extra} {
		for _, u := range list {
			for _, suf := range []string{"镇", "乡", "街道", "开发区", "办事处"} {
				if u.Name+suf == name {
					return u, nil
				}
			}
		}
	}
	return Unit{}, fmt.Errorf("单位 %q 不在%s的单位名录中（可用 jibao unit add 添加）", name, v.Name)
}

// NewUnit checks a unit that a user adds to the directory.
func (v *Variant) NewUnit(name, unitType string, existing []Unit) (Unit, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Unit{}, fmt.Errorf("单位名称不能为空")
	}
	if strings.ContainsAny(name, "/\\:*?\"<>|\t\n") {
		return Unit{}, fmt.Errorf("单位名称 %q 含有不能用于文件名的字符", name)
	}
	t, ok := v.UnitType(unitType)
	if !ok {
		var ids []string
		for _, t := range v.UnitTypes {
			ids = append(ids, t.ID+"（"+t.Label+"）")
		}
		return Unit{}, fmt.Errorf("单位类型 %q 未知（可选: %s）", unitType, strings.Join(ids, ", "))
	}
	if _, err := v.Unit(name, existing...); err == nil {
		return Unit{}, fmt.Errorf("单位 %q 已在名录中", name)
	}
	return Unit{Name: name, Type: t.ID, Added: true}, nil
}
