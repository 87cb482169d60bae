//go:build unix

package store

import (
	"os"
	"syscall"
)

// unlock drops the lock of a file bbolt abandoned mid-open: its memory map still
// holds the file, so closing the descriptor alone would keep the lock.
func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
