package model

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TestCumulativeSkipsSplits: under 动态监管 a company moves between colours and
// star levels, so the parts may fall while their totals only grow (seen: 水头
// 2025Q4 after Q3's split moved); the totals are still checked.
func TestCumulativeSkipsSplits(t *testing.T) {
	v := nanan(t)
	split := func(r *Report, total int64, parts ...int64) {
		set(r, "t1", "guobiao", "c12", Whole(total))
		for i, n := range parts {
			set(r, "t1", "guobiao", []string{"c13", "c14", "c15", "c16"}[i], Whole(n))
		}
	}
	stars := func(r *Report, total int64, parts ...int64) {
		set(r, "t1", "guobiao", "c26", Whole(total))
		for i, n := range parts {
			set(r, "t1", "guobiao", []string{"c27", "c28", "c29", "c30", "c31"}[i], Whole(n))
		}
	}
	prev := zeroReport(t, v, "水头", Period{2025, 3})
	cur := zeroReport(t, v, "水头", Period{2025, 4})
	split(prev, 1200, 10, 40, 300, 850)
	split(cur, 1210, 8, 35, 320, 847)
	stars(prev, 60, 2, 8, 20, 20, 10)
	stars(cur, 61, 3, 9, 19, 20, 10)
	for _, r := range []*Report{prev, cur} {
		set(r, "t4", "r", "c1", Whole(420))
		set(r, "t4", "r", "c10", Whole(420))
	}
	set(prev, "t4", "r", "c16", Whole(400))
	set(prev, "t4", "r", "c17", Whole(12))
	set(prev, "t4", "r", "c20", Whole(388))
	set(cur, "t4", "r", "c16", Whole(405))
	set(cur, "t4", "r", "c17", Whole(9))
	set(cur, "t4", "r", "c20", Whole(396))
	res := v.Check(cur, prev)
	if got := append(findings(res, "t1.cumulative"), findings(res, "t4.cumulative")...); len(got) != 0 {
		t.Fatalf("a moved split warned: %v", got)
	}
	if len(res.Findings) != 0 {
		t.Fatalf("findings: %v", res.Findings)
	}
	split(cur, 1190, 8, 35, 300, 847)
	got := findings(v.Check(cur, prev), "t1.cumulative")
	if len(got) != 1 || got[0].Cells[0].Col != "c12" || !strings.Contains(got[0].Message, "1190") || !strings.Contains(got[0].Message, "1200") {
		t.Fatalf("a shrinking total: %v", got)
	}
	if got[0].Basis != "表一注7、9、10：累计滚动更新填报" {
		t.Errorf("basis %q", got[0].Basis)
	}
}

// TestJumpAndZeroed: against the unit's own previous quarter, a figure more than 5×
// (and at least 50) asks, a running total falling to 0 asks once (the zeroed rule,
// not the cumulative one too), and each message names both numbers.
func TestJumpAndZeroed(t *testing.T) {
	v := nanan(t)
	prev := zeroReport(t, v, "水头", Period{2025, 2})
	cur := zeroReport(t, v, "水头", Period{2025, 3})
	set(prev, "t3", "r", "c5", Whole(40)) // 检查企业 40 → 400: a 0 typed twice?
	set(cur, "t3", "r", "c5", Whole(400))
	set(prev, "t3", "r", "c6", Whole(8)) // 发现隐患 8 → 45: 5.6×, but below the floor of 50
	set(cur, "t3", "r", "c6", Whole(45))
	set(prev, "t3", "r", "c13", Whole(3)) // 责令停产停业整顿 3 → 0
	res := v.Check(cur, prev)
	jump := findings(res, "t3.jump")
	if len(jump) != 1 || jump[0].Cells[0].Col != "c5" || !strings.Contains(jump[0].Message, "400") ||
		!strings.Contains(jump[0].Message, "40 的 10.0 倍") || jump[0].Basis == "" {
		t.Fatalf("jump: %v", jump)
	}
	zero := findings(res, "t3.zeroed")
	if len(zero) != 1 || zero[0].Cells[0].Col != "c13" || !strings.Contains(zero[0].Message, "为 0") ||
		!strings.Contains(zero[0].Message, "是 3") {
		t.Fatalf("zeroed: %v", zero)
	}
	if c := findings(res, "t3.cumulative"); len(c) != 0 {
		t.Errorf("a fall to 0 asked twice: %v", c)
	}
	if len(res.Findings) != 2 {
		t.Errorf("findings: %v", res.Findings)
	}
	// 水头's 企业底数 1533 → 0 is a zeroed stock; 红色 3 → 0 is a split moving.
	for _, r := range []*Report{prev, cur} {
		set(r, "t1", "guobiao", "c12", Whole(3))
	}
	set(prev, "t1", "guobiao", "c13", Whole(3))
	set(cur, "t1", "guobiao", "c14", Whole(3))
	set(cur, "t1", "guobiao", "c1", 0)
	set(cur, "t1", "guobiao", "c4", 0)
	got := findings(v.Check(cur, prev), "t1.zeroed")
	if len(got) != 2 || got[0].Cells[0].Col != "c1" || got[1].Cells[0].Col != "c4" {
		t.Errorf("t1 zeroed: %v", got)
	}
}

// TestPeerOutliers: on a generated quarter of the 25 乡镇 (figures of one scale), one
// unit's 检查企业 a hundred times the others' is flagged with the median and the
// MAD; with fewer than 5 units of the type reported nothing is compared.
func TestPeerOutliers(t *testing.T) {
	v := nanan(t)
	p := Period{2025, 3}
	var reps []*Report
	for i, u := range v.Units {
		if u.Type != "xiangzhen" {
			continue
		}
		r := zeroReport(t, v, u.Name, p)
		set(r, "t3", "r", "c5", Whole(int64(100+i*3))) // 检查企业: 100, 103, …
		reps = append(reps, r)
	}
	set(reps[4], "t3", "r", "c5", Whole(9000))
	var c5s []int
	for _, r := range reps {
		c5s = append(c5s, int(r.Values[CellKey{"t3", "r", "c5"}]/100))
	}
	sort.Ints(c5s)
	med := c5s[len(c5s)/2] // an odd count: 27 乡镇
	want := []string{"9000", fmt.Sprintf("%d 个单位的中位数 %d", len(reps), med), fmt.Sprintf("是中位数的 %.2g 倍", 9000/float64(med))}
	got := v.PeerOutliers(reps, p)
	var c5 []PeerFinding
	for _, f := range got {
		if f.Cells[0].Col == "c5" && f.Form == "t3" {
			c5 = append(c5, f)
		}
	}
	if len(c5) != 1 || c5[0].Unit != reps[4].Unit {
		t.Fatalf("outliers: %v", c5)
	}
	for _, w := range want {
		if !strings.Contains(c5[0].Message, w) {
			t.Errorf("message %q lacks %q", c5[0].Message, w)
		}
	}
	// 附件1's 企业底数 differ widely between 乡镇 (21 to 1533): none is an outlier.
	if len(got) != 1 {
		t.Errorf("outliers beyond the one made: %v", got)
	}
	if got := v.PeerOutliers(reps[:4], p); len(got) != 0 {
		t.Errorf("4 peers compared: %v", got)
	}
	if got := v.PeerOutliers(reps, Period{2025, 2}); len(got) != 0 {
		t.Errorf("another period compared: %v", got)
	}
}

// BenchmarkPeerOutliers2000: the peer comparison over 2,000 township reports of one
// period (every cell sorted once per period).
func BenchmarkPeerOutliers2000(b *testing.B) {
	v := nanan(b)
	p := Period{2025, 3}
	base := zeroReport(b, v, "水头", p)
	reps := make([]*Report, 2000)
	for i := range reps {
		r := NewReport(v.ID, Unit{Name: fmt.Sprint("乡镇", i), Type: "xiangzhen"}, p)
		for k := range base.Values {
			r.Values[k] = Whole(int64(100 + (i*7+len(k.Col))%50))
		}
		reps[i] = r
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.PeerOutliers(reps, p)
	}
}
