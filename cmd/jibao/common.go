package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"jibao/model"
)

// common holds the flags every command accepts.
type common struct {
	db      string
	catalog string
	variant string
	unit    string
	period  string
}

// newFlags makes a flag set that reports errors in Chinese and never exits.
func (a *app) newFlags(name string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.db, "db", "", "数据文件路径（默认 $XDG_DATA_HOME/jibao/jibao.db，或 JIBAO_DB）")
	fs.StringVar(&c.catalog, "catalog", "", "表式文件（默认内置 2025 年表式）")
	fs.StringVar(&c.variant, "variant", "", "表式版本（表式文件中的版本 ID）")
	fs.StringVar(&c.unit, "unit", "", "填报单位名称，如 水头")
	fs.StringVar(&c.period, "period", "", "期别，如 2025Q3")
	return fs
}

// parse parses flags, printing a clear message on error.
func (a *app) parse(fs *flag.FlagSet, args []string) bool {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			a.variantUsage(fs)
			fs.SetOutput(a.stdout)
			fs.PrintDefaults()
			return false
		}
		fmt.Fprintf(a.stderr, "jibao %s: %v\n", fs.Name(), err)
		return false
	}
	return true
}

// variantUsage names, in --variant's help, the variants of the catalog the
// command would load (--catalog, JIBAO_CATALOG or the embedded one): a new
// year's file brings its own.
func (a *app) variantUsage(fs *flag.FlagSet) {
	f := fs.Lookup("variant")
	if f == nil {
		return
	}
	var c common
	if cf := fs.Lookup("catalog"); cf != nil {
		c.catalog = cf.Value.String()
	}
	if cat, err := a.loadCatalog(&c); err == nil {
		f.Usage = "表式版本: " + variantChoices(cat)
	}
}

// variantChoices lists a catalog's variant IDs with their names, e.g.
// "nanan（南安）或 quanzhou-edu（泉州教育）".
func variantChoices(cat *model.Catalog) string {
	var parts []string
	for _, d := range cat.Variants {
		parts = append(parts, d.ID+"（"+d.Name+"）")
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], "、") + "或 " + parts[len(parts)-1]
}

// loadCatalog loads the catalog named by --catalog, or the embedded one.
func (a *app) loadCatalog(c *common) (*model.Catalog, error) {
	path := c.catalog
	if path == "" {
		path = a.getenv("JIBAO_CATALOG")
	}
	return model.LoadCatalog(path)
}

// variant resolves --variant (JIBAO_VARIANT as a fallback).
func (a *app) variant(cat *model.Catalog, c *common) (*model.Variant, error) {
	id := c.variant
	if id == "" {
		id = a.getenv("JIBAO_VARIANT")
	}
	if id == "" {
		return nil, fmt.Errorf("请用 --variant 指定表式版本：%s", variantChoices(cat))
	}
	return cat.Variant(id)
}

// catalogVariant loads the catalog and resolves --variant: the first two steps of
// most commands.
func (a *app) catalogVariant(c *common) (*model.Catalog, *model.Variant, error) {
	cat, err := a.loadCatalog(c)
	if err != nil {
		return nil, nil, err
	}
	v, err := a.variant(cat, c)
	return cat, v, err
}

// period resolves --period, or the quarter most likely meant today.
func (a *app) period(v *model.Variant, c *common) (model.Period, error) {
	if c.period == "" {
		return v.DefaultPeriod(a.now()), nil
	}
	p, err := model.ParsePeriod(c.period)
	if err != nil {
		return p, err
	}
	return p, v.CheckPeriod(p)
}

// optionalPeriod reads --period for commands where it only narrows the choice
// (list, import): nil when not given, and any year is accepted.
func optionalPeriod(c *common) (*model.Period, error) {
	if c.period == "" {
		return nil, nil
	}
	p, err := model.ParsePeriod(c.period)
	if err != nil {
		return nil, err
	}
	return &p, nil
}
