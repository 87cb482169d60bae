package model

import "fmt"

// RuleCumulative names the rule that running totals do not shrink.
const RuleCumulative = "cumulative"

// CumulativeRule: every figure of the form is at least the same unit's figure in
// the previous quarter (in Q1, last year's Q4 for the figures counted from before
// the year: Variant.CarryOver), except columns counted since ExceptSince and
// the parts of a split (distributionOf: 四色, levels, stars), which may move while
// their total, checked here too, only grows.
type CumulativeRule struct {
	RuleHead
	ExceptSince []string `json:"exceptSince,omitempty"`
}

func init() { registerRule(RuleCumulative, func() Rule { return new(CumulativeRule) }) }

// Describe says what the rule asks.
func (*CumulativeRule) Describe() string {
	return "累计数不小于上季度（跨年只比年初前起算的栏）"
}

// Settle does nothing: a sample has no previous quarter.
func (*CumulativeRule) Settle(*Variant, *Report, *Form, string) {}

func (*CumulativeRule) refs() []string  { return nil }
func (*CumulativeRule) validate() error { return nil }

func (x *CumulativeRule) check(c *ruleCheck) {
	if c.prev == nil {
		return
	}
	except := map[string]bool{}
	for _, s := range x.ExceptSince {
		except[s] = true
	}
	quiet := zeroedBy(c.f) // a fall to 0 is the zeroed rule's question
	for _, k := range c.f.cells {
		col := c.f.Column(k.Col)
		if except[col.Since] || col.DistributionOf != "" {
			continue
		}
		cur, ok1 := c.r.Values[k]
		old, ok2 := c.prev.Values[k]
		if !ok1 || !ok2 || cur >= old || (quiet && cur == 0) {
			continue
		}
		c.res.add(Finding{Key: x.ID + "/" + k.Row + "/" + k.Col, Rule: x.ID, Severity: x.Severity,
			Form: c.f.ID, Row: k.Row, Cells: []CellKey{k},
			Message: fmt.Sprintf("%s：%s 为 %s，比上季度（%s）的 %s 少；累计数不应减少",
				c.where(k.Row, col), col.ShortName(), cur.Format(col.Kind), c.prev.Period.Label(), old.Format(col.Kind))})
	}
}
