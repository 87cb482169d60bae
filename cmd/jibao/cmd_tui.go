package main

import (
	"jibao/store"
	"jibao/tui"
)

// The workstation runs on the real store; this keeps the two in step.
var _ tui.Store = (*store.Store)(nil)

// cmdTUI opens the workstation: `jibao [--variant V --unit U --period P] [--db PATH]`.
// With all three named it opens that report; otherwise the chooser starts with
// them (or with the report the user opened last) preselected.
func (a *app) cmdTUI(args []string) int {
	var c common
	fs := a.newFlags("jibao", &c)
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("多余的参数 %q（命令写法见 jibao help）", fs.Args())
	}
	cat, err := a.loadCatalog(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	variant := c.variant
	if variant == "" {
		variant = a.getenv("JIBAO_VARIANT")
	}
	period := c.period
	if variant != "" && c.unit != "" && period == "" {
		v, err := a.variant(cat, &c)
		if err != nil {
			return a.fail("%v", err)
		}
		period = v.DefaultPeriod(a.now()).String()
	}
	st, err := a.openStore(&c, false)
	if err != nil {
		return a.fail("%v", err)
	}
	defer st.Close()
	o := tui.Options{Catalog: cat, Store: st, User: a.user(), Variant: variant, Unit: c.unit,
		Period: period, Now: a.now}
	if err := tui.Run(o, a.stdin, a.stdout); err != nil {
		return a.fail("界面出错：%v", err)
	}
	return exitOK
}
