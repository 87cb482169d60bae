package model

import (
	"strings"
	"testing"
)

// zeroReport is a complete report of every zero but the 企业底数, which is the
// unit's 2024 base from 附件1 (all 小微): consistent by every rule.
func zeroReport(t testing.TB, v *Variant, unit string, p Period) *Report {
	u, err := v.Unit(unit)
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(v.ID, u, p)
	for _, f := range v.FormsFor(u.Type) {
		for _, k := range f.Cells() {
			r.Values[k] = 0
		}
	}
	if u.Base > 0 {
		set(r, "t1", "guobiao", "c1", Whole(int64(u.Base)))
		set(r, "t1", "guobiao", "c4", Whole(int64(u.Base)))
	}
	return r
}

func set(r *Report, form, row, col string, n Number) { r.Values[CellKey{form, row, col}] = n }

func findings(res *Result, rule string) []Finding {
	var out []Finding
	for _, f := range res.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestZeroReportIsComplete(t *testing.T) {
	v := nanan(t)
	r := zeroReport(t, v, "水头", Period{2025, 3})
	res := v.Check(r, nil)
	if !res.Complete() || len(res.Findings) != 0 {
		t.Fatalf("zero report: complete=%v findings=%v", res.Complete(), res.Findings)
	}
	if f, tot := res.Filled(); f != tot || tot != 38+56+29+49 {
		t.Errorf("filled %d/%d", f, tot)
	}
	delete(r.Values, CellKey{"t3", "r", "c12"})
	res = v.Check(r, nil)
	if res.Complete() || len(res.Blanks) != 1 || res.Blanks[0].Col != "c12" {
		t.Errorf("one blank: complete=%v blanks=%v", res.Complete(), res.Blanks)
	}
}

func TestRules(t *testing.T) {
	v := nanan(t)
	q3 := Period{2025, 3}
	cases := []struct {
		name     string
		edit     func(r *Report)
		rule     string
		severity string
		n        int
		msg      []string
	}{
		{"底数总数 = 规上+中等+小微 (水头 1533)", func(r *Report) {
			set(r, "t1", "guobiao", "c1", Whole(1533))
			set(r, "t1", "guobiao", "c2", Whole(120))
			set(r, "t1", "guobiao", "c3", Whole(413))
			set(r, "t1", "guobiao", "c4", Whole(900))
		}, "t1.base.sum", SeverityError, 1, []string{"1533", "120+413+900=1433", "规上企业+中等企业+小微企业"}},
		{"sum agrees", func(r *Report) {
			set(r, "t1", "guobiao", "c1", Whole(1533))
			set(r, "t1", "guobiao", "c2", Whole(120))
			set(r, "t1", "guobiao", "c3", Whole(413))
			set(r, "t1", "guobiao", "c4", Whole(1000))
		}, "t1.base.sum", "", 0, nil},
		{"sum not reported while a part is blank", func(r *Report) {
			set(r, "t1", "guobiao", "c1", Whole(1533))
			delete(r.Values, CellKey{"t1", "guobiao", "c4"})
		}, "t1.base.sum", "", 0, nil},
		{"达标评审 总数 above its levels asks about 不定级 (warning); 地标 has no 一二三级", func(r *Report) {
			set(r, "t1", "shengbiao", "c22", Whole(1))
			set(r, "t1", "shengbiao", "c23", Whole(5))
			set(r, "t1", "shengbiao", "c24", Whole(7))
			set(r, "t1", "dibiao", "c24", Whole(9))
		}, "t1.review.sum", SeverityWarning, 1, []string{"表一 省标", "0+1+5=6", "7", "多 1", "达标（不定级）"}},
		{"达标评审 levels above the 总数 block completion", func(r *Report) {
			set(r, "t1", "guobiao", "c21", Whole(2))
			set(r, "t1", "guobiao", "c23", Whole(9))
			set(r, "t1", "guobiao", "c24", Whole(10))
		}, "t1.review.sum", SeverityError, 1, []string{"表一 国标", "2+0+9=11", "大于", "10"}},
		{"四色 企业数量 = 红+橙+黄+蓝", func(r *Report) {
			set(r, "t1", "guobiao", "c12", Whole(1533))
			set(r, "t1", "guobiao", "c16", Whole(1500))
		}, "t1.risk.sum", SeverityError, 1, []string{"1533"}},
		{"整改 ≤ 自查 is a warning", func(r *Report) {
			set(r, "t1", "guobiao", "c10", Whole(5230))
			set(r, "t1", "guobiao", "c11", Whole(5300))
		}, "t1.fixed.le", SeverityWarning, 1, []string{"整改隐患数量", "5300", "5230"}},
		{"企业 counts ≤ 底数总数", func(r *Report) {
			set(r, "t1", "guobiao", "c5", Whole(1600))
		}, "t1.base.le", SeverityWarning, 1, []string{"建立全员责任制及其考核清单", "1600"}},
		{"人员 ≥ 企业", func(r *Report) {
			set(r, "t1", "guobiao", "c7", Whole(30))
			set(r, "t1", "guobiao", "c8", Whole(12))
		}, "t1.staff.ge", SeverityWarning, 1, []string{"30", "12"}},
		{"兑现奖励企业数量 ≤ 企业数量 is an error", func(r *Report) {
			set(r, "t3", "r", "c21", Whole(40))
			set(r, "t3", "r", "c22", Whole(41))
			set(r, "t3", "r", "c23", 1250)
		}, "t3.assess.part", SeverityError, 1, []string{"41", "40"}},
		{"罚款 金额 > 0 exactly when 企业数 > 0", func(r *Report) {
			set(r, "t3", "r", "c12", 750)
		}, "t3.fine.iff", SeverityWarning, 1, []string{"7.50"}},
		{"participants only with 场次", func(r *Report) {
			set(r, "t2", "xian", "c16", Whole(300))
		}, "t2.training.implies", SeverityWarning, 1, []string{"表二 县级", "300"}},
		{"签订承诺书 ≤ 函告", func(r *Report) {
			set(r, "t2", "shi", "c12", Whole(700))
			set(r, "t2", "shi", "c13", Whole(760))
		}, "t2.pledge.le", SeverityWarning, 1, []string{"760", "700"}},
		{"cross-form: 函告企业数 ≤ 表一 企业底数总数", func(r *Report) {
			set(r, "t1", "guobiao", "c1", Whole(1533))
			set(r, "t1", "guobiao", "c4", Whole(1533))
			set(r, "t2", "xiang", "c12", Whole(2000))
		}, "t2.notice.base", SeverityWarning, 1, []string{"表一", "2000", "1533"}},
		{"表四 底数 = the nine kinds", func(r *Report) {
			set(r, "t4", "r", "c1", Whole(420))
			set(r, "t4", "r", "c4", Whole(400))
		}, "t4.base.sum", SeverityError, 1, []string{"420", "400"}},
		{"达标评审 + 自评 > 企业底数 (水头 1533, 表一注3)", func(r *Report) {
			set(r, "t1", "guobiao", "c23", Whole(900))
			set(r, "t1", "guobiao", "c24", Whole(900))
			set(r, "t1", "guobiao", "c25", Whole(700))
		}, "t1.review.self", SeverityWarning, 1, []string{"表一 国标", "900+700=1600", "1533"}},
		{"达标评审 alone above the 底数 asks once, as 达标评审 + 自评", func(r *Report) {
			set(r, "t1", "guobiao", "c23", Whole(1600))
			set(r, "t1", "guobiao", "c24", Whole(1600))
		}, "t1.base.le", "", 0, nil},
		{"达标评审 + 自评 within the 底数", func(r *Report) {
			set(r, "t1", "guobiao", "c23", Whole(900))
			set(r, "t1", "guobiao", "c24", Whole(900))
			set(r, "t1", "guobiao", "c25", Whole(633))
		}, "t1.review.self", "", 0, nil},
		{"企业底数 below 附件1's 2024 base (水头 1533)", func(r *Report) {
			set(r, "t1", "guobiao", "c1", Whole(1500))
			set(r, "t1", "guobiao", "c4", Whole(1500))
		}, "t1.base.2024", SeverityWarning, 1, []string{"1500", "1533", "附件1"}},
		{"企业底数 above the base after 补缺补漏", func(r *Report) {
			set(r, "t1", "guobiao", "c1", Whole(1540))
			set(r, "t1", "guobiao", "c4", Whole(1540))
		}, "t1.base.2024", "", 0, nil},
		{"表三 挂牌督办 隐患数 ≤ 发现隐患", func(r *Report) {
			set(r, "t3", "r", "c6", Whole(40))
			set(r, "t3", "r", "c9", Whole(45))
		}, "t3.major.le", SeverityWarning, 1, []string{"45", "40"}},
		{"表四 挂牌督办 隐患数 ≤ 发现隐患", func(r *Report) {
			set(r, "t4", "r", "c27", Whole(30))
			set(r, "t4", "r", "c30", Whole(31))
		}, "t4.major.le", SeverityWarning, 1, []string{"31", "30"}},
		{"a fraction stored in a count cell", func(r *Report) {
			set(r, "t1", "guobiao", "c17", 250)
		}, "kind", SeverityError, 1, []string{"整数"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := zeroReport(t, v, "水头", q3)
			c.edit(r)
			got := findings(v.Check(r, nil), c.rule)
			if len(got) != c.n {
				t.Fatalf("%d findings of %s, want %d: %v", len(got), c.rule, c.n, got)
			}
			for _, f := range got {
				if f.Severity != c.severity {
					t.Errorf("severity %s, want %s", f.Severity, c.severity)
				}
				for _, m := range c.msg {
					if !strings.Contains(f.Message, m) {
						t.Errorf("message %q lacks %q", f.Message, m)
					}
				}
			}
		})
	}
}

func TestCumulativeAndConfirmation(t *testing.T) {
	v := nanan(t)
	prev := zeroReport(t, v, "水头", Period{2025, 2})
	cur := zeroReport(t, v, "水头", Period{2025, 3})
	set(prev, "t1", "guobiao", "c5", Whole(1400))
	set(cur, "t1", "guobiao", "c5", Whole(1300))
	set(prev, "t1", "guobiao", "c1", Whole(1600)) // a stock figure may go down
	set(prev, "t1", "guobiao", "c4", Whole(1600))
	set(cur, "t1", "guobiao", "c1", Whole(1533))
	set(cur, "t1", "guobiao", "c4", Whole(1533))
	res := v.Check(cur, prev)
	got := findings(res, "t1.cumulative")
	if len(got) != 1 || !strings.Contains(got[0].Message, "1300") || !strings.Contains(got[0].Message, "1400") ||
		!strings.Contains(got[0].Message, "2025年第2季度") {
		t.Fatalf("cumulative: %v", got)
	}
	if res.Warnings() != 1 || !res.Complete() {
		t.Fatalf("warnings %d complete %v", res.Warnings(), res.Complete())
	}
	if fs := res.ForCell(CellKey{"t1", "guobiao", "c5"}); len(fs) != 1 {
		t.Errorf("ForCell: %v", fs)
	}
	cur.Confirmed[got[0].Key] = Confirmation{Comment: "上季度误报，已更正"}
	res = v.Check(cur, prev)
	if res.Warnings() != 0 || !findings(res, "t1.cumulative")[0].Confirmed {
		t.Error("confirmation not applied")
	}
	if len(findings(v.Check(cur, nil), "t1.cumulative")) != 0 {
		t.Error("no previous quarter, no cumulative finding")
	}
}

func TestShizhiHasNoTable4(t *testing.T) {
	v := nanan(t)
	r := zeroReport(t, v, "市应急局", Period{2025, 3})
	res := v.Check(r, nil)
	if len(res.Forms) != 3 || !res.Complete() {
		t.Fatalf("市直: %d forms, complete %v", len(res.Forms), res.Complete())
	}
	qz, _ := DefaultCatalog().Variant("quanzhou-edu")
	r = zeroReport(t, qz, "晋江市", Period{2025, 3})
	if res := qz.Check(r, nil); len(res.Forms) != 4 || !res.Complete() {
		t.Fatalf("晋江市: %d forms", len(res.Forms))
	}
}

func BenchmarkCheck(b *testing.B) {
	v := nanan(b)
	prev := zeroReport(b, v, "水头", Period{2025, 2})
	r := zeroReport(b, v, "水头", Period{2025, 3})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.Check(r, prev)
	}
}
