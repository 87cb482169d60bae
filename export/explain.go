package export

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// Explanations travel with the numbers: every cell comment, every confirmed
// warning (with the clerk's reason) and every review note of the office goes
// into the workbook as an Excel comment (批注) on its cell, and into a sheet 说明
// that lists them all; Read takes them back (explain_read.go), so the office's
// check sees confirmed warnings as confirmed.

// SheetExplain is the name of the sheet that lists the explanations.
const SheetExplain = "说明"

// The kinds of explanation, as the 说明 sheet's first column and the prefix of a
// line of a cell's Excel comment.
const (
	kindComment = "批注"
	kindConfirm = "已确认提醒"
	kindNote    = "审核意见"
)

// explainAuthor is the author of the comments jibao writes.
const explainAuthor = "jibao"

// explainHead is the 说明 sheet's heading row; 标识 (a cell key or a warning's
// key) is what Read matches, the other columns are for people.
var explainHead = []string{"类别", "位置", "单元格", "内容", "说明", "填写人", "时间", "标识"}

// explanation is one row of the 说明 sheet.
type explanation struct {
	kind, place, addr, what, text, by, at, key string
	cell                                       model.CellKey
	hasCell                                    bool
}

// explanations lists a report's comments, confirmations and review notes, in
// that order and by cell. res is the report's check, with last quarter: a
// confirmed warning is named and placed by its finding, and the warnings that
// compare with last quarter (jump, zeroed) are found only with it; nil checks
// the report alone.
func explanations(v *model.Variant, r *model.Report, rev model.Review, res *model.Result) []explanation {
	var out []explanation
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("2006-01-02 15:04")
	}
	for _, k := range sortedCellKeys(r.Comments) {
		out = append(out, explanation{kind: kindComment, place: Place(v, k), addr: Address(v, r, k),
			text: r.Comments[k], key: k.String(), cell: k, hasCell: true})
	}
	if res == nil {
		res = v.Check(r, nil)
	}
	byKey := map[string]model.Finding{}
	for _, f := range res.Findings {
		byKey[f.Key] = f
	}
	keys := make([]string, 0, len(r.Confirmed))
	for k := range r.Confirmed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := r.Confirmed[k]
		e := explanation{kind: kindConfirm, what: k, text: c.Comment, by: c.By, at: at(c.At), key: k}
		if f, ok := byKey[k]; ok {
			e.what = f.Message
			if len(f.Cells) > 0 {
				e.cell, e.hasCell = f.Cells[0], true
				e.place, e.addr = Place(v, f.Cells[0]), Address(v, r, f.Cells[0])
			}
		}
		out = append(out, e)
	}
	for _, k := range sortedNotes(rev.Notes) {
		n := rev.Notes[k]
		out = append(out, explanation{kind: kindNote, place: Place(v, k), addr: Address(v, r, k),
			text: n.Text, by: n.By, at: at(n.At), key: k.String(), cell: k, hasCell: true})
	}
	return out
}

func sortedCellKeys(m map[model.CellKey]string) []model.CellKey {
	ks := make([]model.CellKey, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].String() < ks[j].String() })
	return ks
}

// commentLine is an explanation as one line of its cell's Excel comment.
func (e explanation) commentLine() string {
	switch e.kind {
	case kindConfirm:
		return fmt.Sprintf("%s：%s；理由：%s（%s）", kindConfirm, e.what, e.text, e.by)
	case kindNote:
		return fmt.Sprintf("%s：%s（%s）", kindNote, e.text, e.by)
	}
	return kindComment + "：" + e.text
}

// Explain writes a report's explanations into its workbook: a comment on each
// cell that has any, and the 说明 sheet (only when there is something to say).
// rev carries the office's notes; res is the report's check (see explanations).
func Explain(x *excelize.File, v *model.Variant, r *model.Report, rev model.Review, res *model.Result) error {
	list := explanations(v, r, rev, res)
	if len(list) == 0 {
		return nil
	}
	lines := map[string][]string{} // sheet!cell -> lines
	var order []string
	for _, e := range list {
		if e.addr == "" {
			continue
		}
		if _, ok := lines[e.addr]; !ok {
			order = append(order, e.addr)
		}
		lines[e.addr] = append(lines[e.addr], e.commentLine())
	}
	for _, a := range order {
		sheet, c, _ := strings.Cut(a, "!")
		text := strings.Join(lines[a], "\n")
		if err := x.AddComment(sheet, excelize.Comment{Cell: c, Author: explainAuthor, Text: text,
			Width: 320, Height: uint(40 + 20*len(lines[a]))}); err != nil {
			return fmt.Errorf("%s 的批注: %w", a, err)
		}
	}
	p, err := newPlainSheet(x, SheetExplain)
	if err != nil {
		return err
	}
	p.set(1, 1, fmt.Sprintf("%s %s %s：批注、已确认的提醒及理由、审核意见", v.Name, r.Unit, r.Period.Label()), p.bold)
	for i, h := range explainHead {
		p.set(i+1, 2, h, p.bold)
	}
	for i, e := range list {
		for j, s := range []string{e.kind, e.place, e.addr, e.what, e.text, e.by, e.at, e.key} {
			p.set(j+1, 3+i, s, 0)
		}
	}
	return p.finish(3, page{})
}

// WorkbookReviewed is Workbook with the office's review notes in the comments
// and the 说明 sheet, and the confirmed warnings as res (the report's check
// with last quarter, as `jibao export` and the grid make it) found them.
func WorkbookReviewed(v *model.Variant, r *model.Report, rev model.Review, res *model.Result, draft bool) (*excelize.File, error) {
	x, err := build(v, r, draft)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return x, nil
	}
	if err := Explain(x, v, r, rev, res); err != nil {
		x.Close()
		return nil, err
	}
	x.SetActiveSheet(0)
	return x, nil
}
