package export

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// readExplanations takes a workbook's explanations back into im: the Excel
// comment on a cell of the forms becomes the cell's comment (ours, or one typed in
// Excel or WPS on the template: the author line Excel adds is dropped), and each
// 已确认提醒 row of the 说明 sheet is a confirmation again. The office's own review
// notes are not read back: they are the office's, kept in its store.
func readExplanations(x *excelize.File, im *Imported) {
	im.Comments, im.Confirmed = map[model.CellKey]string{}, map[string]model.Confirmation{}
	at := map[string]model.CellKey{}
	sheets := map[string]bool{}
	for k, w := range im.Cells { // every cell of the grid: a comment on a blank one too
		at[w] = k
		s, _, _ := strings.Cut(w, "!")
		sheets[s] = true
	}
	for s := range sheets {
		cs, err := x.GetComments(s)
		if err != nil {
			continue
		}
		for _, c := range cs {
			k, ok := at[s+"!"+strings.ToUpper(c.Cell)]
			if !ok {
				continue
			}
			im.Explained = true
			if text := commentText(c); text != "" {
				im.Comments[k] = text
			}
		}
	}
	rows, err := x.GetRows(SheetExplain)
	if err != nil {
		return
	}
	col := map[string]int{}
	for _, row := range rows {
		if len(col) == 0 {
			if len(row) > 0 && strings.TrimSpace(row[0]) == explainHead[0] {
				for i, h := range row {
					col[strings.TrimSpace(h)] = i
				}
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		if get("类别") != kindConfirm || get("标识") == "" {
			continue
		}
		im.Explained = true
		c := model.Confirmation{Comment: get("说明"), By: get("填写人")}
		if t, err := time.ParseInLocation("2006-01-02 15:04", get("时间"), time.Local); err == nil {
			c.At = t
		}
		if c.Comment == "" {
			c.Comment = "（导入时无说明）"
		}
		im.Confirmed[get("标识")] = c
	}
}

// commentText is what a person wrote in a cell's Excel comment: the lines jibao
// wrote as 批注, and any line without one of jibao's prefixes.
func commentText(c excelize.Comment) string {
	full := c.Text
	for _, r := range c.Paragraph {
		full += r.Text
	}
	full = strings.TrimSpace(full)
	if c.Author != "" && strings.HasPrefix(full, c.Author+":") { // Excel starts a comment with its author
		full = strings.TrimSpace(strings.TrimPrefix(full, c.Author+":"))
	}
	var out []string
	for _, l := range strings.Split(full, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, kindComment+"："):
			out = append(out, strings.TrimSpace(strings.TrimPrefix(l, kindComment+"：")))
		case strings.HasPrefix(l, kindConfirm+"："), strings.HasPrefix(l, kindNote+"："):
		default:
			out = append(out, l)
		}
	}
	return strings.Join(out, " ")
}
