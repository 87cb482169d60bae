package model

import "fmt"

// RuleBase names the rule that a stock is not below the unit's 2024 base.
const RuleBase = "base"

// BaseRule: Column (表一 企业底数总数) is at least the unit's base in the directory
// (附件1's 2024 企业底数): note 6 starts the 底数 from the 2024 base and corrects
// it by adding what was missed (据实补缺补漏). Units without a base are not checked.
type BaseRule struct {
	RuleHead
	Column string `json:"column"`
}

func init() { registerRule(RuleBase, func() Rule { return new(BaseRule) }) }

// Describe says what the rule asks.
func (b *BaseRule) Describe() string {
	return b.Column + " >= 单位名录中本单位的2024年企业底数（南安：附件1）"
}

// Settle raises the stock to the unit's base in a sample, and with it the last part
// of the sum that makes up the stock, so that the sum still holds.
func (b *BaseRule) Settle(v *Variant, r *Report, f *Form, row string) {
	k, ok := sampleKey(f, row, b.Column)
	base := Whole(int64(v.bases[r.Unit]))
	if !ok || r.Values[k] >= base {
		return
	}
	diff := base - r.Values[k]
	r.Values[k] = base
	for _, rule := range f.Rules {
		if s, ok := rule.(*SumRule); ok && s.Total == b.Column {
			if pk, ok := sampleKey(f, row, s.Parts[len(s.Parts)-1]); ok {
				r.Values[pk] += diff
			}
		}
	}
}

func (b *BaseRule) refs() []string { return []string{b.Column} }

func (b *BaseRule) validate() error {
	if b.Column == "" {
		return fmt.Errorf("规则 %s 缺少 column", b.ID)
	}
	return nil
}

func (b *BaseRule) check(c *ruleCheck) {
	base := c.v.bases[c.r.Unit]
	if base <= 0 {
		return
	}
	c.rows(func(row string) {
		c.each(row, []string{b.Column}, "", func(ops []operand, vals []Number) *Finding {
			if vals[0] >= Whole(int64(base)) {
				return nil
			}
			return &Finding{Message: fmt.Sprintf("%s：%s 为 %s，低于本单位2024年企业底数 %d（附件1）；底数应在2024年基数上补缺补漏",
				c.where(row, ops[0].col), ops[0].col.ShortName(), vals[0].Format(ops[0].col.Kind), base)}
		})
	})
}

// BaseFor is the 2024 base a unit's cell is held against, for showing beside the
// cell (表一 企业底数总数): ok is false for other cells and for units without one.
func (v *Variant) BaseFor(unit string, f *Form, col string) (int, bool) {
	base := v.bases[unit]
	if base <= 0 || f == nil {
		return 0, false
	}
	for _, r := range f.Rules {
		if b, ok := r.(*BaseRule); ok && b.Column == col {
			return base, true
		}
	}
	return 0, false
}
