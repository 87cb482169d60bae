package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Restored says what Restore did.
type Restored struct {
	From    Generation // the generation put back
	Aside   string     // where the damaged file was moved ("" when there was none)
	Skipped []string   // newer generations that failed verification, with why
}

// Restore puts back the newest generation that passes verification. The file
// at path, when there is one, is moved aside first (PATH.damaged-TIME), never
// deleted. A file that itself verifies is left alone unless force is set: a
// backup is older than the file, and copying it back loses every change since.
func Restore(path string, opts Options, force bool) (Restored, error) {
	var res Restored
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if _, err := os.Stat(path); err == nil {
		cur := opts
		cur.ReadOnly = true
		err := VerifyFile(path, cur)
		switch {
		case errors.Is(err, ErrInUse):
			return res, err
		case err == nil && !force:
			return res, fmt.Errorf("数据文件 %s 校验无误，不需要恢复（恢复会丢掉最近一份备份之后的修改；确要如此请加 --force）", path)
		case err != nil && !errors.Is(err, ErrCorrupt) && !force:
			return res, fmt.Errorf("数据文件 %s 不是损坏，而是：%v；恢复备份解决不了这个问题", path, err)
		}
	}
	gs, err := Generations(path)
	if err != nil {
		return res, err
	}
	for _, g := range gs {
		if err := VerifyFile(g.Path, opts); err != nil {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: %v", g.Path, err))
			continue
		}
		res.From = g
		break
	}
	if res.From.Path == "" {
		return res, fmt.Errorf("%s 里没有一份校验无误的备份，无法恢复（%d 份都未通过校验）", BackupDir(path), len(gs))
	}
	dir := filepath.Dir(path)
	tmp := fmt.Sprintf("%s.restore-%d", path, os.Getpid())
	defer os.Remove(tmp)
	if err := copyFile(res.From.Path, tmp); err != nil {
		if c := cause(path, err, true); c != nil {
			return res, c
		}
		return res, fmt.Errorf("无法复制备份 %s: %w", res.From.Path, err)
	}
	if _, err := os.Stat(path); err == nil {
		res.Aside = path + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(path, res.Aside); err != nil {
			return res, fmt.Errorf("无法把损坏的文件移到 %s: %w", res.Aside, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return res, fmt.Errorf("无法放回备份（损坏的文件在 %s）: %w", res.Aside, err)
	}
	syncDir(dir)
	return res, nil
}

// copyFile copies src to dst (new, 0600) and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
