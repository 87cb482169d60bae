package model

import (
	"fmt"
	"math"
)

// UnitSize names the cell that gives a unit's size, for targets derived from it.
// The latest report of the year up to the period that has the cell filled counts.
type UnitSize struct {
	Name   string `json:"name"` // 学校数
	Form   string `json:"form"`
	Column string `json:"column"`
	Why    string `json:"why,omitempty"`
}

// TargetGroup is a set of units measured on their sum: the plan sets one goal for
// all of them together (方案三（四）1、2: 市属学校及泉州开发区 ≥ 13 标杆, ≥ 13 达标).
// Its members are measured only in the group for the targets it sets.
type TargetGroup struct {
	Name    string         `json:"name"`
	Types   []string       `json:"types,omitempty"` // every unit of these types
	Units   []string       `json:"units,omitempty"` // and these units
	Targets map[string]int `json:"targets"`
}

// Has reports whether a unit belongs to the group.
func (g TargetGroup) Has(u Unit) bool {
	for _, t := range g.Types {
		if u.Type == t {
			return true
		}
	}
	for _, n := range g.Units {
		if u.Name == n {
			return true
		}
	}
	return false
}

// SizeCell is the cell a report gives the unit's size in, if the variant has one.
func (v *Variant) SizeCell() (CellKey, bool) {
	if v.UnitSize == nil {
		return CellKey{}, false
	}
	f := v.Form(v.UnitSize.Form)
	return CellKey{f.ID, f.CellRow(f.Rows[0].ID, v.UnitSize.Column), v.UnitSize.Column}, true
}

// SizePeriods are the earlier quarters of p's year whose reports a summary needs to
// find each unit's latest size (nil when no target is derived from one).
func (v *Variant) SizePeriods(p Period) []Period {
	if v.UnitSize == nil {
		return nil
	}
	var out []Period
	for q := 1; q < p.Quarter; q++ {
		out = append(out, Period{p.Year, q})
	}
	return out
}

// derivedGoal is ceil(share × size): "按照学校数的45%" asks at least that many.
func derivedGoal(share float64, size Number) int {
	return int(math.Ceil(share*size.Float() - 1e-9))
}

func (v *Variant) checkTargets() error {
	ids := map[string]bool{}
	derived := false
	for _, t := range v.Targets {
		ids[t.ID] = true
		derived = derived || t.PerSize > 0
		if t.PerSize < 0 {
			return fmt.Errorf("目标 %s 的 perSize 不应为负", t.ID)
		}
	}
	if s := v.UnitSize; s != nil {
		f := v.Form(s.Form)
		if f == nil || f.Column(s.Column) == nil {
			return fmt.Errorf("unitSize 引用了未定义的 %s:%s", s.Form, s.Column)
		}
	} else if derived {
		return fmt.Errorf("目标按 perSize 推算，但没有 unitSize")
	}
	for _, g := range v.Groups {
		for id := range g.Targets {
			if !ids[id] {
				return fmt.Errorf("目标组 %s 的目标 %q 未定义", g.Name, id)
			}
		}
		for _, n := range g.Units {
			if _, err := v.Unit(n); err != nil {
				return fmt.Errorf("目标组 %s: %w", g.Name, err)
			}
		}
		for _, t := range g.Types {
			if _, ok := v.UnitType(t); !ok {
				return fmt.Errorf("目标组 %s 的单位类型 %q 未定义", g.Name, t)
			}
		}
	}
	return nil
}
