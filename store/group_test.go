package store

import (
	"fmt"
	"sync"
	"testing"

	"jibao/model"
)

// 40 clerks committing at once, each to their own unit's report, as under jibao
// serve: with GroupCommit their cells share fsyncs instead of queuing behind one
// fsync each.
func BenchmarkSetCellConcurrent40(b *testing.B)      { benchConcurrent(b, false) }
func BenchmarkSetCellConcurrent40Group(b *testing.B) { benchConcurrent(b, true) }

func benchConcurrent(b *testing.B, group bool) {
	s := openT(b, tempDB(b), func(o *Options) { o.NoSync, o.GroupCommit = false, group })
	v, _ := model.DefaultCatalog().Variant("nanan")
	var ids []model.ReportID
	for _, u := range v.Units[:40] {
		id := model.ReportID{Variant: "nanan", Unit: u.Name, Period: model.Period{Year: 2025, Quarter: 3}}
		if _, err := s.Ensure(id, "", "lin"); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	key := model.CellKey{Form: "t3", Row: "r", Col: "c5"}
	b.ResetTimer()
	var wg sync.WaitGroup
	per := b.N/len(ids) + 1
	for i, id := range ids {
		wg.Add(1)
		go func(i int, id model.ReportID) {
			defer wg.Done()
			for j := 0; j < per; j++ {
				n := model.Whole(int64(j))
				if _, err := s.SetCells(id, []model.Change{{Key: key, Value: &n}}, fmt.Sprint("u", i)); err != nil {
					b.Error(err)
					return
				}
			}
		}(i, id)
	}
	wg.Wait()
}

// TestGroupCommitKeepsEveryWrite: concurrent writers through Batch lose nothing and
// record every change once in the history.
func TestGroupCommitKeepsEveryWrite(t *testing.T) {
	s := openT(t, tempDB(t), func(o *Options) { o.GroupCommit = true })
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		t.Fatal(err)
	}
	cells := testCells()[:40]
	var wg sync.WaitGroup
	for i, k := range cells {
		wg.Add(1)
		go func(i int, k model.CellKey) {
			defer wg.Done()
			n := model.Whole(int64(i + 1))
			if _, err := s.SetCells(id, []model.Change{{Key: k, Value: &n}}, fmt.Sprint("u", i)); err != nil {
				t.Error(err)
			}
		}(i, k)
	}
	wg.Wait()
	r, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range cells {
		if got, ok := r.Value(k); !ok || got != model.Whole(int64(i+1)) {
			t.Errorf("%s = %v, %v; want %d", k, got, ok, i+1)
		}
		h, err := s.History(id, k)
		if err != nil || len(h) != 1 {
			t.Errorf("%s history %v %v", k, h, err)
		}
	}
}
