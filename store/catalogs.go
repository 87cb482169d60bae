package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// bCatalogs holds the catalog files an office added: year, version -> file. It is
// made by the first `jibao forms add`; a data file without it has only the
// catalogs the process brings (the embedded 2025 one, --catalog).
var bCatalogs = []byte("catalogs")

// bFilled records, per report, the version of its year's catalog in force when
// it was last written (report key -> uint32; 0 is the catalog built into
// jibao), so a report says which forms it was filled with.
var bFilled = []byte("filledwith")

// ErrIncompatible is a catalog that would change what reports already filled
// with the year's catalog mean.
var ErrIncompatible = errors.New("新表式与已有报表不相容")

// StoredCatalog is one catalog file added to the data file.
type StoredCatalog struct {
	Year    int
	Version int
	By      string
	At      time.Time
	File    []byte
	Catalog *model.Catalog
}

type catalogRecord struct {
	By   string          `json:"by"`
	At   time.Time       `json:"at"`
	File json.RawMessage `json:"file"`
}

func catalogKey(year, version int) []byte {
	k := binary.BigEndian.AppendUint32(nil, uint32(year))
	return binary.BigEndian.AppendUint32(k, uint32(version))
}

// storedCatalogs reads every added catalog, oldest version first; a record that
// no longer parses is an error naming its year and version.
func storedCatalogs(tx *bolt.Tx) ([]StoredCatalog, error) {
	b := tx.Bucket(bCatalogs)
	if b == nil {
		return nil, nil
	}
	var out []StoredCatalog
	err := b.ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return fmt.Errorf("表式记录的键长 %d 不对", len(k))
		}
		sc := StoredCatalog{Year: int(binary.BigEndian.Uint32(k)), Version: int(binary.BigEndian.Uint32(k[4:]))}
		body, err := unseal(tagForms, k, v)
		if err != nil {
			return fmt.Errorf("%d 年表式第 %d 版: %v", sc.Year, sc.Version, err)
		}
		var rec catalogRecord
		if err := json.Unmarshal(body, &rec); err != nil {
			return fmt.Errorf("%d 年表式第 %d 版: %v", sc.Year, sc.Version, err)
		}
		c, err := model.ParseCatalog(bytes.NewReader(rec.File))
		if err != nil {
			return fmt.Errorf("%d 年表式第 %d 版: %v", sc.Year, sc.Version, err)
		}
		sc.By, sc.At, sc.File, sc.Catalog = rec.By, rec.At, rec.File, c
		out = append(out, sc)
		return nil
	})
	return out, err
}

// loadCatalogs makes the set in force: the process's base catalogs, replaced
// year by year by the newest added version, replaced in turn by --catalog.
func (s *impl) loadCatalogs() error {
	var stored []StoredCatalog
	if err := s.view(func(tx *bolt.Tx) error {
		var err error
		stored, err = storedCatalogs(tx)
		return err
	}); err != nil {
		return corrupt(s.path, err)
	}
	list := []*model.Catalog{model.DefaultCatalog()}
	versions := map[int]int{}
	for _, sc := range stored {
		list = append(list, sc.Catalog)
		versions[sc.Year] = sc.Version
	}
	s.versions.Store(&versions)
	if s.flagCat != nil {
		list = append(list, s.flagCat)
	}
	s.cats.Store(model.NewCatalogs(list...))
	return nil
}

// recordFilled notes, in a report's write, the version of its year's catalog.
func (s *impl) recordFilled(tx *bolt.Tx, key []byte, p model.Period) error {
	b := tx.Bucket(bFilled)
	if b == nil {
		var err error
		if b, err = tx.CreateBucket(bFilled); err != nil {
			return err
		}
	}
	v := 0
	if m := s.versions.Load(); m != nil {
		v = (*m)[p.Year]
	}
	rec := seal(tagFilled, key, binary.BigEndian.AppendUint32(nil, uint32(v)))
	if bytes.Equal(b.Get(key), rec) {
		return nil // every keystroke commits: write only when the version changed
	}
	return b.Put(key, rec)
}

// filledWith is the version of its year's catalog a report was last written
// with: 0 for the built-in one; ok is false for a report written before jibao
// kept this.
func (s *impl) filledWith(id model.ReportID) (version int, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFilled)
		if b == nil {
			return nil
		}
		k := reportKey(id)
		sealed := b.Get(k)
		if sealed == nil {
			return nil
		}
		v, err := unseal(tagFilled, k, sealed)
		if err != nil || len(v) != 4 {
			return fmt.Errorf("报表 %s 的表式版本记录损坏", id)
		}
		version, ok = int(binary.BigEndian.Uint32(v)), true
		return nil
	})
	return version, ok, err
}

// catalogs is the set in force.
func (s *impl) catalogs() *model.Catalogs { return s.cats.Load() }

// variantFor is a report's variant as its period's year defines it; nil when no
// catalog knows it, in which case the store keeps the values but cannot check
// them.
func (s *impl) variantFor(variant string, p model.Period) *model.Variant {
	v, err := s.catalogs().Variant(variant, p)
	if err != nil {
		return nil
	}
	return v
}

// storedCatalogList is every added version, for `jibao forms list`.
func (s *impl) storedCatalogList() ([]StoredCatalog, error) {
	var out []StoredCatalog
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = storedCatalogs(tx)
		return err
	})
	return out, err
}

// addCatalog stores a checked catalog file as the next version of its year.
// Replacing a year's catalog that already has reports is refused unless the
// new one only adds (forms, columns, rows, rules, units): a report keeps
// meaning what its clerk entered.
func (s *impl) addCatalog(file []byte, by string) (StoredCatalog, error) {
	c, err := model.ParseCatalog(bytes.NewReader(file))
	if err != nil {
		return StoredCatalog{}, err
	}
	old, _ := s.catalogs().Year(c.Year)
	sc := StoredCatalog{Year: c.Year, By: by, At: s.now(), File: file, Catalog: c}
	err = s.update(func(tx *bolt.Tx) error {
		if old != nil && yearHasReports(tx, c.Year) {
			if why := model.Incompatible(old, c); len(why) > 0 {
				return fmt.Errorf("%w：%d 年已有报表，新表式%s（只可增加表、栏、行、规则、单位）", ErrIncompatible, c.Year, strings.Join(why, "；"))
			}
		}
		if old != nil {
			if err := s.applyRenames(tx, c, by); err != nil {
				return err
			}
		}
		b, err := tx.CreateBucketIfNotExists(bCatalogs)
		if err != nil {
			return err
		}
		sc.Version = 1
		cur := b.Cursor()
		prefix := binary.BigEndian.AppendUint32(nil, uint32(c.Year))
		for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			sc.Version = int(binary.BigEndian.Uint32(k[4:])) + 1
		}
		rec, err := json.Marshal(catalogRecord{By: by, At: sc.At, File: file})
		if err != nil {
			return err
		}
		key := catalogKey(c.Year, sc.Version)
		return b.Put(key, seal(tagForms, key, rec))
	})
	if err != nil {
		return StoredCatalog{}, err
	}
	return sc, s.loadCatalogs()
}

// yearHasReports reports whether any report of the year is stored: a scan of
// the report keys (their period ends each key), linear in the number of reports.
func yearHasReports(tx *bolt.Tx, year int) bool {
	b := tx.Bucket(bReports)
	if b == nil {
		return false
	}
	y := []byte(fmt.Sprintf("%dQ", year))
	found := false
	_ = b.ForEach(func(k, _ []byte) error {
		if i := bytes.LastIndexByte(k, 0); i >= 0 && bytes.HasPrefix(k[i+1:], y) {
			found = true
			return errStop
		}
		return nil
	})
	return found
}

var errStop = errors.New("stop")

// applyRenames moves the year's reports' values and comments to the columns'
// new IDs, in the transaction that adds the catalog (all or nothing), each move
// recorded in the history. Linear in the number of the year's reports.
func (s *impl) applyRenames(tx *bolt.Tx, c *model.Catalog, by string) error {
	if len(c.Renames) == 0 {
		return nil
	}
	var ids []model.ReportID
	y := fmt.Sprintf("%dQ", c.Year)
	err := tx.Bucket(bReports).ForEach(func(k, _ []byte) error {
		id, err := parseReportKey(k)
		if err == nil && strings.HasPrefix(id.Period.String(), y) {
			ids = append(ids, id)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		t, err := s.begin(tx, id, by)
		if err != nil {
			return err
		}
		for _, rn := range c.Renames {
			for _, k := range sortedKeys(t.r.Values) {
				v := t.r.Values[k]
				if k.Form == rn.Form && k.Col == rn.From {
					nk := model.CellKey{Form: k.Form, Row: k.Row, Col: rn.To}
					n := v
					t.set(k, nil)
					t.set(nk, &n)
					if text, ok := t.r.Comments[k]; ok {
						delete(t.r.Comments, k)
						t.r.Comments[nk] = text
						t.touched = true
					}
				}
			}
		}
		if err := t.finish(modeEdit); err != nil {
			return err
		}
	}
	return nil
}
