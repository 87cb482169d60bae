package model

import (
	"fmt"
	"math/rand"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// fakeReader serves reports as a store does: each Get decodes a fresh copy.
type fakeReader struct {
	byPeriod map[Period][]*Report
	extra    []Unit
	gets     int
	onGet    func(*Report) // sees each copy handed out
}

func (f *fakeReader) List(variant string, p *Period) ([]ReportInfo, error) {
	var out []ReportInfo
	for _, r := range f.byPeriod[*p] {
		out = append(out, ReportInfo{ID: r.ID(), UnitType: r.UnitType, State: r.State})
	}
	return out, nil
}

func (f *fakeReader) Get(id ReportID) (*Report, error) {
	f.gets++
	for _, r := range f.byPeriod[id.Period] {
		if r.ID() == id {
			c := r.Clone()
			if f.onGet != nil {
				f.onGet(c)
			}
			return c, nil
		}
	}
	return nil, ErrNotFound
}

func (f *fakeReader) Units(string) ([]Unit, error) { return f.extra, nil }

// TestLoadSummaryIsSummarize: a summary read one report at a time from a store
// is the summary of all the reports at once: sums, sources, each unit's own
// figures, what it counts toward the targets, and the sizes from the year's
// earlier quarters (泉州's 学校数), whatever order the quarters come in.
func TestLoadSummaryIsSummarize(t *testing.T) {
	for _, id := range []string{"nanan", "quanzhou-edu"} {
		t.Run(id, func(t *testing.T) {
			v, _ := DefaultCatalog().Variant(id)
			p := Period{2025, 3}
			rng := rand.New(rand.NewSource(7))
			fr := &fakeReader{byPeriod: map[Period][]*Report{}, extra: []Unit{{Name: "新增单位", Type: v.UnitTypes[0].ID, Added: true}}}
			var all []*Report
			for i, u := range append(append([]Unit(nil), v.Units...), fr.extra...) {
				for q := 1; q <= 3; q++ {
					if (i+q)%4 == 0 { // some units miss a quarter
						continue
					}
					r := genReport(v, u, Period{2025, q}, rng)
					if i%5 == 0 {
						r.State = StateDraft
					}
					fr.byPeriod[r.Period] = append(fr.byPeriod[r.Period], r)
					all = append(all, r)
				}
			}
			opt := Options{CompleteOnly: true}
			want := SummarizeWith(v, all, p, opt, fr.extra...)
			got, err := LoadSummary(fr, v, p, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Units) != len(want.Units) {
				t.Fatalf("%d units, want %d", len(got.Units), len(want.Units))
			}
			for i, e := range got.Units {
				w := want.Units[i]
				if e.Unit.Name != w.Unit.Name || e.Status != w.Status || e.Included != w.Included || e.Size != w.Size || e.HasSize != w.HasSize || (e.Report == nil) != (w.Report == nil) {
					t.Errorf("unit %d: %+v, want %+v", i, e, w)
				}
			}
			for _, k := range want.Keys() {
				if a, b := fmt.Sprint(got.Sources(k.UnitType, k.Cell)), fmt.Sprint(want.Sources(k.UnitType, k.Cell)); a != b {
					t.Fatalf("sources of %v: %s, want %s", k, a, b)
				}
				if a, b := *got.Cell(k.UnitType, k.Cell), *want.Cell(k.UnitType, k.Cell); a != b {
					t.Fatalf("cell %v: %+v, want %+v", k, a, b)
				}
			}
			// Both against the plain reading of the reports: every included
			// report of the type adds its figure or counts a blank, in
			// directory order; a unit's size is its latest quarter's 学校数.
			for _, k := range got.Keys() {
				var sum SumCell
				var src []UnitValue
				for _, e := range got.Units {
					if !e.Included || e.Report.UnitType != k.UnitType {
						continue
					}
					var r *Report
					for _, x := range fr.byPeriod[p] {
						if x.Unit == e.Unit.Name {
							r = x
						}
					}
					n, ok := r.Values[k.Cell]
					if ok {
						sum.Value += n
						sum.Filled++
					} else {
						sum.Blank++
					}
					src = append(src, UnitValue{Unit: r.Unit, Value: n, Blank: !ok, Status: e.Status})
				}
				if c := got.Cell(k.UnitType, k.Cell); *c != sum || fmt.Sprint(got.Sources(k.UnitType, k.Cell)) != fmt.Sprint(src) {
					t.Fatalf("cell %v: %+v, the reports give %+v", k, *c, sum)
				}
			}
			if sk, ok := v.SizeCell(); ok {
				for _, e := range got.Units {
					var size Number
					has := false
					for q := 1; q <= p.Quarter; q++ {
						for _, r := range fr.byPeriod[Period{p.Year, q}] {
							if n, filled := r.Values[sk]; r.Unit == e.Unit.Name && filled {
								size, has = n, true
							}
						}
					}
					if e.Size != size || e.HasSize != has {
						t.Errorf("%s: size %v %v, its reports give %v %v", e.Unit.Name, e.Size, e.HasSize, size, has)
					}
				}
			}
			// Each report is checked with its previous quarter, as the board
			// and jibao check do: their warnings are the summary's.
			withPrev := 0
			for _, r := range fr.byPeriod[p] {
				prev, err := v.LoadPrev(r.ID(), fr.Get)
				if err != nil {
					t.Fatal(err)
				}
				e, _ := got.Entry(r.Unit)
				if w, alone := v.Check(r, prev).Warnings(), v.Check(r, nil).Warnings(); e.Checked.Warnings != w {
					t.Errorf("%s: %d warnings, checked with last quarter %d", r.Unit, e.Checked.Warnings, w)
				} else if w != alone {
					withPrev++
				}
			}
			if withPrev == 0 {
				t.Errorf("no report's check changed with last quarter: the test shows nothing")
			}
			// Each unit's own figure is its report's.
			for _, r := range fr.byPeriod[p] {
				for k, n := range r.Values {
					if m, ok := got.UnitValue(r.Unit, k); !ok || m != n {
						t.Fatalf("%s %v: %v %v, want %v", r.Unit, k, m, ok, n)
					}
				}
			}
			if a, b := fmt.Sprint(Progress(got)), fmt.Sprint(Progress(want)); a != b {
				t.Errorf("progress:\n%s\nwant\n%s", a, b)
			}
			if a, b := fmt.Sprint(Overall(got)), fmt.Sprint(Overall(want)); a != b {
				t.Errorf("overall:\n%s\nwant\n%s", a, b)
			}
			if len(want.Outliers) != 0 || len(got.Outliers) != 0 {
				t.Errorf("outliers found without Options.Outliers")
			}
			// With Options.Outliers, the packed figures' comparison is the
			// reports' own.
			opt.Outliers = true
			withOut, err := LoadSummary(fr, v, p, opt)
			if err != nil {
				t.Fatal(err)
			}
			var included []*Report
			for _, r := range fr.byPeriod[p] {
				if e, _ := withOut.Entry(r.Unit); e.Included {
					included = append(included, r)
				}
			}
			if a, b := fmt.Sprint(withOut.Outliers), fmt.Sprint(v.PeerOutliers(included, p)); a != b || len(withOut.Outliers) == 0 && id == "nanan" {
				t.Errorf("outliers of the summary:\n%s\nof the reports:\n%s", a, b)
			}
		})
	}
}

// TestLoadSummaryHoldsNoReport: a summary read from a store keeps each
// report's figures packed, not the report: at 2,000 units the reports' maps
// were most of `summary -o`'s memory. Every report handed out is collected
// once the summary is made, with the peer comparison (on the packed figures)
// and without.
func TestLoadSummaryHoldsNoReport(t *testing.T) {
	v, _ := DefaultCatalog().Variant("nanan")
	p := Period{2025, 3}
	rng := rand.New(rand.NewSource(3))
	fr := &fakeReader{byPeriod: map[Period][]*Report{}}
	for i := 0; i < 200; i++ {
		t := v.UnitTypes[i%len(v.UnitTypes)]
		u := Unit{Name: fmt.Sprintf("%s%04d", t.Label, i), Type: t.ID}
		fr.extra = append(fr.extra, u)
		fr.byPeriod[p] = append(fr.byPeriod[p], genReport(v, u, p, rng))
	}
	for _, opt := range []Options{{}, {Outliers: true}} {
		var freed atomic.Int64
		fr.onGet = func(r *Report) { runtime.SetFinalizer(r, func(*Report) { freed.Add(1) }) }
		s, err := LoadSummary(fr, v, p, opt)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for freed.Load() < 200 && time.Now().Before(deadline) {
			runtime.GC() // finalizers run after the collection that finds the report unreachable
			runtime.Gosched()
		}
		if n := freed.Load(); n != 200 {
			t.Errorf("%+v: %d of 200 reports collected; the summary holds the others", opt, n)
		}
		if v, ok := s.UnitValue(fr.extra[0].Name, v.FormsFor(fr.extra[0].Type)[0].Cells()[0]); !ok || v < 0 {
			t.Errorf("%+v: the figures went with the reports", opt)
		}
		runtime.KeepAlive(s)
	}
}
