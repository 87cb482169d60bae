package model

import "strconv"

// Before is the quarter before p, across the year boundary (2026Q1 → 2025Q4);
// Prev stays within the year.
func (p Period) Before() Period {
	if p.Quarter <= 1 {
		return Period{p.Year - 1, 4}
	}
	return Period{p.Year, p.Quarter - 1}
}

// PrevID is the report before id: the previous quarter, and across the year
// boundary the unit's name in that year when this year's directory records a
// rename (formerly).
func (v *Variant) PrevID(id ReportID) ReportID {
	prev := ReportID{Variant: id.Variant, Unit: id.Unit, Period: id.Period.Before()}
	if prev.Period.Year != id.Period.Year {
		for _, u := range v.Units {
			if u.Name == id.Unit && len(u.Formerly) > 0 {
				prev.Unit = u.Formerly[0]
			}
		}
	}
	return prev
}

// CountsAcross reports whether a column's figure runs on from before the year
// (counted since 2021-08, 2024-02, 2024-04, or a stock such as 企业底数), so
// that last year's Q4 figure is where this year's Q1 goes on from; a figure
// counted from 1 January of the year starts again.
func (c *Column) CountsAcross(year int) bool {
	if c.Since == "stock" {
		return true
	}
	y, err := strconv.Atoi(c.Since[:min(4, len(c.Since))])
	return err == nil && y < year
}

// CarryOver is the previous quarter's report as this variant's year reads it:
// the same report within the year; from the year before, only the figures that
// run on across the year (CountsAcross) and that this year's forms still have.
// The cumulative check, the dimmed ghost values and "copy last quarter" all take
// it, so none of them reaches back across the year for a figure that restarts on
// 1 January. nil stays nil.
func (v *Variant) CarryOver(prev *Report) *Report {
	if prev == nil || prev.Period.Year == v.Year {
		return prev
	}
	out := prev.Clone()
	for k := range out.Values {
		f := v.Form(k.Form)
		var c *Column
		if f != nil {
			c = f.Column(k.Col)
		}
		if c == nil || !c.CountsAcross(v.Year) {
			delete(out.Values, k)
		}
	}
	return out
}
