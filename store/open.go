package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"jibao/model"
)

// formatMarker tells a jibao file from any other bbolt file.
const formatMarker = "jibao-store"

// SchemaVersion is the layout this binary writes. Version 1 had no info index
// (List decoded every report); opening it rebuilds the index.
const SchemaVersion = 2

var (
	kFormat  = []byte("format")
	kSchema  = []byte("schema")
	kCatalog = []byte("catalog") // fingerprint of the catalog the info index was computed with
)

// BackupPath is where Open keeps the copy of the last good file.
func BackupPath(path string) string { return path + ".bak" }

func open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if opts.Catalog == nil {
		opts.Catalog = model.DefaultCatalog()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st, statErr := os.Stat(path)
	if opts.ReadOnly && statErr != nil {
		return nil, fmt.Errorf("数据文件 %s 无法打开: %w（还没有录入过数据？）", path, statErr)
	}
	if statErr == nil && st.IsDir() {
		return nil, fmt.Errorf("数据文件 %s 是一个目录；请用 --db 指定一个文件", path)
	}
	fresh := statErr != nil || st.Size() == 0
	if opts.ReadOnly && fresh {
		return nil, fmt.Errorf("数据文件 %s 是空的（还没有录入过数据？）", path)
	}
	db, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	s := &Store{impl{path: path, db: db, cat: opts.Catalog, now: opts.Now, readOnly: opts.ReadOnly, group: opts.GroupCommit}}
	version, err := s.validate(!opts.ReadOnly)
	if err != nil {
		db.Close()
		return nil, err
	}
	if opts.ReadOnly {
		if version != SchemaVersion {
			db.Close()
			return nil, fmt.Errorf("数据文件 %s 的格式版本为 %d，需要先升级；请先不带只读方式运行一次 jibao", path, version)
		}
		return s, nil
	}
	if !fresh && version > 0 {
		if err := s.rollingBackup(); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return s.migrate(tx, version) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("数据文件 %s 初始化失败: %w", path, err)
	}
	if fresh && !opts.NoSync {
		// bbolt syncs the file, not the folder entry that names a new file.
		syncDir(filepath.Dir(path))
	}
	return s, nil
}

// openBolt opens the file, turning bbolt's failures into our errors. A damaged
// file can make bbolt read past the end of its memory map; with SetPanicOnFault
// that is a recoverable panic instead of a crash.
func openBolt(path string, opts Options) (db *bolt.DB, err error) {
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("无法创建数据目录 %s: %w", filepath.Dir(path), err)
		}
	}
	// bbolt does not close its file when it panics; we do, to release the lock.
	var file *os.File
	openFile := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag, perm)
		file = f
		return f, err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if file != nil {
				unlock(file)
				file.Close()
			}
			db, err = nil, corrupt(path, fmt.Errorf("%v", p))
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly,
		NoSync: opts.NoSync, OpenFile: openFile})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, hint(ErrInUse, "数据文件 %s 正被另一个 jibao 进程使用（等了 %v 仍未释放）。请先退出另一个 jibao，或用 --db 指定别的文件", path, opts.Timeout)
	case errors.Is(err, os.ErrPermission):
		return nil, fmt.Errorf("数据文件 %s 没有读写权限: %w", path, err)
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("数据文件 %s 不存在: %w", path, err)
	default:
		return nil, corrupt(path, err)
	}
}

// corrupt wraps ErrCorrupt with the path and where the last good copy is.
func corrupt(path string, cause error) error {
	bak := "没有找到备份文件"
	if _, err := os.Stat(BackupPath(path)); err == nil {
		bak = "上次正常打开时的备份保存在 " + BackupPath(path) + "，可复制回来后重试"
	}
	return hint(ErrCorrupt, "数据文件 %s 已损坏或不是 jibao 的数据文件（%v）。%s，或用 --db 指定别的文件", path, cause, bak)
}

// validate checks that the file is a sound jibao file and returns its schema
// version (0 for a new, empty file). When deep is set it reads every key and value,
// so that the rolling backup only ever copies a good file.
func (s *impl) validate(deep bool) (version int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = corrupt(s.path, fmt.Errorf("%v", p))
		}
	}()
	err = s.db.View(func(tx *bolt.Tx) error {
		if fi, err := os.Stat(s.path); err == nil && tx.Size() > fi.Size() {
			return corrupt(s.path, fmt.Errorf("文件被截断：应有 %d 字节，实有 %d 字节", tx.Size(), fi.Size()))
		}
		if deep {
			if err := walk(tx); err != nil {
				return corrupt(s.path, err)
			}
		}
		meta := tx.Bucket(bMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return corrupt(s.path, errors.New("不是 jibao 的数据文件"))
			}
			return nil
		}
		if !bytes.Equal(meta.Get(kFormat), []byte(formatMarker)) {
			return corrupt(s.path, errors.New("不是 jibao 的数据文件"))
		}
		raw := meta.Get(kSchema)
		if len(raw) != 4 {
			return corrupt(s.path, errors.New("缺少格式版本"))
		}
		if deep {
			if err := decodeAll(tx); err != nil {
				return corrupt(s.path, err)
			}
		}
		version = int(binary.BigEndian.Uint32(raw))
		if version < 1 {
			return corrupt(s.path, fmt.Errorf("格式版本 %d 无效", version))
		}
		if version > SchemaVersion {
			return hint(ErrNewerSchema, "数据文件 %s 由更新版本的 jibao 创建（格式版本 %d，本程序只认到 %d）。请改用新版 jibao 打开", s.path, version, SchemaVersion)
		}
		return nil
	})
	return version, err
}

// migrate creates the buckets of a new file and brings an older one up to date,
// in the one transaction that also records the new version.
func (s *impl) migrate(tx *bolt.Tx, version int) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	// The List index holds rule results; when the rules change (another catalog
	// file), it is recomputed, as it is for a version 1 file that had none.
	fp := catalogFingerprint(s.cat)
	if version > 0 && (version < 2 || !bytes.Equal(meta.Get(kCatalog), fp)) {
		if err := s.rebuildInfo(tx); err != nil {
			return fmt.Errorf("重建报表概况时出错（格式版本 %d）: %w", version, err)
		}
	}
	if !bytes.Equal(meta.Get(kCatalog), fp) {
		if err := meta.Put(kCatalog, fp); err != nil {
			return err
		}
	}
	if version == SchemaVersion {
		return nil
	}
	if err := meta.Put(kFormat, []byte(formatMarker)); err != nil {
		return err
	}
	return meta.Put(kSchema, binary.BigEndian.AppendUint32(nil, SchemaVersion))
}

// catalogFingerprint identifies the forms and rules the List index was computed
// with.
func catalogFingerprint(c *model.Catalog) []byte {
	b, err := json.Marshal(c)
	if err != nil {
		return nil
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// rebuildInfo recomputes the List index from the reports themselves.
func (s *impl) rebuildInfo(tx *bolt.Tx) error {
	reports, info := tx.Bucket(bReports), tx.Bucket(bInfo)
	type item struct {
		k []byte
		r *model.Report
	}
	var all []item
	err := reports.ForEach(func(k, v []byte) error {
		r, err := decodeReport(v)
		if err != nil {
			return fmt.Errorf("报表 %q: %w", k, err)
		}
		all = append(all, item{append([]byte(nil), k...), r})
		return nil
	})
	if err != nil {
		return err
	}
	for _, it := range all {
		prev, err := s.loadPrev(tx, it.r.ID())
		if err != nil {
			return err
		}
		if err := info.Put(it.k, encodeInfo(s.info(it.r, prev))); err != nil {
			return err
		}
	}
	return nil
}

// rollingBackup copies the file, as it is before this process writes anything, to
// PATH.bak: written to a temporary file, synced, then renamed over the old copy,
// so that a crash mid-copy never leaves a half backup in its place.
func (s *impl) rollingBackup() error {
	bak := BackupPath(s.path)
	tmp := bak + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("无法写入备份文件 %s: %w", tmp, err)
	}
	_, err = s.backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, bak)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("无法保存备份文件 %s: %w", bak, err)
	}
	syncDir(filepath.Dir(bak))
	return nil
}

// syncDir makes a new or renamed file's name durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// walk reads every bucket, key and value in this goroutine, where a fault on a
// damaged page is a recoverable panic (tx.Check would run in a goroutine of its own,
// where it is not).
func walk(tx *bolt.Tx) error {
	var visit func(b *bolt.Bucket, depth int) error
	visit = func(b *bolt.Bucket, depth int) error {
		if depth > 8 {
			return errors.New("桶嵌套过深")
		}
		var x byte
		return b.ForEach(func(k, v []byte) error {
			if len(v) > 0 {
				x ^= v[0] ^ v[len(v)-1] // touch the value's first and last page
			}
			if v == nil {
				if c := b.Bucket(k); c != nil {
					return visit(c, depth+1)
				}
			}
			return nil
		})
	}
	return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return visit(b, 0) })
}

// decodeAll decodes every report and List entry, which bbolt's own checks cannot
// vouch for (bbolt keeps no checksums of values).
func decodeAll(tx *bolt.Tx) error {
	if b := tx.Bucket(bReports); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			if err := skimReport(v); err != nil {
				return fmt.Errorf("报表 %q: %w", k, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if b := tx.Bucket(bInfo); b != nil {
		return b.ForEach(func(k, v []byte) error {
			_, err := decodeInfo(k, v)
			return err
		})
	}
	return nil
}
