package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jibao/model"
)

func utf8Valid(s string) bool { return utf8.ValidString(s) }

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every unit of every directory, typed in a GBK terminal, reaches the command as
// its name; and the same name as UTF-8 (a script in that locale) is kept.
func TestGBKArgumentsDecodeEveryUnit(t *testing.T) {
	cat := model.DefaultCatalog()
	for _, id := range cat.VariantIDs() {
		v, err := cat.Variant(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range v.Units {
			for _, env := range [][]string{{"LANG", "zh_CN.GBK"}, {"LC_ALL", "zh_CN.GB18030"}, {"JIBAO_ENCODING", "gbk"}} {
				a, _, _ := checkApp("x.db", env...)
				if got := a.decodeArgs([]string{"--unit", gbk(t, u.Name)}); got[1] != u.Name {
					t.Errorf("%s %s typed in GBK (%v) read as %q", id, u.Name, env, got[1])
				}
				if got := a.decodeArgs([]string{"--unit", u.Name}); got[1] != u.Name {
					t.Errorf("%s %s as UTF-8 (%v) read as %q", id, u.Name, env, got[1])
				}
			}
			a, _, _ := checkApp("x.db", "LANG", "zh_CN.UTF-8")
			if got := a.decodeArgs([]string{gbk(t, u.Name)}); got[0] != gbk(t, u.Name) {
				t.Errorf("a UTF-8 locale decoded %s", u.Name)
			}
		}
	}
	a, _, _ := checkApp("x.db")
	if got := a.decodeArgs([]string{"--encoding=gbk", "--unit", gbk(t, "水头")}); got[2] != "水头" {
		t.Errorf("--encoding=gbk: %q", got[2])
	}
}

// A command in a GBK terminal finds the unit, and a file named in Chinese,
// whether its name came typed (GBK) or completed from disk (UTF-8).
func TestGBKArgumentsInCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db")
	a, out, errb := checkApp(db, "LANG", "zh_CN.GBK")
	if code := a.run([]string{"check", "--variant", "nanan", "--unit", gbk(t, "水头"), "--period", "2025Q3"}); code != exitFail ||
		!strings.Contains(out.String(), "水头") || strings.Contains(errb.String(), "名录") {
		t.Errorf("check --unit 水头 in GBK: exit %d, %q %q", code, out, errb)
	}
	name := filepath.Join(dir, "水头季报.xlsx")
	if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, _, _ = checkApp(db, "LANG", "zh_CN.GBK")
	typed := a.decodeArgs([]string{filepath.Join(dir, gbk(t, "水头季报.xlsx"))})[0]
	if a.argPath(typed) != name {
		t.Errorf("typed file name %q", typed)
	}
	raw := filepath.Join(dir, gbk(t, "溪美.xlsx")) // a GBK name on disk (copied from Windows)
	if err := os.WriteFile(raw, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, _, _ = checkApp(db, "LANG", "zh_CN.GBK")
	if got := a.argPath(a.decodeArgs([]string{raw})[0]); got != raw {
		t.Errorf("a GBK name on disk: %q", got)
	}
}

// A name that reads as UTF-8 Chinese is kept, but when no file has it and its
// GBK reading names one, that file is read.
func TestGBKFileNameBothWays(t *testing.T) {
	dir := t.TempDir()
	// A name whose GBK bytes also read as UTF-8 Chinese: E4 B8 AD 41 is 中A
	// in UTF-8 and 涓瑼 in GBK.
	utf := "\xE4\xB8\xAD\x41"
	decoded, err := simplifiedchinese.GB18030.NewDecoder().String(utf)
	if err != nil || !readsAsChinese(utf) || !utf8Valid(utf) || decoded == utf {
		t.Fatalf("%q: %q %v", utf, decoded, err)
	}
	name := filepath.Join(dir, decoded+".xlsx")
	if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, _, _ := checkApp(filepath.Join(dir, "x.db"), "LANG", "zh_CN.GBK")
	arg := a.decodeArgs([]string{filepath.Join(dir, utf+".xlsx")})[0]
	if got := a.argPath(arg); got != name {
		t.Errorf("%q read as %q, want %q", arg, got, name)
	}
}

// --db and --catalog typed in a GBK terminal are tried both ways, as file
// arguments are: a data file whose name on disk is GBK (made on a GBK system) is
// opened, not shadowed by a new empty one under its UTF-8 reading; a new data
// file goes into the directory that exists; --db=路径 alike.
func TestGBKPathFlags(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, gbk(t, "南安数据.db")) // GBK bytes on disk
	a, _, errb := checkApp(filepath.Join(dir, "unused.db"), "LANG", "C.UTF-8")
	if code := a.run([]string{"unit", "add", "--db", raw, "--variant", "nanan", "--type", "shizhi", "--name", "市测试局"}); code != exitOK {
		t.Fatalf("unit add: exit %d %s", code, errb)
	}
	for _, args := range [][]string{{"--db", raw}, {"--db=" + raw}} {
		a, out, errb := checkApp(filepath.Join(dir, "unused.db"), "LANG", "zh_CN.GBK")
		code := a.run(append([]string{"unit", "list", "--variant", "nanan"}, args...))
		got := out.String() // a buffer, not a terminal: UTF-8
		if code != exitOK || !strings.Contains(got, "市测试局") {
			t.Errorf("unit list %q in GBK: exit %d, %q %q", args, code, got, errb)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "南安数据.db")); err == nil {
		t.Error("a new data file was made under the UTF-8 reading of the name")
	}

	// A new data file in a directory named in GBK on disk.
	sub := filepath.Join(dir, gbk(t, "季报"))
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	a, _, errb = checkApp(filepath.Join(dir, "unused.db"), "LANG", "zh_CN.GBK")
	if code := a.run([]string{"unit", "add", "--db", filepath.Join(sub, "new.db"), "--variant", "nanan", "--type", "shizhi", "--name", "市测试局"}); code != exitOK {
		t.Fatalf("unit add in a GBK directory: exit %d %s", code, errb)
	}
	if !fileExists(filepath.Join(sub, "new.db")) || fileExists(filepath.Join(dir, "季报")) {
		t.Error("the new data file is not in the directory that exists")
	}

	// --catalog: a catalog file saved under a GBK name.
	cat := filepath.Join(dir, gbk(t, "表式2025.json"))
	b, err := os.ReadFile(filepath.Join("..", "..", "model", "catalog", "2025.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cat, b, 0o644); err != nil {
		t.Fatal(err)
	}
	a, _, errb = checkApp(filepath.Join(dir, "unused.db"), "LANG", "zh_CN.GBK")
	if code := a.run([]string{"forms", "--catalog", cat, "--variant", "nanan"}); code != exitOK {
		t.Errorf("forms --catalog <GBK name>: exit %d %s", code, errb)
	}
}
