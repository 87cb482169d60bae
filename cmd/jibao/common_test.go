package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jibao/model"
)

// TestVariantNamesFromCatalog: --variant's help and the refusal without it name
// the variants of the catalog in use, not a fixed list.
func TestVariantNamesFromCatalog(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "jibao.db")
	a, out, errb := checkApp(db)
	a.run([]string{"check", "--period", "2025Q3"})
	if want := "nanan（南安）或 quanzhou-edu（泉州教育）"; !strings.Contains(errb.String(), want) {
		t.Errorf("without --variant: %q lacks %q", errb.String(), want)
	}
	a.run([]string{"check", "-h"})
	if want := "表式版本: nanan（南安）或 quanzhou-edu（泉州教育）"; !strings.Contains(out.String(), want) {
		t.Errorf("check -h lacks %q:\n%s", want, out.String())
	}

	// A new year's catalog with its own variant IDs.
	js := bytes.ReplaceAll(model.DefaultCatalogJSON(), []byte(`"id": "quanzhou-edu"`), []byte(`"id": "qz-2026"`))
	cat := filepath.Join(dir, "2026.json")
	if err := os.WriteFile(cat, js, 0o644); err != nil {
		t.Fatal(err)
	}
	a, out, errb = checkApp(db, "JIBAO_CATALOG", cat)
	a.run([]string{"check", "--period", "2025Q3"})
	if want := "qz-2026（泉州教育）"; !strings.Contains(errb.String(), want) || strings.Contains(errb.String(), "quanzhou-edu") {
		t.Errorf("with %s: %q should name %q", cat, errb.String(), want)
	}
	a.run([]string{"export", "--catalog", cat, "-h"})
	if want := "qz-2026（泉州教育）"; !strings.Contains(out.String(), want) {
		t.Errorf("export --catalog FILE -h lacks %q:\n%s", want, out.String())
	}
}
