package model

import (
	"fmt"
	"sort"
	"strings"
)

// Severities of a rule: an error blocks completion; a warning needs the clerk's
// confirmation.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is one broken rule at one place, with a message that names the cells and
// the numbers.
type Finding struct {
	Key       string // stable across runs: what a confirmation is attached to
	Rule      string
	Severity  string
	Form      string
	Row       string
	Cells     []CellKey
	Message   string
	Basis     string // 依据: where the rule comes from (表一注11, 方案三（四）3)
	Confirmed bool
}

// IsError reports whether the finding blocks completion.
func (f Finding) IsError() bool { return f.Severity == SeverityError }

// FormStatus is the completeness and rule count of one form of a report.
type FormStatus struct {
	Form     *Form
	Filled   int
	Total    int
	Errors   int
	Warnings int // unconfirmed
}

// Result is what the rule engine says about a report.
type Result struct {
	Forms    []FormStatus
	Blanks   []CellKey
	Findings []Finding
	byCell   map[CellKey][]int
}

// Filled and Total count applicable cells over the whole report.
func (r *Result) Filled() (filled, total int) {
	for _, f := range r.Forms {
		filled += f.Filled
		total += f.Total
	}
	return
}

// Errors counts findings that block completion.
func (r *Result) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.IsError() {
			n++
		}
	}
	return n
}

// Warnings counts warnings the clerk has not confirmed.
func (r *Result) Warnings() int {
	n := 0
	for _, f := range r.Findings {
		if !f.IsError() && !f.Confirmed {
			n++
		}
	}
	return n
}

// Complete reports whether the report may be marked complete: no blank, no error.
// Unconfirmed warnings do not block, but the clerk is asked about them.
func (r *Result) Complete() bool { return len(r.Blanks) == 0 && r.Errors() == 0 }

// ForCell lists the findings that concern a cell.
func (r *Result) ForCell(k CellKey) []Finding {
	var out []Finding
	for _, i := range r.byCell[k] {
		out = append(out, r.Findings[i])
	}
	return out
}

// Percent is the share of filled cells, rounded down, 0–100.
func Percent(filled, total int) int {
	if total == 0 {
		return 100
	}
	return filled * 100 / total
}

type operand struct {
	form *Form
	col  *Column
	row  string
	key  CellKey
}

// Check runs every rule of the report's forms. prev is the same unit's report for the
// previous quarter of the same year (nil if none); others supplies the rest of the
// report for cross-form rules and is normally r itself.
func (v *Variant) Check(r *Report, prev *Report) *Result {
	res := &Result{byCell: map[CellKey][]int{}}
	prev = v.CarryOver(prev) // last year's Q4: only the figures that run on
	forms := v.FormsFor(r.UnitType)
	applies := map[string]bool{}
	for _, f := range forms {
		applies[f.ID] = true
	}
	var scratch *ruleCheck
	for _, f := range forms {
		st := FormStatus{Form: f}
		for _, k := range f.cells {
			st.Total++
			n, ok := r.Values[k]
			if !ok {
				res.Blanks = append(res.Blanks, k)
				continue
			}
			st.Filled++
			if err := v.Validate(f.Column(k.Col).Kind, n); err != nil {
				res.add(Finding{Key: "kind/" + k.String(), Rule: "kind", Severity: SeverityError, Basis: "表头计量单位",
					Form: f.ID, Row: k.Row, Cells: []CellKey{k},
					Message: fmt.Sprintf("%s %s：%s", v.where(f, k.Row, f.Column(k.Col)), f.Column(k.Col).ShortName(), err)})
			}
		}
		res.Forms = append(res.Forms, st)
		for _, rule := range f.Rules {
			scratch = v.apply(res, f, rule, r, prev, applies, scratch)
		}
	}
	for i := range res.Findings {
		fd := &res.Findings[i]
		if f := v.Form(fd.Form); f != nil && fd.Basis == "" {
			fd.Basis = f.RuleBasis(fd.Rule)
		}
		if _, ok := r.Confirmed[fd.Key]; ok && !fd.IsError() {
			fd.Confirmed = true
		}
	}
	for i := range res.Forms {
		for _, fd := range res.Findings {
			if fd.Form != res.Forms[i].Form.ID {
				continue
			}
			if fd.IsError() {
				res.Forms[i].Errors++
			} else if !fd.Confirmed {
				res.Forms[i].Warnings++
			}
		}
	}
	return res
}

func (res *Result) add(f Finding) {
	res.Findings = append(res.Findings, f)
	for _, k := range f.Cells {
		res.byCell[k] = append(res.byCell[k], len(res.Findings)-1)
	}
}

// where names the row a rule fired in: "国标" or the unit type for block-wide cells.
func (v *Variant) where(f *Form, row string, cols ...*Column) string {
	block := true
	for _, c := range cols {
		if c != nil && c.Scope == ScopeRow {
			block = false
		}
	}
	name := f.Name()
	if len(f.Rows) > 1 && !block {
		if rd, ok := f.Row(row); ok {
			name += " " + rd.Label
		}
	}
	return name
}

func (v *Variant) resolveOperand(f *Form, row string, ref string) (operand, bool) {
	form, col := f, ref
	if a, b, ok := strings.Cut(ref, ":"); ok {
		form, col = v.Form(a), b
		if form == nil {
			return operand{}, false
		}
		if _, has := form.Row(row); !has {
			row = form.Rows[0].ID
		}
	}
	c := form.Column(col)
	if c == nil || !form.Applicable(row, col) {
		return operand{}, false
	}
	if c.Scope == ScopeBlock && len(form.Rows) > 0 && row != form.Rows[0].ID { // form.CellRow, without a second look-up
		row = form.Rows[0].ID
	}
	return operand{form: form, col: c, row: row, key: CellKey{form.ID, row, col}}, true
}

// apply runs one rule over a form of the report; the last run's ruleCheck
// (nil at first) lends its buffers to this one.
func (v *Variant) apply(res *Result, f *Form, rule Rule, r, prev *Report, applies map[string]bool, last *ruleCheck) *ruleCheck {
	c := &ruleCheck{v: v, res: res, f: f, head: rule.Head(), r: r, prev: prev, applies: applies, seen: map[string]bool{}}
	if last != nil {
		c.ops, c.vals, c.sig = last.ops, last.vals, last.sig
	}
	rule.check(c)
	return c
}

func (v *Variant) opName(f *Form, op operand) string {
	if op.form != f {
		return op.form.Name() + " " + op.col.ShortName()
	}
	return op.col.ShortName()
}

func (v *Variant) checkRules(f *Form) error {
	known := func(ref string) error {
		form, col := f, ref
		if a, b, ok := strings.Cut(ref, ":"); ok {
			if form = v.Form(a); form == nil {
				return fmt.Errorf("规则引用了未定义的表 %q", a)
			}
			col = b
		}
		if form.Column(col) == nil {
			return fmt.Errorf("规则引用了未定义的列 %q", ref)
		}
		return nil
	}
	ids := map[string]bool{}
	for _, rule := range f.Rules {
		r := rule.Head()
		if ids[r.ID] || r.ID == "" {
			return fmt.Errorf("规则 id %q 为空或重复", r.ID)
		}
		ids[r.ID] = true
		if r.Severity != SeverityError && r.Severity != SeverityWarning {
			return fmt.Errorf("规则 %s 的 severity %q 未知", r.ID, r.Severity)
		}
		if r.Missing != "" && r.Missing != "skip" && r.Missing != "zero" {
			return fmt.Errorf("规则 %s 的 missing %q 未知", r.ID, r.Missing)
		}
		if err := rule.validate(); err != nil {
			return err
		}
		refs := rule.refs()
		for _, ref := range refs {
			if err := known(ref); err != nil {
				return fmt.Errorf("规则 %s: %w", r.ID, err)
			}
		}
	}
	return nil
}

// SortFindings puts errors first, then by form and row, for lists a clerk reads.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].IsError() != fs[j].IsError() {
			return fs[i].IsError()
		}
		return fs[i].Form < fs[j].Form
	})
}
