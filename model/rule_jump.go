package model

import (
	"fmt"
	"strconv"
)

// RuleJump names the plausibility rule against the unit's own previous quarter.
const RuleJump = "jump"

// JumpRule: a figure more than Factor times the same unit's figure in the previous
// quarter of the year, and at least Floor (in the column's unit), asks for a second
// look: a digit typed twice, 万元 entered as 元. A previous 0 is not compared (the
// activity just started), nor is Q1 (no previous quarter within the year).
type JumpRule struct {
	RuleHead
	Factor float64 `json:"factor"`
	Floor  int64   `json:"floor"`
}

func init() { registerRule(RuleJump, func() Rule { return new(JumpRule) }) }

// Describe says what the rule asks.
func (j *JumpRule) Describe() string {
	return fmt.Sprintf("不超过上季度的 %s 倍（%d 以下不提醒）", strconv.FormatFloat(j.Factor, 'f', -1, 64), j.Floor)
}

// Settle does nothing: a sample has no previous quarter.
func (*JumpRule) Settle(*Variant, *Report, *Form, string) {}

func (*JumpRule) refs() []string { return nil }

func (j *JumpRule) validate() error {
	if j.Factor <= 1 || j.Floor < 0 {
		return fmt.Errorf("规则 %s 的 factor 应大于 1，floor 不应为负", j.ID)
	}
	return nil
}

func (j *JumpRule) check(c *ruleCheck) {
	if c.prev == nil {
		return
	}
	floor := Whole(j.Floor)
	for _, k := range c.f.cells {
		cur, ok := c.r.Values[k]
		if !ok || cur < floor { // below the floor: no look-up of last quarter
			continue
		}
		old, ok := c.prev.Values[k]
		if !ok || old <= 0 || float64(cur) <= j.Factor*float64(old) {
			continue
		}
		col := c.f.Column(k.Col)
		c.res.add(Finding{Key: j.ID + "/" + k.Row + "/" + k.Col, Rule: j.ID, Severity: j.Severity,
			Form: c.f.ID, Row: k.Row, Cells: []CellKey{k},
			Message: fmt.Sprintf("%s：%s 为 %s，是上季度（%s）%s 的 %.1f 倍（超过 %s 倍）；请核实是否多输了位数",
				c.where(k.Row, col), col.ShortName(), cur.Format(col.Kind), c.prev.Period.Label(), old.Format(col.Kind),
				float64(cur)/float64(old), strconv.FormatFloat(j.Factor, 'f', -1, 64))})
	}
}
