package model

import (
	"fmt"
	"strings"
)

// RuleLE names the rule that each of some figures is at most another.
const RuleLE = "le"

// LERule: every Left ≤ Right in every row (Right may name another form: "t1:c1").
type LERule struct {
	RuleHead
	Left  []string `json:"left"`
	Right string   `json:"right"`
}

func init() { registerRule(RuleLE, func() Rule { return new(LERule) }) }

// Describe says what the rule asks.
func (l *LERule) Describe() string { return strings.Join(l.Left, ",") + " <= " + l.Right }

// Settle lowers every left figure that exceeds the right one.
func (l *LERule) Settle(v *Variant, r *Report, f *Form, row string) {
	rk, ok := sampleKey(f, row, l.Right)
	if !ok {
		return
	}
	for _, left := range l.Left {
		if lk, ok := sampleKey(f, row, left); ok && r.Values[lk] > r.Values[rk] {
			r.Values[lk] = r.Values[rk]
		}
	}
}

func (l *LERule) refs() []string { return append([]string{l.Right}, l.Left...) }

func (l *LERule) validate() error {
	if len(l.Left) == 0 || l.Right == "" {
		return fmt.Errorf("规则 %s 缺少 left 或 right", l.ID)
	}
	return nil
}

func (l *LERule) check(c *ruleCheck) {
	c.rows(func(row string) {
		for _, left := range l.Left {
			c.each(row, []string{left, l.Right}, "/"+left, func(ops []operand, vals []Number) *Finding {
				if vals[0] <= vals[1] {
					return nil
				}
				return &Finding{Message: fmt.Sprintf("%s：%s（%s）不应大于 %s（%s）",
					c.where(row, ops[0].col), c.v.opName(c.f, ops[0]), vals[0].Format(ops[0].col.Kind),
					c.v.opName(c.f, ops[1]), vals[1].Format(ops[1].col.Kind))}
			})
		}
	})
}
