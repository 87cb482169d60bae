package model

import (
	"fmt"
	"strings"
)

// RuleSum names the rule that a total equals the sum of its parts.
const RuleSum = "sum"

// SumRule: Total = Parts[0] + Parts[1] + … in every row.
type SumRule struct {
	RuleHead
	Total string   `json:"total"`
	Parts []string `json:"parts"`
}

func init() { registerRule(RuleSum, func() Rule { return new(SumRule) }) }

// Describe says what the rule asks.
func (s *SumRule) Describe() string { return s.Total + " = " + strings.Join(s.Parts, "+") }

// Settle sets the total to the sum of the parts.
func (s *SumRule) Settle(v *Variant, r *Report, f *Form, row string) {
	t, ok := sampleKey(f, row, s.Total)
	if !ok {
		return
	}
	var sum Number
	for _, p := range s.Parts {
		k, ok := sampleKey(f, row, p)
		if !ok {
			return
		}
		sum += r.Values[k]
	}
	r.Values[t] = sum
}

func (s *SumRule) refs() []string { return append([]string{s.Total}, s.Parts...) }

func (s *SumRule) validate() error {
	if s.Total == "" || len(s.Parts) < 2 {
		return fmt.Errorf("规则 %s 缺少 total 或 parts", s.ID)
	}
	return nil
}

func (s *SumRule) check(c *ruleCheck) {
	c.rows(func(row string) {
		c.each(row, s.refs(), "", func(ops []operand, vals []Number) *Finding {
			sum := sumOf(vals[1:])
			if sum == vals[0] {
				return nil
			}
			terms, names := addUp(c, ops[1:], vals[1:], true)
			k := ops[0].col.Kind
			return &Finding{Message: fmt.Sprintf("%s：%s 应等于 %s 之和；填的是 %s，各项合计 %s=%s",
				c.where(row, ops[0].col), ops[0].col.ShortName(), names,
				vals[0].Format(k), terms, sum.Format(k))}
		})
	})
}

// sumOf is the sum of a rule's parts.
func sumOf(vals []Number) (sum Number) {
	for _, n := range vals {
		sum += n
	}
	return sum
}

// addUp spells the parts of a rule out for its message, once it fires: the
// figures as "620+784+101" and the parts' names as "规上企业+中等企业+小微企业",
// or with their group when short is false (parts from different groups:
// "达标评审/总数").
func addUp(c *ruleCheck, ops []operand, vals []Number, short bool) (terms, names string) {
	var t, n []string
	for i, op := range ops {
		t = append(t, vals[i].Format(op.col.Kind))
		if short {
			n = append(n, op.col.Name)
		} else {
			n = append(n, c.v.opName(c.f, op))
		}
	}
	return strings.Join(t, "+"), strings.Join(n, "+")
}
