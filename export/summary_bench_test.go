package export

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"jibao/model"
)

// scaleSummary is a summary of n units, each with a full sample report: the
// directory's units first, then added ones, spread over the unit types as the
// directory spreads them (a township-level type gets its 表四 rows).
func scaleSummary(tb testing.TB, v *model.Variant, n int) *model.Summary {
	tb.Helper()
	var units, extra []model.Unit
	units = append(units, v.Units...)
	for i := 0; len(units) < n; i++ {
		t := v.UnitTypes[i%len(v.UnitTypes)]
		u := model.Unit{Name: fmt.Sprintf("%s%04d", t.Label, i), Type: t.ID, Added: true}
		units = append(units, u)
		extra = append(extra, u)
	}
	units = units[:n]
	reports := make([]*model.Report, 0, n)
	for i, u := range units {
		reports = append(reports, Sample(v, u, q3, i+1))
	}
	return model.SummarizeWith(v, reports, q3, model.Options{}, extra...)
}

// BenchmarkSummaryWorkbook writes the summary workbook of 63 units (南安's
// directory) and of 2,000 (target: under 1.5 s and 150 MB of heap at 2,000;
// README, Figures). peak-MB is the heap in use at its highest while writing.
func BenchmarkSummaryWorkbook(b *testing.B) {
	v := variant(b, "nanan")
	for _, n := range []int{63, 2000} {
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			s := scaleSummary(b, v, n)
			h := model.Header{Unit: v.Office, Date: "2025-09-30"}
			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			peak := uint64(0)
			for b.Loop() {
				stop := watchHeap(&peak)
				if err := WriteSummary(io.Discard, s, h); err != nil {
					b.Fatal(err)
				}
				stop()
			}
			b.ReportMetric(float64(peak)/1e6, "peak-MB")
		})
	}
}

// watchHeap samples the heap in use until stop, keeping the highest in peak.
func watchHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-finished }
}
