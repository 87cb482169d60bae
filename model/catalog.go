// Package model holds the forms, reports and rules of the 季报表. It knows nothing of
// terminals, databases or spreadsheets: those packages consume it.
package model

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// CatalogFormat is the format tag every catalog file carries; a file with another tag
// is refused rather than half-understood.
const CatalogFormat = "jibao-forms/1"

//go:embed catalog/2025.json
var defaultCatalogJSON []byte

// DefaultCatalogJSON returns the embedded catalog file, byte for byte.
func DefaultCatalogJSON() []byte { return append([]byte(nil), defaultCatalogJSON...) }

// Catalog is one year's form set: the shared form definitions and the variants that
// print them under their own titles, notes, unit types and unit directories.
type Catalog struct {
	Format   string             `json:"format"`
	Name     string             `json:"name"`
	Year     int                `json:"year"`
	Kinds    map[string]KindDef `json:"kinds"`
	Forms    []*FormDef         `json:"forms"`
	Variants []*VariantDef      `json:"variants"`

	variants map[string]*Variant
}

// KindDef bounds a kind of value ("count", "money"). Max is a decimal string so that
// the file states the bound exactly.
type KindDef struct {
	Max      string `json:"max"`
	Decimals int    `json:"decimals,omitempty"`
}

// FormDef is one 季报表 as the file describes it, shared by all variants.
type FormDef struct {
	ID            string     `json:"id"`
	Number        string     `json:"number"`
	Since         string     `json:"since,omitempty"`
	Scope         string     `json:"scope,omitempty"`
	TownshipOnly  bool       `json:"townshipOnly,omitempty"`
	Columns       []*Node    `json:"columns"`
	Rows          []RowDef   `json:"rows"`
	NotApplicable []NADef    `json:"notApplicable,omitempty"`
	Rules         []*RuleDef `json:"rules"`
}

// Node is a node of a form's column tree: a group (with Children), a number column
// (with ID) or a label column that shows the unit type or the row's label.
type Node struct {
	H        string  `json:"h"`
	ID       string  `json:"id,omitempty"`
	Label    string  `json:"label,omitempty"` // "unitType" or "row"
	Unit     string  `json:"unit,omitempty"`
	Since    string  `json:"since,omitempty"`
	Scope    string  `json:"scope,omitempty"`
	Children []*Node `json:"children,omitempty"`
}

// RowDef is one row of a unit type's block (国标/省标/地标, 市级/县级/乡级).
type RowDef struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// NADef marks cells of a row that the form leaves empty on purpose.
type NADef struct {
	Row     string   `json:"row"`
	Columns []string `json:"columns"`
	Why     string   `json:"why,omitempty"`
}

// RuleDef is a declarative consistency rule. Operands name columns ("c12") of the
// same form and row, or of another form ("t1:c1").
type RuleDef struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"` // required, sum, le, iff, implies, cumulative
	Severity    string   `json:"severity"`
	Missing     string   `json:"missing,omitempty"` // skip (default) or zero
	Total       string   `json:"total,omitempty"`
	Parts       []string `json:"parts,omitempty"`
	Left        []string `json:"left,omitempty"`
	Right       string   `json:"right,omitempty"`
	A           string   `json:"a,omitempty"`
	B           string   `json:"b,omitempty"`
	When        []string `json:"when,omitempty"`
	Then        string   `json:"then,omitempty"`
	ExceptSince []string `json:"exceptSince,omitempty"`
	Message     string   `json:"message,omitempty"`
}

// VariantDef is one issuing office's edition of the form set.
type VariantDef struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Region    string     `json:"region"`
	Issuer    string     `json:"issuer"`
	Office    string     `json:"office"`
	Subject   string     `json:"subject"`
	UnitTypes []UnitType `json:"unitTypes"`
	// OverallTypes are the unit types whose blocks add up to the jurisdiction's
	// figure: 南安's 乡镇 figures already include the 市直 departments' enterprises
	// (注2), 泉州's 市直 units report only what they supervise directly.
	OverallTypes []string      `json:"overallTypes,omitempty"`
	Due          DueRule       `json:"due"`
	Forms        []VariantForm `json:"forms"`
	Units        []Unit        `json:"units"`
	Targets      []Target      `json:"targets,omitempty"`
}

// UnitType is a row block of the forms (市直单位, 乡镇（街道、开发区）, 县（市、区）).
// Township types are the only ones that fill 表四.
type UnitType struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Township bool   `json:"township,omitempty"`
}

// VariantForm is what a variant prints around a shared form: attachment number,
// title (with {year}) and the notes (注), word for word.
type VariantForm struct {
	ID         string `json:"id"`
	Attachment string `json:"attachment"`
	Title      string `json:"title"`
	Notes      string `json:"notes"`
}

// Unit is a reporting unit in the directory, with the targets the office set for it.
type Unit struct {
	Name    string         `json:"name"`
	Type    string         `json:"type"`
	Base    int            `json:"base,omitempty"`
	Fields  []string       `json:"fields,omitempty"`
	Targets map[string]int `json:"targets,omitempty"`
	Added   bool           `json:"added,omitempty"`
}

// Target is a jurisdiction-wide goal and the 表二 columns whose sum measures it.
type Target struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Unit    string  `json:"unit"`
	Total   int     `json:"total"`
	Measure Measure `json:"measure"`
}

// Measure names the cells, summed over every row, that count toward a target.
type Measure struct {
	Form    string   `json:"form"`
	Columns []string `json:"columns"`
}

// DueRule says when a quarter's report is due: the given day of the quarter's last
// month (南安), or of the first month of the next quarter (泉州).
type DueRule struct {
	Kind string `json:"kind"` // quarterEndMonth or nextQuarterFirstMonth
	Day  int    `json:"day"`
	// SubmitDays, when set, closes submission that many days after the due date:
	// a later 上报 needs the office's 延期 (DHIS2's expiry days). 0: never closes.
	SubmitDays int `json:"submitDays,omitempty"`
}

// DefaultCatalog returns the embedded 2025 catalog. It panics only if the embedded
// file is broken, which the tests rule out.
func DefaultCatalog() *Catalog {
	c, err := ParseCatalog(bytes.NewReader(defaultCatalogJSON))
	if err != nil {
		panic("embedded catalog: " + err.Error())
	}
	return c
}

// LoadCatalog reads a catalog file from disk; an empty path means the embedded one.
func LoadCatalog(path string) (*Catalog, error) {
	if path == "" {
		return DefaultCatalog(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("表式文件无法打开: %w", err)
	}
	defer f.Close()
	c, err := ParseCatalog(f)
	if err != nil {
		return nil, fmt.Errorf("表式文件 %s: %w", path, err)
	}
	return c, nil
}

// ParseCatalog decodes and checks a catalog, and resolves every variant's forms.
func ParseCatalog(r io.Reader) (*Catalog, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("格式错误: %w", err)
	}
	if c.Format != CatalogFormat {
		return nil, fmt.Errorf("格式标记为 %q，本程序只认 %q", c.Format, CatalogFormat)
	}
	if err := c.resolve(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Variant returns a resolved variant by ID ("nanan", "quanzhou-edu") or by its
// Chinese name ("南安").
func (c *Catalog) Variant(id string) (*Variant, error) {
	if v, ok := c.variants[id]; ok {
		return v, nil
	}
	for _, v := range c.variants {
		if v.Name == id || v.Region == id {
			return v, nil
		}
	}
	ids := make([]string, 0, len(c.Variants))
	for _, v := range c.Variants {
		ids = append(ids, v.ID)
	}
	return nil, fmt.Errorf("没有名为 %q 的表式版本（可选: %s）", id, strings.Join(ids, ", "))
}

// VariantIDs lists the variants in file order.
func (c *Catalog) VariantIDs() []string {
	ids := make([]string, 0, len(c.Variants))
	for _, v := range c.Variants {
		ids = append(ids, v.ID)
	}
	return ids
}

// Only returns a copy of the catalog file restricted to one variant, in the format
// the loader reads: what `jibao forms --json` prints.
func (c *Catalog) Only(variant string) ([]byte, error) {
	v, err := c.Variant(variant)
	if err != nil {
		return nil, err
	}
	out := struct {
		Format   string             `json:"format"`
		Name     string             `json:"name"`
		Year     int                `json:"year"`
		Kinds    map[string]KindDef `json:"kinds"`
		Forms    []*FormDef         `json:"forms"`
		Variants []*VariantDef      `json:"variants"`
	}{c.Format, c.Name, c.Year, c.Kinds, c.Forms, []*VariantDef{v.def}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
