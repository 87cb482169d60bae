package model

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Period is a reporting quarter, written 2025Q3.
type Period struct {
	Year    int
	Quarter int
}

// ParsePeriod reads "2025Q3" (also "2025q3", "2025-Q3", "2025年第3季度").
func ParsePeriod(s string) (Period, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.NewReplacer("-", "", "年第", "Q", "季度", "", "年", "Q", " ", "").Replace(t)
	var p Period
	if _, err := fmt.Sscanf(t, "%4dQ%d", &p.Year, &p.Quarter); err != nil || p.Quarter < 1 || p.Quarter > 4 || p.Year < 2000 || p.Year > 2100 {
		return Period{}, fmt.Errorf("期别 %q 无法识别，应写成 2025Q3 这样的格式", s)
	}
	if fmt.Sprintf("%dQ%d", p.Year, p.Quarter) != t {
		return Period{}, fmt.Errorf("期别 %q 无法识别，应写成 2025Q3 这样的格式", s)
	}
	return p, nil
}

// String is the canonical key form, "2025Q3".
func (p Period) String() string { return fmt.Sprintf("%dQ%d", p.Year, p.Quarter) }

// Label is the period in Chinese, "2025年第3季度".
func (p Period) Label() string { return fmt.Sprintf("%d年第%d季度", p.Year, p.Quarter) }

// Prev is the previous quarter of the same year; ok is false for Q1, since the
// cumulative figures restart with each year's reporting.
func (p Period) Prev() (Period, bool) {
	if p.Quarter <= 1 {
		return Period{}, false
	}
	return Period{p.Year, p.Quarter - 1}, true
}

// Less orders periods in time.
func (p Period) Less(q Period) bool {
	return p.Year < q.Year || (p.Year == q.Year && p.Quarter < q.Quarter)
}

// PeriodOf is the quarter a date falls in.
func PeriodOf(t time.Time) Period { return Period{t.Year(), (int(t.Month())-1)/3 + 1} }

// DueDate is the date a quarter's report is due under the variant's rule.
func (v *Variant) DueDate(p Period) time.Time {
	switch v.DueRule.Kind {
	case "nextQuarterFirstMonth":
		y, m := p.Year, time.Month(p.Quarter*3+1)
		if m > 12 {
			y, m = y+1, 1
		}
		return time.Date(y, m, v.DueRule.Day, 0, 0, 0, 0, time.Local)
	default:
		return time.Date(p.Year, time.Month(p.Quarter*3), v.DueRule.Day, 0, 0, 0, 0, time.Local)
	}
}

// DaysLeft is the number of whole days from today until the due date (negative when
// overdue).
func (v *Variant) DaysLeft(p Period, now time.Time) int {
	d := v.DueDate(p)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	return int(math.Round(d.Sub(today).Hours() / 24))
}

// DueText says "还有 N 天", "今天截止" or "已逾期 N 天".
func DueText(days int) string {
	switch {
	case days > 0:
		return fmt.Sprintf("还有 %d 天", days)
	case days == 0:
		return "今天截止"
	default:
		return fmt.Sprintf("已逾期 %d 天", -days)
	}
}

// DefaultPeriod is the quarter a clerk most likely reports on a given day: the
// current one for variants due within the quarter, the previous one otherwise.
// It stays within the catalog's year: after the year, its last quarter; before,
// its first.
func (v *Variant) DefaultPeriod(now time.Time) Period {
	p := v.DuePeriod(now)
	switch {
	case p.Year > v.Year:
		return Period{v.Year, 4}
	case p.Year < v.Year:
		return Period{v.Year, 1}
	}
	return p
}

// DuePeriod is the quarter a clerk most likely reports on a given day, whatever
// the catalog's year: the current one for variants due within the quarter, the
// previous one otherwise (Catalogs picks the year's catalog for it).
func (v *Variant) DuePeriod(now time.Time) Period {
	p := PeriodOf(now)
	if v.DueRule.Kind == "nextQuarterFirstMonth" {
		p = p.Before()
	}
	return p
}

// CheckPeriod refuses a period outside the catalog's year: its forms, titles and
// start dates are that year's, and another year's report needs that year's file.
func (v *Variant) CheckPeriod(p Period) error {
	if p.Year != v.Year {
		return fmt.Errorf("期别 %s 不在本表式的年度（%d年）内；%d年的报表需要该年度的表式：jibao forms add 表式文件", p, v.Year, p.Year)
	}
	return nil
}
