package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// The office's side of the e-mail cycle: a returned report goes back to its unit
// as a 退回通知 (text or xlsx) naming the unit, the period, the reason, and each
// cell the office marked with its place in the official sheet, its value and the
// note; with the rule results the unit still has to fix.

// Address is where a cell of a report sits in its official workbook,
// "季报表（一）!F8"; "" when the report's forms do not have it.
func Address(v *model.Variant, r *model.Report, k model.CellKey) string {
	f := v.Form(k.Form)
	if f == nil {
		return ""
	}
	c := f.Column(k.Col)
	if c == nil {
		return ""
	}
	blocks := Blocks(v, f, nil)
	bi := -1
	i := 0
	for _, t := range v.UnitTypes {
		if f.TownshipOnly && !t.Township {
			continue
		}
		if t.ID == r.UnitType {
			bi = i
		}
		i++
	}
	if bi < 0 {
		return ""
	}
	g := newGeometry(f, blocks)
	row := f.CellRow(k.Row, k.Col)
	j := 0
	for n, rd := range f.Rows {
		if rd.ID == row {
			j = n
		}
	}
	return SheetName(f) + "!" + cell(c.Display, g.blockTop[bi]+j)
}

// Place is a cell as a clerk finds it: "表一 国标 第5栏 企业底数（家）/总数".
func Place(v *model.Variant, k model.CellKey) string {
	f := v.Form(k.Form)
	if f == nil {
		return k.String()
	}
	out := f.Name()
	c := f.Column(k.Col)
	if rd, ok := f.Row(k.Row); ok && len(f.Rows) > 1 && (c == nil || c.Scope != model.ScopeBlock) {
		out += " " + rd.Label
	}
	if c != nil {
		out += fmt.Sprintf(" 第%d栏 %s", c.Index+1, c.PathText())
	}
	return out
}

// noticeRows are the lines of a 退回通知 after its heading: each as (label, text).
func noticeRows(v *model.Variant, r *model.Report, rev model.Review, res *model.Result) [][]string {
	var out [][]string
	for _, k := range sortedNotes(rev.Notes) {
		n := rev.Notes[k]
		val := "空白"
		if x, ok := r.Values[k]; ok {
			val = x.Format(v.Form(k.Form).Column(k.Col).Kind)
		}
		out = append(out, []string{"审核意见", Place(v, k), Address(v, r, k), val, n.Text})
	}
	if res != nil {
		for _, fd := range res.Findings {
			if fd.IsError() {
				out = append(out, []string{"错误", "", "", "", fd.Message})
			} else if !fd.Confirmed {
				out = append(out, []string{"提醒（未确认）", "", "", "", fd.Message})
			}
		}
	}
	return out
}

func sortedNotes(m map[model.CellKey]model.Note) []model.CellKey {
	ks := make([]model.CellKey, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].String() < ks[j].String() })
	return ks
}

// NoticeText is the 退回通知 as text, to paste into an e-mail or send as a file.
func NoticeText(v *model.Variant, r *model.Report, rev model.Review, res *model.Result) string {
	var b strings.Builder
	last := rev.Last()
	fmt.Fprintf(&b, "退回通知\n\n填报单位：%s\n期别：%s（%s）\n退回理由：%s\n", r.Unit, r.Period.Label(), v.Name, rev.ReturnReason(r.State))
	if !last.At.IsZero() {
		fmt.Fprintf(&b, "退回人：%s  时间：%s\n", last.By, last.At.Local().Format("2006-01-02 15:04"))
	}
	rows := noticeRows(v, r, rev, res)
	if len(rows) > 0 {
		b.WriteString("\n需要核实或改正的地方：\n")
	}
	for i, row := range rows {
		fmt.Fprintf(&b, "%d. [%s] ", i+1, row[0])
		if row[1] != "" {
			fmt.Fprintf(&b, "%s（%s，现为 %s）：", row[1], row[2], row[3])
		}
		b.WriteString(row[4] + "\n")
	}
	b.WriteString("\n请改正后重新报送季报表（同一文件改好后再发回即可）。\n")
	return b.String()
}

// NoticeWorkbook is the 退回通知 as a workbook of one sheet, one row per cell.
func NoticeWorkbook(v *model.Variant, r *model.Report, rev model.Review, res *model.Result) (*excelize.File, error) {
	x := NewFile()
	p, err := newPlainSheet(x, "退回通知")
	if err != nil {
		return nil, err
	}
	_ = x.DeleteSheet("Sheet1")
	p.set(1, 1, fmt.Sprintf("退回通知：%s %s %s", v.Name, r.Unit, r.Period.Label()), p.bold)
	p.set(1, 2, "退回理由："+rev.ReturnReason(r.State), 0)
	head := []string{"类别", "位置", "单元格", "现值", "意见"}
	for i, h := range head {
		p.set(i+1, 3, h, p.bold)
	}
	for i, row := range noticeRows(v, r, rev, res) {
		for j, s := range row {
			p.set(j+1, 4+i, s, 0)
		}
	}
	if err := p.finish(4, page{}); err != nil {
		return nil, err
	}
	_ = x.SetDocProps(&excelize.DocProperties{Title: "退回通知 " + r.Unit + " " + r.Period.Label(), Creator: "jibao", Language: "zh-CN"})
	return x, nil
}

// NoticeName is the default file name: 南安-水头-2025Q3-退回通知.txt (or .xlsx).
func NoticeName(v *model.Variant, r *model.Report, ext string) string {
	return fmt.Sprintf("%s-%s-%s-退回通知%s", v.Name, r.Unit, r.Period, ext)
}
