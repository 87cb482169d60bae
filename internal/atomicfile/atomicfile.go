// Package atomicfile writes a file so that a full disk, a killed process or a
// name taken meanwhile never leaves a half-written or lost file: the contents
// go to a temporary file in the same directory, fsynced, then moved into place.
// The exporter and the workstation both write the clerk's files through it.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Write writes path with what write produces. Without force an existing file
// is kept and fs.ErrExist returned, also when the name appears while writing
// (a link refuses an existing target; a file system without links, a FAT USB
// stick, gets the rename). Other errors are the operating system's.
func Write(path string, force bool, write func(io.Writer) error) error {
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return fs.ErrExist
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".jibao-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	_ = os.Chmod(tmp.Name(), 0o644)
	if !force {
		err := os.Link(tmp.Name(), path)
		if err == nil || errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return os.Rename(tmp.Name(), path)
}

// Why says in the clerk's words why a file could not be written.
func Why(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "目录不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有写入权限"
	case errors.Is(err, syscall.ENOSPC):
		return "磁盘已满"
	case errors.Is(err, syscall.EROFS):
		return "只读文件系统"
	case errors.Is(err, syscall.EISDIR):
		return "这是一个目录"
	}
	return err.Error()
}
