package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Number is a cell value in hundredths, so that counts and 万元 amounts add up
// exactly (no float drift in the collecting office's sums).
type Number int64

// Whole makes a Number from a whole count.
func Whole(n int64) Number { return Number(n * 100) }

type bound struct{ max Number }

// maxParseDigits keeps the integer part well inside int64 before bounds apply.
const maxParseDigits = 15

// ErrBlank is returned by ParseNumber for an empty input: the clerk cleared the cell.
var ErrBlank = errors.New("空白")

// ParseNumber reads what a clerk typed into a cell of the given kind. It accepts
// full-width digits and punctuation (１２３, ．, 。 as a decimal point, ， or , as
// thousands separators, －), surrounding spaces, and refuses everything else with a
// reason in Chinese. An empty input returns ErrBlank.
func (v *Variant) ParseNumber(kind Kind, s string) (Number, error) {
	return parseNumber(kind, s, v.kinds[kind].max)
}

// Validate checks a stored number against its kind; ParseNumber never returns a
// number that Validate refuses.
func (v *Variant) Validate(kind Kind, n Number) error {
	return validateNumber(kind, n, v.kinds[kind].max)
}

// ParseCell parses input for a column of a form.
func (v *Variant) ParseCell(c *Column, s string) (Number, error) {
	return v.ParseNumber(c.Kind, s)
}

func normalizeInput(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '．' || r == '。' || r == '｡':
			b.WriteByte('.')
		case r == '，' || r == '､' || r == '、':
			b.WriteByte(',')
		case r == '－' || r == '—' || r == '−' || r == '–':
			b.WriteByte('-')
		case r == '＋':
			b.WriteByte('+')
		case r == '　' || r == ' ' || r == '\t' || r == '\u00a0':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// IsNoneWord reports whether a cell says "nothing" in words or dashes (无, 没有,
// -, /, —, 不适用) instead of a number: fine in a not-applicable cell, and where a
// number is due the answer is 0, which every entrance says the same way.
func IsNoneWord(s string) bool {
	switch normalizeInput(s) {
	case "无", "没有", "暂无", "-", "--", "/", "／", "\\", "―", "不适用":
		return true
	}
	return false
}

func parseNumber(kind Kind, raw string, max Number) (Number, error) {
	s := normalizeInput(raw)
	if s == "" {
		return 0, ErrBlank
	}
	if IsNoneWord(s) {
		return 0, fmt.Errorf("「%s」不是数字；若无请填 0", strings.TrimSpace(raw))
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = strings.TrimSpace(s[1:])
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if strings.Contains(frac, ".") {
		return 0, fmt.Errorf("「%s」不是数字：小数点多于一个", raw)
	}
	if strings.Contains(frac, ",") {
		return 0, fmt.Errorf("「%s」不是数字：千位分隔符只能在整数部分", raw)
	}
	digits, err := stripGrouping(intPart)
	if err != nil {
		return 0, fmt.Errorf("「%s」%v", raw, err)
	}
	if digits == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("「%s」不是数字", raw)
	}
	for _, part := range []string{digits, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("「%s」不是数字，请只输入数字", raw)
			}
		}
	}
	if neg && strings.Trim(digits+frac, "0") != "" {
		return 0, fmt.Errorf("不能为负数（「%s」）", raw)
	}
	frac2 := strings.TrimRight(frac, "0")
	switch kind {
	case KindCount:
		if frac2 != "" {
			return 0, fmt.Errorf("「%s」应为整数（本栏计数，不能有小数）", raw)
		}
	case KindMoney:
		if len(frac2) > 2 {
			return 0, fmt.Errorf("「%s」超过两位小数（金额以万元计，最多保留两位小数）", raw)
		}
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > maxParseDigits {
		return 0, fmt.Errorf("「%s」数值过大（上限 %s）", raw, max.Format(kind))
	}
	for len(frac2) < 2 {
		frac2 += "0"
	}
	whole := int64(0)
	if digits != "" {
		whole, _ = strconv.ParseInt(digits, 10, 64)
	}
	cents, _ := strconv.ParseInt(frac2, 10, 64)
	n := Number(whole*100 + cents)
	if err := validateNumber(kind, n, max); err != nil {
		return 0, fmt.Errorf("「%s」%v", raw, err)
	}
	return n, nil
}

// stripGrouping removes thousands separators, accepting them only where they belong
// (1,234,567), so that "1,5" is not silently read as 15.
func stripGrouping(s string) (string, error) {
	if !strings.Contains(s, ",") {
		return s, nil
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", errors.New("的千位分隔符位置不对")
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", errors.New("的千位分隔符位置不对（应每三位一个）")
		}
	}
	return strings.Join(groups, ""), nil
}

func validateNumber(kind Kind, n Number, max Number) error {
	if n < 0 {
		return errors.New("不能为负数")
	}
	if kind == KindCount && n%100 != 0 {
		return errors.New("应为整数")
	}
	if max > 0 && n > max {
		return fmt.Errorf("数值过大（上限 %s）", max.Format(kind))
	}
	return nil
}

// Format prints a number as the form shows it: whole counts without decimals, 万元
// with exactly two.
func (n Number) Format(kind Kind) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	if kind == KindMoney {
		return fmt.Sprintf("%s%d.%02d", sign, int64(n)/100, int64(n)%100)
	}
	if n%100 == 0 {
		return fmt.Sprintf("%s%d", sign, int64(n)/100)
	}
	return fmt.Sprintf("%s%d.%02d", sign, int64(n)/100, int64(n)%100)
}

// Float is the number as a float64, for spreadsheets and charts only; sums are made
// on Number.
func (n Number) Float() float64 { return float64(n) / 100 }

// parseDecimal reads a plain non-negative decimal with at most two places.
func parseDecimal(s string) (Number, error) {
	n, err := parseNumber(KindMoney, s, 0)
	if err != nil {
		return 0, fmt.Errorf("不是合法数值: %v", err)
	}
	return n, nil
}
