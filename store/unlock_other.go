//go:build !unix

package store

import "os"

// unlock is a no-op where bbolt's lock goes with the descriptor.
func unlock(*os.File) {}
