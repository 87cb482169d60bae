package model

import "fmt"

// RuleIff names the rule that two figures are both zero or both positive.
const RuleIff = "iff"

// IffRule: A > 0 exactly when B > 0 (企业数 and its 金额).
type IffRule struct {
	RuleHead
	A string `json:"a"`
	B string `json:"b"`
}

func init() { registerRule(RuleIff, func() Rule { return new(IffRule) }) }

// Describe says what the rule asks.
func (x *IffRule) Describe() string { return x.A + ">0 当且仅当 " + x.B + ">0" }

// Settle makes the zero one of the two positive.
func (x *IffRule) Settle(v *Variant, r *Report, f *Form, row string) {
	a, ok1 := sampleKey(f, row, x.A)
	b, ok2 := sampleKey(f, row, x.B)
	if ok1 && ok2 && (r.Values[a] > 0) != (r.Values[b] > 0) {
		if r.Values[a] == 0 {
			r.Values[a] = sampleOne(f, x.A)
		} else {
			r.Values[b] = sampleOne(f, x.B)
		}
	}
}

func (x *IffRule) refs() []string { return []string{x.A, x.B} }

func (x *IffRule) validate() error { return nil }

func (x *IffRule) check(c *ruleCheck) {
	c.rows(func(row string) {
		c.each(row, x.refs(), "", func(ops []operand, vals []Number) *Finding {
			if (vals[0] > 0) == (vals[1] > 0) {
				return nil
			}
			return &Finding{Message: fmt.Sprintf("%s：%s 为 %s，%s 为 %s；两者应同为 0 或同大于 0",
				c.where(row, ops[0].col), ops[0].col.ShortName(), vals[0].Format(ops[0].col.Kind),
				ops[1].col.ShortName(), vals[1].Format(ops[1].col.Kind))}
		})
	})
}
