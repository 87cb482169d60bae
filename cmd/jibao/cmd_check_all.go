package main

import (
	"fmt"
	"sort"
	"time"

	"jibao/model"
	"jibao/store"
)

// unitRow is one unit's line in `jibao check` without --unit.
type unitRow struct {
	Unit      string `json:"unit"`
	UnitType  string `json:"unitType"`
	State     string `json:"state"` // draft, complete, reopened, missing
	Complete  bool   `json:"complete"`
	Filled    int    `json:"filled"`
	Total     int    `json:"total"`
	Percent   int    `json:"percent"`
	Blanks    int    `json:"blanks"`
	Errors    int    `json:"errors"`
	Warnings  int    `json:"warnings"`
	Updated   string `json:"updated,omitempty"`
	UpdatedBy string `json:"updatedBy,omitempty"`
	order     int
	updated   time.Time
}

// checkAllJSON is the stable shape of `jibao check --json` without --unit.
type checkAllJSON struct {
	Variant  string    `json:"variant"`
	Period   string    `json:"period"`
	Due      string    `json:"due"`
	DaysLeft int       `json:"daysLeft"`
	Reported int       `json:"reported"`
	Units    int       `json:"units"`
	Complete int       `json:"complete"`
	Rows     []unitRow `json:"rows"` // worst first
	// Outliers are units' figures far from their peers' (the catalog's outlier
	// rules): for the office to look at, not counted in the rows' warnings.
	Outliers []outlierJSON `json:"outliers"`
}

// outlierJSON is one unit's figure far outside its peers of the same type.
type outlierJSON struct {
	Unit    string   `json:"unit"`
	Rule    string   `json:"rule"`
	Cells   []string `json:"cells"`
	Message string   `json:"message"`
	Basis   string   `json:"basis,omitempty"`
}

// checkAll answers for every unit of the period; s is nil when there is no data
// file yet (every unit 尚未填报).
func (a *app) checkAll(s *store.Store, v *model.Variant, p model.Period, extra []model.Unit, asJSON bool) int {
	var infos []model.ReportInfo
	if s != nil {
		var err error
		if infos, err = s.List(v.ID, &p); err != nil {
			return a.failStore(err)
		}
	}
	rows := map[string]*unitRow{}
	peers := v.NewPeerSet(p) // the figures packed, not the reports held
	var order []string
	addUnit := func(name, typ string) *unitRow {
		if r, ok := rows[name]; ok {
			return r
		}
		r := &unitRow{Unit: name, UnitType: typ, State: "missing", order: len(order)}
		for _, f := range v.FormsFor(typ) {
			r.Total += len(f.Cells())
		}
		r.Blanks = r.Total
		rows[name] = r
		order = append(order, name)
		return r
	}
	for _, list := range [][]model.Unit{v.Units, extra} {
		for _, u := range list {
			addUnit(u.Name, u.Type)
		}
	}
	for _, in := range infos {
		rep, err := s.Get(in.ID)
		if err != nil {
			return a.failStore(err)
		}
		prev, err := previousReport(s, in.ID)
		if err != nil {
			return a.failStore(err)
		}
		res := v.Check(rep, prev)
		peers.Add(rep)
		row := addUnit(rep.Unit, rep.UnitType)
		row.UnitType, row.State = rep.UnitType, string(rep.State)
		row.Filled, row.Total = res.Filled()
		row.Percent, row.Blanks = model.Percent(row.Filled, row.Total), len(res.Blanks)
		row.Errors, row.Warnings, row.Complete = res.Errors(), res.Warnings(), res.Complete()
		row.UpdatedBy, row.updated = rep.UpdatedBy, rep.Updated
		if !rep.Updated.IsZero() {
			row.Updated = rep.Updated.Format(time.RFC3339)
		}
	}
	out := &checkAllJSON{Variant: v.ID, Period: p.String(), Due: v.DueDate(p).Format("2006-01-02"),
		DaysLeft: v.DaysLeft(p, a.now()), Units: len(order), Rows: []unitRow{}, Outliers: []outlierJSON{}}
	for _, pf := range peers.Outliers() {
		o := outlierJSON{Unit: pf.Unit, Rule: pf.Rule, Message: pf.Message, Basis: pf.Basis}
		for _, k := range pf.Cells {
			o.Cells = append(o.Cells, k.String())
		}
		out.Outliers = append(out.Outliers, o)
	}
	for _, name := range order {
		r := rows[name]
		if r.State != "missing" {
			out.Reported++
		}
		if r.Complete {
			out.Complete++
		}
		out.Rows = append(out.Rows, *r)
	}
	sort.SliceStable(out.Rows, func(i, j int) bool { return worseUnit(out.Rows[i], out.Rows[j]) })
	if asJSON {
		emitJSON(a.stdout, out)
	} else {
		a.printCheckAll(v, p, out)
	}
	if out.Complete == out.Units {
		return exitOK
	}
	return exitFail
}

// worse orders units for the supervisor: missing, then most errors, then least
// filled, then unconfirmed warnings, then not yet marked complete; ties keep
// directory order.
func worseUnit(a, b unitRow) bool {
	am, bm := a.State == "missing", b.State == "missing"
	switch {
	case am != bm:
		return am
	case a.Errors != b.Errors:
		return a.Errors > b.Errors
	case a.Percent != b.Percent:
		return a.Percent < b.Percent
	case a.Blanks != b.Blanks:
		return a.Blanks > b.Blanks
	case a.Warnings != b.Warnings:
		return a.Warnings > b.Warnings
	case (a.State == "complete") != (b.State == "complete"):
		return b.State == "complete"
	}
	return a.order < b.order
}

func reportStateLabel(s string) string {
	if s == "missing" {
		return "未填报"
	}
	return model.State(s).Label()
}

func (a *app) printCheckAll(v *model.Variant, p model.Period, out *checkAllJSON) {
	w, pt := a.screen(), a.painter()
	fmt.Fprintf(w, "%s %s 各单位填报情况（最差在前）\n", v.Name, p.Label())
	fmt.Fprintf(w, "已报 %d/%d，已填完无错误 %d；截止 %s，%s\n\n", out.Reported, out.Units, out.Complete,
		out.Due, model.DueText(out.DaysLeft))
	t := &txtTable{head: []string{"单位", "状态", "完成", "空白", "错误", "警告", "最后修改", "修改人"},
		right: []bool{false, false, true, true, true, true}, limit: []int{16, 0, 0, 0, 0, 0, 0, 12}}
	for _, r := range out.Rows {
		if r.State == "missing" {
			t.add(r.Unit, "未填报", "-", "-", "-", "-")
			continue
		}
		when := ""
		if !r.updated.IsZero() {
			when = r.updated.Local().Format("01-02 15:04")
		}
		t.add(r.Unit, reportStateLabel(r.State), pctText(r.Percent), fmt.Sprint(r.Blanks), fmt.Sprint(r.Errors),
			fmt.Sprint(r.Warnings), when, r.UpdatedBy)
	}
	t.color = func(row, col int) string {
		r := out.Rows[row]
		switch {
		case r.State == "missing" && col <= 1:
			return sgrRed
		case col == 4 && r.Errors > 0:
			return sgrRed
		case col == 5 && r.Warnings > 0:
			return sgrYellow
		case col == 2 && r.Complete:
			return sgrGreen
		}
		return ""
	}
	t.render(w, pt)
	if len(out.Outliers) > 0 {
		fmt.Fprintf(w, "\n%s %d 处（与同类单位相比，请核实）:\n", pt.paint(sgrYellow, "离群值"), len(out.Outliers))
		for _, o := range out.Outliers {
			fmt.Fprintln(w, "  "+wrapText(o.Message, outWidth-2, 2))
			if o.Basis != "" {
				fmt.Fprintln(w, "    "+wrapText("依据："+o.Basis, outWidth-4, 4))
			}
		}
	}
}
