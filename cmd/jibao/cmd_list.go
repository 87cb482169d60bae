package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"jibao/model"
)

// listRow is one report in `jibao list --json`.
type listRow struct {
	Variant   string `json:"variant"`
	Unit      string `json:"unit"`
	UnitType  string `json:"unitType"`
	Period    string `json:"period"`
	State     string `json:"state"`
	Filled    int    `json:"filled"`
	Total     int    `json:"total"`
	Percent   int    `json:"percent"`
	Errors    int    `json:"errors"`
	Warnings  int    `json:"warnings"`
	Updated   string `json:"updated,omitempty"`
	UpdatedBy string `json:"updatedBy,omitempty"`
	Due       string `json:"due,omitempty"`
	DaysLeft  *int   `json:"daysLeft,omitempty"`
}

// listGroup is the reports of one variant and period, as the txtTable prints them.
type listGroup struct {
	variant *model.Variant
	id      string
	period  model.Period
	infos   []model.ReportInfo
}

// cmdList lists every report in the store (of a variant, of a period) with its
// state, completeness and due date, from the store's per-report info records, so
// it stays fast with thousands of reports.
func (a *app) cmdList(args []string) int {
	var c common
	fs := a.newFlags("list", &c)
	asJSON := fs.Bool("json", false, "以 JSON 输出（格式见 docs/check-summary.md）")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("list: 多余的参数 %q", strings.Join(fs.Args(), " "))
	}
	cats, err := a.catalogs(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	variantID := c.variant
	if variantID == "" {
		variantID = a.getenv("JIBAO_VARIANT")
	}
	var v *model.Variant
	if variantID != "" {
		if v, err = cats.Find(variantID); err != nil {
			return a.fail("%v", err)
		}
		variantID = v.ID
	}
	period, err := optionalPeriod(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	// No data file yet: nothing was entered on this machine, an empty list.
	var infos []model.ReportInfo
	var damaged []string
	if a.dataFileExists(&c) {
		s, err := a.openStore(&c, true)
		if err != nil {
			return a.failStore(err)
		}
		defer s.Close()
		all, err := s.ListDamaged(variantID, period)
		if err != nil {
			return a.failStore(err)
		}
		// Damaged entries are named on stderr; the rest is listed as usual.
		for _, in := range all {
			if in.Damage != "" {
				damaged = append(damaged, in.Damage)
				continue
			}
			infos = append(infos, in)
		}
		if len(damaged) > 0 {
			defer a.failStore(s.Damaged(damaged))
		}
	}
	groups := groupInfos(cats, infos)
	now := a.now()
	if *asJSON {
		rows := make([]listRow, 0, len(infos))
		for _, g := range groups {
			for _, in := range g.infos {
				rows = append(rows, newListRow(g, in, now))
			}
		}
		emitJSON(a.stdout, struct {
			Reports []listRow `json:"reports"`
		}{rows})
	} else {
		a.printList(groups, len(infos), now)
	}
	if len(damaged) > 0 {
		return exitUsage
	}
	return exitOK
}

// groupInfos sorts reports by variant (catalog order), newest period first, then
// the unit's place in the directory.
func groupInfos(cats *model.Catalogs, infos []model.ReportInfo) []*listGroup {
	byKey := map[string]*listGroup{}
	var groups []*listGroup
	rank := map[string]int{}
	for i, id := range cats.VariantIDs() {
		rank[id] = i
	}
	unitRank := map[string]map[string]int{}
	for _, in := range infos {
		key := in.ID.Variant + "/" + in.ID.Period.String()
		g := byKey[key]
		if g == nil {
			g = &listGroup{id: in.ID.Variant, period: in.ID.Period}
			if v, err := cats.Variant(in.ID.Variant, in.ID.Period); err == nil {
				g.variant = v
				if unitRank[v.ID] == nil {
					unitRank[v.ID] = map[string]int{}
					for i, u := range v.Units {
						unitRank[v.ID][u.Name] = i + 1
					}
				}
			} else {
				rank[in.ID.Variant] = len(rank)
			}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.infos = append(g.infos, in)
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.id != b.id {
			return rank[a.id] < rank[b.id]
		}
		return b.period.Less(a.period)
	})
	for _, g := range groups {
		ur := unitRank[g.id]
		sort.SliceStable(g.infos, func(i, j int) bool {
			a, b := ur[g.infos[i].ID.Unit], ur[g.infos[j].ID.Unit]
			if a == 0 || b == 0 {
				if a != b {
					return b == 0 // directory units first, added units after
				}
				return g.infos[i].ID.Unit < g.infos[j].ID.Unit
			}
			return a < b
		})
	}
	return groups
}

func newListRow(g *listGroup, in model.ReportInfo, now time.Time) listRow {
	r := listRow{Variant: in.ID.Variant, Unit: in.ID.Unit, UnitType: in.UnitType, Period: in.ID.Period.String(),
		State: string(in.State), Filled: in.Filled, Total: in.Total, Percent: model.Percent(in.Filled, in.Total),
		Errors: in.Errors, Warnings: in.Warnings, UpdatedBy: in.UpdatedBy}
	if !in.Updated.IsZero() {
		r.Updated = in.Updated.Format(time.RFC3339)
	}
	if g.variant != nil {
		d := g.variant.DaysLeft(in.ID.Period, now)
		r.Due, r.DaysLeft = g.variant.DueDate(in.ID.Period).Format("2006-01-02"), &d
	}
	return r
}

func (a *app) printList(groups []*listGroup, n int, now time.Time) {
	w, pt := a.screen(), a.painter()
	if n == 0 {
		fmt.Fprintln(w, "数据文件中还没有报表。")
		return
	}
	for gi, g := range groups {
		if gi > 0 {
			fmt.Fprintln(w)
		}
		name, due, days := g.id, "", 0
		if g.variant != nil {
			name = g.variant.Name
			days = g.variant.DaysLeft(g.period, now)
			due = fmt.Sprintf("截止 %s，%s", g.variant.DueDate(g.period).Format("2006-01-02"), model.DueText(days))
		}
		done := 0
		for _, in := range g.infos {
			if in.State.Delivered() {
				done++
			}
		}
		fmt.Fprintf(w, "%s %s  %d 份，已上报 %d 份  %s\n", pt.paint(sgrBold, name), g.period.Label(), len(g.infos), done, due)
		t := &txtTable{head: []string{"单位", "状态", "完成", "错误", "警告", "最后修改", "修改人", "期限"},
			right: []bool{false, false, true, true, true}, limit: []int{14, 0, 0, 0, 0, 0, 8, 14}}
		for _, in := range g.infos {
			when, left := "", "-"
			if !in.Updated.IsZero() {
				when = in.Updated.Local().Format("01-02 15:04")
			}
			if in.State != model.StateComplete && g.variant != nil {
				left = model.DueText(days)
			}
			t.add(in.ID.Unit, in.State.Label(), pctText(model.Percent(in.Filled, in.Total)), fmt.Sprint(in.Errors),
				fmt.Sprint(in.Warnings), when, in.UpdatedBy, left)
		}
		t.color = func(row, col int) string {
			in := g.infos[row]
			switch {
			case col == 1 && in.State == model.StateComplete:
				return sgrGreen
			case col == 3 && in.Errors > 0:
				return sgrRed
			case col == 4 && in.Warnings > 0:
				return sgrYellow
			case col == 7 && in.State != model.StateComplete && days < 0:
				return sgrRed
			}
			return ""
		}
		t.render(w, pt)
	}
}
