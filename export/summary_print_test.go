package export

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jibao/internal/testenv"
	"jibao/model"
)

// renderPDF prints a workbook with LibreOffice, as the office would, into dir.
func renderPDF(t *testing.T, xlsx, dir string) string {
	t.Helper()
	soffice := testenv.MustHaveTool(t, "soffice")
	testenv.MustHaveTool(t, "pdfinfo")
	testenv.MustHaveTool(t, "pdftotext")
	c := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"), "--headless",
		"--convert-to", "pdf", "--outdir", dir, xlsx)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, strings.TrimSuffix(filepath.Base(xlsx), ".xlsx")+".pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	return pdf
}

// TestSummaryPrintsWithLibreOffice prints the summary workbook of 63 units:
// every page landscape, every sheet one page wide with its name and page
// number in the footer, and every chart whole on a page of its own (it was 55
// pages: 51 A4 portrait, 明细 split across pages, the charts cut).
func TestSummaryPrintsWithLibreOffice(t *testing.T) {
	v := variant(t, "nanan")
	s := scaleSummary(t, v, 63)
	dir := t.TempDir()
	xlsx := filepath.Join(dir, SummaryFileName(s))
	x, err := SummaryWorkbook(s, model.Header{Unit: v.Office, Date: "2025-09-30"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(x, xlsx, false); err != nil {
		t.Fatal(err)
	}
	sheets := x.GetSheetList()
	x.Close()
	pdf := renderPDF(t, xlsx, dir)

	info, err := exec.Command("pdfinfo", "-f", "1", "-l", "999", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	sizes := regexp.MustCompile(`Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)`).FindAllStringSubmatch(string(info), -1)
	pages := len(sizes)
	if pages == 0 || pages > 24 {
		t.Errorf("%d pages (want the workbook on at most 24)", pages)
	}
	for _, m := range sizes {
		w, _ := strconv.ParseFloat(m[2], 64)
		h, _ := strconv.ParseFloat(m[3], 64)
		if w <= h {
			t.Errorf("page %s is portrait (%s × %s pt)", m[1], m[2], m[3])
		}
	}
	// Which sheet each page belongs to: the footer names it (&A).
	onPage := map[string][]int{}
	for p := 1; p <= pages; p++ {
		out, err := exec.Command("pdftotext", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		if !strings.Contains(text, fmt.Sprintf("第 %d 页，共 %d 页", p, pages)) {
			t.Errorf("page %d has no page number in its footer", p)
		}
		for _, name := range sheets {
			if strings.Contains(text, name) {
				onPage[name] = append(onPage[name], p)
			}
		}
	}
	charts := 0
	for _, name := range sheets {
		if !strings.HasPrefix(name, "图") {
			continue
		}
		charts++
		if len(onPage[name]) != 1 {
			t.Errorf("chart sheet %s prints on pages %v, want one page", name, onPage[name])
		}
	}
	if charts != 7 {
		t.Errorf("%d chart sheets, want 7", charts)
	}
	for _, name := range []string{SheetUnits, DetailSheetName(v.UnitTypes[0]), SheetProgress, SheetChart} {
		if len(onPage[name]) == 0 {
			t.Errorf("sheet %s prints no page with its name in the footer", name)
		}
	}
	t.Logf("%d pages; %v", pages, onPage)
}
