package export

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// Problem is one thing wrong with a workbook, at a sheet and a cell when known.
type Problem struct {
	Sheet string
	Cell  string
	Msg   string
}

// String is "季报表（一）!F8：…", the form the clerk is shown.
func (p Problem) String() string {
	switch {
	case p.Sheet != "" && p.Cell != "":
		return p.Sheet + "!" + p.Cell + "：" + p.Msg
	case p.Sheet != "":
		return p.Sheet + "：" + p.Msg
	}
	return p.Msg
}

// Problems is the error Read returns: everything wrong with a file at once, so the
// clerk can fix it in one go.
type Problems []Problem

// Error lists every problem, one a line.
func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps))
	for _, p := range ps {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// maxProblems keeps a file full of garbage from flooding the terminal.
const maxProblems = 30

// Imported is what a workbook says: whose report it is and its figures.
type Imported struct {
	Variant *model.Variant
	Unit    model.Unit
	Header  model.Header // as written: Header.Unit may be a longer name than Unit.Name
	Date    time.Time    // the date of the header line; zero when there is none
	Draft   bool         // a sheet title carries 草稿
	Values  map[model.CellKey]model.Number
	Where   map[model.CellKey]string // "季报表（一）!F8", for messages about a cell
	// Cells is the address of every cell of the unit's grid, filled or blank,
	// where explain_read.go finds each cell's comment.
	Cells map[model.CellKey]string
	// Comments, Confirmed: the explanations the file carries (explain_read.go);
	// Explained says it carries any, so an import replaces the stored ones.
	Comments  map[model.CellKey]string
	Confirmed map[string]model.Confirmation
	Explained bool
	// Notes say what the file holds that was not read, or read otherwise than
	// written (a 0 in a not-applicable cell as blank), by sheet and cell: the
	// clerk is told, nothing is dropped without a word.
	Notes []Problem
}

// Report is the imported figures as the report of a period.
func (im *Imported) Report(p model.Period) *model.Report {
	r := model.NewReport(im.Variant.ID, im.Unit, p)
	r.Header = im.Header
	for k, n := range im.Values {
		r.Values[k] = n
	}
	for k, c := range im.Comments {
		r.Comments[k] = c
	}
	for k, c := range im.Confirmed {
		r.Confirmed[k] = c
	}
	return r
}

// DetectVariant says which variant's forms a workbook holds, from the sheet titles.
func DetectVariant(x *excelize.File, cat *model.Catalog) (*model.Variant, error) {
	b := newBook(x)
	for _, id := range cat.VariantIDs() {
		v, err := cat.Variant(id)
		if err != nil {
			continue
		}
		if _, ok := b.findSheet(v, v.Forms[0]); ok {
			return v, nil
		}
	}
	return nil, errors.New("认不出这是哪个表式版本的季报表（标题不符）；请用 --variant 指定")
}

// Read reads a workbook in the official layout: ours, or the blank template filled
// in Excel, WPS or LibreOffice. It finds each form's sheet by name or title, the
// grid by its header texts (extra spaces and line breaks do not matter), the unit
// from 填报单位 in the header line (extra: units added to the directory), and the
// figures of the block that is filled. Every cell goes through the model's parser;
// all problems are returned together as Problems.
func Read(x *excelize.File, v *model.Variant, extra []model.Unit) (*Imported, error) {
	return read(x, v, extra, nil)
}

// read is Read of a workbook whose sheets had content cut past the rows and
// columns read (beyond: sheet → first such cell), to be noted.
func read(x *excelize.File, v *model.Variant, extra []model.Unit, beyond map[string]string) (*Imported, error) {
	im := &Imported{Variant: v, Values: map[model.CellKey]model.Number{}, Where: map[model.CellKey]string{}}
	var probs Problems
	add := func(p Problem) {
		if len(probs) < maxProblems {
			probs = append(probs, p)
		}
	}
	note := func(p Problem) { im.Notes = append(im.Notes, p) }
	byType := map[string]map[model.CellKey]model.Number{}
	where := map[string]map[model.CellKey]string{}
	cells := map[string]map[model.CellKey]string{}
	var unitName, unitSheet, unitCell string
	b := newBook(x)
	b.beyond = beyond
	used := map[string]bool{}
	badDate := false
	for _, f := range v.Forms {
		name, ok := b.findSheet(v, f)
		if ok {
			used[name] = true
			for _, other := range b.sheetsWithTitle(f.Title(v.Year)) {
				if other != name {
					used[other] = true
					note(Problem{Sheet: other, Msg: fmt.Sprintf("也是%s（%s），未读取：只读取了工作表“%s”", f.Name(), f.Title(v.Year), name)})
				}
			}
		}
		if !ok {
			if f.TownshipOnly {
				continue // checked below, once the unit's type is known
			}
			add(Problem{Msg: fmt.Sprintf("找不到%s（%s）：没有这个名字或这个标题的工作表", SheetName(f), f.Title(v.Year))})
			continue
		}
		g, err := b.grid(name)
		if err != nil {
			add(Problem{Sheet: name, Msg: "无法读取此工作表（文件已损坏？请在 Excel 或 WPS 中另存为 .xlsx 后再导入）"})
			continue
		}
		fr := &formReader{v: v, f: f, g: g, add: add, note: note, byType: byType, where: where, cells: cells}
		fr.read()
		if fr.draft {
			im.Draft = true
		}
		if fr.badDate != "" && !badDate {
			badDate = true
			add(Problem{Sheet: name, Cell: fr.headerCell, Msg: fr.badDate + "；请改正后再导入"})
		}
		if fr.header == nil {
			continue
		}
		h := *fr.header
		switch {
		case h.Unit == "":
		case unitName == "":
			unitName, unitSheet, unitCell = h.Unit, name, fr.headerCell
			im.Header = h
		case norm(h.Unit) != norm(unitName):
			add(Problem{Sheet: name, Cell: fr.headerCell, Msg: fmt.Sprintf("填报单位“%s”与%s的“%s”不一致", h.Unit, unitSheet, unitName)})
		}
		if im.Header.Date == "" && h.Date != "" {
			im.Header.Date = h.Date
		}
		if im.Header.Filler == "" {
			im.Header.Filler = h.Filler
		}
		if im.Header.Phone == "" {
			im.Header.Phone = h.Phone
		}
	}
	switch {
	case unitName == "":
		add(Problem{Sheet: SheetName(v.Forms[0]), Msg: "表头“填报单位（盖章）：”后没有填单位名称，无法确定是哪个单位的报表"})
	default:
		u, err := v.Unit(unitName, extra...)
		if err != nil {
			var ok bool
			if u, ok = unitWithin(v, unitName, extra); !ok {
				add(Problem{Sheet: unitSheet, Cell: unitCell, Msg: err.Error()})
				break
			}
		}
		im.Unit = u
		im.Header.Unit = strings.TrimSpace(unitName)
		if msg := blocksFor(v, u, byType, where, note); msg != "" {
			add(Problem{Msg: msg})
			break
		}
		t, _ := v.UnitType(u.Type)
		for _, f := range v.FormsFor(u.Type) {
			if _, ok := b.findSheet(v, f); !ok && f.TownshipOnly {
				add(Problem{Msg: fmt.Sprintf("找不到%s（%s）：%s应填报此表", SheetName(f), f.Title(v.Year), t.Label)})
			}
		}
		im.Cells = cells[u.Type]
		for k, n := range byType[u.Type] {
			im.Values[k] = n
			im.Where[k] = where[u.Type][k]
		}
	}
	for _, s := range x.GetSheetList() {
		if !used[s] && b.hasContent(s) {
			note(Problem{Sheet: s, Msg: "不是季报表的工作表，未读取"})
		}
	}
	if y, m, d, ok := parseISODate(im.Header.Date); ok {
		im.Date = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.Local)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	readExplanations(x, im)
	return im, nil
}

// blocksFor decides which unit type's block is the unit's: its own. Another
// type's block left blank or filled with nothing but 0 (a careful clerk follows
// 注 "若无则应填写0" everywhere) is ignored with a note; another type's block
// with any other number is refused, as the file is then somebody else's or
// both. It returns the refusal, or "".
func blocksFor(v *model.Variant, u model.Unit, byType map[string]map[model.CellKey]model.Number,
	where map[string]map[model.CellKey]string, note func(Problem)) string {
	t, _ := v.UnitType(u.Type)
	var zeros, others []model.UnitType
	for _, ot := range v.UnitTypes {
		vals := byType[ot.ID]
		if ot.ID == u.Type || len(vals) == 0 {
			continue
		}
		allZero := true
		for _, n := range vals {
			allZero = allZero && n == 0
		}
		if allZero {
			zeros = append(zeros, ot)
		} else {
			others = append(others, ot)
		}
	}
	own := len(byType[u.Type]) > 0
	switch {
	case !own && len(others) == 0 && len(zeros) == 0:
		return "文件中没有填写任何数字（是空白模板吗？）"
	case own && len(others) > 0:
		return "同时填写了多个单位类型的栏目；每个单位只填本单位类型（" + t.Label + "）的一栏"
	case len(others) > 0:
		return fmt.Sprintf("%s属于“%s”，但表中填写的是“%s”一栏", u.Name, t.Label, others[0].Label)
	case !own:
		return fmt.Sprintf("%s属于“%s”，但“%s”一栏是空的（表中只在“%s”一栏填了 0）", u.Name, t.Label, t.Label, zeros[0].Label)
	}
	for _, z := range zeros {
		sheets := map[string]bool{}
		var list []string
		for k := range byType[z.ID] {
			if sh, _, ok := strings.Cut(where[z.ID][k], "!"); ok && !sheets[sh] {
				sheets[sh] = true
				list = append(list, sh)
			}
		}
		sort.Strings(list)
		note(Problem{Msg: fmt.Sprintf("“%s”一栏填的是 0（%s），不是本单位（%s）的栏目，未读取", z.Label, strings.Join(list, "、"), t.Label)})
	}
	return ""
}

// unitWithin finds the unit a full official name stands for (南安市水头镇人民政府
// is 水头): the one directory name it contains, when exactly one does.
func unitWithin(v *model.Variant, text string, extra []model.Unit) (model.Unit, bool) {
	var found []model.Unit
	seen := map[string]bool{}
	for _, list := range [][]model.Unit{v.Units, extra} {
		for _, u := range list {
			if len([]rune(u.Name)) >= 2 && strings.Contains(norm(text), norm(u.Name)) && !seen[u.Name] {
				seen[u.Name] = true
				found = append(found, u)
			}
		}
	}
	if len(found) != 1 {
		return model.Unit{}, false
	}
	return found[0], true
}

// norm makes header and label texts comparable: no whitespace of any kind,
// half-width and vertical brackets as the full-width ones.
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0':
		case '(', '︵':
			b.WriteRune('（')
		case ')', '︶':
			b.WriteRune('）')
		case ':':
			b.WriteRune('：')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	dateRE    = regexp.MustCompile(`(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日`)
	blankDate = regexp.MustCompile(`年 ?月 ?日`)
	spacesRE  = regexp.MustCompile(`\s+`)
	isoDateRE = regexp.MustCompile(`(?:^|\D)((\d{4})[-/.](\d{1,2})[-/.](\d{1,2}))(?:\D|$)`)
	labelRE   = regexp.MustCompile(`填报单位(?:（盖章）)?：|填表人：|联系电话：`)
)

// parseHeaderLine reads 填报单位, 填表人, 联系电话 and the date from the header line.
// Each field is read on its own, so a line where the clerk dropped a label or the
// date still gives the rest; ok is false without 填报单位.
func parseHeaderLine(s string) (model.Header, bool) {
	h, ok, _ := parseHeader(s)
	return h, ok
}

// parseHeader is parseHeaderLine that also says what is wrong with a date that
// cannot be (2025年9月31日), which is then left out of the header.
func parseHeader(s string) (h model.Header, found bool, badDate string) {
	s = strings.NewReplacer("(", "（", ")", "）", ":", "：", "\u3000", " ", "\u00a0", " ").Replace(s)
	s = strings.Map(func(r rune) rune { // a date typed with full-width digits: ２０２５年９月２８日
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
	s = strings.TrimSpace(spacesRE.ReplaceAllString(s, " "))
	s = strings.NewReplacer(" ：", "：", "： ", "：", "单位 （", "单位（").Replace(s)
	date := ""
	if m := dateRE.FindAllStringSubmatchIndex(s, -1); len(m) > 0 {
		last := m[len(m)-1]
		date = s[last[2]:last[3]] + "-" + s[last[4]:last[5]] + "-" + s[last[6]:last[7]]
		s = s[:last[0]] + "\x00" + s[last[1]:]
	} else if m := isoDateRE.FindAllStringSubmatchIndex(s, -1); len(m) > 0 {
		last := m[len(m)-1]
		date = s[last[4]:last[5]] + "-" + s[last[6]:last[7]] + "-" + s[last[8]:last[9]]
		s = s[:last[2]] + "\x00" + s[last[3]:]
	}
	if m := blankDate.FindStringIndex(s); m != nil {
		s = s[:m[0]] + "\x00" + s[m[1]:]
	}
	labels := labelRE.FindAllStringIndex(s, -1)
	for i, l := range labels {
		end := len(s)
		if i+1 < len(labels) {
			end = labels[i+1][0]
		}
		value, _, _ := strings.Cut(s[l[1]:end], "\x00")
		value = strings.TrimSpace(value)
		// The template gives every item a cell of its own: a label left blank in
		// its cell does not undo the same item written out in another.
		keep := func(f *string) {
			if value != "" || *f == "" {
				*f = value
			}
		}
		switch label := s[l[0]:l[1]]; {
		case strings.HasPrefix(label, "填报单位"):
			keep(&h.Unit)
			found = true
		case label == "填表人：":
			keep(&h.Filler)
		default:
			keep(&h.Phone)
		}
	}
	if date != "" {
		if d, err := model.ParseDate(date); err == nil {
			h.Date = d
		} else {
			badDate = "表头" + err.Error()
		}
	}
	return h, found, badDate
}

// numericText turns a number cell's raw value into the text the model's parser
// reads, undoing binary float noise (0.30000000000000004) but never real digits.
func numericText(raw string, t excelize.CellType) string {
	if t != excelize.CellTypeUnset && t != excelize.CellTypeNumber {
		return raw
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return raw
	}
	cents := x * 100
	r := math.Round(cents)
	if math.Abs(cents-r) <= 1e-6*math.Max(1, math.Abs(cents)) && math.Abs(r) < 9e15 {
		// As few decimals as the value needs: messages quote this text back to
		// the clerk, who typed 1.5, not 1.50.
		return strconv.FormatFloat(r/100, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// isDash reports whether a cell says "not applicable" rather than a number.
func isDash(s string) bool {
	n := norm(s)
	return n == "" || model.IsNoneWord(n)
}
