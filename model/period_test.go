package model

import (
	"strings"
	"testing"
	"time"
)

func TestPeriods(t *testing.T) {
	for _, s := range []string{"2025Q3", "2025q3", "2025-Q3", "2025年第3季度"} {
		p, err := ParsePeriod(s)
		if err != nil || p != (Period{2025, 3}) {
			t.Errorf("ParsePeriod(%q) = %v, %v", s, p, err)
		}
	}
	for _, s := range []string{"2025Q5", "2025", "Q3", "2025Q3x", ""} {
		if _, err := ParsePeriod(s); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", s)
		}
	}
	if _, ok := (Period{2025, 1}).Prev(); ok {
		t.Error("Q1 has no previous quarter within the year")
	}
}

func TestDueDates(t *testing.T) {
	c := DefaultCatalog()
	nan, _ := c.Variant("nanan")
	qz, _ := c.Variant("quanzhou-edu")
	want := map[string][]string{
		"nanan":        {"2025-03-30", "2025-06-30", "2025-09-30", "2025-12-30"},
		"quanzhou-edu": {"2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"},
	}
	for _, v := range []*Variant{nan, qz} {
		for q := 1; q <= 4; q++ {
			if got := v.DueDate(Period{2025, q}).Format("2006-01-02"); got != want[v.ID][q-1] {
				t.Errorf("%s Q%d due %s, want %s", v.ID, q, got, want[v.ID][q-1])
			}
		}
	}
	now := time.Date(2025, 9, 25, 15, 0, 0, 0, time.Local)
	if d := nan.DaysLeft(Period{2025, 3}, now); d != 5 || DueText(d) != "还有 5 天" {
		t.Errorf("days left %d %q", d, DueText(d))
	}
	if d := nan.DaysLeft(Period{2025, 2}, now); DueText(d) != "已逾期 87 天" {
		t.Errorf("overdue %d %q", d, DueText(d))
	}
	if p := qz.DefaultPeriod(now); p != (Period{2025, 2}) {
		t.Errorf("泉州 in September reports Q2, got %v", p)
	}
	later := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	if p := nan.DefaultPeriod(later); p != (Period{2025, 4}) {
		t.Errorf("after the catalog's year the default is its Q4, got %v", p)
	}
	if p := qz.DefaultPeriod(time.Date(2026, 1, 3, 9, 0, 0, 0, time.Local)); p != (Period{2025, 4}) {
		t.Errorf("泉州 in early January reports last year's Q4, got %v", p)
	}
	if err := nan.CheckPeriod(Period{2024, 3}); err == nil || !strings.Contains(err.Error(), "forms add") {
		t.Errorf("2024Q3 with the 2025 catalog: %v", err)
	}
	if err := nan.CheckPeriod(Period{2025, 3}); err != nil {
		t.Error(err)
	}
}
