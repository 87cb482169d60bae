package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// filledDB makes a store file with a few reports in it and returns its path.
func filledDB(t *testing.T) string {
	t.Helper()
	path := tempDB(t)
	s := openT(t, path)
	for q := 1; q <= 4; q++ {
		if _, err := s.Ensure(testID(q), "", "lin"); err != nil {
			t.Fatal(err)
		}
		var cs []model.Change
		for i, k := range testCells() {
			cs = append(cs, model.Change{Key: k, Value: num(int64(i + q))})
		}
		if _, err := s.SetCells(testID(q), cs, "lin"); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	return path
}

func TestCorruptFiles(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	cases := map[string]func(t *testing.T, path string){
		"random bytes": func(t *testing.T, path string) {
			b := make([]byte, 64<<10)
			rng.Read(b)
			os.WriteFile(path, b, 0o600)
		},
		"text file": func(t *testing.T, path string) {
			os.WriteFile(path, []byte("单位,表一\n水头,5\n"), 0o600)
		},
		"truncated": func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			os.Truncate(path, fi.Size()/2)
		},
		"garbage pages": func(t *testing.T, path string) {
			f, _ := os.OpenFile(path, os.O_RDWR, 0)
			defer f.Close()
			fi, _ := f.Stat()
			b := make([]byte, fi.Size()-2*4096)
			rng.Read(b)
			f.WriteAt(b, 2*4096)
		},
		"foreign bbolt file": func(t *testing.T, path string) {
			os.Remove(path)
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *bolt.Tx) error {
				b, _ := tx.CreateBucket([]byte("settings"))
				return b.Put([]byte("k"), []byte("v"))
			})
			db.Close()
		},
		"marker missing": func(t *testing.T, path string) {
			db, _ := bolt.Open(path, 0o600, nil)
			db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Delete(kFormat) })
			db.Close()
		},
		"damaged record": func(t *testing.T, path string) {
			db, _ := bolt.Open(path, 0o600, nil)
			db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bReports).Put(reportKey(testID(2)), []byte{sealVersion, 0xff, 0xff, 1, 2, 3, 4})
			})
			db.Close()
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			path := filledDB(t)
			// A good file has a generation; the hint must point at it.
			s := openT(t, path)
			g, err := s.TakeBackup("manual")
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			damage(t, path)
			for _, ro := range []bool{false, true} {
				var s *Store
				s, err = Open(path, Options{ReadOnly: ro})
				if err == nil {
					// Damage inside a record shows when it is read.
					_, err = s.Get(testID(2))
					s.Close()
				}
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("read-only %v: %v, want ErrCorrupt", ro, err)
				}
				if !strings.Contains(err.Error(), "jibao restore --db "+path) || !strings.Contains(err.Error(), BackupDir(path)) {
					t.Errorf("the message lacks the recovery command or the backup: %v", err)
				}
			}
			t.Log(err)
			// The backup is good, and the damaged file did not replace it.
			b := openT(t, g.Path, func(o *Options) { o.ReadOnly = true })
			if r, err := b.Get(testID(2)); err != nil || len(r.Values) != len(testCells()) {
				t.Errorf("backup: %v", err)
			}
		})
	}
}

func setSchema(t *testing.T, path string, v uint32) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		if v < 2 {
			if err := tx.DeleteBucket(bInfo); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kSchema, binary.BigEndian.AppendUint32(nil, v))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filledDB(t)
	setSchema(t, path, SchemaVersion+1)
	for _, ro := range []bool{false, true} {
		_, err := Open(path, Options{ReadOnly: ro})
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), path) {
			t.Errorf("read-only %v: %v, want ErrNewerSchema with the path", ro, err)
		}
	}
}

// writeV2File writes a file as jibao's schema 2 wrote it (and, with v1, as
// schema 1 did: no List index): four reports of 水头, the history of two
// commits to the third quarter by two users, lin's undo stack, a cursor, the
// last opened report and an added unit.
func writeV2File(t *testing.T, path string, v1 bool) (hist []model.Event) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2025, 9, 20, 10, 0, 0, 0, time.Local)
	cells := testCells()
	err = db.Update(func(tx *bolt.Tx) error {
		bs := map[string]*bolt.Bucket{}
		for _, n := range []string{"meta", "reports", "info", "history", "stacks", "cursors", "last", "units"} {
			if v1 && n == "info" {
				continue
			}
			b, err := tx.CreateBucket([]byte(n))
			if err != nil {
				return err
			}
			bs[n] = b
		}
		bs["meta"].Put(kFormat, []byte(formatMarker))
		bs["meta"].Put(kSchema, binary.BigEndian.AppendUint32(nil, map[bool]uint32{true: 1, false: 2}[v1]))
		for q := 1; q <= 4; q++ {
			r := model.NewReport("nanan", model.Unit{Name: "水头", Type: "xiangzhen"}, model.Period{Year: 2025, Quarter: q})
			for i, k := range cells {
				r.Values[k] = model.Whole(int64(i + q))
			}
			r.Comments[cells[1]] = "含新建企业"
			r.Header.Filler = "林"
			r.Updated, r.UpdatedBy = at, "lin"
			bs["reports"].Put(reportKey(r.ID()), v2EncodeReport(r))
			if !v1 {
				bs["info"].Put(reportKey(r.ID()), v2EncodeInfo(model.ReportInfo{UnitType: "xiangzhen", Filled: 1}))
			}
		}
		rk := reportKey(testID(3))
		// Batch 1 (seq 1-3) by lin, batch 4 (seq 4-5) by wang.
		hist = []model.Event{
			{Seq: 1, Batch: 1, Key: cells[0], New: num(3), By: "lin", At: at},
			{Seq: 2, Batch: 1, Key: cells[1], New: num(4), By: "lin", At: at},
			{Seq: 3, Batch: 1, Key: cells[2], Old: num(9), New: num(5), By: "lin", At: at},
			{Seq: 4, Batch: 4, Key: cells[0], Old: num(3), New: num(7), By: "wang", At: at.Add(time.Hour)},
			{Seq: 5, Batch: 4, Key: cells[3], Old: num(1), By: "wang", At: at.Add(time.Hour)},
		}
		for _, ev := range hist {
			bs["history"].Put(seqKey(rk, ev.Seq), v2EncodeEvent(ev))
		}
		bs["history"].SetSequence(5)
		bs["stacks"].Put(userKey(rk, "lin"), v2EncodeStacks(stacks{undo: []uint64{1}}))
		bs["cursors"].Put(userKey(rk, "lin"), v2EncodeCursor(model.Cursor{Form: "t2", Row: "shiji", Col: "c3"}))
		bs["last"].Put([]byte("lin"), rk)
		u, _ := json.Marshal(model.Unit{Name: "南安市应急管理局", Type: "shizhi", Added: true})
		bs["units"].Put(append(unitPrefix("nanan"), "南安市应急管理局"...), u)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hist
}

func TestOlderSchemaMigrated(t *testing.T) {
	for _, v1 := range []bool{false, true} {
		path := tempDB(t)
		hist := writeV2File(t, path, v1)
		if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "升级") {
			t.Errorf("read-only open of an old file: %v, want a hint to upgrade", err)
		}
		s := openT(t, path)
		if gs, _ := Generations(path); len(gs) == 0 || gs[len(gs)-1].Why != map[bool]string{true: "v1", false: "v2"}[v1] {
			t.Errorf("no copy of the old file before the upgrade: %+v", gs)
		}
		if v, err := s.Verify(); err != nil || v.Reports != 4 || v.History != 5 {
			t.Fatalf("verify after the upgrade: %+v %v", v, err)
		}
		infos, err := s.List("nanan", nil)
		if err != nil || len(infos) != 4 {
			t.Fatalf("List after migration: %v %v", infos, err)
		}
		for _, in := range infos {
			if in.Filled != len(testCells()) || in.Total != len(testCells()) {
				t.Errorf("rebuilt info %+v", in)
			}
		}
		r, err := s.Get(testID(3))
		if err != nil || valueText(r, testCells()[5]) != "8" || r.Comments[testCells()[1]] != "含新建企业" || r.Header.Filler != "林" {
			t.Fatalf("report after migration: %v %v", r, err)
		}
		// The history is complete: who, when, old -> new of every change.
		var got []model.Event
		for _, k := range testCells()[:4] {
			evs, err := s.History(testID(3), k)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, evs...)
		}
		sort.Slice(got, func(i, j int) bool { return got[i].Seq < got[j].Seq })
		if !reflect.DeepEqual(got, hist) {
			t.Errorf("history after migration:\n got %+v\nwant %+v", got, hist)
		}
		if c, ok, err := s.Cursor(testID(3), "lin"); err != nil || !ok || c.Form != "t2" {
			t.Errorf("cursor: %+v %v %v", c, ok, err)
		}
		if id, ok, err := s.LastOpened("lin"); err != nil || !ok || id != testID(3) {
			t.Errorf("last opened: %v %v %v", id, ok, err)
		}
		if us, err := s.Units("nanan"); err != nil || len(us) != 1 {
			t.Errorf("units: %v %v", us, err)
		}
		// lin's undo stack still points at his batch: cells[2] goes back to 9;
		// cells[0], changed by wang since, stays.
		if _, err := s.Undo(testID(3), "lin"); err != nil {
			t.Fatal(err)
		}
		r, _ = s.Get(testID(3))
		if valueText(r, testCells()[2]) != "9" || valueText(r, testCells()[1]) != "-" {
			t.Errorf("undo after migration: %s %s", valueText(r, testCells()[2]), valueText(r, testCells()[1]))
		}
		s.Close()
		db, _ := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		db.View(func(tx *bolt.Tx) error {
			if v := binary.BigEndian.Uint32(tx.Bucket(bMeta).Get(kSchema)); v != SchemaVersion {
				t.Errorf("schema after migration = %d", v)
			}
			return nil
		})
		db.Close()
	}
}

// TestDamagedOldFileNotMigrated: a schema 2 file with a damaged record is
// refused, naming the record, and left as it was.
func TestDamagedOldFileNotMigrated(t *testing.T) {
	path := tempDB(t)
	writeV2File(t, path, false)
	db, _ := bolt.Open(path, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bReports).Put(reportKey(testID(2)), []byte{recReport, 0xff, 0xff})
	})
	db.Close()
	before, _ := os.ReadFile(path)
	_, err := Open(path, Options{NoSync: true})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "水头 2025年第2季度") {
		t.Errorf("open of a damaged old file: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("the damaged old file was changed")
	}
}

// TestCatalogChangeRebuildsList opens a file with a catalog whose bounds differ:
// the List index, computed with the old rules, is recomputed.
func TestCatalogChangeRebuildsList(t *testing.T) {
	path := filledDB(t) // values up to 175
	var doc map[string]any
	if err := json.Unmarshal(model.DefaultCatalogJSON(), &doc); err != nil {
		t.Fatal(err)
	}
	doc["kinds"].(map[string]any)["count"].(map[string]any)["max"] = "100"
	raw, _ := json.Marshal(doc)
	cat, err := model.ParseCatalog(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	errorsIn := func(s *Store) int {
		infos, err := s.List("nanan", nil)
		if err != nil || len(infos) != 4 {
			t.Fatalf("List: %v %v", infos, err)
		}
		n := 0
		for _, in := range infos {
			n += in.Errors
		}
		return n
	}
	s := openT(t, path)
	before := errorsIn(s)
	s.Close()
	s = openT(t, path, func(o *Options) { o.Catalog = cat })
	if after := errorsIn(s); after <= before {
		t.Errorf("errors with a stricter catalog: %d, before %d", after, before)
	}
}
