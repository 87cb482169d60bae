package main

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jibao/export"
	"jibao/internal/testenv"
	"jibao/model"
)

// exported writes a sample report of 水头 dated date to name in x's directory.
func (x *xio) exported(name, date string) (string, *model.Report) {
	x.t.Helper()
	r := sampleOf(x.t, "水头", 3)
	r.Header.Date = date
	wb, err := export.Workbook(nanan(x.t), r, false)
	if err != nil {
		x.t.Fatal(err)
	}
	path := x.path(name)
	if err := export.Save(wb, path, false); err != nil {
		x.t.Fatal(err)
	}
	return path, r
}

// --period that contradicts the header date is refused naming both, unless
// --force; a period outside the catalog's year is refused at import, given or
// guessed.
func TestImportPeriodChecks(t *testing.T) {
	x := newXIO(t)
	june, _ := x.exported("june.xlsx", "2025-06-28")
	msg := x.want(exitFail, "import", june, "--period", "2025Q3")
	for _, w := range []string{"表头日期为 2025年6月28日", "--period 2025Q3", "2025年第2季度", "--force"} {
		if !strings.Contains(msg, w) {
			t.Errorf("refusal lacks %q: %s", w, msg)
		}
	}
	if fileExists(x.db) && x.has("水头", "2025Q3") {
		t.Error("a refused file was stored")
	}
	x.want(exitOK, "import", june, "--period", "2025Q3", "--force")
	if !x.has("水头", "2025Q3") {
		t.Error("--force did not store it")
	}
	// A late report, dated in the next quarter, is the clerk's to say.
	late, _ := x.exported("late.xlsx", "2025-10-20")
	x.want(exitOK, "import", late, "--period", "2025Q3", "--force")
	x.want(exitOK, "import", late, "--period", "2025Q3", "--dry-run")

	msg = x.want(exitFail, "import", june, "--period", "2024Q3", "--force")
	if !strings.Contains(msg, "不在本表式的年度（2025年）内") {
		t.Errorf("2024Q3: %s", msg)
	}
	old, _ := x.exported("old.xlsx", "2024-09-28")
	if msg := x.want(exitFail, "import", old); !strings.Contains(msg, "推断为2024年第3季度") || !strings.Contains(msg, "不在本表式的年度") {
		t.Errorf("guessed 2024Q3: %s", msg)
	}
	if x.has("水头", "2024Q3") {
		t.Error("a period outside the catalog's year was stored")
	}
}

func (x *xio) has(unit, period string) bool {
	x.t.Helper()
	a, out, _ := checkApp(x.db)
	a.run([]string{"list", "--json", "--period", period})
	return strings.Contains(out.String(), `"unit": "`+unit+`"`)
}

// The guessed period is said first, on its own line; a file name naming
// another period than the one imported is warned of.
func TestImportSaysThePeriod(t *testing.T) {
	x := newXIO(t)
	file, _ := x.exported("南安-水头-2025Q3-季报表.xlsx", "2025-12-28")
	msg := x.want(exitOK, "import", file)
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	if !strings.Contains(lines[0], "期别推断为2025年第4季度（按表头日期 2025年12月28日") {
		t.Errorf("first line: %s", msg)
	}
	if !strings.Contains(msg, "注意，文件名写的是2025年第3季度，导入为2025年第4季度") {
		t.Errorf("no warning about the file name: %s", msg)
	}
	same, _ := x.exported("水头2025年第四季度.xlsx", "2025-12-28")
	if msg := x.want(exitOK, "import", same, "--dry-run"); strings.Contains(msg, "文件名写的是") {
		t.Errorf("warned of a file name that agrees: %s", msg)
	}
}

// Files that are not workbooks are refused in Chinese: no zip, EOF or
// excelize internals.
func TestImportNotAWorkbook(t *testing.T) {
	x := newXIO(t)
	good, _ := x.exported("good.xlsx", "2025-09-28")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := x.path(name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct{ file, want string }{
		{write("empty.xlsx", nil), "文件是空的"},
		{write("text.xlsx", []byte("单位,数字\n水头,1\n")), "不是 Excel 工作簿"},
		{write("cut.xlsx", data[:len(data)/2]), "文件已损坏或不完整"},
		{write("tail.xlsx", data[:len(data)-10]), "文件已损坏或不完整"},
		{write("report.pdf", []byte("%PDF-1.4\n...")), "这是 PDF 文件"},
		{write("noise.xlsx", append([]byte("PK\x03\x04"), make([]byte, 300)...)), "文件已损坏或不完整"},
		{x.dir, "这是一个目录"},
		{write("word.xlsx", zipOf(t, "word/document.xml", "<w:document/>")), "这是 Word 文档"},
		{write("other.xlsx", zipOf(t, "a.txt", "hello")), "不是 Excel 工作簿"},
		{x.path("missing.xlsx"), "文件不存在"},
	} {
		msg := x.want(exitFail, "import", tc.file, "--period", "2025Q3")
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: want %q, got %s", filepath.Base(tc.file), tc.want, msg)
		}
		for _, english := range []string{"zip:", "EOF", "unsupported", "excelize", "xml:"} {
			if strings.Contains(msg, english) {
				t.Errorf("%s: English internals reach the clerk: %s", filepath.Base(tc.file), msg)
			}
		}
	}
}

func zipOf(t *testing.T, name, content string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// .xls and .ods (made from our export by LibreOffice here) are converted by
// LibreOffice and imported with the same figures; without LibreOffice the
// refusal says how to save as .xlsx.
func TestImportConvertsWithLibreOffice(t *testing.T) {
	soffice := testenv.MustHaveTool(t, "soffice")
	x := newXIO(t)
	src, r := x.exported("水头.xlsx", "2025-09-28")
	var files []string
	for _, format := range []string{"xls", "ods"} {
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+x.path("profile"), "--headless", "--norestore",
			"--convert-to", format, "--outdir", x.path(format), src)
		cmd.Env = append(os.Environ(), "HOME="+x.dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, out)
		}
		files = append(files, x.path(format+"/水头."+format))
	}
	et := x.path("水头.et") // WPS's own name for the same binary format
	if b, err := os.ReadFile(files[0]); err != nil || os.WriteFile(et, b, 0o644) != nil {
		t.Fatal(err)
	}
	files = append(files, et)
	for _, f := range files {
		msg := x.want(exitOK, "import", f, "--period", "2025Q3", "--force")
		if !strings.Contains(msg, "已用 LibreOffice 转换为 .xlsx 读取") {
			t.Errorf("%s: %s", filepath.Base(f), msg)
		}
		sameReportValues(t, r, x.get("水头"))
	}

	t.Setenv("PATH", t.TempDir()) // no soffice
	for _, f := range files {
		msg := x.want(exitFail, "import", f, "--period", "2025Q3")
		if !strings.Contains(msg, "本机未安装 LibreOffice") || !strings.Contains(msg, "另存为") || !strings.Contains(msg, "*.xlsx") {
			t.Errorf("%s without LibreOffice: %s", filepath.Base(f), msg)
		}
	}
}

func TestPeriodInName(t *testing.T) {
	for name, want := range map[string]string{
		"南安-水头-2025Q3-季报表.xlsx": "2025Q3", "水头2025-q4.xlsx": "2025Q4", "2025年第2季度水头.xlsx": "2025Q2",
		"水头2025年三季度.xlsx": "2025Q3", "水头2025年第四季度报表.xls": "2025Q4", "dir2025Q1/水头.xlsx": "",
		"水头2025年1月.xlsx": "", "水头2025年9月28日.xlsx": "", "水头.xlsx": "",
	} {
		p, ok := periodInName(name)
		got := ""
		if ok {
			got = p.String()
		}
		if got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}
