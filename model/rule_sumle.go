package model

import (
	"fmt"
	"strings"
)

// RuleSumLE names the rule that figures counting different things add up to at
// most a whole.
const RuleSumLE = "sumle"

// SumLERule: Parts[0] + Parts[1] + … ≤ Right (达标评审总数 + 自评企业 ≤ 企业底数总数:
// a 自评企业 is one not reviewed, 表一注3).
type SumLERule struct {
	RuleHead
	Parts []string `json:"parts"`
	Right string   `json:"right"`
}

func init() { registerRule(RuleSumLE, func() Rule { return new(SumLERule) }) }

// Describe says what the rule asks.
func (s *SumLERule) Describe() string { return strings.Join(s.Parts, "+") + " <= " + s.Right }

// Settle lowers the parts, last first, until their sum fits.
func (s *SumLERule) Settle(v *Variant, r *Report, f *Form, row string) {
	rk, ok := sampleKey(f, row, s.Right)
	if !ok {
		return
	}
	keys := make([]CellKey, len(s.Parts))
	var sum Number
	for i, p := range s.Parts {
		k, ok := sampleKey(f, row, p)
		if !ok {
			return
		}
		keys[i], sum = k, sum+r.Values[k]
	}
	for i := len(keys) - 1; i >= 0 && sum > r.Values[rk]; i-- {
		cut := min(sum-r.Values[rk], r.Values[keys[i]])
		r.Values[keys[i]] -= cut
		sum -= cut
	}
}

func (s *SumLERule) refs() []string { return append([]string{s.Right}, s.Parts...) }

func (s *SumLERule) validate() error {
	if len(s.Parts) < 2 || s.Right == "" {
		return fmt.Errorf("规则 %s 缺少 parts 或 right", s.ID)
	}
	return nil
}

func (s *SumLERule) check(c *ruleCheck) {
	c.rows(func(row string) {
		c.each(row, append(append([]string(nil), s.Parts...), s.Right), "", func(ops []operand, vals []Number) *Finding {
			n := len(vals) - 1
			sum := sumOf(vals[:n])
			if sum <= vals[n] {
				return nil
			}
			terms, names := addUp(c, ops[:n], vals[:n], false)
			return &Finding{Message: fmt.Sprintf("%s：%s 之和 %s=%s 大于 %s（%s）",
				c.where(row, ops[0].col), names, terms,
				sum.Format(ops[0].col.Kind), c.v.opName(c.f, ops[n]), vals[n].Format(ops[n].col.Kind))}
		})
	})
}
