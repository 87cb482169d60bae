package store

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// Top-level buckets. A few large buckets with ordered keys, as bbolt likes them.
var (
	bMeta    = []byte("meta")    // format marker and schema version
	bReports = []byte("reports") // report key -> whole report
	bInfo    = []byte("info")    // report key -> Info, so List never decodes cells
	bHistory = []byte("history") // report key 0 batch -> one commit's changes
	bCells   = []byte("cells")   // cell id -> form, row, column (schema 3)
	bStacks  = []byte("stacks")  // report key 0 user -> undo/redo stacks
	bCursors = []byte("cursors") // report key 0 user -> Cursor
	bLast    = []byte("last")    // user -> report key last opened
	bUnits   = []byte("units")   // variant 0 name -> added unit (JSON)

	// coreBuckets must be in every schema 3 file; a bucket added to
	// allBuckets later is created by the next writer's open.
	coreBuckets = [][]byte{bMeta, bReports, bInfo, bHistory, bStacks, bCursors, bLast, bUnits, bCells}
	allBuckets  = coreBuckets
)

// impl is the state behind a Store; it is safe for concurrent use by many
// sessions: bbolt serialises writers, and subscribers are behind a mutex.
type impl struct {
	path     string
	db       *bolt.DB
	flagCat  *model.Catalog                 // --catalog: replaces its year's catalog for this process
	cats     atomic.Pointer[model.Catalogs] // the set in force (catalogs.go)
	versions atomic.Pointer[map[int]int]    // year -> newest added version in force
	now      func() time.Time
	readOnly bool
	group    bool // GroupCommit
	noSync   bool
	dict     *cellDict // the file's cell directory; fixed once the store is open

	bk backups // the generations this process writes

	mu      sync.Mutex
	subs    map[int]chan model.Notice
	nextSub int
	closed  bool
}

func (s *impl) close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for id, ch := range s.subs {
		close(ch)
		delete(s.subs, id)
	}
	s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	s.bk.wait() // a generation being written finishes before the file closes
	return s.db.Close()
}

// update runs a write transaction; bbolt commits it with fsync (unless NoSync in
// tests) before it returns.
func (s *impl) update(fn func(tx *bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("数据文件 %s 以只读方式打开，不能修改", s.path)
	}
	err := s.guardUpdate(fn)
	if err == nil {
		s.committed()
	}
	return err
}

func (s *impl) backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("备份数据文件 %s 失败: %w", s.path, err)
	}
	return n, nil
}

// subscriberBuffer is how many notices a slow subscriber may fall behind before
// further ones are dropped; a notice only says "reload", so a dropped one is
// covered by the next.
const subscriberBuffer = 64

func (s *impl) subscribe() (<-chan model.Notice, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan model.Notice, subscriberBuffer)
	if s.closed {
		close(ch)
		return ch, func() {}
	}
	if s.subs == nil {
		s.subs = map[int]chan model.Notice{}
	}
	id := s.nextSub
	s.nextSub++
	s.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if c, ok := s.subs[id]; ok {
				delete(s.subs, id)
				close(c)
			}
		})
	}
}

// notify fans a notice out after a commit. Sends never block: a writer must not
// wait for a reader's screen to redraw.
func (s *impl) notify(n model.Notice) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.subs {
		select {
		case ch <- n:
		default:
		}
	}
}

// variantOf finds a variant by ID or name in any year's catalog, newest first:
// for what does not depend on the year (the canonical ID, the added units);
// variantFor is the period's.
func (s *impl) variantOf(id string) *model.Variant {
	v, err := s.catalogs().Find(id)
	if err != nil {
		return nil
	}
	return v
}
