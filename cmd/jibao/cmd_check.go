package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"jibao/model"
	"jibao/store"
)

// cmdCheck says what a report still lacks: blanks, errors, unconfirmed warnings
// (one unit), or how every unit of the period stands (no --unit). Exit 0 when all is
// complete with no error, 1 when not, 2 on bad usage or a store problem.
func (a *app) cmdCheck(args []string) int {
	var c common
	fs := a.newFlags("check", &c)
	asJSON := fs.Bool("json", false, "以 JSON 输出（格式见 docs/check-summary.md）")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("check: 多余的参数 %q", strings.Join(fs.Args(), " "))
	}
	if !a.dataFileExists(&c) {
		// Nothing entered on this machine yet: every report is 尚未填报, which is
		// the answer "no" (1), not a store problem (2).
		_, v, err := a.catalogVariant(&c)
		if err != nil {
			return a.fail("%v", err)
		}
		p, err := a.period(v, &c)
		if err != nil {
			return a.fail("%v", err)
		}
		if c.unit == "" {
			return a.checkAll(nil, v, p, nil, *asJSON)
		}
		u, err := v.Unit(c.unit)
		if err != nil {
			return a.fail("%v", err)
		}
		return a.checkMissing(v, u, p, *asJSON)
	}
	v, p, s, code := a.openForPeriod(&c)
	if s == nil {
		return code
	}
	defer s.Close()
	extra, err := s.Units(v.ID)
	if err != nil {
		return a.failStore(err)
	}
	if c.unit == "" {
		return a.checkAll(s, v, p, extra, *asJSON)
	}
	u, err := v.Unit(c.unit, extra...)
	if err != nil {
		return a.fail("%v", err)
	}
	id := model.ReportID{Variant: v.ID, Unit: u.Name, Period: p}
	r, err := s.Get(id)
	if errors.Is(err, model.ErrNotFound) {
		return a.checkMissing(v, u, p, *asJSON)
	}
	if err != nil {
		return a.failStore(err)
	}
	prev, err := previousReport(s, id)
	if err != nil {
		return a.failStore(err)
	}
	res := v.Check(r, prev)
	rep := newCheckJSON(v, r, res, a.now())
	rev, err := s.Review(id)
	if err != nil {
		return a.failStore(err)
	}
	rep.Review = newReviewJSON(v, r, rev)
	if ver, ok, err := s.FilledWith(id); err != nil {
		return a.failStore(err)
	} else if ok {
		rep.CatalogVersion = &ver
	}
	if *asJSON {
		emitJSON(a.stdout, rep)
	} else {
		a.printCheck(v, u, r, res, rep)
		a.printReview(v, r, rev)
	}
	if res.Complete() {
		return exitOK
	}
	return exitFail
}

// dataFileExists reports whether the data file is there; when the path cannot be
// worked out it says yes, so that opening it explains why.
func (a *app) dataFileExists(c *common) bool {
	path, err := a.dbPath(c)
	return err != nil || fileExists(path)
}

// openForPeriod resolves --variant and --period and opens the store read-only; on
// failure s is nil and code is the exit code (the message is printed).
func (a *app) openForPeriod(c *common) (v *model.Variant, p model.Period, s *store.Store, code int) {
	_, v, err := a.catalogVariant(c)
	if err != nil {
		return nil, p, nil, a.fail("%v", err)
	}
	if p, err = a.period(v, c); err != nil {
		return nil, p, nil, a.fail("%v", err)
	}
	if s, err = a.openStore(c, true); err != nil {
		return nil, p, nil, a.failStore(err)
	}
	return v, p, s, exitOK
}

// checkJSON is the stable shape of `jibao check --json` for one unit.
type checkJSON struct {
	Variant  string `json:"variant"`
	Unit     string `json:"unit"`
	UnitType string `json:"unitType"`
	Period   string `json:"period"`
	State    string `json:"state"` // draft, complete, reopened, missing
	// CatalogVersion is the version of its year's forms the report was last
	// written with: 0 the built-in, N the Nth added with jibao forms add.
	CatalogVersion *int          `json:"catalogVersion,omitempty"`
	Complete       bool          `json:"complete"`
	Filled         int           `json:"filled"`
	Total          int           `json:"total"`
	Percent        int           `json:"percent"`
	Errors         int           `json:"errors"`
	Warnings       int           `json:"warnings"` // unconfirmed
	Due            string        `json:"due"`
	DaysLeft       int           `json:"daysLeft"`
	Updated        string        `json:"updated,omitempty"`
	UpdatedBy      string        `json:"updatedBy,omitempty"`
	Forms          []formJSON    `json:"forms"`
	Blanks         []blankJSON   `json:"blanks"`
	Findings       []findingJSON `json:"findings"`
	Review         *reviewJSON   `json:"review,omitempty"` // the reporting cycle (cmd_cycle.go)
}

type formJSON struct {
	Form     string `json:"form"`
	Name     string `json:"name"`
	Filled   int    `json:"filled"`
	Total    int    `json:"total"`
	Percent  int    `json:"percent"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
}

type blankJSON struct {
	Key  string `json:"key"`
	Form string `json:"form"`
	Row  string `json:"row"`
	Col  string `json:"col"`
	Path string `json:"path"`
}

type findingJSON struct {
	Key       string   `json:"key"`
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"`
	Form      string   `json:"form"`
	Row       string   `json:"row"`
	Cells     []string `json:"cells"`
	Message   string   `json:"message"`
	Basis     string   `json:"basis,omitempty"` // 依据: the note or plan sentence behind the rule
	Confirmed bool     `json:"confirmed"`
}

func newCheckJSON(v *model.Variant, r *model.Report, res *model.Result, now time.Time) *checkJSON {
	filled, total := res.Filled()
	out := &checkJSON{Variant: v.ID, Unit: r.Unit, UnitType: r.UnitType, Period: r.Period.String(),
		State: string(r.State), Complete: res.Complete(), Filled: filled, Total: total,
		Percent: model.Percent(filled, total), Errors: res.Errors(), Warnings: res.Warnings(),
		Due: v.DueDate(r.Period).Format("2006-01-02"), DaysLeft: v.DaysLeft(r.Period, now),
		UpdatedBy: r.UpdatedBy, Forms: []formJSON{}, Blanks: []blankJSON{}, Findings: []findingJSON{}}
	if !r.Updated.IsZero() {
		out.Updated = r.Updated.Format(time.RFC3339)
	}
	for _, st := range res.Forms {
		out.Forms = append(out.Forms, formJSON{Form: st.Form.ID, Name: st.Form.Name(), Filled: st.Filled,
			Total: st.Total, Percent: model.Percent(st.Filled, st.Total), Errors: st.Errors, Warnings: st.Warnings})
	}
	for _, k := range res.Blanks {
		f := v.Form(k.Form)
		out.Blanks = append(out.Blanks, blankJSON{Key: k.String(), Form: f.Name(), Row: blankRowLabel(f, k),
			Col: k.Col, Path: f.Column(k.Col).PathText()})
	}
	fs := append([]model.Finding(nil), res.Findings...)
	model.SortFindings(fs)
	for _, fd := range fs {
		j := findingJSON{Key: fd.Key, Rule: fd.Rule, Severity: fd.Severity, Row: fd.Row,
			Message: fd.Message, Basis: fd.Basis, Confirmed: fd.Confirmed, Cells: []string{}}
		if f := v.Form(fd.Form); f != nil {
			j.Form = f.Name()
			if rd, ok := f.Row(fd.Row); ok && len(f.Rows) > 1 {
				j.Row = rd.Label
			} else {
				j.Row = ""
			}
		}
		for _, k := range fd.Cells {
			j.Cells = append(j.Cells, k.String())
		}
		out.Findings = append(out.Findings, j)
	}
	return out
}

// rowLabel is the row a blank sits in as the form prints it: 国标/市级…, or nothing
// for one-row forms and for block-wide cells (entered once per unit).
func blankRowLabel(f *model.Form, k model.CellKey) string {
	col := f.Column(k.Col)
	if len(f.Rows) < 2 || col == nil || col.Scope == model.ScopeBlock {
		return ""
	}
	rd, _ := f.Row(k.Row)
	return rd.Label
}

func emitJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// checkMissing answers for a unit with no report for the period.
func (a *app) checkMissing(v *model.Variant, u model.Unit, p model.Period, asJSON bool) int {
	days := v.DaysLeft(p, a.now())
	if asJSON {
		total := 0
		for _, f := range v.FormsFor(u.Type) {
			total += len(f.Cells())
		}
		emitJSON(a.stdout, &checkJSON{Variant: v.ID, Unit: u.Name, UnitType: u.Type, Period: p.String(),
			State: "missing", Total: total, Due: v.DueDate(p).Format("2006-01-02"), DaysLeft: days,
			Forms: []formJSON{}, Blanks: []blankJSON{}, Findings: []findingJSON{}})
		return exitFail
	}
	pt := a.painter()
	fmt.Fprintf(a.screen(), "%s %s %s\n", v.Name, p.Label(), u.Name)
	fmt.Fprintf(a.screen(), "%s；截止 %s，%s\n", pt.paint(sgrRed, "尚未填报"), v.DueDate(p).Format("2006-01-02"), model.DueText(days))
	return exitFail
}

func (a *app) printCheck(v *model.Variant, u model.Unit, r *model.Report, res *model.Result, rep *checkJSON) {
	w, pt := a.screen(), a.painter()
	typ, _ := v.UnitType(r.UnitType)
	fmt.Fprintf(w, "%s %s %s（%s）\n", v.Name, r.Period.Label(), r.Unit, typ.Label)
	fmt.Fprintf(w, "状态: %s  截止: %s，%s\n", r.State.Label(), rep.Due, model.DueText(rep.DaysLeft))
	if !r.Updated.IsZero() {
		fmt.Fprintf(w, "最后修改: %s %s\n", r.Updated.Local().Format("2006-01-02 15:04"), r.UpdatedBy)
	}
	if rep.CatalogVersion != nil && *rep.CatalogVersion > 0 {
		fmt.Fprintf(w, "表式: %d年 第 %d 版（jibao forms add 加入）\n", r.Period.Year, *rep.CatalogVersion)
	}
	fmt.Fprintln(w)
	t := &txtTable{head: []string{"表", "已填/应填", "完成", "错误", "警告"}, right: []bool{false, true, true, true, true}}
	for _, f := range rep.Forms {
		t.add(f.Name, fmt.Sprintf("%d/%d", f.Filled, f.Total), pctText(f.Percent), fmt.Sprint(f.Errors), fmt.Sprint(f.Warnings))
	}
	t.add("合计", fmt.Sprintf("%d/%d", rep.Filled, rep.Total), pctText(rep.Percent), fmt.Sprint(rep.Errors), fmt.Sprint(rep.Warnings))
	t.color = func(row, col int) string {
		x := t.rows[row]
		switch {
		case col == 3 && x[3] != "0":
			return sgrRed
		case col == 4 && x[4] != "0":
			return sgrYellow
		case col == 2 && x[2] == "100%":
			return sgrGreen
		}
		return ""
	}
	t.render(w, pt)
	if len(rep.Blanks) > 0 {
		fmt.Fprintf(w, "\n空白 %d 处（表格不应有空白处，若无则应填写0）:\n", len(rep.Blanks))
		for _, b := range rep.Blanks {
			where := b.Form
			if b.Row != "" {
				where += " " + b.Row
			}
			lead := "  " + where + strings.Repeat(" ", max(1, 10-strWidth(where)))
			fmt.Fprintln(w, lead+wrapText(b.Path, outWidth-strWidth(lead), strWidth(lead)))
		}
	}
	var errs, warns []findingJSON
	confirmed := 0
	for _, fd := range rep.Findings {
		switch {
		case fd.Severity == model.SeverityError:
			errs = append(errs, fd)
		case fd.Confirmed:
			confirmed++
		default:
			warns = append(warns, fd)
		}
	}
	for _, g := range []struct {
		title string
		code  string
		list  []findingJSON
	}{{"错误", sgrRed, errs}, {"未确认的警告", sgrYellow, warns}} {
		if len(g.list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s %d 处:\n", pt.paint(g.code, g.title), len(g.list))
		for _, fd := range g.list {
			fmt.Fprintln(w, "  "+wrapText(fd.Message, outWidth-2, 2))
			if fd.Basis != "" {
				fmt.Fprintln(w, "    "+wrapText("依据："+fd.Basis, outWidth-4, 4))
			}
		}
	}
	fmt.Fprintln(w)
	var why []string
	if len(rep.Blanks) > 0 {
		why = append(why, fmt.Sprintf("空白 %d 处", len(rep.Blanks)))
	}
	if len(errs) > 0 {
		why = append(why, fmt.Sprintf("错误 %d 处", len(errs)))
	}
	switch {
	case len(why) > 0:
		fmt.Fprintf(w, "结论: %s（%s）\n", pt.paint(sgrRed, "未完成"), strings.Join(why, "，"))
	case len(warns) > 0:
		fmt.Fprintf(w, "结论: %s，另有 %d 处警告待确认\n", pt.paint(sgrGreen, "已填完，无错误"), len(warns))
	default:
		fmt.Fprintf(w, "结论: %s\n", pt.paint(sgrGreen, "已填完，无错误"))
	}
	if confirmed > 0 {
		fmt.Fprintf(w, "（已确认的警告 %d 处未列出）\n", confirmed)
	}
}
