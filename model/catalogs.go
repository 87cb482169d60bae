package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Catalogs is every year's form set a process knows: the embedded 2025 one,
// those an office added to the data file (`jibao forms add`), and one given with
// --catalog. A period picks the catalog of its year, so one `jibao serve` takes
// late 2025Q4 reports and the first 2026Q1 drafts side by side. It is immutable
// once made; a new set is made when a catalog is added.
type Catalogs struct {
	byYear map[int]*Catalog
	years  []int // ascending
}

// NewCatalogs makes the set; a later catalog of a year replaces an earlier one
// (the stored version replaces the embedded, --catalog replaces both).
func NewCatalogs(cs ...*Catalog) *Catalogs {
	s := &Catalogs{byYear: map[int]*Catalog{}}
	for _, c := range cs {
		if c == nil {
			continue
		}
		if _, ok := s.byYear[c.Year]; !ok {
			s.years = append(s.years, c.Year)
		}
		s.byYear[c.Year] = c
	}
	sort.Ints(s.years)
	return s
}

// Single is the set of one catalog (tests, and code that knows one year).
func Single(c *Catalog) *Catalogs { return NewCatalogs(c) }

// Years lists the years that have a catalog, oldest first.
func (s *Catalogs) Years() []int { return append([]int(nil), s.years...) }

// Year is the catalog of a year, if there is one.
func (s *Catalogs) Year(y int) (*Catalog, bool) {
	c, ok := s.byYear[y]
	return c, ok
}

// Latest is the catalog of the newest year.
func (s *Catalogs) Latest() *Catalog { return s.byYear[s.years[len(s.years)-1]] }

// For is the catalog of a period's year, or an error that says how to add one.
func (s *Catalogs) For(p Period) (*Catalog, error) {
	if c, ok := s.byYear[p.Year]; ok {
		return c, nil
	}
	years := make([]string, len(s.years))
	for i, y := range s.years {
		years[i] = fmt.Sprint(y)
	}
	return nil, fmt.Errorf("期别 %s 没有%d年的表式（已有：%s年）；请先用 jibao forms add 表式文件 加入该年度的表式", p, p.Year, strings.Join(years, "、"))
}

// Variant is a variant as the period's year defines it.
func (s *Catalogs) Variant(id string, p Period) (*Variant, error) {
	c, err := s.For(p)
	if err != nil {
		return nil, err
	}
	return c.Variant(id)
}

// VariantIDs lists the variants of every year, newest year's order first.
func (s *Catalogs) VariantIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for i := len(s.years) - 1; i >= 0; i-- {
		for _, id := range s.byYear[s.years[i]].VariantIDs() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// Find is a variant by ID or name in any year's catalog, newest year first: for
// what does not depend on the year (the canonical ID, the added units).
func (s *Catalogs) Find(id string) (*Variant, error) {
	for i := len(s.years) - 1; i >= 0; i-- {
		if v, err := s.byYear[s.years[i]].Variant(id); err == nil {
			return v, nil
		}
	}
	return s.Latest().Variant(id)
}

// Default is the variant and the quarter a clerk most likely reports on a day:
// the variant's DefaultPeriod in the year of that quarter when the year has a
// catalog; otherwise clamped into the nearest year that has one (the newest
// before it, or the oldest after it).
func (s *Catalogs) Default(variant string, now time.Time) (*Variant, Period, error) {
	var v *Variant
	for i := len(s.years) - 1; i >= 0 && v == nil; i-- {
		if x, err := s.byYear[s.years[i]].Variant(variant); err == nil {
			v = x
		}
	}
	if v == nil {
		_, err := s.Latest().Variant(variant)
		return nil, Period{}, err
	}
	p := v.DuePeriod(now)
	if c, ok := s.byYear[p.Year]; ok {
		if x, err := c.Variant(v.ID); err == nil {
			return x, p, nil
		}
	}
	year := s.years[0]
	for _, y := range s.years {
		if y <= p.Year {
			year = y
		}
	}
	c := s.byYear[year]
	x, err := c.Variant(v.ID)
	if err != nil {
		return nil, Period{}, err
	}
	return x, x.DefaultPeriod(now), nil
}

// Prev is the previous quarter's variant and period, across the year boundary
// when the previous year has a catalog that knows the variant: Q1's cumulative
// figures are compared with last year's Q4 for the columns counted from before
// the year (see Column.CountsAcross).
func (s *Catalogs) Prev(v *Variant, p Period) (*Variant, Period, bool) {
	if pp, ok := p.Prev(); ok {
		return v, pp, true
	}
	c, ok := s.byYear[p.Year-1]
	if !ok {
		return nil, Period{}, false
	}
	pv, err := c.Variant(v.ID)
	if err != nil {
		return nil, Period{}, false
	}
	return pv, Period{p.Year - 1, 4}, true
}

// RenamedTo is the ID a form's column has in this catalog: its rename's target,
// or the same ID.
func (c *Catalog) RenamedTo(form, col string) string {
	for _, r := range c.Renames {
		if r.Form == form && r.From == col {
			return r.To
		}
	}
	return col
}

// Incompatible lists what a new catalog of a year changes in what the old one's
// reports mean; none when it only adds (forms, columns, rows, rules, units) and
// keeps every column's unit and scope. Each line names the place.
func Incompatible(old, new *Catalog) []string {
	var why []string
	if old.Year != new.Year {
		return []string{fmt.Sprintf("年度由 %d 改为 %d", old.Year, new.Year)}
	}
	for _, ov := range old.Variants {
		nv, err := new.Variant(ov.ID)
		if err != nil {
			why = append(why, fmt.Sprintf("去掉了版本 %s", ov.ID))
			continue
		}
		o, _ := old.Variant(ov.ID)
		for _, of := range o.Forms {
			nf := nv.Form(of.ID)
			if nf == nil {
				why = append(why, fmt.Sprintf("%s 去掉了%s", ov.ID, of.Name()))
				continue
			}
			for _, oc := range of.Columns {
				nc := nf.Column(new.RenamedTo(of.ID, oc.ID))
				switch {
				case nc == nil:
					why = append(why, fmt.Sprintf("%s%s 去掉了第 %s 栏（%s）", ov.ID, of.Name(), oc.ID, oc.PathText()))
				case nc.Unit != oc.Unit || nc.Scope != oc.Scope:
					why = append(why, fmt.Sprintf("%s%s 第 %s 栏的计量单位或填法改了（%s %s → %s %s）", ov.ID, of.Name(), oc.ID, oc.Unit, oc.Scope, nc.Unit, nc.Scope))
				}
			}
			rows := map[string]bool{}
			for _, r := range nf.Rows {
				rows[r.ID] = true
			}
			for _, r := range of.Rows {
				if !rows[r.ID] {
					why = append(why, fmt.Sprintf("%s%s 去掉了行 %s（%s）", ov.ID, of.Name(), r.ID, r.Label))
				}
			}
			rules := map[string]bool{}
			for _, r := range nf.Rules {
				rules[r.Head().ID] = true
			}
			for _, r := range of.Rules {
				if !rules[r.Head().ID] {
					why = append(why, fmt.Sprintf("%s%s 去掉了规则 %s", ov.ID, of.Name(), r.Head().ID))
				}
			}
		}
		units := map[string]bool{}
		for _, u := range nv.Units {
			units[u.Name] = true
			for _, f := range u.Formerly { // renamed, not removed
				units[f] = true
			}
		}
		for _, u := range o.Units {
			if !units[u.Name] {
				why = append(why, fmt.Sprintf("%s 的单位名录去掉了 %s", ov.ID, u.Name))
			}
		}
	}
	return why
}
