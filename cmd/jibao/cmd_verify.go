package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"jibao/store"
)

// fileCommand parses the flags of a command that works on the data file as a
// whole (verify, restore, compact) and returns the file's path and the store
// options; ok is false after it has said what was wrong (code is the exit code).
func (a *app) fileCommand(name string, args []string, extra func(fs *flag.FlagSet), mustExist bool) (path string, opts store.Options, code int, ok bool) {
	var c common
	fs := a.newFlags(name, &c)
	if extra != nil {
		extra(fs)
	}
	if !a.parse(fs, args) {
		return "", opts, exitUsage, false
	}
	if fs.NArg() > 0 {
		return "", opts, a.fail("用法: jibao %s [--db PATH]（多余的参数 %q）", name, fs.Args()), false
	}
	path, err := a.dbPath(&c)
	if err != nil {
		return "", opts, a.fail("%v", err), false
	}
	if _, err := os.Stat(path); err != nil && mustExist {
		return "", opts, a.fail("数据文件 %s 无法打开: %v", path, err), false
	}
	cat, err := a.loadCatalog(&c)
	if err != nil {
		return "", opts, a.fail("%v", err), false
	}
	return path, store.Options{Timeout: storeTimeout, Catalog: cat}, exitOK, true
}

// cmdVerify reads every record of the data file and lists the damaged ones by
// unit and period: `jibao verify`. Exit 0 when the file is sound, 1 when it
// is damaged.
func (a *app) cmdVerify(args []string) int {
	path, opts, code, ok := a.fileCommand("verify", args, nil, true)
	if !ok {
		return code
	}
	v, err := store.VerifyPath(path, opts)
	if errors.Is(err, store.ErrOlderSchema) {
		if err = store.Upgrade(path, opts); err == nil {
			v, err = store.VerifyPath(path, opts)
		}
	}
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
	var force *bool
	path, opts, code, ok := a.fileCommand("restore", args, func(fs *flag.FlagSet) {
		force = fs.Bool("force", false, "数据文件校验无误也恢复（会丢掉备份之后的修改）")
	}, false)
	if !ok {
		return code
	}
	res, err := store.Restore(path, opts, *force)
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
	path, opts, code, ok := a.fileCommand("compact", args, nil, true)
	if !ok {
		return code
	}
	res, err := store.Compact(path, opts)
	if err != nil {
		return a.failStore(err)
	}
	fmt.Fprintf(a.stdout, "已整理 %s：%d → %d 字节（已校验）\n", path, res.Before, res.After)
	return exitOK
}
