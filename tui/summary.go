package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// sumSheet is a summary (model.Summarize) laid out for the grid: the official
// forms filled for the whole jurisdiction. 表一 to 表三 show one block of rows per
// unit type, each the sum of that type's units; 表四 one row per township-level
// unit and a 合计 row. The grid draws it like a report, read-only.
type sumSheet struct {
	s      *model.Summary
	blocks []sumBlock
	rows   map[string][]geoRow // per form ID
}

// sumBlock is where a row of the summary grid reads its values.
type sumBlock struct {
	unitType string // the unit type summed (or, with unit, the unit's type)
	unit     string // 表四: one unit's own figures
}

// summaryMsg answers summaryCmd.
type summaryMsg struct {
	sum *model.Summary
	err error
}

// summaryCmd reads every report of a period and sums them.
func summaryCmd(s *session, v *model.Variant, p model.Period) tea.Cmd {
	return func() tea.Msg {
		sum, err := model.LoadSummary(s.store, v, p, model.Options{Outliers: true})
		return summaryMsg{sum: sum, err: err}
	}
}

// statusMark is the short state a 表四 row label carries (a complete report
// carries none).
func statusMark(st model.UnitStatus) string {
	switch st {
	case model.StatusMissing:
		return " 未报"
	case model.StatusErrors:
		return " 有错"
	case model.StatusDraft:
		return " 草稿"
	}
	return ""
}

func newSumSheet(sum *model.Summary) *sumSheet {
	v := sum.Variant
	sh := &sumSheet{s: sum, rows: map[string][]geoRow{}}
	block := func(b sumBlock) int {
		sh.blocks = append(sh.blocks, b)
		return len(sh.blocks) - 1
	}
	for _, f := range v.Forms {
		var rows []geoRow
		if f.TownshipOnly {
			tt := v.TownshipType().ID
			for _, e := range sum.OfType(tt) {
				src := block(sumBlock{unitType: tt, unit: e.Unit.Name})
				rows = append(rows, geoRow{def: f.Rows[0], label: e.Unit.Name + statusMark(e.Status), src: src})
			}
			rows = append(rows, geoRow{def: f.Rows[0], label: "合计", src: block(sumBlock{unitType: tt})})
		} else {
			for _, t := range v.UnitTypes {
				src := block(sumBlock{unitType: t.ID})
				for _, r := range f.Rows {
					label := t.Label
					if r.Label != "" {
						label = r.Label + " " + t.Label
					}
					rows = append(rows, geoRow{def: r, label: label, src: src})
				}
			}
		}
		sh.rows[f.ID] = rows
	}
	return sh
}

// summaryNote says how the summary lays out each form, as newSumSheet does, in
// the catalog's words: which forms have a row per row label (表一按达标类型) and
// which a row per township-level unit.
func summaryNote(v *model.Variant) string {
	var byRow, perUnit []string
	town, _, _ := strings.Cut(v.TownshipType().Label, "（")
	for _, f := range v.Forms {
		switch {
		case f.TownshipOnly:
			perUnit = append(perUnit, f.Name()+"每个"+town+"一行加合计")
		case len(f.Rows) > 1:
			for _, n := range f.Display {
				if n.Label == "row" {
					byRow = append(byRow, f.Name()+"按"+n.H)
					break
				}
			}
		}
	}
	text := "汇总只读：各单位类型一块"
	if len(byRow) > 0 {
		text += "（" + strings.Join(byRow, "、") + "）"
	}
	if len(perUnit) > 0 {
		text += "，" + strings.Join(perUnit, "，")
	}
	return text + "。"
}

// value is what a row of the summary shows in a cell.
func (sh *sumSheet) value(src int, k model.CellKey) (model.Number, bool) {
	b := sh.blocks[src]
	if b.unit != "" {
		return sh.s.UnitValue(b.unit, k)
	}
	return sh.s.Value(b.unitType, k)
}

// mark is 1 (shown as ?) where units that are summed left the cell blank:
// the total may be short.
func (sh *sumSheet) mark(src int, k model.CellKey) int {
	b := sh.blocks[src]
	if b.unit != "" {
		if _, ok := sh.s.UnitValue(b.unit, k); !ok {
			if e, _ := sh.s.Entry(b.unit); e != nil && e.Report != nil {
				return 1
			}
		}
		return 0
	}
	if c := sh.s.Cell(b.unitType, k); c != nil && c.Blank > 0 {
		return 1
	}
	return 0
}

// sources are the units' values behind a cell of a row: the drill-down.
func (sh *sumSheet) sources(src int, k model.CellKey) []model.UnitValue {
	b := sh.blocks[src]
	if b.unit == "" {
		return sh.s.Sources(b.unitType, k)
	}
	e, _ := sh.s.Entry(b.unit)
	if e == nil || e.Report == nil {
		return nil
	}
	n, ok := sh.s.UnitValue(b.unit, k)
	return []model.UnitValue{{Unit: b.unit, Value: n, Blank: !ok, Status: e.Status}}
}

// missing lists the units of a row's block that have not reported.
func (sh *sumSheet) missing(src int) []string {
	b := sh.blocks[src]
	var out []string
	for _, e := range sh.s.OfType(b.unitType) {
		if e.Report == nil && (b.unit == "" || b.unit == e.Unit.Name) {
			out = append(out, e.Unit.Name)
		}
	}
	return out
}

// newSummaryGrid shows a summary in the grid component, read-only.
func newSummaryGrid(s *session, sum *model.Summary) *Grid {
	v := sum.Variant
	u := model.Unit{Name: "汇总", Type: v.TownshipType().ID}
	r := model.NewReport(v.ID, u, sum.Period)
	b := &book{v: v, id: r.ID(), unit: u, r: r, forms: v.Forms, store: s.store}
	b.r.Comments, b.r.Confirmed = map[model.CellKey]string{}, map[string]model.Confirmation{}
	b.res = &model.Result{}
	sh := newSumSheet(sum)
	g := &Grid{keys: DefaultGridKeyMap(), s: s, b: b, memo: map[int]formPos{}, sum: sh}
	for _, f := range b.forms {
		g.geo = append(g.geo, newFormGeoRows(f, sh.rows[f.ID]))
	}
	g.settle()
	return g
}

// valueAt is a cell's value in a grid row: the report's, or the summary's.
func (g *Grid) valueAt(row int, k model.CellKey) (model.Number, bool) {
	if g.sum != nil {
		return g.sum.value(g.cur().rows[row].src, k)
	}
	return g.b.value(k)
}

// prevAt is last quarter's value shown dimmed in an empty cell (reports only).
func (g *Grid) prevAt(row int, k model.CellKey) (model.Number, bool) {
	if g.sum != nil {
		return 0, false
	}
	return g.b.prevValue(k)
}

// markAt is the worst marker of a cell: 2 error, 1 warning (or, in a summary,
// a blank left by a unit), 0 none.
func (g *Grid) markAt(row int, k model.CellKey) int {
	if g.sum != nil {
		return g.sum.mark(g.cur().rows[row].src, k)
	}
	return g.b.cellMark(k)
}

// summaryTitle is the summary's title line: the jurisdiction, the period and how
// many units have reported.
func summaryTitle(sum *model.Summary) string {
	v := sum.Variant
	n, m := sum.ReportedShare()
	return fmt.Sprintf("%s %s 汇总（%s）  已报 %d/%d", v.Name, sum.Period.Label(), v.Office, n, m)
}

// header is the summary grid's title and form tabs.
func (sh *sumSheet) header(s *session, b *book, cur int) []string {
	title := summaryTitle(sh.s) + "  " + b.forms[cur].Title(b.v.Year)
	var lb lineBuf
	for i, f := range b.forms {
		if i == cur {
			lb.add(&s.st.Tab, " "+f.Name()+" ")
		} else {
			lb.add(nil, " "+f.Name()+" ")
		}
		lb.add(nil, "  ")
	}
	lb.add(nil, "只读")
	return []string{paint(s.st.Title, clip(title, s.w)), clip(lb.String(), s.w)}
}

// status names the cell under the cursor, how many units make up its figure, and
// how to see them.
func (sh *sumSheet) status(g *Grid) [3]string {
	f, geo := g.form(), g.cur()
	c := f.Columns[g.col]
	k := g.key()
	row := geo.rows[g.row]
	var s [3]string
	where := f.Name() + " " + geo.rowText(g.row, "")
	s[0] = unambiguous(fmt.Sprintf("%s 第%d栏 %s", where, c.Index+1, c.PathText()))
	if g.list {
		s[0] = where
	}
	s1 := "计量单位：" + c.Unit + "  口径：" + c.SinceText()
	b := sh.blocks[row.src]
	if b.unit != "" {
		e, _ := sh.s.Entry(b.unit)
		s1 += "  " + b.unit + "：" + e.Status.Label()
	} else if sc := sh.s.Cell(b.unitType, k); sc != nil {
		s1 += fmt.Sprintf("  已填 %d 个单位", sc.Filled)
		if sc.Blank > 0 {
			s1 += fmt.Sprintf("，空白 %d 个（不按 0 计）", sc.Blank)
		}
		if n := len(sh.missing(row.src)); n > 0 {
			s1 += fmt.Sprintf("，未填报 %d 个", n)
		}
	}
	s[1] = s1
	switch {
	case g.msg != "" && g.msgBad:
		s[2] = paint(g.s.st.Bad, "! "+g.msg)
	case g.msg != "":
		s[2] = paint(g.s.st.OK, g.msg)
	case len(sh.s.OutliersAt(b.unitType, b.unit, k)) > 0:
		os := sh.s.OutliersAt(b.unitType, b.unit, k)
		more := ""
		if len(os) > 1 {
			more = fmt.Sprintf("（另有 %d 条，Enter 查看各单位数值）", len(os)-1)
		}
		s[2] = paint(g.s.st.Warn, "? 离群："+os[0].Message+more)
	default:
		s[2] = "Enter 查看构成本数的各单位数值"
	}
	return s
}

// drill lists the units' values behind the cell under the cursor.
func (sh *sumSheet) drill(g *Grid) dialog {
	f, geo := g.form(), g.cur()
	c := f.Columns[g.col]
	k := g.key()
	row := geo.rows[g.row]
	total := "空白"
	if n, ok := sh.value(row.src, k); ok {
		total = n.Format(c.Kind)
	}
	title := fmt.Sprintf("%s %s 第%d栏 %s = %s", f.Name(), geo.rowText(g.row, ""), c.Index+1, c.PathText(), total)
	lines := []string{fmt.Sprintf("%s  %10s  %s", fit("单位", 20), "数值（"+c.Unit+"）", "状态")}
	for _, uv := range sh.sources(row.src, k) {
		val := "空白"
		if !uv.Blank {
			val = uv.Value.Format(c.Kind)
		}
		lines = append(lines, fmt.Sprintf("%s  %s  %s", fit(uv.Unit, 20), fitRight(val, max(10, textWidth("数值（"+c.Unit+"）"))), uv.Status.Label()))
	}
	if len(lines) == 1 {
		lines = append(lines, "（没有单位填报本格）")
	}
	if miss := sh.missing(row.src); len(miss) > 0 {
		lines = append(lines, wrapList(fmt.Sprintf("未填报（%d，不计入）：", len(miss)), miss, max(1, g.s.w-2))...)
	}
	return &infoDialog{title: title, lines: lines}
}

// SummaryKeyMap are the keys of the summary grid: the grid's moves, no entry.
type SummaryKeyMap struct {
	Drill, Progress, Export, Help, Back key.Binding
}

// DefaultSummaryKeyMap is the summary's own key set.
func DefaultSummaryKeyMap() SummaryKeyMap {
	return SummaryKeyMap{
		Drill:    kb([]string{"enter"}, "Enter", "各单位明细"),
		Progress: kb([]string{"p"}, "p", "目标进度"),
		Export:   kb([]string{"E"}, "E", "导出汇总工作簿"),
		Help:     kb([]string{"?"}, "?", "全部按键"),
		Back:     kb([]string{"q", "esc"}, "q", "返回"),
	}
}

// summaryMoves are the grid keys the summary takes: moving, finding, viewing.
func summaryMoves(km GridKeyMap) []key.Binding {
	return []key.Binding{km.Up, km.Down, km.Left, km.Right, km.Next, km.Prev, km.Home, km.End,
		km.PageLeft, km.PageRight, km.GroupPrev, km.GroupNext, km.View, km.Search, km.FormPrev,
		km.FormNext, km.FormN}
}

// ShortHelp is the summary's hint line.
func (k SummaryKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Drill, k.Progress, k.Export,
		kb([]string{"v"}, "v", "表格/列表"), kb([]string{"<"}, "< >", "换表"), k.Help, k.Back}
}

// FullHelp lists the summary's keys, the grid's moves included.
func (k SummaryKeyMap) FullHelp(km GridKeyMap) [][]key.Binding {
	return [][]key.Binding{summaryMoves(km), {k.Drill, k.Progress, k.Export, k.Help, k.Back, km.Quit}}
}

// summaryKey handles a key in the summary grid.
func (m *root) summaryKey(k tea.KeyMsg) tea.Cmd {
	g, km := m.sg, DefaultSummaryKeyMap()
	g.msg = ""
	if n, ok := tDigit(k); ok {
		g.SetFormByNumber(n)
		return nil
	}
	if g.pendingT { // t then a digit: the form
		g.pendingT = false
		if s := k.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
			g.SetFormByNumber(int(s[0] - '1'))
		}
		return nil
	}
	switch {
	case key.Matches(k, km.Drill):
		m.dlg = g.sum.drill(g)
		return nil
	case key.Matches(k, km.Progress):
		m.prog = newProgressView(m.s, g.sum.s)
		m.scr = scrProgress
		return nil
	case key.Matches(k, km.Export):
		return m.summaryExportKey()
	case key.Matches(k, km.Help):
		m.help = true
		return nil
	case key.Matches(k, km.Back):
		m.scr, m.sg = m.sumFrom, nil
		return nil
	}
	for _, b := range summaryMoves(g.keys) {
		if key.Matches(k, b) {
			_, out := g.Update(k)
			if out.dialog != nil {
				m.dlg = out.dialog
			}
			return nil
		}
	}
	if !k.Paste && k.Type != tea.KeyRunes && !typingKey(k) {
		return nil
	}
	g.flash("汇总只能查看；要修改数字请打开该单位的报表", true)
	return nil
}

// openSummary sums the period's reports; only a session that may see every unit
// (the office) may see their totals.
func (m *root) openSummary(v *model.Variant, p model.Period, from screen) tea.Cmd {
	for _, u := range v.Units {
		if !m.s.mayOpen(v.ID, u.Name) {
			text := "汇总需要能查看全部单位的账号（如" + v.Office + "）"
			m.opener.msg = text
			if m.ov != nil {
				m.ov.msg, m.ov.bad = text, true
			}
			return nil
		}
	}
	m.sumFrom = from
	m.loading = "正在汇总 " + v.Name + " " + p.Label() + " ..."
	if m.ov != nil {
		m.ov.msg, m.ov.bad = m.loading, false
	}
	return summaryCmd(m.s, v, p)
}

func (m *root) summaryLoaded(msg summaryMsg) {
	m.loading = ""
	if msg.err != nil {
		text := "汇总失败：" + msg.err.Error()
		m.opener.msg = text
		if m.ov != nil {
			m.ov.msg, m.ov.bad = text, true
		}
		return
	}
	if m.ov != nil {
		m.ov.msg = ""
	}
	m.sg = newSummaryGrid(m.s, msg.sum)
	m.scr = scrSummary
	if m.wantProgress { // p on the board: progress one key away
		m.wantProgress = false
		m.prog = newProgressView(m.s, msg.sum)
		m.scr = scrProgress
	}
}
