package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"jibao/internal/testenv"
)

// TestBinaryExportLibreOfficeResaved: a report exported by the real binary and
// saved again by LibreOffice (as a clerk's office suite would) imports back as
// no change at all. scripts/look.sh does the same for a look by eye; this runs
// in `make test`.
func TestBinaryExportLibreOfficeResaved(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts LibreOffice")
	}
	soffice := testenv.MustHaveTool(t, "soffice")
	bin := serveBinary(t)
	x := newXIO(t)
	x.put(sampleOf(t, "水头", 7))
	jibao := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "JIBAO_DB="+x.db, "JIBAO_USER=tester", "LANG=C.UTF-8")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("jibao %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	first := x.path("南安-水头-2025Q3-季报表.xlsx")
	jibao("export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "-o", first)
	outDir := x.path("resaved")
	lo := exec.Command(soffice, "-env:UserInstallation=file://"+x.path("lo-profile"), "--headless",
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outDir, first)
	lo.Env = append(os.Environ(), "HOME="+x.dir)
	if out, err := lo.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	resaved := filepath.Join(outDir, filepath.Base(first))
	if _, err := os.Stat(resaved); err != nil {
		t.Fatalf("LibreOffice wrote no workbook: %v", err)
	}
	if out := jibao("import", resaved, "--period", "2025Q3", "--dry-run"); !strings.Contains(out, "无变化") {
		t.Errorf("the LibreOffice-saved workbook does not read back the same:\n%s", out)
	}
}
