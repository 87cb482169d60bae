package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"jibao/store"
)

// cmdBackup writes a consistent copy of the data file: `jibao backup -o FILE`
// ("-" for standard output). The copy is written beside FILE, checked by opening
// it, then renamed into place, so FILE is never half a backup.
func (a *app) cmdBackup(args []string) int {
	var c common
	fs := a.newFlags("backup", &c)
	out := fs.String("o", "", "备份文件路径（- 表示标准输出）")
	force := fs.Bool("force", false, "覆盖已有的备份文件")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if *out == "" || fs.NArg() > 0 {
		return a.fail("用法: jibao backup -o FILE [--force] [--db PATH]")
	}
	s, err := a.openStore(&c, true)
	if err != nil {
		if path, perr := a.dbPath(&c); perr == nil && errors.Is(err, store.ErrInUse) {
			// bbolt lets no reader in beside a writer; the running jibao's
			// start-up copy is the next best thing.
			if _, serr := os.Stat(store.BackupPath(path)); serr == nil {
				return a.fail("%v\n（正在运行的 jibao 启动时已把当时的数据备份到 %s）", err, store.BackupPath(path))
			}
		}
		return a.fail("%v", err)
	}
	defer s.Close()
	if *out == "-" {
		if _, err := s.Backup(a.stdout); err != nil {
			return a.fail("%v", err)
		}
		return exitOK
	}
	dst, err := filepath.Abs(*out)
	if err != nil {
		return a.fail("备份文件路径 %s 无效: %v", *out, err)
	}
	if src, _ := filepath.Abs(s.Path()); src == dst {
		return a.fail("备份文件不能是数据文件本身（%s）", dst)
	}
	if _, err := os.Stat(dst); err == nil && !*force {
		return a.fail("备份文件 %s 已存在；要覆盖请加 --force", dst)
	}
	n, err := writeBackup(s, dst)
	if err != nil {
		return a.fail("%v", err)
	}
	fmt.Fprintf(a.stdout, "已备份 %s 到 %s（%d 字节）\n", s.Path(), dst, n)
	return exitOK
}

func writeBackup(s *store.Store, dst string) (int64, error) {
	tmp := dst + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("无法写入备份文件 %s: %v", tmp, err)
	}
	n, err := s.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// A backup is only worth keeping if it opens.
		var c *store.Store
		if c, err = store.Open(tmp, store.Options{ReadOnly: true}); err == nil {
			err = c.Close()
		}
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("备份到 %s 失败: %v", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("备份到 %s 失败: %v", dst, err)
	}
	return n, nil
}
