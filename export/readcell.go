package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// What a number cell may hold besides a number, as the spreadsheet says.
const (
	fmtNumber = iota
	fmtDate
	fmtTime
)

// notNumber says why a number cell's value is not a number although its raw
// text may read as one: a date or time (a serial number with a date format: 3-5
// typed into a General cell becomes 45721), TRUE/FALSE (stored as 1/0), an
// error (#DIV/0!), or a formula whose saved result is text. "" when the value
// is a number or text for the parser to judge.
func (g *grid) notNumber(a, raw string) string {
	t, _ := g.x.GetCellType(g.name, a)
	fx, _ := g.x.GetCellFormula(g.name, a)
	shown := strings.TrimSpace(raw)
	if fx != "" {
		switch t {
		case excelize.CellTypeBool:
			return fmt.Sprintf("公式 =%s 的结果是逻辑值（%s），不是数字", fx, boolText(shown))
		case excelize.CellTypeError:
			return fmt.Sprintf("公式 =%s 出错（%s），不是数字", fx, shown)
		case excelize.CellTypeFormula, excelize.CellTypeSharedString, excelize.CellTypeInlineString:
			return fmt.Sprintf("公式 =%s 的结果「%s」不是数字", fx, shown)
		}
	}
	switch t {
	case excelize.CellTypeBool:
		return fmt.Sprintf("是逻辑值（%s），不是数字", boolText(shown))
	case excelize.CellTypeError:
		return fmt.Sprintf("是错误值 %s，不是数字", shown)
	case excelize.CellTypeDate:
		return fmt.Sprintf("是日期（%s），不是数字", shown)
	case excelize.CellTypeNumber, excelize.CellTypeUnset:
	default:
		return ""
	}
	x, err := strconv.ParseFloat(shown, 64)
	if err != nil {
		return ""
	}
	switch g.formatKind(a) {
	case fmtDate:
		when := ""
		if d, err := excelize.ExcelDateToTime(x, false); err == nil {
			when = "（" + d.Format("2006-01-02") + "）"
		}
		return "是日期" + when + "，不是数字：Excel 或 WPS 会把输入的 3-5、3/5 当成日期；请把单元格格式设为“常规”或“数值”后重新输入数字"
	case fmtTime:
		return "是时间，不是数字；请把单元格格式设为“常规”或“数值”后重新输入数字"
	}
	return ""
}

func boolText(raw string) string {
	if raw == "1" || strings.EqualFold(raw, "true") {
		return "TRUE"
	}
	return "FALSE"
}

// formatKind is whether a cell's number format shows a date, a time or a number.
func (g *grid) formatKind(a string) int {
	idx, err := g.x.GetCellStyle(g.name, a)
	if err != nil || idx == 0 {
		return fmtNumber
	}
	if k, ok := g.formats[idx]; ok {
		return k
	}
	k := fmtNumber
	if st, err := g.x.GetStyle(idx); err == nil && st != nil {
		if st.CustomNumFmt != nil {
			k = dateFormatKind(*st.CustomNumFmt)
		} else {
			k = builtinFormatKind(st.NumFmt)
		}
	}
	if g.formats == nil {
		g.formats = map[int]int{}
	}
	g.formats[idx] = k
	return k
}

// builtinFormatKind knows the built-in number formats that show dates and times,
// the Chinese ones (27–36, 50–58) included.
func builtinFormatKind(id int) int {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
		return fmtDate
	case id >= 18 && id <= 21, id >= 32 && id <= 35, id >= 45 && id <= 47:
		return fmtTime
	}
	return fmtNumber
}

// dateFormatKind reads a format code as Excel does: y, m, d (or 年月日) outside
// quotes, escapes and [colour] brackets make a date; h or s alone a time.
func dateFormatKind(code string) int {
	section, _, _ := strings.Cut(code, ";")
	if i := strings.Index(strings.ToLower(section), "general"); i >= 0 {
		section = section[:i] + section[i+len("general"):]
	}
	date, clock := false, false
	for i := 0; i < len(section); i++ {
		switch c := section[i]; c {
		case '"':
			if j := strings.IndexByte(section[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(section)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(section[i:], ']')
			if j < 0 {
				i = len(section)
				break
			}
			inner := strings.ToLower(section[i+1 : i+j])
			if strings.Trim(inner, "hms") == "" && inner != "" { // [h], [mm]: elapsed time
				clock = true
			}
			i += j
		case 'y', 'Y', 'd', 'D', 'm', 'M':
			date = true
		case 'h', 'H', 's', 'S':
			clock = true
		}
	}
	switch {
	case date && !clock:
		return fmtDate
	case date:
		// m next to h or s is minutes: h:mm is a time, yyyy-m-d h:mm a date.
		if strings.ContainsAny(strings.ToLower(stripQuoted(section)), "yd") {
			return fmtDate
		}
		return fmtTime
	case clock:
		return fmtTime
	}
	return fmtNumber
}

// stripQuoted drops the quoted literals of a format code.
func stripQuoted(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		if r == '"' {
			in = !in
			continue
		}
		if !in {
			b.WriteRune(r)
		}
	}
	return b.String()
}
