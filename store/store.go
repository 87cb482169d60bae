// Package store keeps reports in a bbolt file so that no committed number is ever
// lost: every committed cell is its own fsynced transaction, every change is
// recorded in the history, and the file survives kill -9.
//
// This file fixes the public API that the grid, the shell commands and the SSH
// server are written against.
package store

import (
	"errors"
	"io"
	"time"

	"jibao/model"
)

// Errors a caller may want to tell apart; each is wrapped with the path and a hint
// in Chinese.
var (
	ErrInUse       = errors.New("数据文件正被另一个 jibao 进程使用")
	ErrCorrupt     = errors.New("数据文件已损坏或不是 jibao 的数据文件")
	ErrNewerSchema = errors.New("数据文件由更新版本的 jibao 创建")
	ErrOlderSchema = errors.New("数据文件的格式版本较旧，需要先升级（Upgrade）")
	ErrIncomplete  = errors.New("报表尚未填完或仍有错误")
)

// Options tune Open.
type Options struct {
	Timeout  time.Duration // how long to wait for the file lock; 0 means 1s
	ReadOnly bool          // shared lock; writers elsewhere block us, not we them
	NoSync   bool          // tests only: skips fsync
	// GroupCommit lets concurrent writes share one fsynced transaction (bbolt
	// Batch): for jibao serve, where many sessions commit at once and one fsync
	// per cell would queue them behind the disk. A lone writer waits up to
	// bbolt's MaxBatchDelay (10 ms) longer per commit, so it is off by default.
	GroupCommit bool
	Catalog     *model.Catalog
	Now         func() time.Time // clock for history and Updated; nil means time.Now

}

// Store is an open jibao data file.
type Store struct {
	impl
}

// Open opens or creates the data file at path.
func Open(path string, opts Options) (*Store, error) { return open(path, opts) }

// Close releases the file.
func (s *Store) Close() error { return s.close() }

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// Get loads a report; ErrNotFound when there is none.
func (s *Store) Get(id model.ReportID) (*model.Report, error) { return s.get(id) }

// Ensure loads a report or creates an empty draft for the unit.
func (s *Store) Ensure(id model.ReportID, unitType string, by string) (*model.Report, error) {
	return s.ensure(id, unitType, by)
}

// SetCells commits cell changes in one durable transaction with history.
func (s *Store) SetCells(id model.ReportID, changes []model.Change, by string) (*model.Report, error) {
	return s.setCells(id, changes, by)
}

// SetHeader stores the header line (填报单位, 填表人, 联系电话, date).
func (s *Store) SetHeader(id model.ReportID, h model.Header, by string) error {
	return s.setHeader(id, h, by)
}

// SetComment stores a per-cell comment ("" removes it).
func (s *Store) SetComment(id model.ReportID, k model.CellKey, text, by string) error {
	return s.setComment(id, k, text, by)
}

// Confirm records the clerk's confirmation of a warning; a nil c withdraws it.
func (s *Store) Confirm(id model.ReportID, findingKey string, c *model.Confirmation) error {
	return s.confirm(id, findingKey, c)
}

// SetState is the clerk's submit (model.StateComplete, now 已上报) or withdraw
// (model.StateDraft); see Move for the whole reporting cycle.
func (s *Store) SetState(id model.ReportID, st model.State, by string) error {
	return s.setState(id, st, by)
}

// PutReport stores a whole report (import, copy from last quarter) in one
// transaction, recording every changed cell in the history.
func (s *Store) PutReport(r *model.Report, by string) error { return s.putReport(r, by) }

// List returns the info of every report of a variant ("" for all), optionally of
// one period. A damaged entry makes it ErrCorrupt naming the report: a sum or a
// check over the period must not quietly leave a report out.
func (s *Store) List(variant string, period *model.Period) ([]model.ReportInfo, error) {
	infos, err := s.list(variant, period)
	if err != nil {
		return nil, err
	}
	var damaged []string
	for _, in := range infos {
		if in.Damage != "" {
			damaged = append(damaged, in.Damage)
		}
	}
	if len(damaged) > 0 {
		return nil, s.Damaged(damaged)
	}
	return infos, nil
}

// ListDamaged is List that keeps going past damaged entries: they come back
// with Damage set (by unit and period), the rest as usual; for jibao list.
func (s *Store) ListDamaged(variant string, period *model.Period) ([]model.ReportInfo, error) {
	return s.list(variant, period)
}

// History lists the recorded changes of one cell, oldest first.
func (s *Store) History(id model.ReportID, k model.CellKey) ([]model.Event, error) {
	return s.history(id, k)
}

// Undo reverts the last batch of changes that user made to the report; it works
// across restarts. It returns the reverted events (none when nothing is left).
func (s *Store) Undo(id model.ReportID, user string) ([]model.Event, error) { return s.undo(id, user) }

// Redo reapplies the last undone batch of the user.
func (s *Store) Redo(id model.ReportID, user string) ([]model.Event, error) { return s.redo(id, user) }

// SetCursor remembers where a user left a report, and that it was the last opened.
func (s *Store) SetCursor(id model.ReportID, user string, c model.Cursor) error {
	return s.setCursor(id, user, c)
}

// Cursor returns where the user left the report.
func (s *Store) Cursor(id model.ReportID, user string) (model.Cursor, bool, error) {
	return s.cursor(id, user)
}

// LastOpened is the report the user opened last.
func (s *Store) LastOpened(user string) (model.ReportID, bool, error) { return s.lastOpened(user) }

// Catalogs is every year's form set in force: the embedded 2025 one, the newest
// version of each year added with AddCatalog, and Options.Catalog over both.
func (s *Store) Catalogs() *model.Catalogs { return s.catalogs() }

// AddCatalog checks a catalog file and stores it as the next version of its
// year; refused with ErrIncompatible when the year has reports and the file
// does more than add. Every later Open, and this Store at once, use it.
func (s *Store) AddCatalog(file []byte, by string) (StoredCatalog, error) {
	return s.addCatalog(file, by)
}

// FilledWith is the version of its year's catalog the report was last written
// with (0: the one built into jibao); ok is false for a report written before
// jibao kept this.
func (s *Store) FilledWith(id model.ReportID) (version int, ok bool, err error) {
	return s.filledWith(id)
}

// StoredCatalogs lists every added catalog version, oldest first.
func (s *Store) StoredCatalogs() ([]StoredCatalog, error) { return s.storedCatalogList() }

// Units lists the units users added to a variant's directory.
func (s *Store) Units(variant string) ([]model.Unit, error) { return s.units(variant) }

// AddUnit adds a unit to a variant's directory.
func (s *Store) AddUnit(variant string, u model.Unit) error { return s.addUnit(variant, u) }

// Backup writes a consistent hot copy of the file.
func (s *Store) Backup(w io.Writer) (int64, error) { return s.backup(w) }

// Subscribe delivers a Notice for every committed change made through this Store
// (all sessions of one server share it). cancel stops delivery.
func (s *Store) Subscribe() (<-chan model.Notice, func()) { return s.subscribe() }
