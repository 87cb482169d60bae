package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"jibao/export"
	"jibao/model"
	"jibao/store"
)

// scaleStore is a data file with n units' full reports of 2025Q2 and 2025Q3:
// the directory's, then added ones spread over the unit types.
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
	// Last quarter too, with the same figures (a quiet quarter: no warning
	// against it), since each report is checked against it.
	for i, u := range units[:n] {
		r := export.Sample(v, u, p, i+1)
		if !v.Check(r, nil).Complete() {
			r.State = model.StateDraft
		}
		last := r.Clone()
		last.Period = model.Period{Year: 2025, Quarter: 2}
		for _, x := range []*model.Report{last, r} {
			if err := s.PutReport(x, "bench"); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return db
}

// childUsage is what a child process took: CPU time (user + system) and its peak
// resident memory in kB.
type childUsage struct {
	cpu    time.Duration
	maxrss int64
}

// measureChild runs a command from a small process of its own (this test
// binary, TestMeasureChild) and returns what it took. Run from here directly, the
// command's peak memory would include this process's: os/exec starts a child
// sharing the parent's memory until exec, and the kernel counts that in the
// child's maximum (the benchmark's own data file took 180 MB to build).
func measureChild(tb testing.TB, env []string, args ...string) childUsage {
	tb.Helper()
	c := exec.Command(os.Args[0], "-test.run=^TestMeasureChild$", "-test.count=1")
	c.Env = append(append(os.Environ(), env...), "JIBAO_MEASURE="+strings.Join(args, "\x1f"))
	o, err := c.CombinedOutput()
	if err != nil {
		tb.Fatalf("%v: %s", err, o)
	}
	var u childUsage
	var cpu int64
	if i := strings.Index(string(o), "USAGE: "); i < 0 {
		tb.Fatalf("the measuring process said nothing:\n%s", o)
	} else if _, err := fmt.Sscanf(string(o[i:]), "USAGE: %d %d", &cpu, &u.maxrss); err != nil {
		tb.Fatalf("%v: %s", err, o)
	}
	u.cpu = time.Duration(cpu)
	return u
}

// TestMeasureChild is measureChild's small process: it runs the command in
// JIBAO_MEASURE and prints what it took. Skipped when run as a test.
func TestMeasureChild(t *testing.T) {
	spec := os.Getenv("JIBAO_MEASURE")
	if spec == "" {
		t.Skip("run by measureChild")
	}
	args := strings.Split(spec, "\x1f")
	c := exec.Command(args[0], args[1:]...)
	if o, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, o)
	}
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Printf("USAGE: %d %d\n", int64(c.ProcessState.UserTime()+c.ProcessState.SystemTime()), ru.Maxrss)
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
				u := measureChild(b, []string{"JIBAO_DB=" + db, "JIBAO_CATALOG="},
					bin, "summary", "--variant", "nanan", "--period", "2025Q3", "-o", out, "--force")
				rss = max(rss, u.maxrss)
				cpu += u.cpu
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
