package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"jibao/model"
	"jibao/store"
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
	a.pathFlags(fs)
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
	if cat, err := a.flagCatalog(&c); err == nil {
		if cat == nil {
			cat = model.DefaultCatalog()
		}
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

// flagCatalog loads the catalog named by --catalog (or JIBAO_CATALOG); nil when
// none is named. It replaces its year's catalog for this command.
func (a *app) flagCatalog(c *common) (*model.Catalog, error) {
	path := c.catalog
	if path == "" {
		path = a.getenv("JIBAO_CATALOG")
	}
	if path == "" {
		return nil, nil
	}
	return model.LoadCatalog(path)
}

// catalogPeek is how long a command waits to read the added catalogs from a
// data file a writer holds; the command says "in use" itself when it opens it.
const catalogPeek = 100 * time.Millisecond

// catalogs is every year's form set the command sees: the embedded 2025 one,
// those added to the data file (jibao forms add), and --catalog over both.
// Reading the added ones costs one read-only open of the data file, whose cost
// does not grow with the number of reports.
func (a *app) catalogs(c *common) (*model.Catalogs, error) {
	flag, err := a.flagCatalog(c)
	if err != nil {
		return nil, err
	}
	if a.shared != nil {
		return a.shared.Catalogs(), nil
	}
	if path, err := a.dbPath(c); err == nil && a.dataFileExists(c) {
		s, err := store.Open(path, store.Options{ReadOnly: true, Timeout: catalogPeek, Catalog: flag})
		if err == nil {
			defer s.Close()
			return s.Catalogs(), nil
		}
		// In use or damaged: the embedded and --catalog forms still serve
		// the commands that need no data file; the others say why when they
		// open it.
	}
	return model.NewCatalogs(model.DefaultCatalog(), flag), nil
}

// loadCatalog is the catalog of the year --period names, or of the quarter
// most likely meant today, for the commands that list or read every variant.
func (a *app) loadCatalog(c *common) (*model.Catalog, error) {
	cats, err := a.catalogs(c)
	if err != nil {
		return nil, err
	}
	if c.period != "" {
		if p, err := model.ParsePeriod(c.period); err == nil {
			return cats.For(p)
		}
	}
	return cats.Latest(), nil
}

// variantID is --variant (JIBAO_VARIANT as a fallback), required.
func (a *app) variantID(c *common, cat *model.Catalog) (string, error) {
	id := c.variant
	if id == "" {
		id = a.getenv("JIBAO_VARIANT")
	}
	if id == "" {
		return "", fmt.Errorf("请用 --variant 指定表式版本：%s", variantChoices(cat))
	}
	return id, nil
}

// catalogVariant loads the catalog and resolves --variant: the first two steps of
// most commands.
// The year comes from --period when it is given, else from the quarter most
// likely meant today, so the variant is that year's.
func (a *app) catalogVariant(c *common) (*model.Catalog, *model.Variant, error) {
	cats, err := a.catalogs(c)
	if err != nil {
		return nil, nil, err
	}
	return a.variantIn(cats, c)
}

// variantIn resolves --variant in the catalog of --period's year, or of the
// quarter most likely meant today.
func (a *app) variantIn(cats *model.Catalogs, c *common) (*model.Catalog, *model.Variant, error) {
	id, err := a.variantID(c, cats.Latest())
	if err != nil {
		return nil, nil, err
	}
	v, err := cats.Find(id)
	if err != nil {
		return nil, nil, err
	}
	if c.period != "" {
		p, err := model.ParsePeriod(c.period)
		if err != nil {
			return nil, nil, err
		}
		if v, err = cats.Variant(v.ID, p); err != nil {
			return nil, nil, err
		}
	} else if v, _, err = cats.Default(v.ID, a.now()); err != nil {
		return nil, nil, err
	}
	cat, _ := cats.Year(v.Year)
	return cat, v, nil
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
