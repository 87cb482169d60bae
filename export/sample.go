package export

import (
	"strings"

	"jibao/model"
)

// Sample is a complete report with made-up but consistent figures (totals add up,
// parts do not exceed wholes), for demonstrations, tests and `make look`. The same
// seed gives the same figures.
func Sample(v *model.Variant, u model.Unit, p model.Period, seed int) *model.Report {
	r := model.NewReport(v.ID, u, p)
	// Dated a few days before it is due, or on the due day where an earlier date
	// would suggest another quarter (泉州 reports in the month after the quarter).
	date := v.DueDate(p).AddDate(0, 0, -3)
	if v.DefaultPeriod(date) != p {
		date = v.DueDate(p)
	}
	r.Header = model.Header{Unit: u.Name, Filler: "王小明", Phone: "0595-86391234",
		Date: date.Format("2006-01-02")}
	h := uint32(2166136261) ^ uint32(seed)
	next := func(n uint32) int64 {
		h ^= h << 13
		h ^= h >> 17
		h ^= h << 5
		return int64(h % n)
	}
	for _, f := range v.FormsFor(u.Type) {
		for _, k := range f.Cells() {
			c := f.Column(k.Col)
			switch {
			case c.Kind == model.KindMoney:
				r.Values[k] = model.Number(next(500000))
			case c.Since == "stock":
				r.Values[k] = model.Whole(100 + next(900))
			default:
				r.Values[k] = model.Whole(next(60))
			}
		}
	}
	for pass := 0; pass < 4; pass++ {
		for _, f := range v.FormsFor(u.Type) {
			for _, rd := range f.Rows {
				for _, rule := range f.Rules {
					settle(r, f, rd.ID, rule)
				}
			}
		}
	}
	r.State = model.StateComplete
	return r
}

// settle changes a sample's figures so that one rule holds in one row.
func settle(r *model.Report, f *model.Form, row string, rule *model.RuleDef) {
	key := func(ref string) (model.CellKey, bool) {
		if strings.Contains(ref, ":") || f.Column(ref) == nil || !f.Applicable(row, ref) {
			return model.CellKey{}, false
		}
		return model.CellKey{Form: f.ID, Row: f.CellRow(row, ref), Col: ref}, true
	}
	one := func(ref string) model.Number {
		if f.Column(ref).Kind == model.KindMoney {
			return 150
		}
		return model.Whole(1)
	}
	switch rule.Kind {
	case model.RuleSum:
		t, ok := key(rule.Total)
		if !ok {
			return
		}
		var sum model.Number
		for _, p := range rule.Parts {
			k, ok := key(p)
			if !ok {
				return
			}
			sum += r.Values[k]
		}
		r.Values[t] = sum
	case model.RuleLE:
		rk, ok := key(rule.Right)
		if !ok {
			return
		}
		for _, l := range rule.Left {
			if lk, ok := key(l); ok && r.Values[lk] > r.Values[rk] {
				r.Values[lk] = r.Values[rk]
			}
		}
	case model.RuleIff:
		a, ok1 := key(rule.A)
		b, ok2 := key(rule.B)
		if ok1 && ok2 && (r.Values[a] > 0) != (r.Values[b] > 0) {
			if r.Values[a] == 0 {
				r.Values[a] = one(rule.A)
			} else {
				r.Values[b] = one(rule.B)
			}
		}
	case model.RuleImplies:
		t, ok := key(rule.Then)
		if !ok {
			return
		}
		for _, w := range rule.When {
			if k, ok := key(w); ok && r.Values[k] > 0 && r.Values[t] == 0 {
				r.Values[t] = one(rule.Then)
			}
		}
	}
}
