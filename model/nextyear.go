package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// NextYear drafts the catalog of year from c, for the office to edit and add:
// the year and the name move on; a since-date inside c's year (figures counted
// from 1 January, "2025年1月以来") moves to the same month of the new year, and
// the notes that say so follow; the long-running since-dates (2021-08, 2024-02,
// 2024-04) and the stock figures stay; targets are emptied (the new plan sets
// them). Due dates follow from the variants' due rules, which stay. The draft is
// checked as any catalog is; it returns the file.
func NextYear(c *Catalog, year int) ([]byte, error) {
	if year <= c.Year {
		return nil, fmt.Errorf("新年度 %d 须晚于表式的年度 %d", year, c.Year)
	}
	b, err := c.CatalogJSON()
	if err != nil {
		return nil, err
	}
	var d Catalog
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	from, to := strconv.Itoa(c.Year), strconv.Itoa(year)
	d.Year = year
	d.Name = strings.ReplaceAll(d.Name, from+"年", to+"年")
	move := func(since string) string {
		if m, ok := strings.CutPrefix(since, from+"-"); ok {
			return to + "-" + m
		}
		return since
	}
	var walk func(ns []*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			n.Since = move(n.Since)
			walk(n.Children)
		}
	}
	for _, f := range d.Forms {
		f.Since = move(f.Since)
		walk(f.Columns)
	}
	sinceText := regexp.MustCompile(regexp.QuoteMeta(from) + `年(\d{1,2})月(份)?(以来|开始)`)
	for _, v := range d.Variants {
		for i := range v.Forms {
			v.Forms[i].Notes = sinceText.ReplaceAllString(v.Forms[i].Notes, to+"年${1}月${2}${3}")
		}
		for i := range v.Targets {
			v.Targets[i].Total = 0
		}
		for i := range v.Units {
			v.Units[i].Targets = nil
		}
	}
	d.Renames = nil // a new year maps no columns of its own
	out, err := encodeCatalog(&d)
	if err != nil {
		return nil, err
	}
	if _, err := ParseCatalog(bytes.NewReader(out)); err != nil {
		return nil, fmt.Errorf("%d 年表式草稿不成立: %w", year, err)
	}
	return out, nil
}
