package model

import "sort"

// Summary is the collecting office's view of one period: every unit of the
// directory with its report (or none), and the official forms summed per unit type.
//
// What is summed: the reports of every state (complete, draft, reopened), so that
// the office sees the figures as they stand; drafts and reports with errors are
// flagged in Units (Status) and listed by Drafts and WithErrors, never hidden. A
// blank cell is not read as zero: it is left out of the sum and counted in
// SumCell.Blank, and Sources lists it with Blank set. A unit with no report at all is
// listed by Missing and contributes nothing. Callers that want complete reports only
// pass Options{CompleteOnly: true} to SummarizeWith.
type Summary struct {
	Variant *Variant
	Period  Period
	Options Options
	Units   []UnitEntry // the directory (plus extra units and any unit that reported), in directory order
	// Outliers are the included reports' figures far outside their peers' of the
	// same unit type (the catalog's outlier rules), for the office to look at.
	Outliers []PeerFinding

	cells   map[SumKey]*SumCell
	byName  map[string]int
	ordered []SumKey
}

// Options choose which reports a Summary sums.
type Options struct {
	CompleteOnly bool // sum only complete reports; drafts are still listed
	AcceptedOnly bool // sum only reports the office accepted (已审核): the figure reported upward
}

// UnitStatus is where a unit stands in the collection.
type UnitStatus string

// Unit statuses, from worst to best.
const (
	StatusMissing  UnitStatus = "missing"  // no report for the period
	StatusErrors   UnitStatus = "errors"   // the report breaks a hard rule
	StatusDraft    UnitStatus = "draft"    // draft or reopened, no error
	StatusComplete UnitStatus = "complete" // marked complete, no blank, no error
)

// Label is the status in Chinese, as lists print it.
func (s UnitStatus) Label() string {
	switch s {
	case StatusMissing:
		return "未填报"
	case StatusErrors:
		return "有错误"
	case StatusDraft:
		return "草稿"
	default:
		return "已完成"
	}
}

// rank orders statuses worst first.
func (s UnitStatus) rank() int {
	switch s {
	case StatusMissing:
		return 0
	case StatusErrors:
		return 1
	case StatusDraft:
		return 2
	default:
		return 3
	}
}

// UnitEntry is one unit of a Summary: its report and what the rules say of it.
type UnitEntry struct {
	Unit     Unit
	Report   *Report // nil when the unit has not reported
	Result   *Result // nil when the unit has not reported
	Status   UnitStatus
	Included bool // its figures are in the sums
	Listed   bool // in the variant's directory (or the extra units), not only in the store
	// Size is the unit's size for derived targets (学校数: its latest 表一 企业底数总数
	// of the year up to the period); HasSize is false when no report gives one.
	Size    Number
	HasSize bool
}

// SumKey addresses a summed cell: a unit type's block and a cell key as reports
// store it (block-wide cells under the block's first row).
type SumKey struct {
	UnitType string
	Cell     CellKey
}

// SumCell is one summed cell and how many units stand behind it.
type SumCell struct {
	Value  Number
	Filled int // units whose value is in Value
	Blank  int // units of the type, included in the sums, that left the cell blank
	src    []UnitValue
}

// UnitValue is one unit's figure behind a summed cell, for reconciliation.
type UnitValue struct {
	Unit   string
	Value  Number
	Blank  bool
	Status UnitStatus
}

// Summarize sums the reports of a period. reports may hold reports of other periods
// or variants; they are ignored. extra are units users added to the directory.
func Summarize(v *Variant, reports []*Report, p Period, extra ...Unit) *Summary {
	return SummarizeWith(v, reports, p, Options{}, extra...)
}

// SummarizeWith is Summarize with options.
func SummarizeWith(v *Variant, reports []*Report, p Period, opt Options, extra ...Unit) *Summary {
	s := &Summary{Variant: v, Period: p, Options: opt, cells: map[SumKey]*SumCell{}, byName: map[string]int{}}
	for _, list := range [][]Unit{v.Units, extra} {
		for _, u := range list {
			if _, dup := s.byName[u.Name]; dup {
				continue
			}
			s.byName[u.Name] = len(s.Units)
			s.Units = append(s.Units, UnitEntry{Unit: u, Status: StatusMissing, Listed: true})
		}
	}
	for _, r := range reports {
		if r == nil || r.Variant != v.ID || r.Period != p {
			continue
		}
		if len(r.Values) == 0 {
			// Opening a report in the grid creates it; until a figure is in it
			// the unit has not reported anything.
			continue
		}
		i, ok := s.byName[r.Unit]
		if !ok {
			i = len(s.Units)
			s.byName[r.Unit] = i
			s.Units = append(s.Units, UnitEntry{Unit: Unit{Name: r.Unit, Type: r.UnitType}})
		}
		e := &s.Units[i]
		e.Report = r
		e.Result = v.Check(r, nil)
		switch {
		case e.Result.Errors() > 0:
			e.Status = StatusErrors
		case r.State.Delivered() && e.Result.Complete():
			e.Status = StatusComplete
		default:
			e.Status = StatusDraft
		}
		e.Included = (!opt.CompleteOnly || r.State.Delivered()) && (!opt.AcceptedOnly || r.State == StateAccepted)
	}
	s.sizes(reports)
	var included []*Report
	for _, e := range s.Units {
		if e.Included {
			included = append(included, e.Report)
		}
	}
	s.Outliers = v.PeerOutliers(included, p)
	for _, t := range v.UnitTypes {
		for _, f := range v.FormsFor(t.ID) {
			for _, k := range f.Cells() {
				sk := SumKey{t.ID, k}
				s.cells[sk] = &SumCell{}
				s.ordered = append(s.ordered, sk)
			}
		}
	}
	for _, e := range s.Units {
		if !e.Included {
			continue
		}
		// A report's own unit type decides its block; a unit the directory files under
		// another type is summed where its report says it belongs.
		for _, f := range v.FormsFor(e.Report.UnitType) {
			for _, k := range f.Cells() {
				c := s.cells[SumKey{e.Report.UnitType, k}]
				if c == nil {
					continue
				}
				n, ok := e.Report.Values[k]
				if ok {
					c.Value += n
					c.Filled++
				} else {
					c.Blank++
				}
				c.src = append(c.src, UnitValue{Unit: e.Unit.Name, Value: n, Blank: !ok, Status: e.Status})
			}
		}
	}
	return s
}

// Cell returns a summed cell; nil when the unit type does not fill that cell.
func (s *Summary) Cell(unitType string, k CellKey) *SumCell { return s.cells[SumKey{unitType, k}] }

// Value is the sum of a cell over the unit type's units; ok is false when no unit
// filled it (the office then has nothing to report, which is not the same as 0).
func (s *Summary) Value(unitType string, k CellKey) (Number, bool) {
	c := s.cells[SumKey{unitType, k}]
	if c == nil || c.Filled == 0 {
		return 0, false
	}
	return c.Value, true
}

// Sources lists the units' values behind a summed cell, in directory order, blanks
// included (Blank set): the reconciliation of one total.
func (s *Summary) Sources(unitType string, k CellKey) []UnitValue {
	c := s.cells[SumKey{unitType, k}]
	if c == nil {
		return nil
	}
	return append([]UnitValue(nil), c.src...)
}

// Keys lists every summed cell: unit type by unit type, form by form, in reading
// order.
func (s *Summary) Keys() []SumKey { return append([]SumKey(nil), s.ordered...) }

// Total is a cell summed over every unit type that fills it (the whole
// jurisdiction); ok is false when no unit filled it.
func (s *Summary) Total(k CellKey) (Number, bool) {
	var sum Number
	ok := false
	for _, t := range s.Variant.UnitTypes {
		if n, filled := s.Value(t.ID, k); filled {
			sum += n
			ok = true
		}
	}
	return sum, ok
}

// Entry returns a unit's entry by name.
func (s *Summary) Entry(name string) (*UnitEntry, bool) {
	i, ok := s.byName[name]
	if !ok {
		return nil, false
	}
	return &s.Units[i], true
}

// UnitValue is one unit's own figure for a cell (表四 lists one row per township).
func (s *Summary) UnitValue(unit string, k CellKey) (Number, bool) {
	e, ok := s.Entry(unit)
	if !ok || e.Report == nil {
		return 0, false
	}
	return e.Report.Value(k)
}

// OfType lists the entries of a unit type in directory order (表四's rows are the
// township type's entries).
func (s *Summary) OfType(unitType string) []UnitEntry {
	var out []UnitEntry
	for _, e := range s.Units {
		if e.Unit.Type == unitType || (e.Report != nil && e.Report.UnitType == unitType) {
			out = append(out, e)
		}
	}
	return out
}

func (s *Summary) with(st ...UnitStatus) []UnitEntry {
	var out []UnitEntry
	for _, e := range s.Units {
		for _, x := range st {
			if e.Status == x {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// Reported lists the units that have a report of the period, whatever its state.
func (s *Summary) Reported() []UnitEntry {
	return s.with(StatusComplete, StatusDraft, StatusErrors)
}

// Missing lists the units of the directory with no report for the period.
func (s *Summary) Missing() []UnitEntry { return s.with(StatusMissing) }

// Drafts lists reports not yet marked complete (draft or reopened), errors or not.
func (s *Summary) Drafts() []UnitEntry {
	var out []UnitEntry
	for _, e := range s.Units {
		if e.Report != nil && !e.Report.State.Delivered() {
			out = append(out, e)
		}
	}
	return out
}

// WithErrors lists the reports that break a hard rule.
func (s *Summary) WithErrors() []UnitEntry { return s.with(StatusErrors) }

// Worst lists every unit worst first: missing, with errors, drafts (least filled
// first), complete; ties keep directory order.
func (s *Summary) Worst() []UnitEntry {
	out := append([]UnitEntry(nil), s.Units...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Status.rank() != b.Status.rank() {
			return a.Status.rank() < b.Status.rank()
		}
		if a.Result == nil || b.Result == nil {
			return false
		}
		if ea, eb := a.Result.Errors(), b.Result.Errors(); ea != eb {
			return ea > eb
		}
		fa, ta := a.Result.Filled()
		fb, tb := b.Result.Filled()
		return Percent(fa, ta) < Percent(fb, tb)
	})
	return out
}

// OutliersAt lists the outliers of a cell: of one unit, or of every unit of a type
// when unit is "".
func (s *Summary) OutliersAt(unitType, unit string, k CellKey) []PeerFinding {
	var out []PeerFinding
	for _, o := range s.Outliers {
		if len(o.Cells) == 0 || o.Cells[0] != k {
			continue
		}
		if e, ok := s.Entry(o.Unit); !ok || e.Report == nil || (unit != "" && o.Unit != unit) || (unit == "" && e.Report.UnitType != unitType) {
			continue
		}
		out = append(out, o)
	}
	return out
}

// sizes sets each unit's size from the latest report of the year up to the period
// that fills the variant's size cell (reports of other periods included for that).
func (s *Summary) sizes(reports []*Report) {
	k, ok := s.Variant.SizeCell()
	if !ok {
		return
	}
	at := map[string]Period{}
	for _, r := range reports {
		if r == nil || r.Variant != s.Variant.ID || r.Period.Year != s.Period.Year || r.Period.Quarter > s.Period.Quarter {
			continue
		}
		n, filled := r.Values[k]
		i, listed := s.byName[r.Unit]
		if !filled || !listed {
			continue
		}
		if last, seen := at[r.Unit]; seen && last.Quarter >= r.Period.Quarter {
			continue
		}
		at[r.Unit] = r.Period
		s.Units[i].Size, s.Units[i].HasSize = n, true
	}
}
