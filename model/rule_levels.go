package model

import (
	"fmt"
	"strings"
)

// RuleLevels names the rule that a total is at least the sum of its levels.
const RuleLevels = "levels"

// LevelsRule: Parts (一级+二级+三级) may not add up to more than Total (an error of
// the rule's severity); Total above them is a warning that asks whether the
// difference is Rest (达标（不定级）, which has no level column of its own).
type LevelsRule struct {
	RuleHead
	Total string   `json:"total"`
	Parts []string `json:"parts"`
	Rest  string   `json:"rest"`
}

func init() { registerRule(RuleLevels, func() Rule { return new(LevelsRule) }) }

// Describe says what the rule asks.
func (l *LevelsRule) Describe() string {
	return strings.Join(l.Parts, "+") + " <= " + l.Total + "；" + l.Total + " 多出时提醒：是否" + l.Rest
}

// Settle sets the total to the sum of the levels.
func (l *LevelsRule) Settle(v *Variant, r *Report, f *Form, row string) {
	(&SumRule{Total: l.Total, Parts: l.Parts}).Settle(v, r, f, row)
}

func (l *LevelsRule) refs() []string { return append([]string{l.Total}, l.Parts...) }

func (l *LevelsRule) validate() error {
	if l.Total == "" || len(l.Parts) < 2 || l.Rest == "" {
		return fmt.Errorf("规则 %s 缺少 total、parts 或 rest", l.ID)
	}
	return nil
}

func (l *LevelsRule) check(c *ruleCheck) {
	c.rows(func(row string) {
		c.each(row, l.refs(), "", func(ops []operand, vals []Number) *Finding {
			sum := sumOf(vals[1:])
			if sum == vals[0] {
				return nil
			}
			terms, names := addUp(c, ops[1:], vals[1:], true)
			k := ops[0].col.Kind
			switch {
			case sum > vals[0]:
				return &Finding{Message: fmt.Sprintf("%s：%s 之和 %s=%s 大于 %s %s；各级之和不应超过总数",
					c.where(row, ops[0].col), names, terms, sum.Format(k),
					ops[0].col.ShortName(), vals[0].Format(k))}
			case sum < vals[0]:
				return &Finding{Severity: SeverityWarning, Message: fmt.Sprintf("%s：%s 为 %s，比 %s 之和 %s=%s 多 %s；多出的是%s吗？",
					c.where(row, ops[0].col), ops[0].col.ShortName(), vals[0].Format(k), names,
					terms, sum.Format(k), (vals[0] - sum).Format(k), l.Rest)}
			}
			return nil
		})
	})
}
