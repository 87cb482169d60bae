package model

import (
	"sort"
	"time"
)

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
	// same unit type (the catalog's outlier rules), for the office to look at;
	// found only with Options.Outliers.
	Outliers []PeerFinding

	outliersAt map[CellKey][]int     // Outliers by cell
	types      map[string]*typeCells // each unit type's cells and their sums
	byName     map[string]int
	ordered    []SumKey
}

// Options choose which reports a Summary sums.
type Options struct {
	CompleteOnly bool // sum only complete reports; drafts are still listed
	AcceptedOnly bool // sum only reports the office accepted (已审核): the figure reported upward
	// Outliers finds the peer outliers too, for the office's summary screen; the
	// workbook and the text summary do not show them, and at 2,000 units they
	// are a fifth of the work.
	Outliers bool
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
	Report   *ReportHead // nil when the unit has not reported
	Checked  *Counts     // its check's counts; nil when the unit has not reported
	Status   UnitStatus
	Included bool // its figures are in the sums
	Listed   bool // in the variant's directory (or the extra units), not only in the store
	// Size is the unit's size for derived targets (学校数: its latest 表一 企业底数总数
	// of the year up to the period); HasSize is false when no report gives one.
	Size    Number
	HasSize bool

	figs packed // the report's figures (Summary.UnitValue)
}

// Counts are what a Summary keeps of a report's check: the counts the
// office's lists and sheets show, not the findings (a messy quarter of 2,000
// units has hundreds of thousands, each with its message).
type Counts struct {
	Filled, Total int
	Errors        int
	Warnings      int // not confirmed
	Blanks        int
}

// CountsOf counts a check.
func CountsOf(r *Result) *Counts {
	c := &Counts{Errors: r.Errors(), Warnings: r.Warnings(), Blanks: len(r.Blanks)}
	c.Filled, c.Total = r.Filled()
	return c
}

// Complete is Result.Complete: no blank, no error.
func (c *Counts) Complete() bool { return c.Blanks == 0 && c.Errors == 0 }

// ReportHead is what a Summary keeps of a report besides its figures, which it
// keeps packed (Summary.UnitValue, Sources, Measure): who reported, in what
// state, when.
type ReportHead struct {
	UnitType  string
	State     State
	Header    Header
	Updated   time.Time
	UpdatedBy string
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

// SummarizeWith is Summarize with options. The reports are checked alone,
// without last quarter; LoadSummary reads it.
func SummarizeWith(v *Variant, reports []*Report, p Period, opt Options, extra ...Unit) *Summary {
	b := NewSumming(v, p, opt, extra...)
	for _, r := range reports {
		b.Add(r, nil)
	}
	return b.Done()
}

// Cell returns a summed cell; nil when the unit type does not fill that cell.
func (s *Summary) Cell(unitType string, k CellKey) *SumCell {
	t := s.types[unitType]
	if t == nil {
		return nil
	}
	i, ok := t.at[k]
	if !ok {
		return nil
	}
	return &t.sums[i]
}

// Value is the sum of a cell over the unit type's units; ok is false when no unit
// filled it (the office then has nothing to report, which is not the same as 0).
func (s *Summary) Value(unitType string, k CellKey) (Number, bool) {
	c := s.Cell(unitType, k)
	if c == nil || c.Filled == 0 {
		return 0, false
	}
	return c.Value, true
}

// Sources lists the units' values behind a summed cell, in directory order, blanks
// included (Blank set): the reconciliation of one total.
func (s *Summary) Sources(unitType string, k CellKey) []UnitValue {
	c := s.Cell(unitType, k)
	if c == nil {
		return nil
	}
	i := s.types[unitType].at[k]
	out := make([]UnitValue, 0, c.Filled+c.Blank)
	for _, e := range s.Units {
		if e.Included && e.Report.UnitType == unitType {
			n, ok := e.figs.get(i)
			out = append(out, UnitValue{Unit: e.Unit.Name, Value: n, Blank: !ok, Status: e.Status})
		}
	}
	return out
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

// UnitValue is one unit's own figure for a cell (表四 lists one row per township),
// from the figures the summary packed: those of the forms of the report's unit
// type, so a figure outside them (of a type the catalog does not know) is not
// there, as it is not in the sums.
func (s *Summary) UnitValue(unit string, k CellKey) (Number, bool) {
	e, ok := s.Entry(unit)
	if !ok || e.Report == nil {
		return 0, false
	}
	return s.figure(e, k)
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
		if a.Checked == nil || b.Checked == nil {
			return false
		}
		if ea, eb := a.Checked.Errors, b.Checked.Errors; ea != eb {
			return ea > eb
		}
		return Percent(a.Checked.Filled, a.Checked.Total) < Percent(b.Checked.Filled, b.Checked.Total)
	})
	return out
}

// OutliersAt lists the outliers of a cell: of one unit, or of every unit of a type
// when unit is "".
func (s *Summary) OutliersAt(unitType, unit string, k CellKey) []PeerFinding {
	var out []PeerFinding
	for _, i := range s.outliersAt[k] {
		o := s.Outliers[i]
		if e, ok := s.Entry(o.Unit); !ok || e.Report == nil || (unit != "" && o.Unit != unit) || (unit == "" && e.Report.UnitType != unitType) {
			continue
		}
		out = append(out, o)
	}
	return out
}
