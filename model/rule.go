package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Rule is one consistency rule of a form. Each kind is one type in its own file
// (rule_<kind>.go) that decodes its fields from the catalog, checks a report,
// describes itself for `jibao forms` and makes a sample satisfy it; adding a kind
// touches that file and the catalog format's documentation, nothing else.
type Rule interface {
	// Head is what every rule has: id, kind, severity, how blanks count, 依据.
	Head() *RuleHead
	// Describe says in one line what the rule asks, for `jibao forms`.
	Describe() string
	// Settle changes a sample's figures in one row so that the rule holds there;
	// kinds that a fresh sample cannot break do nothing.
	Settle(v *Variant, r *Report, f *Form, row string)
	// refs are the columns the rule names, checked when the catalog loads.
	refs() []string
	// validate checks the kind's own fields.
	validate() error
	// check adds the rule's findings about a report.
	check(c *ruleCheck)
}

// RuleHead is the part of a rule every kind shares, first in its JSON object.
type RuleHead struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Missing  string `json:"missing,omitempty"` // skip (default) or zero
	Message  string `json:"message,omitempty"` // replaces the kind's own message
	Basis    string `json:"basis,omitempty"`   // 依据: the note or the plan's sentence it comes from
}

// Head returns the shared part; the concrete kinds inherit it by embedding.
func (h *RuleHead) Head() *RuleHead { return h }

// ruleKinds maps a catalog kind name to a constructor of its type. Each kind's file
// registers itself in init; the map is read-only once the program runs.
var ruleKinds = map[string]func() Rule{}

func registerRule(kind string, make func() Rule) {
	if _, dup := ruleKinds[kind]; dup {
		panic("rule kind registered twice: " + kind)
	}
	ruleKinds[kind] = make
}

// RuleKinds lists the kind names the catalog may use, sorted.
func RuleKinds() []string {
	out := make([]string, 0, len(ruleKinds))
	for k := range ruleKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// RuleSpec is a rule as the catalog file holds it: its "kind" picks the type that
// decodes the rest, strictly (an unknown field is refused as elsewhere in the file).
type RuleSpec struct{ Rule }

// UnmarshalJSON decodes a rule through its kind's type.
func (s *RuleSpec) UnmarshalJSON(b []byte) error {
	var h RuleHead
	if err := json.Unmarshal(b, &h); err != nil {
		return err
	}
	mk := ruleKinds[h.Kind]
	if mk == nil {
		return fmt.Errorf("规则 %s 的类型 %q 未知（可选: %s）", h.ID, h.Kind, strings.Join(RuleKinds(), ", "))
	}
	r := mk()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(r); err != nil {
		return fmt.Errorf("规则 %s: %w", h.ID, err)
	}
	s.Rule = r
	return nil
}

// MarshalJSON prints the rule as its kind's type holds it.
func (s RuleSpec) MarshalJSON() ([]byte, error) { return json.Marshal(s.Rule) }

// ruleCheck is one rule's run over one form of a report.
type ruleCheck struct {
	v       *Variant
	res     *Result
	f       *Form
	head    *RuleHead
	r, prev *Report
	applies map[string]bool
	seen    map[string]bool
	// Reused by each: a form's check evaluates hundreds of instances.
	ops  []operand
	vals []Number
	sig  []byte
}

// rows runs fn for every row of the form.
func (c *ruleCheck) rows(fn func(row string)) {
	for _, rd := range c.f.Rows {
		fn(rd.ID)
	}
}

// each evaluates one instance of the rule in a row over resolved operands, once per
// distinct set of cells (a rule over block-wide cells fires once per block). It skips
// the instance when an operand does not apply, or is blank unless missing is "zero".
func (c *ruleCheck) each(row string, refs []string, tag string, fn func(ops []operand, vals []Number) *Finding) {
	ops := c.ops[:0]
	sig := c.sig[:0]
	for _, ref := range refs {
		op, ok := c.v.resolveOperand(c.f, row, ref)
		if !ok || !c.applies[op.form.ID] {
			return
		}
		ops = append(ops, op)
		sig = append(append(append(append(append(sig, op.key.Form...), '/'), op.key.Row...), '/'), op.key.Col...)
		sig = append(sig, ',')
	}
	c.ops, c.sig = ops, sig
	if c.seen[string(sig)] {
		return
	}
	c.seen[string(sig)] = true
	vals := c.vals[:0]
	anyBlank := false
	for _, op := range ops {
		n, ok := c.r.Values[op.key]
		vals = append(vals, n)
		anyBlank = anyBlank || !ok
	}
	c.vals = vals
	if anyBlank && c.head.Missing != "zero" {
		return
	}
	fd := fn(ops, vals)
	if fd == nil {
		return
	}
	if fd.Severity == "" { // a kind may give one outcome a milder severity
		fd.Severity = c.head.Severity
	}
	fd.Rule, fd.Form, fd.Row = c.head.ID, c.f.ID, ops[0].row
	fd.Key = c.head.ID + "/" + ops[0].row + tag
	for _, op := range ops {
		fd.Cells = append(fd.Cells, op.key)
	}
	if c.head.Message != "" {
		fd.Message = c.v.where(c.f, ops[0].row, ops[0].col) + "：" + c.head.Message
	}
	c.res.add(*fd)
}

// where names the row the rule fires in, for the start of a message.
func (c *ruleCheck) where(row string, col *Column) string { return c.v.where(c.f, row, col) }

// sampleKey is the cell a sample sets for a column of the same form in a row; other
// forms' columns are left to their own rules.
func sampleKey(f *Form, row, ref string) (CellKey, bool) {
	if strings.Contains(ref, ":") || f.Column(ref) == nil || !f.Applicable(row, ref) {
		return CellKey{}, false
	}
	return CellKey{Form: f.ID, Row: f.CellRow(row, ref), Col: ref}, true
}

// sampleOne is the smallest positive figure of a column's kind in a sample.
func sampleOne(f *Form, ref string) Number {
	if f.Column(ref).Kind == KindMoney {
		return 150
	}
	return Whole(1)
}

// resolveBasis sets each rule's 依据, a variant's own text before the shared one.
func (f *Form) resolveBasis(own map[string]string) error {
	f.basis = map[string]string{}
	for _, r := range f.Rules {
		f.basis[r.Head().ID] = r.Head().Basis
	}
	for id, text := range own {
		if _, ok := f.basis[id]; !ok {
			return fmt.Errorf("basis 中的规则 %q 未定义", id)
		}
		f.basis[id] = text
	}
	return nil
}

// RuleBasis is a rule's 依据 in this variant ("" when the catalog gives none).
func (f *Form) RuleBasis(id string) string { return f.basis[id] }
