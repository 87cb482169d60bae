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
// (List decoded every report); version 2 had no checksums, one history record
// per changed cell and cell keys as strings. Opening either for writing
// migrates it to version 3 (see migrate.go).
const SchemaVersion = 3

var (
	kFormat  = []byte("format")
	kSchema  = []byte("schema")
	kCatalog = []byte("catalog") // fingerprint of the catalog the info index was computed with
)

func open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st, statErr := os.Stat(path)
	switch {
	case statErr != nil && !errors.Is(statErr, os.ErrNotExist):
		if c := cause(path, statErr, false); c != nil {
			return nil, c
		}
		return nil, fmt.Errorf("数据文件 %s 无法打开: %w", path, statErr)
	case statErr != nil && opts.ReadOnly:
		return nil, fmt.Errorf("数据文件 %s 无法打开: %w（还没有录入过数据？）", path, statErr)
	case statErr != nil:
		// A store is created only where no file is: a new file is made whole
		// beside the path and linked into place, so an empty or half-made file
		// at the path is never ours and is refused below.
		if err := create(path, opts); err != nil {
			return nil, err
		}
	case st.IsDir():
		return nil, fmt.Errorf("数据文件 %s 是一个目录；请用 --db 指定一个文件", path)
	case st.Size() == 0:
		return nil, corrupt(path, errors.New("文件是空的（0 字节）"))
	case st.Size() < 4*4096:
		return nil, corrupt(path, fmt.Errorf("文件只有 %d 字节，被截断了", st.Size()))
	}
	db, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	s := &Store{impl{path: path, db: db, flagCat: opts.Catalog, now: opts.Now, readOnly: opts.ReadOnly,
		group: opts.GroupCommit, noSync: opts.NoSync}}
	if err := s.loadCatalogs(); err != nil {
		db.Close()
		return nil, err
	}
	version, current, err := s.validate()
	if err == nil && version == SchemaVersion {
		err = s.view(func(tx *bolt.Tx) error {
			var err error
			if s.dict, err = loadDict(tx); err != nil {
				return corrupt(path, err)
			}
			return nil
		})
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if opts.ReadOnly {
		if version != SchemaVersion {
			db.Close()
			return nil, hint(ErrOlderSchema, "数据文件 %s 的格式版本为 %d，需要先升级：jibao verify --db %s 会先升级它", path, version, path)
		}
		return s, nil
	}
	if version > 0 && version < SchemaVersion {
		// Before an upgrade, a copy of the file as it was (once; jibao of the
		// version before can still read it).
		if err := s.keepOld(version); err != nil {
			db.Close()
			return nil, err
		}
	}
	// An up-to-date file is not written at all at open: no commit, no fsync.
	if !current {
		if err := s.guardUpdate(func(tx *bolt.Tx) error { return s.migrate(tx, version) }); err != nil {
			db.Close()
			var h *hinted
			if errors.As(err, &h) {
				return nil, err
			}
			return nil, fmt.Errorf("数据文件 %s 初始化失败: %w", path, err)
		}
	}
	s.startBackups()
	return s, nil
}

// Upgrade migrates an older file to this binary's schema (a writer's open and
// close), so that read-only commands can open it.
func Upgrade(path string, opts Options) error {
	opts.ReadOnly = false
	s, err := Open(path, opts)
	if err != nil {
		return err
	}
	return s.Close()
}

// create makes a new, empty jibao file at path: built in a temporary file in the
// same folder, synced, then linked to path, which fails if a file appeared there
// meanwhile (another jibao created it: then that one is used).
func create(path string, opts Options) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		if c := cause(dir, err, true); c != nil {
			return c
		}
		return fmt.Errorf("无法创建数据目录 %s: %w", dir, err)
	}
	tmp := fmt.Sprintf("%s.new-%d", path, os.Getpid())
	os.Remove(tmp)
	defer os.Remove(tmp)
	fail := func(err error) error {
		if c := cause(path, err, true); c != nil {
			return c
		}
		return fmt.Errorf("无法创建数据文件 %s: %w", path, err)
	}
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: opts.Timeout, NoSync: opts.NoSync})
	if err != nil {
		return fail(err)
	}
	s := &impl{path: tmp, db: db, flagCat: opts.Catalog, now: opts.Now, dict: &cellDict{ids: map[model.CellKey]uint64{}}}
	s.cats.Store(model.NewCatalogs(model.DefaultCatalog(), opts.Catalog))
	err = db.Update(func(tx *bolt.Tx) error { return s.migrate(tx, 0) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, os.ErrExist) {
		// A file system without hard links (FAT, some network shares): rename,
		// which is atomic too, though it would replace a file that appeared
		// in the last instant.
		if _, serr := os.Lstat(path); !errors.Is(serr, os.ErrNotExist) {
			return fail(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fail(err)
		}
	}
	if !opts.NoSync {
		// bbolt syncs the file, not the folder entry that names a new file.
		syncDir(dir)
	}
	return nil
}

// openBolt opens the file, turning bbolt's failures into our errors. A damaged
// file can make bbolt read past the end of its memory map; with SetPanicOnFault
// that is a recoverable panic instead of a crash.
func openBolt(path string, opts Options) (db *bolt.DB, err error) {
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
	bopts := &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly, NoSync: opts.NoSync, OpenFile: openFile}
	db, err = bolt.Open(path, 0o600, bopts)
	if err == nil && replaced(path, file) {
		// jibao compact or restore renamed a new file into place while we
		// waited for the old one's lock: open the file that is there now.
		db.Close()
		db, err = bolt.Open(path, 0o600, bopts)
	}
	if err == nil {
		return db, nil
	}
	if c := cause(path, err, !opts.ReadOnly); c != nil {
		return nil, c
	}
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, hint(ErrInUse, "数据文件 %s 正被另一个 jibao 进程使用（等了 %v 仍未释放）。请先退出另一个 jibao，或用 --db 指定别的文件", path, opts.Timeout)
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("数据文件 %s 不存在: %w", path, err)
	default:
		return nil, corrupt(path, err)
	}
}

// replaced reports whether the file held open is no longer the one at path.
func replaced(path string, f *os.File) bool {
	if f == nil {
		return false
	}
	a, err1 := os.Stat(path)
	b, err2 := f.Stat()
	return err1 == nil && err2 == nil && !os.SameFile(a, b)
}

// corrupt wraps ErrCorrupt with the path and the exact command that puts back
// the newest verified backup; only damage points at the backups.
func corrupt(path string, cause error) error {
	return &hinted{kind: ErrCorrupt, detail: cause.Error(),
		msg: fmt.Sprintf("数据文件 %s 已损坏或不是 jibao 的数据文件（%v）。%s", path, cause, recovery(path))}
}

// recovery is what to do about a damaged file: restore the newest backup, or,
// when there is none, move the file aside and start anew.
func recovery(path string) string {
	if g := newestGeneration(path); g != "" {
		return fmt.Sprintf("恢复办法：jibao restore --db %s（损坏的文件会先改名留在旁边，再放回最近一份校验无误的备份，现有最新的是 %s）", path, g)
	}
	return fmt.Sprintf("没有找到备份（%s）。其余报表仍可读取和导出（jibao verify 列出损坏的记录）；要重新开始，先把它移开：mv %s %s.damaged", BackupDir(path), path, path)
}

// validate makes the cheap checks of an open, whose cost does not grow with the
// number of reports: the file's size against bbolt's meta page, the format marker,
// the schema version and the buckets. It returns the schema version, and whether
// the file is current (its version, and the List index computed with this
// catalog). The full check of every record is Verify's.
func (s *impl) validate() (version int, current bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if fi, err := os.Stat(s.path); err == nil && tx.Size() > fi.Size() {
			return corrupt(s.path, fmt.Errorf("文件被截断：应有 %d 字节，实有 %d 字节", tx.Size(), fi.Size()))
		}
		meta := tx.Bucket(bMeta)
		if meta == nil {
			return corrupt(s.path, errors.New("不是 jibao 的数据文件"))
		}
		if !bytes.Equal(meta.Get(kFormat), []byte(formatMarker)) {
			return corrupt(s.path, errors.New("不是 jibao 的数据文件"))
		}
		raw := meta.Get(kSchema)
		if len(raw) != 4 {
			return corrupt(s.path, errors.New("缺少格式版本"))
		}
		version = int(binary.BigEndian.Uint32(raw))
		if version < 1 {
			return corrupt(s.path, fmt.Errorf("格式版本 %d 无效", version))
		}
		if version > SchemaVersion {
			return hint(ErrNewerSchema, "数据文件 %s 由更新版本的 jibao 创建（格式版本 %d，本程序只认到 %d）。请改用新版 jibao 打开", s.path, version, SchemaVersion)
		}
		for _, name := range coreBuckets {
			if version < 2 && bytes.Equal(name, bInfo) || version < 3 && bytes.Equal(name, bCells) {
				continue
			}
			if tx.Bucket(name) == nil {
				return corrupt(s.path, fmt.Errorf("缺少 %s 部分", name))
			}
		}
		complete := true
		for _, name := range allBuckets {
			complete = complete && tx.Bucket(name) != nil
		}
		if version == SchemaVersion {
			if _, err := counts(meta); err != nil {
				return corrupt(s.path, err)
			}
		}
		current = complete && version == SchemaVersion && bytes.Equal(meta.Get(kCatalog), catalogFingerprint(s.catalogs()))
		return nil
	})
	return version, current, err
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
	if s.dict == nil {
		var err error
		if s.dict, err = loadDict(tx); err != nil {
			return corrupt(s.path, err)
		}
	}
	fp := catalogFingerprint(s.catalogs())
	changed := !bytes.Equal(meta.Get(kCatalog), fp)
	if changed || version < SchemaVersion {
		// Every cell of every year's catalog gets its id before anything is
		// encoded.
		cats := s.catalogs()
		for _, y := range cats.Years() {
			c, _ := cats.Year(y)
			if err := s.dict.register(tx, c); err != nil {
				return err
			}
		}
	}
	if version > 0 && version < SchemaVersion {
		if err := s.upgrade(tx, version); err != nil {
			return err
		}
	}
	// The List index holds rule results; when the rules change (another catalog
	// file), it is recomputed, as it is after an upgrade.
	if version > 0 && (version < SchemaVersion || changed) {
		if err := s.rebuildInfo(tx); err != nil {
			return fmt.Errorf("重建报表概况时出错（格式版本 %d）: %w", version, err)
		}
	}
	if changed {
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
func catalogFingerprint(cs *model.Catalogs) []byte {
	h := sha256.New()
	for _, y := range cs.Years() {
		c, _ := cs.Year(y)
		b, err := json.Marshal(c)
		if err != nil {
			return nil
		}
		h.Write(b)
	}
	return h.Sum(nil)
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
		r, err := decodeReport(s.dict, k, v)
		if err != nil {
			return s.damaged(k, "报表", err)
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
		if err := info.Put(it.k, encodeInfo(it.k, s.info(it.r, prev))); err != nil {
			return err
		}
	}
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
