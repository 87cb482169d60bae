package store

import (
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// The write benchmarks keep fsync on: a committed cell costs what the clerk's
// keystroke costs.

func BenchmarkSetCellOne(b *testing.B) { benchSetCellOne(b, false) }

// BenchmarkSetCellOneNoSync is the same without fsync: the store's own cost
// (rules, encoding, history), for comparison only.
func BenchmarkSetCellOneNoSync(b *testing.B) { benchSetCellOne(b, true) }

func benchSetCellOne(b *testing.B, noSync bool) {
	s := openT(b, tempDB(b), func(o *Options) { o.NoSync = noSync })
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		b.Fatal(err)
	}
	cells := testCells()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := model.Whole(int64(i))
		if _, err := s.SetCells(id, []model.Change{{Key: cells[i%len(cells)], Value: &n}}, "lin"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetCellsBlock49x30 commits 1,470 changes in one SetCells: 表四's 49
// columns pasted 30 times over (a unit fills 172 cells, so a 49x30 block is
// bigger than any real paste), each change recorded in the history.
func BenchmarkSetCellsBlock49x30(b *testing.B) {
	s := openT(b, tempDB(b), func(o *Options) { o.NoSync = false })
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		b.Fatal(err)
	}
	var t4 []model.CellKey
	for _, k := range testCells() {
		if k.Form == "t4" {
			t4 = append(t4, k)
		}
	}
	if len(t4) != 49 {
		b.Fatalf("表四 has %d cells", len(t4))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs := make([]model.Change, 0, 49*30)
		for row := 0; row < 30; row++ {
			for col, k := range t4 {
				n := model.Whole(int64(i*10000 + row*49 + col))
				cs = append(cs, model.Change{Key: k, Value: &n})
			}
		}
		if _, err := s.SetCells(id, cs, "lin"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetCellsWholeReport commits all 172 cells of a unit in one SetCells
// (copy from last quarter, import).
func BenchmarkSetCellsWholeReport(b *testing.B) {
	s := openT(b, tempDB(b), func(o *Options) { o.NoSync = false })
	id := testID(3)
	if _, err := s.Ensure(id, "", "lin"); err != nil {
		b.Fatal(err)
	}
	cells := testCells()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs := make([]model.Change, len(cells))
		for j, k := range cells {
			n := model.Whole(int64(i + j))
			cs[j] = model.Change{Key: k, Value: &n}
		}
		if _, err := s.SetCells(id, cs, "lin"); err != nil {
			b.Fatal(err)
		}
	}
}

// manyReports fills a file with n reports, half their cells filled, written
// directly in a few transactions so that set-up stays quick.
func manyReports(b *testing.B, n int) string {
	b.Helper()
	path := tempDB(b)
	s := openT(b, path)
	cells := testCells()
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i := 0; i < n; i++ {
			id := model.ReportID{Variant: "nanan", Unit: fmt.Sprintf("单位%05d", i/4), Period: model.Period{Year: 2025, Quarter: i%4 + 1}}
			r := model.NewReport("nanan", model.Unit{Name: id.Unit, Type: "xiangzhen"}, id.Period)
			for j, k := range cells[:len(cells)/2] {
				r.Values[k] = model.Whole(int64(i + j))
			}
			r.Updated, r.UpdatedBy = time.Now(), "lin"
			rk := reportKey(id)
			if err := tx.Bucket(bReports).Put(rk, encodeReport(s.dict, rk, r)); err != nil {
				return err
			}
			if err := s.counted(tx, id.Variant, 1); err != nil {
				return err
			}
			if err := s.putInfo(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	return path
}

func BenchmarkList10000(b *testing.B) {
	s := openT(b, manyReports(b, 10000), func(o *Options) { o.ReadOnly = true })
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, err := s.List("nanan", nil)
		if err != nil || len(in) != 10000 {
			b.Fatal(len(in), err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	s := openT(b, manyReports(b, 4), func(o *Options) { o.ReadOnly = true })
	id := model.ReportID{Variant: "nanan", Unit: "单位00000", Period: model.Period{Year: 2025, Quarter: 3}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Get(id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen is a writer's start (open, the cheap checks, close) on files of
// 250 and of 8,000 reports: the open must not grow with the file.
func BenchmarkOpen(b *testing.B) {
	for _, n := range []int{250, 8000} {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			path := manyReports(b, n)
			// The start-of-day generation is taken once, not in the loop.
			s, err := Open(path, Options{NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s, err := Open(path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
