package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jibao/internal/testenv"
	"jibao/store"
)

// These tests run the real binary against the faults an office meets: an
// emptied file, a read-only disk, a file of another user, a full disk. Each
// must get its own message, and only damage may point at the backups.

// runBin runs the jibao binary with JIBAO_DB set and returns its exit code and
// its output.
func runBin(t *testing.T, bin, db string, pre []string, args ...string) (int, string, string) {
	t.Helper()
	argv := append(append(append([]string(nil), pre...), bin), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "JIBAO_DB="+db, "JIBAO_USER=lin", "LANG=C.UTF-8")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	return code, out.String(), errb.String()
}

func mustRoot(t *testing.T) {
	t.Helper()
	testenv.MustBeRoot(t, "mounts a tmpfs and switches users (as CI does)")
	testenv.MustHaveTool(t, "setpriv")
}

// mountTmpfs mounts a tmpfs of the given size at a new folder, unmounted at the end.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func addUnit(name string) []string {
	return []string{"unit", "add", "--variant", "nanan", "--type", "shizhi", "--name", name}
}

func TestEmptyFileRefusedRealBinary(t *testing.T) {
	bin := serveBinary(t)
	db := filepath.Join(t.TempDir(), "jibao.db")
	if code, _, errs := runBin(t, bin, db, nil, addUnit("甲单位")...); code != 0 {
		t.Fatalf("unit add: %d %s", code, errs)
	}
	if code, _, errs := runBin(t, bin, db, nil, "backup"); code != 0 {
		t.Fatalf("backup: %d %s", code, errs)
	}
	gens, _ := store.Generations(db)
	if len(gens) != 1 {
		t.Fatalf("generations after backup: %v", gens)
	}
	good, _ := os.ReadFile(gens[0].Path)
	if err := os.WriteFile(db, nil, 0o600); err != nil { // : > jibao.db
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		code, _, errs := runBin(t, bin, db, nil, addUnit("乙单位")...)
		if code == 0 || !strings.Contains(errs, "是空的") || !strings.Contains(errs, "jibao restore --db "+db) {
			t.Fatalf("unit add on an empty file: %d %q", code, errs)
		}
	}
	if fi, _ := os.Stat(db); fi.Size() != 0 {
		t.Errorf("the empty file was replaced by a new store (%d bytes)", fi.Size())
	}
	now, _ := store.Generations(db)
	if len(now) != 1 {
		t.Errorf("generations changed: %v", now)
	}
	if b, _ := os.ReadFile(gens[0].Path); !bytes.Equal(b, good) {
		t.Errorf("the good backup was changed")
	}
	code, out, errs := runBin(t, bin, db, nil, "restore")
	if code != 0 || !strings.Contains(out, ".damaged-") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	if code, out, _ := runBin(t, bin, db, nil, "unit", "list", "--variant", "nanan"); code != 0 || !strings.Contains(out, "甲单位") {
		t.Errorf("after restore: %d %q", code, out)
	}
	if code, _, errs := runBin(t, bin, db, nil, "restore"); code == 0 || !strings.Contains(errs, "校验无误") {
		t.Errorf("restore of a sound file: %d %q", code, errs)
	}
	if code, out, errs := runBin(t, bin, db, nil, "compact"); code != 0 || !strings.Contains(out, "已整理") {
		t.Errorf("compact: %d %q %q", code, out, errs)
	}
	if code, out, errs := runBin(t, bin, db, nil, "verify"); code != 0 || !strings.Contains(out, "完好") {
		t.Errorf("verify after compact: %d %q %q", code, out, errs)
	}
	if code, out, _ := runBin(t, bin, db, nil, "unit", "list", "--variant", "nanan"); code != 0 || !strings.Contains(out, "甲单位") {
		t.Errorf("after compact: %d %q", code, out)
	}
}

func TestReadOnlyFilesystemRealBinary(t *testing.T) {
	mustRoot(t)
	bin := serveBinary(t)
	dir := mountTmpfs(t, "4m")
	db := filepath.Join(dir, "jibao.db")
	if code, _, errs := runBin(t, bin, db, nil, addUnit("甲单位")...); code != 0 {
		t.Fatalf("unit add: %d %s", code, errs)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount ro: %v %s", err, out)
	}
	code, _, errs := runBin(t, bin, db, nil, addUnit("乙单位")...)
	if code == 0 || !strings.Contains(errs, "只读") || strings.Contains(errs, "已损坏") || strings.Contains(errs, "restore") {
		t.Errorf("unit add on a read-only file system: %d %q", code, errs)
	}
	if code, out, errs := runBin(t, bin, db, nil, "unit", "list", "--variant", "nanan"); code != 0 || !strings.Contains(out, "甲单位") {
		t.Errorf("reading on a read-only file system: %d %q %q", code, out, errs)
	}
	// A new file on a read-only disk: the same cause, not "damaged".
	code, _, errs = runBin(t, bin, filepath.Join(dir, "new.db"), nil, addUnit("乙单位")...)
	if code == 0 || !strings.Contains(errs, "只读") || strings.Contains(errs, "restore") {
		t.Errorf("new file on a read-only file system: %d %q", code, errs)
	}
}

func TestPermissionDeniedRealBinary(t *testing.T) {
	mustRoot(t)
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Fatalf("setpriv (util-linux) is needed: %v", err)
	}
	base := t.TempDir()
	os.Chmod(filepath.Dir(base), 0o755) // t.TempDir's parent is 0700
	os.Chmod(base, 0o755)
	bin := filepath.Join(base, "jibao")
	raw, err := os.ReadFile(serveBinary(t))
	if err != nil || os.WriteFile(bin, raw, 0o755) != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "data")
	os.Mkdir(dir, 0o755)
	db := filepath.Join(dir, "jibao.db")
	if code, _, errs := runBin(t, bin, db, nil, addUnit("甲单位")...); code != 0 {
		t.Fatalf("unit add: %d %s", code, errs)
	}
	nobody := []string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}
	for _, args := range [][]string{addUnit("乙单位"), {"list"}} {
		code, _, errs := runBin(t, bin, db, nobody, args...)
		if code == 0 || !strings.Contains(errs, "没有权限") || strings.Contains(errs, "restore") {
			t.Errorf("%v as another user: %d %q", args, code, errs)
		}
	}
}

func TestDiskFullRealBinary(t *testing.T) {
	mustRoot(t)
	bin := serveBinary(t)
	dir := mountTmpfs(t, "1m")
	db := filepath.Join(dir, "jibao.db")
	if code, _, errs := runBin(t, bin, db, nil, addUnit("甲单位")...); code != 0 {
		t.Fatalf("unit add: %d %s", code, errs)
	}
	// Fill the disk.
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	var errs string
	full := false
	for i := 0; i < 40 && !full; i++ {
		var code int
		code, _, errs = runBin(t, bin, db, nil, addUnit("满单位"+strings.Repeat("长", 40)+string(rune('A'+i)))...)
		full = code != 0
	}
	if !full || !strings.Contains(errs, "磁盘已满") || strings.Contains(errs, "restore") {
		t.Fatalf("unit add on a full disk: %v %q", full, errs)
	}
	os.Remove(filepath.Join(dir, "filler"))
	if code, out, errs := runBin(t, bin, db, nil, "verify"); code != 0 {
		t.Errorf("verify after the disk was full: %d %q %q", code, out, errs)
	}
	if code, out, _ := runBin(t, bin, db, nil, "unit", "list", "--variant", "nanan"); code != 0 || !strings.Contains(out, "甲单位") {
		t.Errorf("after freeing space: %d %q", code, out)
	}
}
