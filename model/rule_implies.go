package model

import (
	"fmt"
	"strings"
)

// RuleImplies names the rule that some figures being positive asks for another.
const RuleImplies = "implies"

// ImpliesRule: any When > 0 needs Then > 0 (参训人数 needs 场次).
type ImpliesRule struct {
	RuleHead
	When []string `json:"when"`
	Then string   `json:"then"`
}

func init() { registerRule(RuleImplies, func() Rule { return new(ImpliesRule) }) }

// Describe says what the rule asks.
func (x *ImpliesRule) Describe() string { return strings.Join(x.When, ",") + ">0 则 " + x.Then + ">0" }

// Settle makes Then positive where a When is.
func (x *ImpliesRule) Settle(v *Variant, r *Report, f *Form, row string) {
	t, ok := sampleKey(f, row, x.Then)
	if !ok {
		return
	}
	for _, w := range x.When {
		if k, ok := sampleKey(f, row, w); ok && r.Values[k] > 0 && r.Values[t] == 0 {
			r.Values[t] = sampleOne(f, x.Then)
		}
	}
}

func (x *ImpliesRule) refs() []string { return append([]string{x.Then}, x.When...) }

func (x *ImpliesRule) validate() error {
	if len(x.When) == 0 {
		return fmt.Errorf("规则 %s 缺少 when", x.ID)
	}
	return nil
}

func (x *ImpliesRule) check(c *ruleCheck) {
	c.rows(func(row string) {
		for _, w := range x.When {
			c.each(row, []string{w, x.Then}, "/"+w, func(ops []operand, vals []Number) *Finding {
				if vals[0] == 0 || vals[1] > 0 {
					return nil
				}
				return &Finding{Message: fmt.Sprintf("%s：%s 为 %s，但 %s 为 0",
					c.where(row, ops[0].col), ops[0].col.ShortName(), vals[0].Format(ops[0].col.Kind),
					ops[1].col.ShortName())}
			})
		}
	})
}
