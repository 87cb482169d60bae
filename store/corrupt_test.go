package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"strings"
	"testing"

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
				return tx.Bucket(bReports).Put(reportKey(testID(2)), []byte{recReport, 0xff, 0xff})
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

func TestOlderSchemaMigrated(t *testing.T) {
	path := filledDB(t)
	setSchema(t, path, 1)
	if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "升级") {
		t.Errorf("read-only open of an old file: %v, want a hint to upgrade", err)
	}
	s := openT(t, path)
	infos, err := s.List("nanan", nil)
	if err != nil || len(infos) != 4 {
		t.Fatalf("List after migration: %v %v", infos, err)
	}
	for _, in := range infos {
		if in.Filled != len(testCells()) || in.Total != len(testCells()) {
			t.Errorf("rebuilt info %+v", in)
		}
	}
	s.Close()
	db, _ := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if v := binary.BigEndian.Uint32(tx.Bucket(bMeta).Get(kSchema)); v != SchemaVersion {
			t.Errorf("schema after migration = %d", v)
		}
		return nil
	})
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
