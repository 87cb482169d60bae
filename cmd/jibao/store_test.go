package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"jibao/model"
	"jibao/store"
)

// storeApp is an app with its own environment and captured output.
func storeApp(env map[string]string) (*app, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return env[k] }, now: time.Now}, &out, &errb
}

func TestDBPath(t *testing.T) {
	cases := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"/x/flag.db", map[string]string{"JIBAO_DB": "/x/env.db"}, "/x/flag.db"},
		{"", map[string]string{"JIBAO_DB": "/x/env.db", "XDG_DATA_HOME": "/xdg"}, "/x/env.db"},
		{"", map[string]string{"XDG_DATA_HOME": "/xdg", "HOME": "/home/lin"}, "/xdg/jibao/jibao.db"},
		{"", map[string]string{"XDG_DATA_HOME": "rel", "HOME": "/home/lin"}, "/home/lin/.local/share/jibao/jibao.db"},
		{"", map[string]string{"HOME": "/home/lin"}, "/home/lin/.local/share/jibao/jibao.db"},
	}
	for _, c := range cases {
		a, _, _ := storeApp(c.env)
		got, err := a.dbPath(&common{db: c.flag})
		if err != nil || got != c.want {
			t.Errorf("dbPath(--db %q, %v) = %q, %v; want %q", c.flag, c.env, got, err, c.want)
		}
	}
}

func TestOpenStoreDefaultLocation(t *testing.T) {
	home := t.TempDir()
	a, _, _ := storeApp(map[string]string{"XDG_DATA_HOME": filepath.Join(home, "data")})
	s, err := a.openStore(&common{}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := filepath.Join(home, "data", "jibao", "jibao.db")
	if s.Path() != want {
		t.Errorf("path %s, want %s", s.Path(), want)
	}
	for p, mode := range map[string]os.FileMode{want: 0o600, filepath.Dir(want): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, %v; want %v", p, fi.Mode().Perm(), err, mode)
		}
	}
	// A second opener is told, quickly and in words, that the file is in use.
	start := time.Now()
	_, err = a.openStore(&common{}, false)
	if !errors.Is(err, store.ErrInUse) || !strings.Contains(err.Error(), want) || time.Since(start) > 5*time.Second {
		t.Errorf("second open: %v after %v", err, time.Since(start))
	}
}

func TestOpenStoreReadOnlyMissing(t *testing.T) {
	a, _, _ := storeApp(map[string]string{"JIBAO_DB": filepath.Join(t.TempDir(), "none.db")})
	if _, err := a.openStore(&common{}, true); err == nil || !strings.Contains(err.Error(), "none.db") {
		t.Errorf("read-only open of a missing file: %v", err)
	}
}

func TestUnitAddListAndBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "j.db")
	env := map[string]string{"JIBAO_DB": db}
	run := func(args ...string) (int, string, string) {
		a, out, errb := storeApp(env)
		code := a.run(args)
		return code, out.String(), errb.String()
	}
	if code, out, _ := run("unit", "list", "--variant", "nanan"); code != exitOK || !strings.Contains(out, "水头") || !strings.Contains(out, "添加 0 个") {
		t.Fatalf("unit list before any data file: %d %q", code, out)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("unit list created the data file")
	}
	// 附件1's 2024 企业底数 beside each 乡镇, aligned under its header.
	if _, out, _ := run("unit", "list", "--variant", "nanan"); !regexp.MustCompile(`(?m)^单位 +2024年企业底数  类型\n`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^水头 +1533  乡镇`).MatchString(out) || !regexp.MustCompile(`(?m)^市应急局 +-  市直单位`).MatchString(out) {
		t.Errorf("unit list without the 2024 base:\n%s", out)
	}
	if code, out, errs := run("unit", "add", "--variant", "nanan", "--type", "市直单位", "--name", "南安市应急管理局"); code != exitOK || !strings.Contains(out, "南安市应急管理局") {
		t.Fatalf("unit add: %d %q %q", code, out, errs)
	}
	if code, _, errs := run("unit", "add", "--variant", "nanan", "--type", "shizhi", "--name", "南安市应急管理局"); code == exitOK || !strings.Contains(errs, "已在名录中") {
		t.Errorf("unit add twice: %d %q", code, errs)
	}
	if code, _, errs := run("unit", "add", "--variant", "nanan", "--type", "nosuch", "--name", "某单位"); code == exitOK || !strings.Contains(errs, "xiangzhen") {
		t.Errorf("unit add with a bad type: %d %q", code, errs)
	}
	code, out, _ := run("unit", "list", "--variant", "nanan")
	if code != exitOK || !regexp.MustCompile(`南安市应急管理局 +-  市直单位  （添加）`).MatchString(out) || !strings.Contains(out, "添加 1 个") {
		t.Errorf("unit list: %d\n%s", code, out)
	}

	bak := filepath.Join(dir, "copy.db")
	if code, out, errs := run("backup", "-o", bak); code != exitOK || !strings.Contains(out, bak) {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	s, err := store.Open(bak, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	us, err := s.Units("nanan")
	s.Close()
	if err != nil || len(us) != 1 {
		t.Errorf("units in the backup: %v %v", us, err)
	}
	if code, _, errs := run("backup", "-o", bak); code == exitOK || !strings.Contains(errs, "--force") {
		t.Errorf("backup over an existing file without --force: %d %q", code, errs)
	}
	if code, _, errs := run("backup", "-o", bak, "--force"); code != exitOK {
		t.Errorf("backup --force: %d %q", code, errs)
	}
	if code, out, errs := run("backup"); code != exitOK || !strings.Contains(out, store.BackupDir(db)) {
		t.Errorf("backup without -o (a generation): %d %q %q", code, out, errs)
	}
	if code, out, _ := run("backup", "--list"); code != exitOK || !strings.Contains(out, "manual") {
		t.Errorf("backup --list: %d %q", code, out)
	}
	if code, _, errs := run("backup", "-o", db); code == exitOK || !strings.Contains(errs, "数据文件本身") {
		t.Errorf("backup onto the data file: %d %q", code, errs)
	}

	// While a writer holds the file, backup says so instead of hanging.
	w, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Ensure(model.ReportID{Variant: "nanan", Unit: "水头", Period: model.Period{Year: 2025, Quarter: 3}}, "", "lin"); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run("backup", "-o", bak); code == exitOK || !strings.Contains(errs, "正被另一个 jibao 进程使用") || !strings.Contains(errs, "jibao backup -o -") || !strings.Contains(errs, store.BackupDir(db)) {
		t.Errorf("backup of a file in use: %d %q", code, errs)
	}
}
