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

// Rule kinds the engine understands.
const (
	RuleRequired   = "required"
	RuleSum        = "sum"
	RuleLE         = "le"
	RuleIff        = "iff"
	RuleImplies    = "implies"
	RuleCumulative = "cumulative"
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
	forms := v.FormsFor(r.UnitType)
	applies := map[string]bool{}
	for _, f := range forms {
		applies[f.ID] = true
	}
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
				res.add(Finding{Key: "kind/" + k.String(), Rule: "kind", Severity: SeverityError,
					Form: f.ID, Row: k.Row, Cells: []CellKey{k},
					Message: fmt.Sprintf("%s %s：%s", v.where(f, k.Row, f.Column(k.Col)), f.Column(k.Col).ShortName(), err)})
			}
		}
		res.Forms = append(res.Forms, st)
		for _, rule := range f.Rules {
			v.apply(res, f, rule, r, prev, applies)
		}
	}
	for i := range res.Findings {
		fd := &res.Findings[i]
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
	row = form.CellRow(row, col)
	return operand{form: form, col: c, row: row, key: CellKey{form.ID, row, col}}, true
}

func (v *Variant) apply(res *Result, f *Form, rule *RuleDef, r, prev *Report, applies map[string]bool) {
	seen := map[string]bool{}
	// each evaluates one instance of the rule in a row over resolved operands, once
	// per distinct set of cells (a rule over block-wide cells fires once per block).
	each := func(row string, refs []string, tag string, fn func(ops []operand, vals []Number, blank []bool) *Finding) {
		ops := make([]operand, len(refs))
		var sig []string
		for i, ref := range refs {
			op, ok := v.resolveOperand(f, row, ref)
			if !ok || !applies[op.form.ID] {
				return
			}
			ops[i] = op
			sig = append(sig, op.key.String())
		}
		id := strings.Join(sig, ",")
		if seen[id] {
			return
		}
		seen[id] = true
		vals := make([]Number, len(ops))
		blank := make([]bool, len(ops))
		anyBlank := false
		for i, op := range ops {
			n, ok := r.Values[op.key]
			vals[i], blank[i] = n, !ok
			anyBlank = anyBlank || !ok
		}
		if anyBlank && rule.Missing != "zero" {
			return
		}
		fd := fn(ops, vals, blank)
		if fd == nil {
			return
		}
		fd.Rule, fd.Severity, fd.Form, fd.Row = rule.ID, rule.Severity, f.ID, ops[0].row
		fd.Key = rule.ID + "/" + ops[0].row + tag
		for _, op := range ops {
			fd.Cells = append(fd.Cells, op.key)
		}
		if rule.Message != "" {
			fd.Message = v.where(f, ops[0].row, ops[0].col) + "：" + rule.Message
		}
		res.add(*fd)
	}
	for _, rd := range f.Rows {
		row := rd.ID
		switch rule.Kind {
		case RuleSum:
			refs := append([]string{rule.Total}, rule.Parts...)
			each(row, refs, "", func(ops []operand, vals []Number, _ []bool) *Finding {
				var sum Number
				var terms []string
				for i := 1; i < len(vals); i++ {
					sum += vals[i]
					terms = append(terms, vals[i].Format(ops[i].col.Kind))
				}
				if sum == vals[0] {
					return nil
				}
				var names []string
				for _, op := range ops[1:] {
					names = append(names, op.col.Name)
				}
				return &Finding{Message: fmt.Sprintf("%s：%s 应等于 %s 之和；填的是 %s，各项合计 %s=%s",
					v.where(f, row, ops[0].col), ops[0].col.ShortName(), strings.Join(names, "+"),
					vals[0].Format(ops[0].col.Kind), strings.Join(terms, "+"), sum.Format(ops[0].col.Kind))}
			})
		case RuleLE:
			for _, left := range rule.Left {
				each(row, []string{left, rule.Right}, "/"+left, func(ops []operand, vals []Number, _ []bool) *Finding {
					if vals[0] <= vals[1] {
						return nil
					}
					return &Finding{Message: fmt.Sprintf("%s：%s（%s）不应大于 %s（%s）",
						v.where(f, row, ops[0].col), v.opName(f, ops[0]), vals[0].Format(ops[0].col.Kind),
						v.opName(f, ops[1]), vals[1].Format(ops[1].col.Kind))}
				})
			}
		case RuleIff:
			each(row, []string{rule.A, rule.B}, "", func(ops []operand, vals []Number, _ []bool) *Finding {
				if (vals[0] > 0) == (vals[1] > 0) {
					return nil
				}
				return &Finding{Message: fmt.Sprintf("%s：%s 为 %s，%s 为 %s；两者应同为 0 或同大于 0",
					v.where(f, row, ops[0].col), ops[0].col.ShortName(), vals[0].Format(ops[0].col.Kind),
					ops[1].col.ShortName(), vals[1].Format(ops[1].col.Kind))}
			})
		case RuleImplies:
			for _, w := range rule.When {
				each(row, []string{w, rule.Then}, "/"+w, func(ops []operand, vals []Number, _ []bool) *Finding {
					if vals[0] == 0 || vals[1] > 0 {
						return nil
					}
					return &Finding{Message: fmt.Sprintf("%s：%s 为 %s，但 %s 为 0",
						v.where(f, row, ops[0].col), ops[0].col.ShortName(), vals[0].Format(ops[0].col.Kind),
						ops[1].col.ShortName())}
				})
			}
		}
	}
	if rule.Kind == RuleCumulative && prev != nil {
		except := map[string]bool{}
		for _, s := range rule.ExceptSince {
			except[s] = true
		}
		for _, k := range f.cells {
			col := f.Column(k.Col)
			if except[col.Since] {
				continue
			}
			cur, ok1 := r.Values[k]
			old, ok2 := prev.Values[k]
			if !ok1 || !ok2 || cur >= old {
				continue
			}
			res.add(Finding{Key: rule.ID + "/" + k.Row + "/" + k.Col, Rule: rule.ID, Severity: rule.Severity,
				Form: f.ID, Row: k.Row, Cells: []CellKey{k},
				Message: fmt.Sprintf("%s：%s 为 %s，比上季度（%s）的 %s 少；累计数不应减少",
					v.where(f, k.Row, col), col.ShortName(), cur.Format(col.Kind), prev.Period.Label(), old.Format(col.Kind))})
		}
	}
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
	for _, r := range f.Rules {
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
		var refs []string
		switch r.Kind {
		case RuleRequired, RuleCumulative:
		case RuleSum:
			if r.Total == "" || len(r.Parts) < 2 {
				return fmt.Errorf("规则 %s 缺少 total 或 parts", r.ID)
			}
			refs = append([]string{r.Total}, r.Parts...)
		case RuleLE:
			if len(r.Left) == 0 || r.Right == "" {
				return fmt.Errorf("规则 %s 缺少 left 或 right", r.ID)
			}
			refs = append([]string{r.Right}, r.Left...)
		case RuleIff:
			refs = []string{r.A, r.B}
		case RuleImplies:
			if len(r.When) == 0 {
				return fmt.Errorf("规则 %s 缺少 when", r.ID)
			}
			refs = append([]string{r.Then}, r.When...)
		default:
			return fmt.Errorf("规则 %s 的类型 %q 未知", r.ID, r.Kind)
		}
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
