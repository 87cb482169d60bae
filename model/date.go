package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateRE reads a date as clerks write it: 2025-9-28, 2025.9.28, 2025/9/28 or
// 2025年9月28日 (the way the exported sheet prints it), with spaces anywhere.
var dateRE = regexp.MustCompile(`^(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*(?:[-./]|月)\s*(\d{1,2})\s*日?$`)

// ParseDate reads the date of a report's header line and returns it as the
// store keeps it, 2025-09-28. Full-width digits and separators are read as
// half-width. A day the month does not have (2025-09-31) is refused as a wrong
// day, not a wrong format, so the clerk knows which part to fix.
func ParseDate(s string) (string, error) {
	t := strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '－' || r == '—' || r == '–':
			return '-'
		case r == '．' || r == '。':
			return '.'
		case r == '／':
			return '/'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s))
	m := dateRE.FindStringSubmatch(t)
	if m == nil || (strings.Contains(t, "年") != strings.Contains(t, "月")) {
		return "", fmt.Errorf("日期「%s」无法识别，应写成 2025-09-28、2025.9.28、2025/9/28 或 2025年9月28日", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if y < 2000 || y > 2100 {
		return "", fmt.Errorf("日期「%s」的年份 %d 不对", s, y)
	}
	if mo < 1 || mo > 12 {
		return "", fmt.Errorf("日期「%s」的月份 %d 不对（应为 1 至 12）", s, mo)
	}
	last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > last {
		return "", fmt.Errorf("日期「%s」的日不对：%d年%d月只有 %d 天", s, y, mo, last)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d), nil
}
