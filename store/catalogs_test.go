package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"jibao/model"
)

func draft2026(t *testing.T) []byte {
	t.Helper()
	b, err := model.NextYear(model.DefaultCatalog(), 2026)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A year's catalog added to the data file is there for every later open; a
// replacement that renames a column moves the year's values with it, in the
// same transaction, and one that drops a column is refused.
func TestAddCatalogVersionsAndRenames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jibao.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	file := draft2026(t)
	sc, err := s.AddCatalog(file, "办公室")
	if err != nil || sc.Version != 1 || sc.Year != 2026 {
		t.Fatalf("first 2026 catalog: %+v %v", sc, err)
	}
	p := model.Period{Year: 2026, Quarter: 1}
	id := model.ReportID{Variant: "nanan", Unit: "水头", Period: p}
	if _, err := s.Ensure(id, "xiangzhen", "lin"); err != nil {
		t.Fatal(err)
	}
	// A column of 表三 that no rule names.
	var cat model.Catalog
	if err := json.Unmarshal(file, &cat); err != nil {
		t.Fatal(err)
	}
	var form *model.FormDef
	for _, f := range cat.Forms {
		if f.ID == "t3" {
			form = f
		}
	}
	rules, _ := json.Marshal(form.Rules)
	var col *model.Node
	var walk func(ns []*model.Node)
	walk = func(ns []*model.Node) {
		for _, n := range ns {
			if n.ID != "" && col == nil && !bytes.Contains(rules, []byte(`"`+n.ID+`"`)) && !bytes.Contains(rules, []byte(`t3:`+n.ID+`"`)) {
				col = n
			}
			walk(n.Children)
		}
	}
	walk(form.Columns)
	if col == nil {
		t.Fatal("no column of 表三 free of rules")
	}
	old := model.CellKey{Form: "t3", Row: "r", Col: col.ID}
	seven := model.Whole(7)
	if _, err := s.SetCells(id, []model.Change{{Key: old, Value: &seven}}, "lin"); err != nil {
		t.Fatal(err)
	}
	oldID := col.ID
	col.ID = "c99"
	cat.Renames = []model.ColumnRename{{Form: "t3", From: oldID, To: "c99"}}
	renamed, err := cat.CatalogJSON()
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = s.AddCatalog(renamed, "办公室"); err != nil || sc.Version != 2 {
		t.Fatalf("renaming version: %+v %v", sc, err)
	}
	r, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	nk := model.CellKey{Form: "t3", Row: "r", Col: "c99"}
	if r.Values[nk] != seven || len(r.Values) != 1 {
		t.Errorf("after the rename the report holds %v, want %s=7 only", r.Values, nk)
	}
	if ev, _ := s.History(id, nk); len(ev) != 1 || ev[0].By != "办公室" {
		t.Errorf("history of the moved value: %+v", ev)
	}
	// Dropping a column without a rename is refused, and changes nothing.
	cat.Renames = nil
	col.ID = "c98"
	dropped, _ := cat.CatalogJSON()
	if _, err := s.AddCatalog(dropped, "办公室"); !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), "去掉了第 c99 栏") {
		t.Errorf("a dropped column: %v", err)
	}
	s.Close()
	s, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.Catalogs().Variant("nanan", p)
	if err != nil || v.Form("t3").Column("c99") == nil {
		t.Fatalf("reopened: the 2026 catalog in force is not version 2: %v", err)
	}
	list, _ := s.StoredCatalogs()
	if len(list) != 2 {
		t.Errorf("%d stored versions, want 2", len(list))
	}
}
