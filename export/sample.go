package export

import "jibao/model"

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
					rule.Settle(v, r, f, rd.ID)
				}
			}
		}
	}
	r.State = model.StateComplete
	return r
}
