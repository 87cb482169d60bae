package main

import (
	"errors"
	"fmt"
	"os"

	"jibao/store"
)

// cmdVerify reads every record of the data file and lists the damaged ones by
// unit and period: `jibao verify`. Exit 0 when the file is sound, 1 when it
// is damaged.
func (a *app) cmdVerify(args []string) int {
	var c common
	fs := a.newFlags("verify", &c)
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("用法: jibao verify [--db PATH]")
	}
	path, err := a.dbPath(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	if _, err := os.Stat(path); err != nil {
		return a.fail("数据文件 %s 无法打开: %v", path, err)
	}
	cat, err := a.loadCatalog(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	v, err := store.VerifyPath(path, store.Options{Timeout: storeTimeout, Catalog: cat})
	if err != nil && !errors.Is(err, store.ErrCorrupt) {
		return a.failStore(err)
	}
	if err != nil {
		for _, d := range v.Damaged {
			fmt.Fprintf(a.stdout, "损坏: %s\n", d)
		}
		fmt.Fprintf(a.stderr, "jibao: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(a.stdout, "数据文件 %s 完好：%d 份报表、%d 条历史记录，每条都校验无误\n", path, v.Reports, v.History)
	return exitOK
}

// cmdRestore puts back the newest verified backup: `jibao restore`. The damaged
// file is moved aside first, never deleted.
func (a *app) cmdRestore(args []string) int {
	var c common
	fs := a.newFlags("restore", &c)
	force := fs.Bool("force", false, "数据文件校验无误也恢复（会丢掉备份之后的修改）")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("用法: jibao restore [--force] [--db PATH]")
	}
	path, err := a.dbPath(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	cat, err := a.loadCatalog(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	res, err := store.Restore(path, store.Options{Timeout: storeTimeout, Catalog: cat}, *force)
	for _, sk := range res.Skipped {
		fmt.Fprintf(a.stderr, "jibao: 跳过未通过校验的备份 %s\n", sk)
	}
	if err != nil {
		return a.failStore(err)
	}
	if res.Aside != "" {
		fmt.Fprintf(a.stdout, "原来的数据文件已改名为 %s\n", res.Aside)
	}
	fmt.Fprintf(a.stdout, "已把 %s 的备份（%s）放回 %s\n", res.From.At.Local().Format("2006-01-02 15:04:05"), res.From.Path, path)
	return exitOK
}

// cmdCompact gives the free pages of the data file back to the disk: `jibao
// compact`. It needs the file to itself (stop jibao serve first).
func (a *app) cmdCompact(args []string) int {
	var c common
	fs := a.newFlags("compact", &c)
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("用法: jibao compact [--db PATH]")
	}
	path, err := a.dbPath(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	if _, err := os.Stat(path); err != nil {
		return a.fail("数据文件 %s 无法打开: %v", path, err)
	}
	cat, err := a.loadCatalog(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	res, err := store.Compact(path, store.Options{Timeout: storeTimeout, Catalog: cat})
	if err != nil {
		return a.failStore(err)
	}
	fmt.Fprintf(a.stdout, "已整理 %s：%d → %d 字节（已校验）\n", path, res.Before, res.After)
	return exitOK
}
