package model

// RuleRequired names the rule that no applicable cell is blank. The engine counts
// blanks for every form anyway (Result.Blanks); the rule states it in the catalog.
const RuleRequired = "required"

// RequiredRule: 表格不应有空白处，若无则应填写0.
type RequiredRule struct {
	RuleHead
}

func init() { registerRule(RuleRequired, func() Rule { return new(RequiredRule) }) }

// Describe says what the rule asks.
func (*RequiredRule) Describe() string { return "不应有空白，若无则应填写0" }

// Settle does nothing: a sample fills every cell.
func (*RequiredRule) Settle(*Variant, *Report, *Form, string) {}

func (*RequiredRule) refs() []string   { return nil }
func (*RequiredRule) validate() error  { return nil }
func (*RequiredRule) check(*ruleCheck) {}
