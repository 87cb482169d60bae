package model

// PeerSet gathers a period's figures for the peer comparison one report at a
// time, packed as a summary packs them: a caller reading thousands of reports
// from the store (jibao check --period) need not hold them. Memory grows with
// units × cells × 8 bytes.
type PeerSet struct {
	v     *Variant
	p     Period
	types map[string]*typeCells
	peers map[string][]peer // by unit type, in the order added
}

// NewPeerSet starts the comparison of period p.
func (v *Variant) NewPeerSet(p Period) *PeerSet {
	return &PeerSet{v: v, p: p, types: newTypeCells(v), peers: map[string][]peer{}}
}

// Add takes one report; reports of other periods or variants, of an unknown
// unit type or with no figure are left out.
func (ps *PeerSet) Add(r *Report) {
	if r == nil || r.Variant != ps.v.ID || r.Period != ps.p || len(r.Values) == 0 {
		return
	}
	if tc := ps.types[r.UnitType]; tc != nil {
		ps.peers[r.UnitType] = append(ps.peers[r.UnitType], peer{r.Unit, tc, tc.pack(r)})
	}
}

// Outliers runs every outlier rule over the reports added: see PeerOutliers.
func (ps *PeerSet) Outliers() []PeerFinding { return ps.v.peerOutliers(ps.peers) }
