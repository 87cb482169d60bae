package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"jibao/model"
	"jibao/store"
)

// storeTimeout is how long a command waits for a data file another jibao holds
// before it says so.
const storeTimeout = time.Second

// dbPath resolves the data file: --db, else JIBAO_DB, else
// $XDG_DATA_HOME/jibao/jibao.db, else ~/.local/share/jibao/jibao.db.
func (a *app) dbPath(c *common) (string, error) {
	if c.db != "" {
		return c.db, nil
	}
	if p := a.getenv("JIBAO_DB"); p != "" {
		return p, nil
	}
	// The XDG spec says a relative XDG_DATA_HOME is to be ignored.
	if d := a.getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "jibao", "jibao.db"), nil
	}
	home := a.getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("找不到用户主目录，无法确定数据文件位置；请用 --db 或环境变量 JIBAO_DB 指定")
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "jibao", "jibao.db"), nil
}

// openStore opens the data file for a command. A read-only open shares the file
// with other readers; a writer gets it alone.
func (a *app) openStore(c *common, readOnly bool) (*store.Store, error) {
	return a.openStoreWith(c, store.Options{ReadOnly: readOnly})
}

// openStoreWith opens the data file with extra options (GroupCommit for serve);
// the path, catalog and lock timeout are always the command's.
func (a *app) openStoreWith(c *common, opts store.Options) (*store.Store, error) {
	readOnly := opts.ReadOnly
	path, err := a.dbPath(c)
	if err != nil {
		return nil, err
	}
	cat, err := a.flagCatalog(c)
	if err != nil {
		return nil, err
	}
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("数据文件 %s 还不存在：尚未录入任何报表（或用 --db 指定别的文件）", path)
		}
	}
	// A writer's open makes the folder and the file when there is none, and
	// says the real cause (read-only disk, permission, disk full) when it cannot.
	// Every error of store.Open names the file and says what to do.
	opts.Timeout, opts.Catalog = storeTimeout, cat
	st, err := store.Open(path, opts)
	if errors.Is(err, store.ErrOlderSchema) {
		// A file from before this version: upgraded once, then read.
		if err := store.Upgrade(path, opts); err != nil {
			return nil, err
		}
		st, err = store.Open(path, opts)
	}
	return st, err
}

// failStore explains a store error. A file held by a writer gets a hint: the
// clerk's grid (or jibao serve) holds it for as long as it is open.
func (a *app) failStore(err error) int {
	if errors.Is(err, store.ErrInUse) {
		return a.fail("%v\n（填报界面或 jibao serve 正在使用数据文件；请在其中查看，或待其退出后再试）", err)
	}
	return a.fail("%v", err)
}

// previousReport is the same unit's report for the previous quarter, across the
// year boundary (Check then reads only its long-running figures), for the rule
// that cumulative figures do not shrink; nil when there is none.
func previousReport(s *store.Store, id model.ReportID) (*model.Report, error) {
	v, err := s.Catalogs().Variant(id.Variant, id.Period)
	if err != nil {
		prev, err := s.Get(model.ReportID{Variant: id.Variant, Unit: id.Unit, Period: id.Period.Before()})
		if errors.Is(err, model.ErrNotFound) {
			return nil, nil
		}
		return prev, err
	}
	return v.LoadPrev(id, s.Get)
}

// unitReport finds --unit among the variant's directory and the units users
// added, and names its report for the period.
func unitReport(s *store.Store, v *model.Variant, p model.Period, name string) (model.Unit, model.ReportID, error) {
	extra, err := s.Units(v.ID)
	if err != nil {
		return model.Unit{}, model.ReportID{}, err
	}
	u, err := v.Unit(name, extra...)
	if err != nil {
		return model.Unit{}, model.ReportID{}, err
	}
	return u, model.ReportID{Variant: v.ID, Unit: u.Name, Period: p}, nil
}
