package model

import (
	"sort"
)

// Goal is one target of a unit, or of the whole jurisdiction, against what the
// reports say.
type Goal struct {
	Target   Target            // the variant's target: ID, Name, Unit, Measure
	Goal     int               // what is asked of this unit (Target.Total for the jurisdiction)
	Reported Number            // the measure summed over the reports (0 when none)
	ByType   map[string]Number // Overall only: each unit type's own figure
}

// Percent is Reported as a share of Goal, in percent (100 when nothing is asked).
func (g Goal) Percent() float64 {
	if g.Goal <= 0 {
		return 100
	}
	return float64(g.Reported) / float64(Whole(int64(g.Goal))) * 100
}

// ProgressRow is one unit's progress against the targets the office set for it
// (附件1 per 乡镇, 附件2 per department; 泉州 per 县).
type ProgressRow struct {
	Unit     string // the unit, or the group's name
	UnitType string // "" for a group
	Status   UnitStatus
	Goals    []Goal // targets with a goal above 0, in the variant's target order
	Group    bool   // measured on the sum of several units (TargetGroup)
	Size     Number // the unit's (or group's) size, when a target is derived from it
	HasSize  bool
}

// Percent is the lowest of the row's goal percentages: a unit is as far along as
// its furthest-behind target, which is what "worst first" should surface.
func (r ProgressRow) Percent() float64 {
	if len(r.Goals) == 0 {
		return 100
	}
	low := r.Goals[0].Percent()
	for _, g := range r.Goals[1:] {
		if p := g.Percent(); p < low {
			low = p
		}
	}
	return low
}

// Goal returns the row's goal for a target ID.
func (r ProgressRow) Goal(target string) (Goal, bool) {
	for _, g := range r.Goals {
		if g.Target.ID == target {
			return g, true
		}
	}
	return Goal{}, false
}

// Measure sums a report's cells named by a target's measure over every row of the
// form: what the report contributes to the target.
func (v *Variant) Measure(r *Report, m Measure) Number {
	if r == nil {
		return 0
	}
	return v.measure(func(k CellKey) Number { return r.Values[k] }, m)
}

// measure is Measure over the figures value gives.
func (v *Variant) measure(value func(CellKey) Number, m Measure) Number {
	f := v.Form(m.Form)
	if f == nil {
		return 0
	}
	var sum Number
	for _, row := range f.Rows {
		for _, col := range m.Columns {
			if !f.Applicable(row.ID, col) || f.Merged(row.ID, col) {
				continue
			}
			sum += value(CellKey{f.ID, row.ID, col})
		}
	}
	return sum
}

// Progress lists every unit with a target, worst first (lowest Percent; among
// equals, units that have not reported first, then directory order). A unit that has not reported counts 0 against its goals and
// its Status says so; an excluded report (Options.CompleteOnly) counts 0 as well.
//
// A goal is the directory's, else derived from the unit's size (Target.PerSize). A
// unit in a group is measured in the group's row for the targets the group sets;
// the group's row sums its members' figures (and sizes, for derived goals).
func Progress(s *Summary) []ProgressRow {
	var out []ProgressRow
	v := s.Variant
	for _, e := range s.Units {
		row := ProgressRow{Unit: e.Unit.Name, UnitType: e.Unit.Type, Status: e.Status, Size: e.Size, HasSize: e.HasSize}
		for _, t := range v.Targets {
			goal := e.Unit.Targets[t.ID]
			if goal <= 0 && t.PerSize > 0 && e.HasSize {
				goal = derivedGoal(t.PerSize, e.Size)
			}
			if _, in := v.GroupOf(e.Unit, t.ID); goal <= 0 || in {
				continue
			}
			g := Goal{Target: t, Goal: goal}
			g.Reported = s.Measure(e, t.Measure)
			row.Goals = append(row.Goals, g)
		}
		if len(row.Goals) > 0 {
			out = append(out, row)
		}
	}
	for _, g := range v.Groups {
		if row := groupProgress(s, g); len(row.Goals) > 0 {
			out = append(out, row)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Percent(), out[j].Percent()
		if a != b {
			return a < b
		}
		return out[i].Status == StatusMissing && out[j].Status != StatusMissing
	})
	return out
}

// Overall measures the whole jurisdiction against the variant's targets (南安: the
// totals of 附件1, 30/242/2388; 泉州: 170 标杆学校, 1300 达标学校, 13000 示范岗位).
// Reported counts each enterprise once: see OverallTypes. ByType keeps every unit
// type's own figure, the overlapping ones included, for display.
func Overall(s *Summary) []Goal {
	types := map[string]bool{}
	for _, t := range OverallTypes(s.Variant) {
		types[t] = true
	}
	var out []Goal
	for _, t := range s.Variant.Targets {
		g := Goal{Target: t, Goal: t.Total, ByType: map[string]Number{}}
		for _, e := range s.Units {
			if !e.Included {
				continue
			}
			n := s.Measure(e, t.Measure)
			g.ByType[e.Report.UnitType] += n
			if types[e.Report.UnitType] {
				g.Reported += n
			}
		}
		out = append(out, g)
	}
	return out
}

// OverallTypes lists the unit types whose figures add up to the jurisdiction's
// without counting an enterprise twice, as the catalog's overallTypes says (every
// type when it says nothing).
func OverallTypes(v *Variant) []string {
	if len(v.OverallTypes) > 0 {
		return append([]string(nil), v.OverallTypes...)
	}
	var out []string
	for _, t := range v.UnitTypes {
		out = append(out, t.ID)
	}
	return out
}

// ReportedShare is how many units of the directory have reported, out of how many.
func (s *Summary) ReportedShare() (reported, total int) {
	for _, e := range s.Units {
		total++
		if e.Report != nil {
			reported++
		}
	}
	return
}

// groupProgress measures a group's members on their sum. Its status is the worst
// of the members that reported (未填报 only when none did).
func groupProgress(s *Summary, g TargetGroup) ProgressRow {
	row := ProgressRow{Unit: g.Name, Group: true, Status: StatusMissing}
	var members []UnitEntry
	for _, e := range s.Units {
		if g.Has(e.Unit) {
			members = append(members, e)
			if e.HasSize {
				row.Size, row.HasSize = row.Size+e.Size, true
			}
			if e.Status != StatusMissing && (row.Status == StatusMissing || e.Status.rank() < row.Status.rank()) {
				row.Status = e.Status
			}
		}
	}
	for _, t := range s.Variant.Targets {
		goal, ok := g.Targets[t.ID]
		if !ok || goal <= 0 {
			continue
		}
		gl := Goal{Target: t, Goal: goal}
		for _, e := range members {
			gl.Reported += s.Measure(e, t.Measure)
		}
		row.Goals = append(row.Goals, gl)
	}
	return row
}
