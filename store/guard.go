package store

import (
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// Every transaction goes through view or guardUpdate. bbolt trusts its pages:
// on a damaged file it can index out of range or read past its memory map. Here
// that panic (a fault made recoverable with SetPanicOnFault, which holds for
// this goroutine only) becomes ErrCorrupt at the store's boundary, so no command
// dies of a damaged file.

// view runs a read transaction, turning a panic inside bbolt into ErrCorrupt.
func (s *impl) view(fn func(tx *bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = corrupt(s.path, fmt.Errorf("读取时出错: %v", p))
		}
	}()
	return s.db.View(fn)
}

// guardUpdate runs a write transaction the same way; bbolt rolls the
// transaction back before the panic reaches us. A failed write says its real
// cause (disk full, read-only file system).
func (s *impl) guardUpdate(fn func(tx *bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = corrupt(s.path, fmt.Errorf("写入时出错: %v", p))
		}
		if c := cause(s.path, err, true); c != nil {
			err = c
		}
	}()
	if s.group {
		// Batch may run fn more than once; write's fn only touches the tx and
		// the txn it returns, and the caller sees only the run that committed.
		// It may run fn in a goroutine of bbolt's (a timer's), where our guard
		// above does not hold: fn gets its own.
		return s.db.Batch(func(tx *bolt.Tx) (err error) {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer func() {
				if p := recover(); p != nil {
					err = corrupt(s.path, fmt.Errorf("写入时出错: %v", p))
				}
			}()
			return fn(tx)
		})
	}
	return s.db.Update(fn)
}
