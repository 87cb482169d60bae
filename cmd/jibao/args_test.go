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
