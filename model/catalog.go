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
	// Renames say which columns of the year's catalog this file replaces under
	// another ID: adding it moves the year's reports' values to the new IDs.
	Renames []ColumnRename `json:"renames,omitempty"`

	variants map[string]*Variant
}

// ColumnRename maps a column of a form to its new ID, for a catalog that
// replaces its year's while reports exist.
type ColumnRename struct {
	Form string `json:"form"`
	From string `json:"from"`
	To   string `json:"to"`
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
	Rules         []RuleSpec `json:"rules"`
}

// Node is a node of a form's column tree: a group (with Children), a number column
// (with ID) or a label column that shows the unit type or the row's label.
type Node struct {
	H  string `json:"h"`
	ID string `json:"id,omitempty"`
	// DistributionOf marks a part of a split that may move between quarters (四色,
	// levels, stars): it names the total, the figure that can only grow.
	DistributionOf string `json:"distributionOf,omitempty"`
	Label          string `json:"label,omitempty"` // "unitType" or "row"
	Unit           string `json:"unit,omitempty"`
	Since          string `json:"since,omitempty"`
	Scope          string `json:"scope,omitempty"`
	// PrintRows is how many header rows a group's cell spans in the printed form
	// (表三's 完善"四项规范"（份） spans two, its leaves sit in the third); the grid on
	// screen keeps one row per level.
	PrintRows int     `json:"printRows,omitempty"`
	Children  []*Node `json:"children,omitempty"`
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
	// UnitSize says where a unit's size comes from when targets are derived from
	// it (泉州: 学校数 = the latest 表一 企业底数总数).
	UnitSize *UnitSize `json:"unitSize,omitempty"`
	// Groups are units measured together on their sum (市属学校及泉州开发区).
	Groups []TargetGroup `json:"groups,omitempty"`
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
	// Basis gives rules a variant's own 依据 (rule id → text) where its notes are
	// numbered differently from the shared form's.
	Basis map[string]string `json:"basis,omitempty"`
}

// Unit is a reporting unit in the directory, with the targets the office set for it.
type Unit struct {
	Name    string         `json:"name"`
	Type    string         `json:"type"`
	Base    int            `json:"base,omitempty"`
	Fields  []string       `json:"fields,omitempty"`
	Targets map[string]int `json:"targets,omitempty"`
	Added   bool           `json:"added,omitempty"`
	// Formerly are the unit's names in earlier years' directories (a renamed
	// township), so its earlier reports stay its own.
	Formerly []string `json:"formerly,omitempty"`
}

// Target is a jurisdiction-wide goal and the 表二 columns whose sum measures it.
type Target struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Unit    string  `json:"unit"`
	Total   int     `json:"total"`
	Measure Measure `json:"measure"`
	// PerSize derives a unit's goal from its size where the directory sets none:
	// ceil(PerSize × size) (泉州: 0.45 of the schools 达标, 4 示范岗位 per school).
	PerSize float64 `json:"perSize,omitempty"`
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
	for _, r := range c.Renames {
		for _, v := range c.variants {
			if f := v.Form(r.Form); f == nil || f.Column(r.To) == nil {
				return nil, fmt.Errorf("renames: %s 的新栏 %s 在版本 %s 中没有", r.Form, r.To, v.ID)
			}
		}
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
	one := *c
	one.Variants = []*VariantDef{v.def}
	return encodeCatalog(&one)
}
