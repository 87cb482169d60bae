package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"jibao/model"
)

// upgrade rewrites a schema 1 or 2 file as schema 3, inside the writer's first
// transaction (all or nothing): every record sealed with its checksum, cell
// keys as directory ids, and the history's per-cell records gathered into one
// block per commit (who and when once). The event numbers stay as they were, so
// the undo stacks keep pointing at their batches. A record that does not decode
// stops the upgrade with ErrCorrupt naming it; nothing is written then.
func (s *impl) upgrade(tx *bolt.Tx, version int) error {
	meta := tx.Bucket(bMeta)
	type kv struct{ k, v []byte }
	var puts []kv
	perVariant := map[string]int{}
	reports := tx.Bucket(bReports)
	err := reports.ForEach(func(k, v []byte) error {
		r, err := v2DecodeReport(v)
		if err != nil {
			return s.damaged(k, "报表", err)
		}
		if !bytes.Equal(reportKey(r.ID()), k) {
			return s.damaged(k, "报表", fmt.Errorf("键与内容不符（%s）", r.ID()))
		}
		perVariant[r.Variant]++
		kk := append([]byte(nil), k...)
		puts = append(puts, kv{kk, encodeReport(s.dict, kk, r)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range puts {
		if err := reports.Put(p.k, p.v); err != nil {
			return err
		}
	}
	for variant, n := range perVariant {
		if err := putCount(meta, variant, n); err != nil {
			return err
		}
	}

	// History: consecutive records of one report and one batch make a block.
	hist := tx.Bucket(bHistory)
	seq := hist.Sequence()
	var blocks []kv
	var cur []model.Event
	var curKey []byte
	flush := func() {
		if len(cur) > 0 {
			bk := seqKey(curKey, cur[0].Batch)
			blocks = append(blocks, kv{bk, encodeBlock(s.dict, bk, cur)})
		}
		cur = nil
	}
	err = hist.ForEach(func(k, v []byte) error {
		if len(k) < 9 || k[len(k)-9] != 0 {
			return s.damaged(k, "历史", fmt.Errorf("键 %q 无效", k))
		}
		rk := k[:len(k)-9]
		ev, err := v2DecodeEvent(binary.BigEndian.Uint64(k[len(k)-8:]), v)
		if err != nil {
			return s.damaged(rk, "历史", err)
		}
		if len(cur) > 0 && (!bytes.Equal(rk, curKey) || ev.Batch != cur[0].Batch || ev.By != cur[0].By || !ev.At.Equal(cur[0].At)) {
			flush()
		}
		if len(cur) == 0 {
			curKey = append([]byte(nil), rk...)
		}
		cur = append(cur, ev)
		return nil
	})
	if err != nil {
		return err
	}
	flush()
	if err := tx.DeleteBucket(bHistory); err != nil {
		return err
	}
	if hist, err = tx.CreateBucket(bHistory); err != nil {
		return err
	}
	hist.FillPercent = 1 // blocks are appended in key order
	for _, b := range blocks {
		if err := hist.Put(b.k, b.v); err != nil {
			return err
		}
	}
	if err := hist.SetSequence(seq); err != nil {
		return err
	}

	// The small records: sealed as they are.
	if err := s.reseal(tx, bStacks, func(k, v []byte) ([]byte, error) {
		st, err := v2DecodeStacks(v)
		return encodeStacks(k, st), err
	}); err != nil {
		return err
	}
	if err := s.reseal(tx, bCursors, func(k, v []byte) ([]byte, error) {
		c, err := v2DecodeCursor(v)
		return encodeCursor(k, c), err
	}); err != nil {
		return err
	}
	if err := s.reseal(tx, bLast, func(k, v []byte) ([]byte, error) {
		return encodeLast(k, v), nil
	}); err != nil {
		return err
	}
	return s.reseal(tx, bUnits, func(k, v []byte) ([]byte, error) {
		var u model.Unit
		if err := json.Unmarshal(v, &u); err != nil {
			return nil, err
		}
		return encodeUnit(k, u)
	})
}

// reseal rewrites every record of a bucket with conv.
func (s *impl) reseal(tx *bolt.Tx, name []byte, conv func(k, v []byte) ([]byte, error)) error {
	b := tx.Bucket(name)
	type kv struct{ k, v []byte }
	var puts []kv
	err := b.ForEach(func(k, v []byte) error {
		nv, err := conv(k, v)
		if err != nil {
			return corrupt(s.path, fmt.Errorf("%s 记录 %q: %w", name, k, err))
		}
		puts = append(puts, kv{append([]byte(nil), k...), nv})
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range puts {
		if err := b.Put(p.k, p.v); err != nil {
			return err
		}
	}
	return nil
}
