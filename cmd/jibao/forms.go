package main

import (
	"fmt"
	"strings"

	"jibao/model"
)

// cmdForms prints the catalog of a variant, as text or in the loader's own format.
func (a *app) cmdForms(args []string) int {
	if code, ok := a.formsSubcommand(args); ok {
		return code
	}
	var c common
	fs := a.newFlags("forms", &c)
	asJSON := fs.Bool("json", false, "以表式文件格式（JSON）输出")
	if !a.parse(fs, args) {
		return exitUsage
	}
	cat, v, err := a.catalogVariant(&c)
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

// printForms prints the catalog for reading at a terminal: 80 columns, long
// header paths and notes wrapped under their own indent.
func (a *app) printForms(v *model.Variant) {
	w := a.screen()
	line := func(prefix, text string) {
		fmt.Fprintln(w, prefix+wrapText(text, outWidth-strWidth(prefix), strWidth(prefix)))
	}
	line("", fmt.Sprintf("%s（%s）%d年 季报表，%s汇总", v.Name, v.ID, v.Year, v.Office))
	var types []string
	for _, t := range v.UnitTypes {
		types = append(types, t.ID+"="+t.Label)
	}
	line("单位类型: ", strings.Join(types, "  "))
	for _, f := range v.Forms {
		fmt.Fprintln(w)
		line("", fmt.Sprintf("%s %s（%s）", f.Name(), f.Title(v.Year), f.Attachment))
		var rows []string
		for _, r := range f.Rows {
			if r.Label != "" {
				rows = append(rows, r.Label)
			}
		}
		if len(rows) > 0 {
			line("  每类单位的行: ", strings.Join(rows, " / "))
		}
		if f.TownshipOnly {
			line("  ", "只由 "+v.TownshipType().Label+" 填报")
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
			if col.DistributionOf != "" {
				scope += "  分项可升降（累计看 " + col.DistributionOf + "）"
			}
			prefix, attrs := fmt.Sprintf("  %-4s ", col.ID), fmt.Sprintf("[%s, %s]%s", col.Unit, col.SinceText(), scope)
			if one := col.PathText() + "  " + attrs; strWidth(prefix+one) <= outWidth {
				line(prefix, one)
			} else { // the attributes whole on a line of their own
				line(prefix, col.PathText())
				line(strings.Repeat(" ", strWidth(prefix)), attrs)
			}
		}
		fmt.Fprintf(w, "  规则:\n")
		for _, r := range f.Rules {
			prefix := fmt.Sprintf("    %-22s %-7s ", r.Head().ID, r.Head().Severity)
			line(prefix, r.Describe())
			if b := f.RuleBasis(r.Head().ID); b != "" {
				line(strings.Repeat(" ", strWidth(prefix)), "依据："+b)
			}
		}
		line("  ", f.Notes)
	}
}
