package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"jibao/store"
)

// cmdBackup writes a verified copy of the data file. Without -o it adds a
// generation to the backup folder beside the data file; `-o FILE` writes FILE
// (beside it first, verified, then renamed into place); `-o -` streams it to
// standard output, which is how an office takes a fresh one from a running
// server: ssh 服务器 jibao backup -o - > 备份.db. A file that fails
// verification is never copied.
func (a *app) cmdBackup(args []string) int {
	var c common
	fs := a.newFlags("backup", &c)
	out := fs.String("o", "", "备份文件路径（- 表示标准输出；不给则存入数据文件旁的备份目录）")
	force := fs.Bool("force", false, "覆盖已有的备份文件")
	list := fs.Bool("list", false, "列出备份目录中的各份备份")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("用法: jibao backup [-o FILE|-] [--force] [--list] [--db PATH]")
	}
	if *list {
		return a.listGenerations(&c)
	}
	s, err := a.openStore(&c, true)
	if err != nil {
		if errors.Is(err, store.ErrInUse) {
			hint := "（正在运行的 jibao serve 按时自己备份；要一份最新的，可在办公室电脑上运行 ssh 服务器 jibao backup -o - > 备份.db）"
			if path, perr := a.dbPath(&c); perr == nil {
				if gs, _ := store.Generations(path); len(gs) > 0 {
					hint += fmt.Sprintf("\n最近一份备份：%s（%s）", gs[0].Path, gs[0].At.Local().Format("2006-01-02 15:04"))
				}
			}
			return a.fail("%v\n%s", err, hint)
		}
		return a.fail("%v", err)
	}
	defer s.Close()
	switch *out {
	case "":
		g, err := s.TakeBackup("manual")
		if err != nil {
			return a.fail("%v", err)
		}
		fmt.Fprintf(a.stdout, "已备份 %s 到 %s（%d 字节，已校验）\n", s.Path(), g.Path, g.Size)
		return exitOK
	case "-":
		if _, err := s.BackupTo(a.stdout); err != nil {
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
	fmt.Fprintf(a.stdout, "已备份 %s 到 %s（%d 字节，已校验）\n", s.Path(), dst, n)
	return exitOK
}

// listGenerations prints the backup folder, newest first.
func (a *app) listGenerations(c *common) int {
	path, err := a.dbPath(c)
	if err != nil {
		return a.fail("%v", err)
	}
	gs, err := store.Generations(path)
	if err != nil {
		return a.fail("%v", err)
	}
	if len(gs) == 0 {
		fmt.Fprintf(a.stdout, "%s 里还没有备份\n", store.BackupDir(path))
		return exitOK
	}
	fmt.Fprintf(a.stdout, "%s 的备份（新的在前）:\n", path)
	for _, g := range gs {
		fmt.Fprintf(a.stdout, "  %s  %-7s %10d 字节  %s\n", g.At.Local().Format("2006-01-02 15:04:05"), g.Why, g.Size, g.Path)
	}
	return exitOK
}

// writeBackup writes a verified copy beside dst and renames it into place, so
// dst is never half a backup.
func writeBackup(s *store.Store, dst string) (int64, error) {
	tmp := dst + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("无法写入备份文件 %s: %v", tmp, err)
	}
	n, err := s.BackupTo(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// A backup is only worth keeping if it reads back whole.
		err = s.VerifyCopy(tmp)
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
