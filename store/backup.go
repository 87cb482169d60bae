package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backups are generations: whole copies of the file in BackupDir(path), each
// taken from one read transaction (a consistent snapshot, while others write),
// synced, then opened and verified record by record before it gets its name. A
// file that fails verification never yields a generation, so damage does not
// spread into the backups. Kept are the newest keepNewest and the newest of
// each of the last keepDays days.
const (
	keepNewest = 3
	keepDays   = 7
	// backupEvery is how old the newest generation may get before a writer's
	// open takes a new one (in the background).
	backupEvery = 24 * time.Hour
	// backupCommits is how many commits make a generation due sooner, though
	// not more than once per backupMinGap.
	backupCommits = 1000
	backupMinGap  = time.Hour
)

// BackupDir is the folder of the data file's backup generations.
func BackupDir(path string) string { return path + ".backups" }

// Generation is one backup copy of the data file.
type Generation struct {
	Path string
	At   time.Time // when it was taken (from its name)
	Why  string    // start, commits, serve, manual, migrate
	Size int64
}

const genStamp = "20060102T150405.000Z"

// Generations lists the backup copies of the data file at path, newest first.
// Only the name is read: whether one is sound is for VerifyFile to say.
func Generations(path string) ([]Generation, error) {
	dir := BackupDir(path)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取备份目录 %s: %w", dir, err)
	}
	var out []Generation
	for _, e := range ents {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, "jibao-")
		if !ok || !strings.HasSuffix(rest, ".db") || len(rest) < len(genStamp) {
			continue
		}
		at, err := time.Parse(genStamp, rest[:len(genStamp)])
		if err != nil {
			continue
		}
		why := strings.TrimSuffix(strings.TrimPrefix(rest[len(genStamp):], "-"), ".db")
		g := Generation{Path: filepath.Join(dir, name), At: at, Why: why}
		if fi, err := e.Info(); err == nil {
			g.Size = fi.Size()
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// newestGeneration is the newest generation's path, "" when there is none.
func newestGeneration(path string) string {
	gs, _ := Generations(path)
	if len(gs) == 0 {
		return ""
	}
	return gs[0].Path
}

// backups is a Store's bookkeeping of the generations it writes: at most one at
// a time, in the background, and Close waits for it.
type backups struct {
	mu      sync.Mutex
	running bool
	wg      sync.WaitGroup
	commits int       // since the last generation
	last    time.Time // when the newest generation was taken
	err     error     // the last background attempt's failure
	logf    func(format string, args ...any)
}

func (b *backups) wait() { b.wg.Wait() }

// startBackups is a writer's open: a generation is due when the newest is older
// than backupEvery and the file holds something worth keeping. Only the names
// of the backup folder are read, so the open stays as cheap as before.
func (s *impl) startBackups() {
	gs, _ := Generations(s.path)
	if len(gs) > 0 {
		s.bk.last = gs[0].At
	}
	if s.now().Sub(s.bk.last) < backupEvery || s.empty() {
		return
	}
	s.backgroundBackup("start")
}

// empty is true for a file without reports; nothing to keep a copy of.
func (s *impl) empty() bool {
	empty := true
	s.view(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bReports).Cursor().First(); k != nil {
			empty = false
		}
		return nil
	})
	return empty
}

// committed counts a commit; many of them make a generation due.
func (s *impl) committed() {
	s.bk.mu.Lock()
	s.bk.commits++
	due := s.bk.commits >= backupCommits && s.now().Sub(s.bk.last) >= backupMinGap && !s.bk.running
	s.bk.mu.Unlock()
	if due {
		s.backgroundBackup("commits")
	}
}

// backgroundBackup writes a generation in its own goroutine, unless one is
// already being written.
func (s *impl) backgroundBackup(why string) {
	b := &s.bk
	b.mu.Lock()
	if b.running {
		b.mu.Unlock()
		return
	}
	b.running = true
	b.wg.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.wg.Done()
		_, err := s.takeGeneration(why)
		b.mu.Lock()
		b.running, b.err = false, err
		logf := b.logf
		b.mu.Unlock()
		if logf != nil && err != nil {
			logf("备份失败: %v", err)
		}
	}()
}

// takeGeneration writes, verifies and names one generation, then prunes the
// old ones.
func (s *impl) takeGeneration(why string) (Generation, error) {
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		if c := cause(dir, err, true); c != nil {
			return Generation{}, c
		}
		return Generation{}, fmt.Errorf("无法创建备份目录 %s: %w", dir, err)
	}
	at := s.now().UTC()
	tmp := filepath.Join(dir, fmt.Sprintf(".tmp-%d-%d.db", os.Getpid(), at.UnixNano()))
	defer os.Remove(tmp)
	n, err := s.writeCopy(tmp)
	if err != nil {
		return Generation{}, err
	}
	if err := s.verifyCopy(tmp); err != nil {
		return Generation{}, fmt.Errorf("没有生成备份（已有的备份保持不变）：%w", err)
	}
	g := Generation{At: at, Why: why, Size: n}
	for i := 0; ; i++ {
		name := "jibao-" + at.Format(genStamp) + "-" + why + ".db"
		if i > 0 {
			name = fmt.Sprintf("jibao-%s-%s%d.db", at.Format(genStamp), why, i)
		}
		g.Path = filepath.Join(dir, name)
		if _, err := os.Lstat(g.Path); errors.Is(err, os.ErrNotExist) {
			break
		}
	}
	if err := os.Rename(tmp, g.Path); err != nil {
		return Generation{}, fmt.Errorf("无法保存备份 %s: %w", g.Path, err)
	}
	if !s.noSync {
		syncDir(dir)
	}
	s.bk.mu.Lock()
	s.bk.last, s.bk.commits = at, 0
	s.bk.mu.Unlock()
	prune(s.path, at)
	return g, nil
}

// keepOld copies a file of an older schema into the backup folder before it is
// upgraded, named jibao-TIME-vN.db.
func (s *impl) keepOld(version int) error {
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return s.failWrite(dir, err)
	}
	at := s.now().UTC()
	final := filepath.Join(dir, fmt.Sprintf("jibao-%s-v%d.db", at.Format(genStamp), version))
	tmp := final + ".tmp"
	defer os.Remove(tmp)
	if _, err := s.writeCopy(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return s.failWrite(final, err)
	}
	if !s.noSync {
		syncDir(dir)
	}
	return nil
}

// writeCopy writes a consistent snapshot of the file to path and syncs it.
func (s *impl) writeCopy(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		if c := cause(path, err, true); c != nil {
			return 0, c
		}
		return 0, fmt.Errorf("无法写入备份文件 %s: %w", path, err)
	}
	n, err := s.backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if c := cause(path, err, true); c != nil {
			return 0, c
		}
		return 0, fmt.Errorf("备份到 %s 失败: %w", path, err)
	}
	return n, nil
}

// prune keeps the newest keepNewest generations and the newest of each of the
// last keepDays days, and removes the rest, and any half-written copy a killed
// process left behind.
func prune(path string, now time.Time) {
	if ents, err := os.ReadDir(BackupDir(path)); err == nil {
		for _, e := range ents {
			if fi, err := e.Info(); err == nil && strings.HasPrefix(e.Name(), ".tmp-") && time.Since(fi.ModTime()) > time.Hour {
				os.Remove(filepath.Join(BackupDir(path), e.Name()))
			}
		}
	}
	gs, err := Generations(path)
	if err != nil {
		return
	}
	days := map[string]bool{}
	for i, g := range gs {
		day := g.At.Local().Format("2006-01-02")
		keep := i < keepNewest
		if !days[day] && now.Sub(g.At) < keepDays*24*time.Hour {
			days[day] = true
			keep = true
		}
		if !keep {
			os.Remove(g.Path)
		}
	}
}

// TakeBackup writes a verified generation now (jibao backup, serve's schedule).
func (s *Store) TakeBackup(why string) (Generation, error) { return s.takeGeneration(why) }

// BackupTo writes a verified copy to w: the snapshot is verified record by
// record, in the same read transaction that is then copied, so that a damaged
// file is never handed out as a backup.
func (s *Store) BackupTo(w io.Writer) (int64, error) {
	var n int64
	v := &Verification{}
	err := s.view(func(tx *bolt.Tx) error {
		if err := s.verifyTx(tx, v); err != nil {
			return err
		}
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrCorrupt) {
			return 0, fmt.Errorf("没有备份：%w", err)
		}
		return n, fmt.Errorf("备份数据文件 %s 失败: %w", s.path, err)
	}
	return n, nil
}

// Maintenance is what a long-running server asks of the store in the
// background.
type Maintenance struct {
	Every time.Duration                    // how often to write a generation (when something was committed since)
	Logf  func(format string, args ...any) // where results go (the server's log)
}

// Maintain verifies the whole file once in the background now, then writes a
// verified generation every m.Every while something was committed; stop ends it
// (and waits for a generation being written).
func (s *Store) Maintain(m Maintenance) (stop func()) {
	if m.Every <= 0 {
		m.Every = 6 * time.Hour
	}
	logf := m.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	s.bk.mu.Lock()
	s.bk.logf = logf
	s.bk.mu.Unlock()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if v, err := s.Verify(); err != nil {
			logf("校验未通过: %v", err)
		} else {
			logf("校验无误: %d 份报表、%d 条历史记录", v.Reports, v.History)
		}
		t := time.NewTicker(m.Every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			s.bk.mu.Lock()
			idle := s.bk.commits == 0 && !s.bk.last.IsZero()
			s.bk.mu.Unlock()
			if idle {
				continue
			}
			if g, err := s.takeGeneration("serve"); err != nil {
				logf("备份失败: %v", err)
			} else {
				logf("已备份到 %s（%d 字节，已校验）", g.Path, g.Size)
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}

// verifyCopy verifies a snapshot just copied from this store. Damage found in
// it is the store's own, and is reported as such (the copy is thrown away).
func (s *impl) verifyCopy(copyPath string) error {
	err := VerifyFile(copyPath, Options{Catalog: s.flagCat})
	var h *hinted
	if errors.As(err, &h) && errors.Is(err, ErrCorrupt) {
		return corrupt(s.path, fmt.Errorf("校验未通过：%s", h.detail))
	}
	return err
}

// VerifyCopy verifies a copy just written from the store (jibao backup -o FILE):
// damage in it is reported as the store's.
func (s *Store) VerifyCopy(copyPath string) error { return s.verifyCopy(copyPath) }

// VerifyFile verifies every page and record of the file at path (see VerifyPath).
func VerifyFile(path string, opts Options) error {
	_, err := VerifyPath(path, opts)
	return err
}

// VerifyPath opens the file at path read-only and verifies every page and
// record (see Verify).
func VerifyPath(path string, opts Options) (*Verification, error) {
	opts.ReadOnly = true
	c, err := Open(path, opts)
	if err != nil {
		return &Verification{}, err
	}
	defer c.Close()
	return c.Verify()
}
