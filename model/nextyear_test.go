package model

import (
	"bytes"
	"strings"
	"testing"
)

func TestNextYear(t *testing.T) {
	c := DefaultCatalog()
	b, err := NextYear(c, 2026)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseCatalog(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if d.Year != 2026 || !strings.HasPrefix(d.Name, "2026年") {
		t.Errorf("year %d, name %q", d.Year, d.Name)
	}
	since := map[string]int{}
	var walk func(ns []*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			if n.Since != "" {
				since[n.Since]++
			}
			walk(n.Children)
		}
	}
	for _, f := range d.Forms {
		if f.Since != "" {
			since[f.Since]++
		}
		walk(f.Columns)
	}
	for s := range since {
		if strings.HasPrefix(s, "2025-") {
			t.Errorf("since %s left in the 2026 draft", s)
		}
	}
	for _, keep := range []string{"2021-08", "2024-02", "2024-04", "stock", "2026-01"} {
		if since[keep] == 0 {
			t.Errorf("since %s missing from the draft: %v", keep, since)
		}
	}
	for _, v := range d.Variants {
		for _, f := range v.Forms {
			if strings.Contains(f.Notes, "2025年1月以来") {
				t.Errorf("%s %s notes still count from 2025: %s", v.ID, f.ID, f.Notes)
			}
			if strings.Contains(f.Notes, "2021年8月份开始") != strings.Contains(notesOf(c, v.ID, f.ID), "2021年8月份开始") {
				t.Errorf("%s %s: the long-running since text changed", v.ID, f.ID)
			}
		}
		for _, tg := range v.Targets {
			if tg.Total != 0 {
				t.Errorf("%s target %s kept %d", v.ID, tg.ID, tg.Total)
			}
		}
		for _, u := range v.Units {
			if len(u.Targets) != 0 {
				t.Errorf("%s unit %s kept targets %v", v.ID, u.Name, u.Targets)
			}
		}
	}
	// The titles carry {year}: the 2026 draft prints 2026 without any edit.
	v, _ := d.Variant("nanan")
	if got := v.Forms[0].Title(2026); !strings.Contains(got, "2026") {
		t.Errorf("title %q", got)
	}
	old, _ := c.CatalogJSON()
	diff, err := DiffCatalogs(old, b)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(diff, "\n")
	for _, want := range []string{`year: 2025 → 2026`, `"2025-01" → "2026-01"`} {
		if !strings.Contains(text, want) {
			t.Errorf("diff lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, `"2021-08" →`) {
		t.Errorf("diff moves a long-running since:\n%s", text)
	}
	if _, err := NextYear(c, 2025); err == nil {
		t.Error("a draft for the same year was made")
	}
}

func notesOf(c *Catalog, variant, form string) string {
	for _, v := range c.Variants {
		if v.ID == variant {
			for _, f := range v.Forms {
				if f.ID == form {
					return f.Notes
				}
			}
		}
	}
	return ""
}

func TestDiffCatalogsNamesByID(t *testing.T) {
	a := []byte(`{"forms":[{"id":"t1","cols":[{"id":"c1","h":"总数"},{"id":"c2","h":"规上"}]}]}`)
	b := []byte(`{"forms":[{"id":"t1","cols":[{"id":"c1","h":"总数"},{"id":"c9","h":"新增"},{"id":"c2","h":"规上企业"}]}]}`)
	got, err := DiffCatalogs(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`+ forms[t1].cols[c9].id: "c9"`,
		`+ forms[t1].cols[c9].h: "新增"`,
		`  forms[t1].cols[c2].h: "规上" → "规上企业"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
