package model

import (
	"errors"
	"strconv"
)

// Before is the quarter before p, across the year boundary (2026Q1 → 2025Q4);
// Prev stays within the year.
func (p Period) Before() Period {
	if p.Quarter <= 1 {
		return Period{p.Year - 1, 4}
	}
	return Period{p.Year, p.Quarter - 1}
}

// PrevIDs are the reports before id: the previous quarter's, and across the
// year boundary those of the unit's names in that year when this year's
// directory records a rename (formerly: one name) or a merger (several).
func (v *Variant) PrevIDs(id ReportID) []ReportID {
	prev := ReportID{Variant: id.Variant, Unit: id.Unit, Period: id.Period.Before()}
	if prev.Period.Year != id.Period.Year {
		for _, u := range v.Units {
			if u.Name == id.Unit && len(u.Formerly) > 0 {
				out := make([]ReportID, len(u.Formerly))
				for i, name := range u.Formerly {
					out[i] = ReportID{Variant: id.Variant, Unit: name, Period: prev.Period}
				}
				return out
			}
		}
	}
	return []ReportID{prev}
}

// LoadPrev reads the previous quarter of a report through get (a store's
// read; a not-found error or a nil report counts as none): PrevIDs, merged by
// MergePrev, as this variant's year reads it (CarryOver). Every reader of last
// quarter goes through it: the rules, the ghosts, C.
func (v *Variant) LoadPrev(id ReportID, get func(ReportID) (*Report, error)) (*Report, error) {
	ids := v.PrevIDs(id)
	found := make([]*Report, len(ids))
	for i, pid := range ids {
		r, err := get(pid)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		found[i] = r
	}
	return v.CarryOver(MergePrev(id, found)), nil
}

// MergePrev is the previous quarter of a unit from the reports PrevIDs named
// (nil where none is stored): the one report, or for units merged into it the
// sum of theirs, cell by cell, of the cells every one of them has; nil when any
// is missing, since a partial sum is no baseline to compare with.
func MergePrev(id ReportID, found []*Report) *Report {
	if len(found) == 1 {
		return found[0]
	}
	var out *Report
	for _, r := range found {
		if r == nil {
			return nil
		}
		if out == nil {
			out = r.Clone()
			out.Unit = id.Unit
			continue
		}
		for k, n := range out.Values {
			if m, ok := r.Values[k]; ok {
				out.Values[k] = n + m
			} else {
				delete(out.Values, k)
			}
		}
	}
	return out
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
