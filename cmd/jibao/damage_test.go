package main

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"jibao/store"
)

// damageCmds are what the campaign runs on each damaged file: everything an
// office reads from the data file, and a backup.
func damageCmds(bak string) [][]string {
	return [][]string{
		{"list"},
		{"check", "--variant", "nanan", "--unit", "溪美", "--period", "2025Q3"},
		{"export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--format", "json", "-o", "-"},
		{"summary", "--variant", "nanan", "--period", "2025Q3"},
		{"backup", "-o", bak, "--force"},
	}
}

type cmdResult struct {
	code        int
	out, errOut string
}

// runInProcess runs a command as the binary would, catching a panic as the
// failure it is.
func runInProcess(db string, args []string) (res cmdResult, panicked string) {
	a, out, errb := storeApp(map[string]string{"JIBAO_DB": db, "JIBAO_USER": "lin"})
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Sprintf("%v\n%s", p, debug.Stack())
		}
	}()
	code := a.run(args)
	return cmdResult{code, out.String(), errb.String()}, ""
}

// TestDamageCampaign flips bytes in and truncates a real data file, and runs
// list, check, export, summary and backup on each damaged copy: no panic, no
// value that differs silently from the sound file's, and a clear message each
// time a command cannot answer. One trial in eight runs the real binary.
func TestDamageCampaign(t *testing.T) {
	start := time.Now()
	good, _ := checkStore(t)
	s, err := store.Open(good, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // let the start-of-day generation finish before the copy
	orig, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "jibao.db")
	bak := filepath.Join(dir, "copy.db")
	cmds := damageCmds(bak)
	if err := os.WriteFile(db, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	base := make([]cmdResult, len(cmds))
	for i, c := range cmds {
		var p string
		base[i], p = runInProcess(db, c)
		if p != "" || (base[i].code != 0 && base[i].code != 1) {
			t.Fatalf("%v on the sound file: %+v %s", c, base[i], p)
		}
	}
	bin := serveBinary(t)
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d, file %d bytes", seed, len(orig))
	const pageSize = 4096
	trials := 240
	if raceEnabled {
		trials = 60
	}
	caught, unharmed := 0, 0
	for trial := 0; trial < trials; trial++ {
		b := append([]byte(nil), orig...)
		what := ""
		if trial%4 == 3 {
			n := rng.Intn(len(b))
			b = b[:n]
			what = fmt.Sprintf("truncated to %d bytes", n)
		} else {
			// Pages 0 and 1 are bbolt's two meta pages, each checksummed by
			// bbolt: a damaged one makes it use the other (see docs/store.md).
			off := 2*pageSize + rng.Intn(len(b)-2*pageSize)
			x := byte(1 + rng.Intn(255))
			b[off] ^= x
			what = fmt.Sprintf("byte %d ^= %#x", off, x)
		}
		os.RemoveAll(store.BackupDir(db))
		os.Remove(bak)
		if err := os.WriteFile(db, b, 0o600); err != nil {
			t.Fatal(err)
		}
		useBin := trial%16 == 0
		for i, c := range cmds {
			var got cmdResult
			if useBin {
				got.code, got.out, got.errOut = runBin(t, bin, db, nil, c...)
				if strings.Contains(got.errOut, "panic") || strings.Contains(got.errOut, "goroutine ") {
					t.Fatalf("%s: %v panicked in the binary:\n%s", what, c, got.errOut)
				}
			} else {
				var p string
				if got, p = runInProcess(db, c); p != "" {
					t.Fatalf("%s: %v panicked: %s", what, c, p)
				}
			}
			switch {
			case got.code == base[i].code && got.out == base[i].out:
				// Unharmed (the byte was in a free page or slack), or the
				// command says so on stderr while its answer is intact.
				unharmed++
			case got.code != 0 && got.code != base[i].code && clearDamage(got.errOut, db):
				caught++
			default:
				t.Fatalf("%s: %v answered differently without saying why:\n exit %d (sound file %d)\n stdout %q\n stderr %q",
					what, c, got.code, base[i].code, clip(got.out), got.errOut)
			}
			if c[0] == "backup" && got.code == 0 {
				// A backup was written: it must be sound and hold the same reports.
				if err := store.VerifyFile(bak, store.Options{}); err != nil {
					t.Fatalf("%s: backup said ok but the copy is bad: %v", what, err)
				}
				lb, _ := runInProcess(bak, []string{"list"})
				if lb.out != base[0].out {
					t.Fatalf("%s: the backup lists differently:\n%s\nwant\n%s", what, lb.out, base[0].out)
				}
			}
		}
	}
	took := time.Since(start)
	t.Logf("%d trials × %d commands: %d answers refused with a clear message, %d unharmed, in %v", trials, len(cmds), caught, unharmed, took)
	if took > 60*time.Second && !raceEnabled {
		t.Errorf("the campaign took %v, want under 60s", took)
	}
	if caught == 0 {
		t.Errorf("no trial was caught: the campaign damaged nothing that matters")
	}
}

// clearDamage is a message that names the file and says it is damaged (with
// the way back) or why it cannot be read.
func clearDamage(stderr, db string) bool {
	return strings.HasPrefix(stderr, "jibao: ") && strings.Contains(stderr, db) &&
		(strings.Contains(stderr, "已损坏") && strings.Contains(stderr, "jibao restore --db "+db) ||
			strings.Contains(stderr, "没有找到备份"))
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// TestVerifyAndListNameTheDamagedReport damages one report's List entry and
// another's record: jibao verify lists both by unit and period, jibao list shows
// every other report and names the damaged one, and the sound reports still
// export.
func TestVerifyAndListNameTheDamagedReport(t *testing.T) {
	db, _ := checkStore(t)
	if r, p := runInProcess(db, []string{"backup"}); r.code != 0 || p != "" {
		t.Fatalf("backup of the sound file: %+v %s", r, p)
	}
	bdb, err := bolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		damage := func(bucket, unit string) error {
			k := []byte("nanan\x00" + unit + "\x002025Q3")
			v := append([]byte(nil), tx.Bucket([]byte(bucket)).Get(k)...)
			v[len(v)/2] ^= 0x10
			return tx.Bucket([]byte(bucket)).Put(k, v)
		}
		if err := damage("info", "美林"); err != nil {
			return err
		}
		return damage("reports", "溪美")
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) cmdResult {
		r, p := runInProcess(db, args)
		if p != "" {
			t.Fatalf("%v panicked: %s", args, p)
		}
		return r
	}
	v := run("verify")
	if v.code != exitFail || !strings.Contains(v.out, "nanan 溪美 2025年第3季度 的报表记录") || !strings.Contains(v.out, "nanan 美林 2025年第3季度 的报表概况记录") ||
		!strings.Contains(v.errOut, "jibao restore --db "+db) {
		t.Errorf("verify: %+v", v)
	}
	l := run("list")
	if l.code != exitUsage || !strings.Contains(l.out, "水头") || !strings.Contains(l.out, "石井") || strings.Contains(l.out, "美林") ||
		!strings.Contains(l.errOut, "美林 2025年第3季度") {
		t.Errorf("list: %+v", l)
	}
	if e := run("export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--format", "json", "-o", "-"); e.code != 0 || !strings.Contains(e.out, "水头") {
		t.Errorf("export of a sound report: %+v", e)
	}
	if e := run("export", "--variant", "nanan", "--unit", "溪美", "--period", "2025Q3", "--format", "json", "--draft", "-o", "-"); e.code == 0 || !strings.Contains(e.errOut, "溪美 2025年第3季度 的报表记录") {
		t.Errorf("export of the damaged report: %+v", e)
	}
	if b := run("backup"); b.code == 0 || !strings.Contains(b.errOut, "校验未通过") {
		t.Errorf("backup of a damaged file: %+v", b)
	}
	if gs, _ := store.Generations(db); len(gs) != 1 {
		t.Errorf("generations after the refused backup: %v", gs)
	}
}
