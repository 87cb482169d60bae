package store

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestGenerationsKept writes two generations a day for ten days: kept are the
// newest three and the newest of each of the last seven days.
func TestGenerationsKept(t *testing.T) {
	path := filledDB(t)
	clock := time.Date(2025, 9, 1, 9, 0, 0, 0, time.Local)
	s := openT(t, path, func(o *Options) { o.Now = func() time.Time { return clock } })
	s.bk.wait()
	os.RemoveAll(BackupDir(path)) // the start's own
	for day := 0; day < 10; day++ {
		for _, h := range []int{9, 17} {
			clock = time.Date(2025, 9, 1+day, h, 0, 0, 0, time.Local)
			if _, err := s.TakeBackup("manual"); err != nil {
				t.Fatal(err)
			}
		}
	}
	gs, err := Generations(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range gs {
		got = append(got, g.At.Local().Format("01-02 15"))
	}
	want := "09-10 17,09-10 09,09-09 17,09-08 17,09-07 17,09-06 17,09-05 17,09-04 17"
	if strings.Join(got, ",") != want {
		t.Errorf("kept %v, want %s", got, want)
	}
}

// TestRestoreSkipsBadGeneration damages the file and the newest generation:
// restore puts back the older sound one and keeps the damaged file aside.
func TestRestoreSkipsBadGeneration(t *testing.T) {
	path := filledDB(t)
	s := openT(t, path)
	s.bk.wait()
	os.RemoveAll(BackupDir(path))
	old, err := s.TakeBackup("manual")
	if err != nil {
		t.Fatal(err)
	}
	set(t, s, testID(3), "lin", testCells()[0], 999)
	time.Sleep(2 * time.Millisecond) // a later name
	newer, err := s.TakeBackup("manual")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Restore(path, Options{}, false); err == nil || !strings.Contains(err.Error(), "校验无误") {
		t.Errorf("restore over a sound file: %v", err)
	}
	os.WriteFile(newer.Path, []byte("garbage"), 0o600)
	os.Truncate(path, 0)
	res, err := Restore(path, Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.From.Path != old.Path || len(res.Skipped) != 1 || res.Aside == "" {
		t.Errorf("restored %+v", res)
	}
	if fi, err := os.Stat(res.Aside); err != nil || fi.Size() != 0 {
		t.Errorf("the damaged file was not kept aside: %v", err)
	}
	c := openT(t, path, func(o *Options) { o.ReadOnly = true })
	r, err := c.Get(testID(3))
	if err != nil || valueText(r, testCells()[0]) == "999" {
		t.Errorf("restored report: %v %v", r, err)
	}
	c.Close()
	// Nothing sound left: restore says so and changes nothing.
	os.WriteFile(old.Path, []byte("garbage"), 0o600)
	os.Truncate(path, 0)
	if _, err := Restore(path, Options{}, false); err == nil || !strings.Contains(err.Error(), "没有一份校验无误的备份") {
		t.Errorf("restore without a sound generation: %v", err)
	}
}

// TestBackupOfDamagedFileRefused: a damaged record stops a generation, and the
// generations already there stay.
func TestBackupOfDamagedFileRefused(t *testing.T) {
	path := filledDB(t)
	s := openT(t, path)
	s.bk.wait()
	before, _ := Generations(path)
	s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bReports).Put(reportKey(testID(2)), []byte{sealVersion, 1, 2, 3, 4, 5})
	})
	if _, err := s.TakeBackup("manual"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "水头 2025年第2季度") {
		t.Errorf("backup of a damaged file: %v", err)
	}
	if _, err := s.BackupTo(os.Stdout); !errors.Is(err, ErrCorrupt) {
		t.Errorf("BackupTo of a damaged file: %v", err)
	}
	after, _ := Generations(path)
	if len(after) != len(before) {
		t.Errorf("generations %d, before %d", len(after), len(before))
	}
	v, err := s.Verify()
	if err == nil || len(v.Damaged) != 1 || v.Damaged[0].ID != testID(2) {
		t.Errorf("verify: %+v %v", v, err)
	}
	// The rest stays readable.
	if _, err := s.Get(testID(3)); err != nil {
		t.Errorf("another report: %v", err)
	}
}
