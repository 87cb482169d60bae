package model

import "fmt"

// RuleZeroed names the plausibility rule that a figure does not fall to 0.
const RuleZeroed = "zeroed"

// ZeroedRule: a figure that was positive last quarter and is 0 now was most likely
// left out, not undone. It covers the stock (a 底数 of 0) and the running totals;
// the parts of a split (distributionOf) may well reach 0. Where it fires the
// cumulative rule keeps quiet, so that one cause asks one question.
type ZeroedRule struct {
	RuleHead
}

func init() { registerRule(RuleZeroed, func() Rule { return new(ZeroedRule) }) }

// Describe says what the rule asks.
func (*ZeroedRule) Describe() string { return "上季度大于0的数不应变为0" }

// Settle does nothing: a sample has no previous quarter.
func (*ZeroedRule) Settle(*Variant, *Report, *Form, string) {}

func (*ZeroedRule) refs() []string  { return nil }
func (*ZeroedRule) validate() error { return nil }

func (z *ZeroedRule) check(c *ruleCheck) {
	if c.prev == nil {
		return
	}
	for _, k := range c.f.cells {
		if cur, ok := c.r.Values[k]; !ok || cur != 0 { // most cells: one look-up
			continue
		}
		col := c.f.Column(k.Col)
		old, ok := c.prev.Values[k]
		if !ok || old <= 0 || col.DistributionOf != "" {
			continue
		}
		c.res.add(Finding{Key: z.ID + "/" + k.Row + "/" + k.Col, Rule: z.ID, Severity: z.Severity,
			Form: c.f.ID, Row: k.Row, Cells: []CellKey{k},
			Message: fmt.Sprintf("%s：%s 为 0，上季度（%s）是 %s；是漏填了吗？",
				c.where(k.Row, col), col.ShortName(), c.prev.Period.Label(), old.Format(col.Kind))})
	}
}

// zeroedBy reports whether a form's zeroed rule speaks for a cell that fell to 0.
func zeroedBy(f *Form) bool {
	for _, r := range f.Rules {
		if _, ok := r.(*ZeroedRule); ok {
			return true
		}
	}
	return false
}
