package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"jibao/export"
	"jibao/model"
	"jibao/store"
)

// scaleStore is a data file with n units' full reports of 2025Q3: the
// directory's, then added ones spread over the unit types.
func scaleStore(tb testing.TB, n int) string {
	tb.Helper()
	cat := model.DefaultCatalog()
	v, _ := cat.Variant("nanan")
	p := model.Period{Year: 2025, Quarter: 3}
	db := filepath.Join(tb.TempDir(), "jibao.db")
	s, err := store.Open(db, store.Options{NoSync: true, Catalog: cat})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	units := append([]model.Unit(nil), v.Units...)
	for i := 0; len(units) < n; i++ {
		t := v.UnitTypes[i%len(v.UnitTypes)]
		u := model.Unit{Name: fmt.Sprintf("%s%04d", t.Label, i), Type: t.ID, Added: true}
		if err := s.AddUnit(v.ID, u); err != nil {
			tb.Fatal(err)
		}
		units = append(units, u)
	}
	for i, u := range units[:n] {
		r := export.Sample(v, u, p, i+1)
		if !v.Check(r, nil).Complete() {
			r.State = model.StateDraft
		}
		if err := s.PutReport(r, "bench"); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// BenchmarkSummaryScale runs the real binary's `jibao summary -o` over 63 and
// 2,000 units (target at 2,000: under 1.5 s and 150 MB; README, Figures):
// reading, checking and summing every report and writing the workbook.
// maxrss-MB is the process's peak resident memory; the benchmark fails over
// either target.
func BenchmarkSummaryScale(b *testing.B) {
	bin := serveBinary(b)
	for _, n := range []int{63, 2000} {
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			db := scaleStore(b, n)
			out := filepath.Join(filepath.Dir(db), "汇总.xlsx")
			var rss int64
			var cpu time.Duration
			b.ResetTimer()
			for b.Loop() {
				c := exec.Command(bin, "summary", "--variant", "nanan", "--period", "2025Q3", "-o", out, "--force")
				c.Env = append(os.Environ(), "JIBAO_DB="+db, "JIBAO_CATALOG=")
				if o, err := c.CombinedOutput(); err != nil {
					b.Fatalf("%v: %s", err, o)
				}
				ru := c.ProcessState.SysUsage().(*syscall.Rusage)
				rss = max(rss, ru.Maxrss)
				cpu += c.ProcessState.UserTime() + c.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(rss)/1024, "maxrss-MB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			// CPU time, not wall: on the shared build machine the wall time
			// is mostly waiting for a core.
			if per := cpu / time.Duration(b.N); n == 2000 && per > 1500*time.Millisecond {
				b.Errorf("summary -o of 2,000 units took %v of CPU, over 1.5 s", per)
			}
			if n == 2000 && rss > 150*1024 {
				b.Errorf("summary -o of 2,000 units peaked at %d MB resident, over 150 MB", rss/1024)
			}
		})
	}
}
