package model

import (
	"errors"
	"time"
)

// The value types below are what a store hands to the workstation, the shell
// commands and the SSH server. They live in model, not in store, so that the
// UI depends on an interface and plain data and never links the database.

// ErrNotFound is what a store returns for a report it does not hold.
var ErrNotFound = errors.New("报表不存在")

// Change is one cell edit; a nil Value clears the cell.
type Change struct {
	Key   CellKey
	Value *Number
}

// Event is one recorded change of a cell value, for history and undo.
type Event struct {
	Seq   uint64
	Key   CellKey
	Old   *Number
	New   *Number
	By    string
	At    time.Time
	Batch uint64 // events of one transaction share a batch (undone together)
}

// ReportInfo is what `jibao list` shows of a report without loading its cells.
type ReportInfo struct {
	ID        ReportID
	UnitType  string
	State     State
	Filled    int
	Total     int
	Errors    int
	Warnings  int
	Updated   time.Time
	UpdatedBy string
	// Damage says why the store could not read this entry ("" when it is
	// sound): the report is listed, by unit and period, but its figures are not.
	Damage string
}

// Cursor is where a clerk left a report, to resume there.
type Cursor struct {
	Form string
	Row  string
	Col  string
	List bool
}

// Notice tells subscribers that a report changed (another session's commit).
type Notice struct {
	ID   ReportID
	By   string
	Keys []CellKey
}
