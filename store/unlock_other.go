//go:build !unix

package store

import (
	"fmt"
	"os"
)

// unlock is a no-op where bbolt's lock goes with the descriptor.
func unlock(*os.File) {}

// fileOwner is "权限 0600" for the permission message.
func fileOwner(fi os.FileInfo) string { return fmt.Sprintf("权限 %04o", fi.Mode().Perm()) }
