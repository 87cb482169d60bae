package model

import "fmt"

// Summing gathers a Summary one report at a time, so that a caller reading
// thousands of reports from the store holds one at a time, not all of them:
// a report's figures are kept packed (8 bytes a figure, against some 110 in a
// report's map), its check's counts and its head. Cost: one look-up per cell of
// each report, then one pass over the packed figures; memory grows with units ×
// cells × 8 bytes (2.4 MB at 2,000 units).
type Summing struct {
	s     *Summary
	sizes map[string]sizeAt // unit → its latest size of the year
	done  bool
}

// sizeAt is a unit's size and the quarter that reported it.
type sizeAt struct {
	n       Number
	quarter int
}

// typeCells are a unit type's cells in reading order, form by form, with their
// sums: a packed report of the type has its figures in this order.
type typeCells struct {
	keys []CellKey
	at   map[CellKey]int
	sums []SumCell
}

// packed is a report's figures in its unit type's cell order.
type packed struct {
	vals []Number
	has  []uint64 // bit i set: vals[i] is filled
}

func (p packed) get(i int) (Number, bool) {
	if i < 0 || i/64 >= len(p.has) || p.has[i/64]&(1<<(i%64)) == 0 {
		return 0, false
	}
	return p.vals[i], true
}

// NewSumming starts the summary of period p over the variant's directory and
// the extra units users added to it.
func NewSumming(v *Variant, p Period, opt Options, extra ...Unit) *Summing {
	s := &Summary{Variant: v, Period: p, Options: opt, types: newTypeCells(v), byName: map[string]int{}}
	for _, list := range [][]Unit{v.Units, extra} {
		for _, u := range list {
			if _, dup := s.byName[u.Name]; dup {
				continue
			}
			s.byName[u.Name] = len(s.Units)
			s.Units = append(s.Units, UnitEntry{Unit: u, Status: StatusMissing, Listed: true})
		}
	}
	for _, t := range v.UnitTypes {
		for _, k := range s.types[t.ID].keys {
			s.ordered = append(s.ordered, SumKey{t.ID, k})
		}
	}
	return &Summing{s: s, sizes: map[string]sizeAt{}}
}

// newTypeCells numbers every unit type's cells.
func newTypeCells(v *Variant) map[string]*typeCells {
	types := map[string]*typeCells{}
	for _, t := range v.UnitTypes {
		tc := &typeCells{at: map[CellKey]int{}}
		for _, f := range v.FormsFor(t.ID) {
			for _, k := range f.Cells() {
				tc.at[k] = len(tc.keys)
				tc.keys = append(tc.keys, k)
			}
		}
		tc.sums = make([]SumCell, len(tc.keys))
		types[t.ID] = tc
	}
	return types
}

// figure is a packed report's figure for a cell of the type.
func (tc *typeCells) figure(p packed, k CellKey) (Number, bool) {
	i, ok := tc.at[k]
	if !ok {
		return 0, false
	}
	return p.get(i)
}

// pack is a report's figures in the type's cell order.
func (tc *typeCells) pack(r *Report) packed {
	p := packed{vals: make([]Number, len(tc.keys)), has: make([]uint64, (len(tc.keys)+63)/64)}
	for j, k := range tc.keys {
		if n, ok := r.Values[k]; ok {
			p.vals[j] = n
			p.has[j/64] |= 1 << (j % 64)
		}
	}
	return p
}

// Add takes one report and its previous quarter (as LoadPrev reads it; nil
// for none), which the rules that compare with last quarter (jump, zeroed,
// cumulative) read: the summary counts the warnings the board and `jibao
// check` count. Reports of other variants are ignored; those of the year's
// earlier quarters only give the unit's size, for derived targets. Neither
// report is kept.
func (b *Summing) Add(r, prev *Report) {
	s := b.s
	if r == nil || r.Variant != s.Variant.ID || b.done {
		return
	}
	b.size(r)
	if r.Period != s.Period || len(r.Values) == 0 {
		// Opening a report in the grid creates it; until a figure is in it
		// the unit has not reported anything.
		return
	}
	i, ok := s.byName[r.Unit]
	if !ok {
		i = len(s.Units)
		s.byName[r.Unit] = i
		s.Units = append(s.Units, UnitEntry{Unit: Unit{Name: r.Unit, Type: r.UnitType}})
	}
	e := &s.Units[i]
	e.Report = &ReportHead{UnitType: r.UnitType, State: r.State, Header: r.Header, Updated: r.Updated, UpdatedBy: r.UpdatedBy}
	e.Checked = CountsOf(s.Variant.Check(r, prev))
	switch {
	case e.Checked.Errors > 0:
		e.Status = StatusErrors
	case r.State.Delivered() && e.Checked.Complete():
		e.Status = StatusComplete
	default:
		e.Status = StatusDraft
	}
	opt := s.Options
	e.Included = (!opt.CompleteOnly || r.State.Delivered()) && (!opt.AcceptedOnly || r.State == StateAccepted)
	// A report's own unit type decides its block; a unit the directory files
	// under another type is summed where its report says it belongs.
	e.figs = packed{}
	if tc := s.types[r.UnitType]; tc != nil {
		e.figs = tc.pack(r)
	}
}

// size notes the unit's size from a report of the year up to the period that
// fills the variant's size cell; the latest quarter's wins.
func (b *Summing) size(r *Report) {
	p := b.s.Period
	k, ok := b.s.Variant.SizeCell()
	if !ok || r.Period.Year != p.Year || r.Period.Quarter > p.Quarter {
		return
	}
	n, filled := r.Values[k]
	if last, seen := b.sizes[r.Unit]; !filled || seen && last.quarter >= r.Period.Quarter {
		return
	}
	b.sizes[r.Unit] = sizeAt{n, r.Period.Quarter}
}

// Done sums the included reports and returns the summary; the Summing is
// spent.
func (b *Summing) Done() *Summary {
	s := b.s
	if b.done {
		return s
	}
	b.done = true
	for name, sz := range b.sizes {
		if i, ok := s.byName[name]; ok {
			s.Units[i].Size, s.Units[i].HasSize = sz.n, true
		}
	}
	for _, e := range s.Units {
		if !e.Included {
			continue
		}
		tc := s.types[e.Report.UnitType]
		if tc == nil {
			continue
		}
		for j := range tc.sums {
			c := &tc.sums[j]
			if n, ok := e.figs.get(j); ok {
				c.Value += n
				c.Filled++
			} else {
				c.Blank++
			}
		}
	}
	if s.Options.Outliers {
		s.findOutliers()
	}
	return s
}

// findOutliers compares the included reports' packed figures with their
// peers' and indexes the findings by cell: the summary screen asks for every
// cell it draws.
func (s *Summary) findOutliers() {
	byType := map[string][]peer{}
	for _, e := range s.Units {
		if !e.Included {
			continue
		}
		if tc := s.types[e.Report.UnitType]; tc != nil {
			byType[e.Report.UnitType] = append(byType[e.Report.UnitType], peer{e.Unit.Name, tc, e.figs})
		}
	}
	s.Outliers = s.Variant.peerOutliers(byType)
	s.outliersAt = map[CellKey][]int{}
	for i, o := range s.Outliers {
		if len(o.Cells) > 0 {
			s.outliersAt[o.Cells[0]] = append(s.outliersAt[o.Cells[0]], i)
		}
	}
}

// figure is an entry's own figure for a cell of its report's unit type.
func (s *Summary) figure(e *UnitEntry, k CellKey) (Number, bool) {
	tc := s.types[e.Report.UnitType]
	if tc == nil {
		return 0, false
	}
	return tc.figure(e.figs, k)
}

// Measure is what a unit's report counts toward a target's measure; 0 for a
// unit that has not reported or whose report is not in the sums. It reads the
// packed figures, as UnitValue does.
func (s *Summary) Measure(e UnitEntry, m Measure) Number {
	if !e.Included || e.Report == nil {
		return 0
	}
	return s.Variant.measure(func(k CellKey) Number { n, _ := s.figure(&e, k); return n }, m)
}

// ReportReader is the part of a store a summary reads through.
type ReportReader interface {
	List(variant string, period *Period) ([]ReportInfo, error)
	Get(id ReportID) (*Report, error)
	Units(variant string) ([]Unit, error)
}

// LoadSummary reads the period's reports with their previous quarters (and
// the year's earlier ones, for the units' sizes) one at a time and sums them:
// at 2,000 units the summary holds packed figures, never every report.
func LoadSummary(rr ReportReader, v *Variant, p Period, opt Options) (*Summary, error) {
	extra, err := rr.Units(v.ID)
	if err != nil {
		return nil, err
	}
	b := NewSumming(v, p, opt, extra...)
	for _, q := range append([]Period{p}, v.SizePeriods(p)...) {
		infos, err := rr.List(v.ID, &q)
		if err != nil {
			return nil, err
		}
		for _, in := range infos {
			r, err := rr.Get(in.ID)
			if err != nil {
				return nil, fmt.Errorf("读取 %s 的报表失败：%w", in.ID.Unit, err)
			}
			var prev *Report
			if q == p {
				if prev, err = v.LoadPrev(in.ID, rr.Get); err != nil {
					return nil, fmt.Errorf("读取 %s 上季度的报表失败：%w", in.ID.Unit, err)
				}
			}
			b.Add(r, prev)
		}
	}
	return b.Done(), nil
}
