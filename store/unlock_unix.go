//go:build unix

package store

import (
	"fmt"
	"os"
	"syscall"
)

// unlock drops the lock of a file bbolt abandoned mid-open: its memory map still
// holds the file, so closing the descriptor alone would keep the lock.
func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// fileOwner is "属于 uid N、权限 0600" for the permission message.
func fileOwner(fi os.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf("属于 uid %d、权限 %04o", st.Uid, fi.Mode().Perm())
	}
	return fmt.Sprintf("权限 %04o", fi.Mode().Perm())
}
