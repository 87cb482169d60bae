package model

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// RuleOutlier names the plausibility rule against the unit's peers.
const RuleOutlier = "outlier"

// OutlierRule: for the office, once at least MinPeers units of the same unit type
// have reported a cell, a unit's figure further than MAD times the median absolute
// deviation from their median (and at least Floor away from it, in the column's
// unit) is worth a look (DHIS2's outlier analysis). Deviations are measured on
// log(1+x): units differ in size by two orders (附件1's 企业底数 run from 21 to 1533),
// and on the plain scale five real 乡镇 would be flagged for being large. It needs
// the whole period, so a single report's check does not run it: see PeerOutliers.
type OutlierRule struct {
	RuleHead
	MAD      float64 `json:"mad"`
	MinPeers int     `json:"minPeers"`
	Floor    int64   `json:"floor"`
}

func init() { registerRule(RuleOutlier, func() Rule { return new(OutlierRule) }) }

// Describe says what the rule asks.
func (o *OutlierRule) Describe() string {
	return fmt.Sprintf("同类单位已报 %d 个以上时，偏离中位数不超过 %s 倍中位绝对偏差（相差 %d 以下不提醒）",
		o.MinPeers, strconv.FormatFloat(o.MAD, 'f', -1, 64), o.Floor)
}

// Settle does nothing: a sample has no peers.
func (*OutlierRule) Settle(*Variant, *Report, *Form, string) {}

func (*OutlierRule) refs() []string   { return nil }
func (*OutlierRule) check(*ruleCheck) {}

func (o *OutlierRule) validate() error {
	if o.MAD <= 0 || o.MinPeers < 3 || o.Floor < 0 {
		return fmt.Errorf("规则 %s 的 mad 应大于 0，minPeers 至少 3，floor 不应为负", o.ID)
	}
	return nil
}

// PeerFinding is a finding about one unit's report against its peers.
type PeerFinding struct {
	Unit string
	Finding
}

// PeerOutliers runs every form's outlier rule over the reports of a period (other
// periods and variants are ignored), comparing each unit with the units of its
// own type. Cost: for each cell, a sort of the peers' values, so cells × n log n.
// The findings come per form and cell in form order, units in report order.
// A caller reading the reports from a store adds them to a PeerSet instead.
func (v *Variant) PeerOutliers(reports []*Report, p Period) []PeerFinding {
	ps := v.NewPeerSet(p)
	for _, r := range reports {
		ps.Add(r)
	}
	return ps.Outliers()
}

// peer is a unit in the comparison: its name and its packed figures.
type peer struct {
	name string
	tc   *typeCells
	figs packed
}

func (p peer) figure(k CellKey) (Number, bool) { return p.tc.figure(p.figs, k) }

// peerOutliers compares the peers of each unit type, type by type in the
// catalog's order.
func (v *Variant) peerOutliers(byType map[string][]peer) []PeerFinding {
	var out []PeerFinding
	for _, t := range v.UnitTypes {
		peers := byType[t.ID]
		for _, f := range v.FormsFor(t.ID) {
			for _, rule := range f.Rules {
				if o, ok := rule.(*OutlierRule); ok && len(peers) >= o.MinPeers {
					out = append(out, o.run(v, f, t, peers)...)
				}
			}
		}
	}
	return out
}

func (o *OutlierRule) run(v *Variant, f *Form, t UnitType, peers []peer) []PeerFinding {
	var out []PeerFinding
	// One look-up per peer and cell: the figures, their logs and who gave them
	// are gathered once, then sorted in copies for the medians.
	type fig struct {
		p   peer
		n   Number
		log float64
	}
	figs := make([]fig, 0, len(peers))
	vals := make([]float64, 0, len(peers))
	plain := make([]float64, 0, len(peers))
	for _, k := range f.cells {
		figs = figs[:0]
		for _, p := range peers {
			if n, ok := p.figure(k); ok {
				figs = append(figs, fig{p, n, math.Log1p(n.Float())})
			}
		}
		if len(figs) < o.MinPeers {
			continue
		}
		vals = vals[:0]
		for _, g := range figs {
			vals = append(vals, g.log)
		}
		med := median(vals)
		for i, g := range figs {
			vals[i] = abs(g.log - med)
		}
		mad := median(vals)
		if mad == 0 { // most peers agree exactly: no scale to measure against
			continue
		}
		var mid float64
		var col *Column
		for _, g := range figs {
			if abs(g.log-med) <= o.MAD*mad {
				continue
			}
			if col == nil { // the plain median only where a figure stands out
				plain = plain[:0]
				for _, h := range figs {
					plain = append(plain, float64(h.n))
				}
				mid, col = median(plain), f.Column(k.Col)
			}
			n, unit := g.n, g.p.name
			if abs(float64(n)-mid) < float64(Whole(o.Floor)) {
				continue
			}
			ratio := "中位数为 0"
			if mid > 0 {
				ratio = fmt.Sprintf("是中位数的 %.2g 倍", float64(n)/mid)
			}
			out = append(out, PeerFinding{Unit: unit, Finding: Finding{
				Key: o.ID + "/" + k.Row + "/" + k.Col, Rule: o.ID, Severity: o.Severity, Form: f.ID, Row: k.Row,
				Cells: []CellKey{k}, Basis: f.RuleBasis(o.ID),
				Message: fmt.Sprintf("%s：%s %s 为 %s，同类（%s）%d 个单位的中位数 %s，%s；偏离超过 %s 倍中位绝对偏差（按对数）",
					v.where(f, k.Row, col), unit, col.ShortName(), n.Format(col.Kind), t.Label, len(figs),
					roundFor(col.Kind, mid).Format(col.Kind), ratio, strconv.FormatFloat(o.MAD, 'f', -1, 64))}})
		}
	}
	return out
}

// median of xs, which it sorts.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// roundFor rounds a median to what the column holds: a whole count, or cents.
func roundFor(k Kind, x float64) Number {
	if k == KindCount {
		return Whole(int64(math.Round(x / 100)))
	}
	return Number(math.Round(x))
}
