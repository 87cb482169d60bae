package main

import (
	"fmt"
	"strings"

	"jibao/model"
)

// cmdForms prints the catalog of a variant, as text or in the loader's own format.
func (a *app) cmdForms(args []string) int {
	var c common
	fs := a.newFlags("forms", &c)
	asJSON := fs.Bool("json", false, "以表式文件格式（JSON）输出")
	if !a.parse(fs, args) {
		return exitUsage
	}
	cat, err := a.loadCatalog(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	v, err := a.variant(cat, &c)
	if err != nil {
		return a.fail("%v", err)
	}
	if *asJSON {
		b, err := cat.Only(v.ID)
		if err != nil {
			return a.fail("%v", err)
		}
		a.stdout.Write(b)
		return exitOK
	}
	a.printForms(v)
	return exitOK
}

func (a *app) printForms(v *model.Variant) {
	w := a.stdout
	fmt.Fprintf(w, "%s（%s）%d年 季报表，%s汇总\n", v.Name, v.ID, v.Year, v.Office)
	var types []string
	for _, t := range v.UnitTypes {
		types = append(types, t.ID+"="+t.Label)
	}
	fmt.Fprintf(w, "单位类型: %s\n", strings.Join(types, "  "))
	for _, f := range v.Forms {
		fmt.Fprintf(w, "\n%s %s（%s）\n", f.Name(), f.Title(v.Year), f.Attachment)
		var rows []string
		for _, r := range f.Rows {
			if r.Label != "" {
				rows = append(rows, r.Label)
			}
		}
		if len(rows) > 0 {
			fmt.Fprintf(w, "  每类单位的行: %s\n", strings.Join(rows, " / "))
		}
		if f.TownshipOnly {
			fmt.Fprintf(w, "  只由 %s 填报\n", v.TownshipType().Label)
		}
		for _, col := range f.Columns {
			scope := ""
			if col.Scope == model.ScopeBlock && len(f.Rows) > 1 {
				scope = "  每类单位填一次"
			}
			var na []string
			for _, r := range f.Rows {
				if !f.Applicable(r.ID, col.ID) {
					na = append(na, r.Label+"不适用")
				}
			}
			if len(na) > 0 {
				scope += "  " + strings.Join(na, ",")
			}
			fmt.Fprintf(w, "  %-4s %s  [%s, %s]%s\n", col.ID, col.PathText(), col.Unit, col.SinceText(), scope)
		}
		fmt.Fprintf(w, "  规则:\n")
		for _, r := range f.Rules {
			fmt.Fprintf(w, "    %-22s %-7s %s\n", r.ID, r.Severity, describeRule(r))
		}
		fmt.Fprintf(w, "  %s\n", f.Notes)
	}
}

func describeRule(r *model.RuleDef) string {
	switch r.Kind {
	case model.RuleRequired:
		return "不应有空白，若无则应填写0"
	case model.RuleSum:
		return r.Total + " = " + strings.Join(r.Parts, "+")
	case model.RuleLE:
		return strings.Join(r.Left, ",") + " <= " + r.Right
	case model.RuleIff:
		return r.A + ">0 当且仅当 " + r.B + ">0"
	case model.RuleImplies:
		return strings.Join(r.When, ",") + ">0 则 " + r.Then + ">0"
	case model.RuleCumulative:
		return "累计数不小于本年上季度"
	}
	return r.Kind
}
