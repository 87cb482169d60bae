package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jibao/model"
)

// fakeExporter stands in for export.Workbook: the draft flag shows in the bytes.
func fakeExporter(v *model.Variant, r *model.Report, _ model.Review, _ *model.Result, draft bool) (string, []byte, error) {
	name := v.Name + "-" + r.Unit + "-" + r.Period.String() + ".xlsx"
	if draft {
		return strings.Replace(name, ".xlsx", "-草稿.xlsx", 1), []byte("draft"), nil
	}
	return name, []byte("final"), nil
}

func TestExportKeyLocal(t *testing.T) {
	st := openTestStore(t)
	dir := t.TempDir()
	h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", Exporter: fakeExporter, Dir: dir})
	h.keys("E")
	h.contains("不能导出正式报表")
	h.contains("172 处空白，0 处错误")
	h.keys("n")
	if _, err := os.Stat(filepath.Join(dir, "南安-水头-2025Q3-草稿.xlsx")); err == nil {
		t.Fatal("declined draft was written")
	}
	h.keys("E y")
	want := filepath.Join(dir, "南安-水头-2025Q3-草稿.xlsx")
	h.contains(want) // the prompt offers the full path in the start directory
	h.keys("enter")
	if b, err := os.ReadFile(want); err != nil || string(b) != "draft" {
		t.Fatalf("file %q, %v", b, err)
	}
	h.contains("已导出：" + want)

	// Again: the existing file is kept unless the clerk says to overwrite it.
	os.WriteFile(want, []byte("old"), 0o644)
	h.keys("E y enter")
	h.contains("文件已存在")
	h.keys("n")
	if b, _ := os.ReadFile(want); string(b) != "old" {
		t.Fatalf("overwritten without asking: %q", b)
	}
	h.keys("E y enter y")
	if b, _ := os.ReadFile(want); string(b) != "draft" {
		t.Fatalf("not overwritten after yes: %q", b)
	}

	// A folder that does not exist is named, in words.
	h.keys("E y ctrl+u str:/nonexistent/x.xlsx enter")
	h.contains("导出失败：无法写入 /nonexistent/x.xlsx：目录不存在")

	// A typed folder gets the file's own name; a relative path is from Dir.
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	h.keys("E y ctrl+u str:sub enter")
	if _, err := os.Stat(filepath.Join(dir, "sub", "南安-水头-2025Q3-草稿.xlsx")); err != nil {
		t.Fatalf("not written into the typed folder: %v", err)
	}
}

func TestExportKeyInGridAndHelp(t *testing.T) {
	st := openTestStore(t)
	h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", Exporter: fakeExporter, Dir: t.TempDir()})
	h.keys("1")
	h.contains("E 导出")
	h.keys("E")
	h.contains("导出草稿")
	h.keys("esc ?")
	h.contains("上传 xlsx 并导入")
}

func TestUploadKeyLocalSaysSSH(t *testing.T) {
	st := openTestStore(t)
	h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3"})
	h.keys("I")
	h.contains("jibao import")
}

func TestExportKeyInSummary(t *testing.T) {
	st := openTestStore(t)
	dir := t.TempDir()
	var got *model.Summary
	ex := func(sum *model.Summary) (string, []byte, error) {
		got = sum
		return "南安-2025Q3-季报表汇总.xlsx", []byte("sum"), nil
	}
	h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", SummaryExporter: ex, Dir: dir})
	h.keys("S")
	h.contains("E 导出汇总工作簿")
	h.keys("E enter")
	if got == nil || got.Period.String() != "2025Q3" {
		t.Fatalf("exporter got %v", got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "南安-2025Q3-季报表汇总.xlsx")); err != nil || string(b) != "sum" {
		t.Fatalf("summary workbook not written: %q %v", b, err)
	}
	h.contains("已导出：")
}

// TestExportKeyOnBoard: E on the office's board writes the 催报 list of the
// board's period into the start directory, named as `jibao remind -o` names it.
func TestExportKeyOnBoard(t *testing.T) {
	st := openTestStore(t)
	dir := t.TempDir()
	var asked string
	ex := func(v *model.Variant, p model.Period) (string, []byte, error) {
		asked = v.ID + " " + p.String()
		return "南安-2025Q3-催报名单.xlsx", []byte("remind"), nil
	}
	h := newHarness(t, st, 120, 40, Options{Variant: "nanan", Period: "2025Q3", Reviewer: true, User: "市安委办", RemindExporter: ex, Dir: dir})
	h.keys("B")
	h.contains("E 导出催报名单")
	h.keys("E")
	h.contains("南安-2025Q3-催报名单.xlsx（6 字节）")
	h.keys("enter")
	if asked != "nanan 2025Q3" {
		t.Fatalf("exporter asked for %q", asked)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "南安-2025Q3-催报名单.xlsx")); err != nil || string(b) != "remind" {
		t.Fatalf("催报名单 not written: %q %v", b, err)
	}
	h.contains("已写出催报名单：" + dir)
	h.keys("?")
	h.contains("导出催报名单")
}
