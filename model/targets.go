package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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

// GroupOf is the group a unit is measured in for a target, if any: there, not in
// the unit's own row.
func (v *Variant) GroupOf(u Unit, target string) (TargetGroup, bool) {
	for _, g := range v.Groups {
		if _, ok := g.Targets[target]; ok && g.Has(u) {
			return g, true
		}
	}
	return TargetGroup{}, false
}

// Label says who a group is made of, for the 单位类型 cell of its row:
// 市直单位、泉州开发区.
func (g TargetGroup) Label(v *Variant) string {
	var parts []string
	for _, id := range g.Types {
		if t, ok := v.UnitType(id); ok {
			parts = append(parts, t.Label)
		}
	}
	parts = append(parts, g.Units...)
	return strings.Join(parts, "、")
}

// Group is the group of that name.
func (v *Variant) Group(name string) (TargetGroup, bool) {
	for _, g := range v.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return TargetGroup{}, false
}

// DerivationNote says how goals are derived from the units' size and which units
// are measured together, for the foot of a progress table; missing says what the
// table shows for a unit whose size is not known. "" when nothing is derived.
func (v *Variant) DerivationNote(missing string) string {
	sz := v.UnitSize
	if sz == nil {
		return ""
	}
	var derived []string
	for _, tg := range v.Targets {
		if tg.PerSize > 0 {
			derived = append(derived, fmt.Sprintf("%s 为%s×%s", tg.Name, sz.Name, strconv.FormatFloat(tg.PerSize, 'f', -1, 64)))
		}
	}
	f := v.Form(sz.Form)
	note := "单位目标按" + sz.Name + "推算（" + strings.Join(derived, "，") + "，向上取整）；" + sz.Name + "取本年到本季度最近一次填报的" +
		f.Name() + " " + f.Column(sz.Column).ShortName() + "，" + missing
	var groups []string
	for _, g := range v.Groups {
		groups = append(groups, g.Name)
	}
	if len(groups) > 0 {
		note += "；" + strings.Join(groups, "、") + "按合计考核"
	}
	return note
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
