package store

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Compacted says what Compact did.
type Compacted struct {
	Before, After int64 // file sizes in bytes
}

// Compact rewrites the file without its free pages (bbolt keeps the pages that
// copy-on-write freed, so a file only ever grows): it holds the file as its
// only writer, verifies it, copies every bucket into a new file beside it
// (bbolt's Compact), verifies the copy, and renames it over the original. A
// damaged file is not compacted; the original stays until the copy is in place.
func Compact(path string, opts Options) (Compacted, error) {
	var res Compacted
	opts.ReadOnly = false
	s, err := Open(path, opts)
	if err != nil {
		return res, err
	}
	defer s.Close()
	if _, err := s.Verify(); err != nil {
		return res, fmt.Errorf("没有整理：%w", err)
	}
	if fi, err := os.Stat(path); err == nil {
		res.Before = fi.Size()
	}
	tmp := fmt.Sprintf("%s.compact-%d", path, os.Getpid())
	os.Remove(tmp)
	defer os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: opts.NoSync})
	if err != nil {
		return res, s.failWrite(tmp, err)
	}
	err = s.guardCompact(dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, s.failWrite(tmp, err)
	}
	if err := VerifyFile(tmp, Options{Catalog: opts.Catalog}); err != nil {
		return res, fmt.Errorf("整理后的文件校验未通过，原文件保持不变: %w", err)
	}
	if fi, err := os.Stat(tmp); err == nil {
		res.After = fi.Size()
	}
	if err := os.Rename(tmp, path); err != nil {
		return res, s.failWrite(path, err)
	}
	syncDir(filepath.Dir(path))
	return res, nil
}

// guardCompact copies the store into dst under the store's panic guard.
func (s *impl) guardCompact(dst *bolt.DB) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = corrupt(s.path, fmt.Errorf("整理时出错: %v", p))
		}
	}()
	return bolt.Compact(dst, s.db, 64<<20)
}

// failWrite says why a file could not be written.
func (s *impl) failWrite(path string, err error) error {
	if c := cause(path, err, true); c != nil {
		return c
	}
	return fmt.Errorf("无法写入 %s: %w", path, err)
}
