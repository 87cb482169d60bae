package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// hinted is an error whose whole text is written for the clerk (path, cause, what
// to do), while errors.Is still finds the sentinel it stands for.
type hinted struct {
	kind   error
	msg    string
	detail string // for ErrCorrupt: what is damaged, without the advice
}

func (e *hinted) Error() string { return e.msg }
func (e *hinted) Unwrap() error { return e.kind }

func hint(kind error, format string, args ...any) error {
	return &hinted{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Causes that are not damage. Each has its own message, and none of them points
// at the backups: copying a backup back over a sound file on a read-only disk
// would lose every change since that backup.
var (
	ErrReadOnlyFS = errors.New("数据文件所在的文件系统是只读的")
	ErrPermission = errors.New("没有读写数据文件的权限")
	ErrDiskFull   = errors.New("磁盘已满")
)

// cause turns an operating-system failure on the data file into the clerk's
// message; other errors come back as they are (nil when it is not one of these).
func cause(path string, err error, writing bool) error {
	var hinted *hinted
	if err == nil || errors.As(err, &hinted) {
		return nil
	}
	switch {
	case errors.Is(err, syscall.EROFS):
		return hint(ErrReadOnlyFS, "数据文件 %s 所在的文件系统是只读的，无法写入（文件本身没有损坏，不要用备份覆盖它）。"+
			"请让管理员把它重新挂载为可读写，或用 --db 指定可写位置上的文件；只查看可用 jibao list、jibao check、jibao export", path)
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		what := "刚才的修改没有保存，已保存的数据没有损坏"
		if !writing {
			what = "已保存的数据没有损坏"
		}
		return hint(ErrDiskFull, "数据文件 %s 所在的磁盘已满（%s）。请腾出空间（df -h %s 查看）后重试", path, what, dirOf(path))
	case errors.Is(err, os.ErrPermission):
		return hint(ErrPermission, "没有权限读写数据文件 %s（%s；文件本身没有损坏）。请用文件的所有者运行 jibao，或请管理员调整权限（ls -l %s 查看）",
			path, owner(path), path)
	}
	return nil
}

// owner says who owns the file and who we are, for the permission message.
func owner(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		if fi, err = os.Stat(dirOf(path)); err != nil {
			return fmt.Sprintf("当前用户 uid %d", os.Getuid())
		}
	}
	return fmt.Sprintf("%s %s，当前用户 uid %d", fi.Name(), fileOwner(fi), os.Getuid())
}

func dirOf(path string) string { return filepath.Dir(path) }
