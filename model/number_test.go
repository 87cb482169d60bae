package model

import (
	"errors"
	"strings"
	"testing"
)

func nanan(t testing.TB) *Variant {
	v, err := DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseNumber(t *testing.T) {
	v := nanan(t)
	ok := []struct {
		kind Kind
		in   string
		want Number
	}{
		{KindCount, "0", 0},
		{KindCount, "1533", Whole(1533)},
		{KindCount, " 42 ", Whole(42)},
		{KindCount, "１２３", Whole(123)},
		{KindCount, "1,533", Whole(1533)},
		{KindCount, "1，234，567", Whole(1234567)},
		{KindCount, "12.0", Whole(12)},
		{KindCount, "　７　", Whole(7)},
		{KindCount, "-0", 0},
		{KindMoney, "12.5", 1250},
		{KindMoney, "12。5", 1250},
		{KindMoney, "１２．３４", 1234},
		{KindMoney, ".5", 50},
		{KindMoney, "3.", 300},
		{KindMoney, "1,000.25", 100025},
		{KindMoney, "0.10", 10},
	}
	for _, c := range ok {
		got, err := v.ParseNumber(c.kind, c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseNumber(%s, %q) = %v, %v; want %v", c.kind, c.in, got, err, c.want)
		}
	}
	bad := []struct {
		kind Kind
		in   string
		why  string
	}{
		{KindCount, "-3", "负数"},
		{KindCount, "－３", "负数"},
		{KindCount, "2.5", "整数"},
		{KindMoney, "1.234", "两位小数"},
		{KindCount, "abc", "不是数字"},
		{KindCount, "12a", "不是数字"},
		{KindCount, "1e5", "不是数字"},
		{KindCount, "1,5", "千位分隔符"},
		{KindCount, "12,34", "千位分隔符"},
		{KindCount, "1.2.3", "小数点"},
		{KindCount, "100000000", "过大"},
		{KindMoney, "123456789012345678901", "过大"},
		{KindCount, ".", "不是数字"},
		{KindCount, "五", "不是数字"},
		// "nothing" in words or dashes: the one answer every entrance gives.
		{KindCount, "无", "「无」不是数字；若无请填 0"},
		{KindCount, " 没有 ", "「没有」不是数字；若无请填 0"},
		{KindCount, "-", "「-」不是数字；若无请填 0"},
		{KindCount, "/", "「/」不是数字；若无请填 0"},
		{KindCount, "／", "若无请填 0"},
		{KindMoney, "—", "「—」不是数字；若无请填 0"},
		{KindMoney, "——", "「——」不是数字；若无请填 0"},
		{KindCount, "－", "若无请填 0"},
		{KindCount, "不适用", "若无请填 0"},
	}
	for _, c := range bad {
		_, err := v.ParseNumber(c.kind, c.in)
		if err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("ParseNumber(%s, %q) error %v; want one saying %q", c.kind, c.in, err, c.why)
		}
	}
	if _, err := v.ParseNumber(KindCount, "  "); !errors.Is(err, ErrBlank) {
		t.Errorf("blank input: %v", err)
	}
}

func TestFormat(t *testing.T) {
	if got := Number(1250).Format(KindMoney); got != "12.50" {
		t.Error(got)
	}
	if got := Whole(7).Format(KindCount); got != "7" {
		t.Error(got)
	}
}

// FuzzParseNumber: the parser never panics, never accepts what Validate refuses,
// and what it prints it reads back unchanged.
func FuzzParseNumber(f *testing.F) {
	v := nanan(f)
	for _, s := range []string{"0", "12.5", "１２．３４", "1,234", "-1", "1e9", "99999999", "0.001", "，", "。5"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, money bool) {
		kind := KindCount
		if money {
			kind = KindMoney
		}
		n, err := v.ParseNumber(kind, s)
		if err != nil {
			if n != 0 {
				t.Fatalf("error with a value: %q → %v, %v", s, n, err)
			}
			return
		}
		if verr := v.Validate(kind, n); verr != nil {
			t.Fatalf("accepted %q as %v, which Validate refuses: %v", s, n, verr)
		}
		back, err := v.ParseNumber(kind, n.Format(kind))
		if err != nil || back != n {
			t.Fatalf("%q → %v → %q → %v, %v", s, n, n.Format(kind), back, err)
		}
	})
}
