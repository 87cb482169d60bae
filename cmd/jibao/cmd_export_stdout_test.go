package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jibao/export"
	"jibao/model"
)

// TestExportWorkbookToStdout: `-o -` streams the xlsx itself (pipes, ssh command
// mode), under the same completeness rule as a file.
func TestExportWorkbookToStdout(t *testing.T) {
	x := newXIO(t)
	r := sampleOf(t, "水头", 3)
	x.put(r)
	args := []string{"export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "-o", "-"}
	if code := x.run(args...); code == exitOK {
		if !bytes.HasPrefix(x.out.Bytes(), []byte("PK")) {
			t.Fatalf("stdout is not an xlsx: %q", x.out.String()[:min(40, x.out.Len())])
		}
	} else {
		x.want(exitOK, append(args, "--draft")...)
	}
	book, err := excelize.OpenReader(bytes.NewReader(x.out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	v := nanan(t)
	if got := book.GetSheetList(); len(got) != 4 || got[0] != export.SheetName(v.Forms[0]) {
		t.Fatalf("sheets %v", got)
	}
	im, err := export.Read(book, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameReportValues(t, r, im.Report(r.Period))
}

// TestExportToStdoutRefusalNamesAnAddedUnit: a unit added to the directory (not
// in the catalog) is named when its draft is refused on stdout too.
func TestExportToStdoutRefusalNamesAnAddedUnit(t *testing.T) {
	x := newXIO(t)
	x.want(exitOK, "unit", "add", "--variant", "nanan", "--type", "xiangzhen", "--name", "新设镇")
	v := nanan(t)
	u, err := v.NewUnit("新设镇", "xiangzhen", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := model.NewReport(v.ID, u, model.Period{Year: 2025, Quarter: 3})
	r.Values[model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}] = model.Whole(3)
	x.put(r)
	x.want(exitFail, "export", "--variant", "nanan", "--unit", "新设镇", "--period", "2025Q3", "-o", "-")
	if !strings.Contains(x.err.String(), "新设镇 2025年第3季度 的报表尚未完成") || x.out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", x.out.String(), x.err.String())
	}
}

// TestExportCSVFileHasBOM: Excel and WPS read a CSV file without a BOM as GBK; on
// stdout (for scripts) there is none.
func TestExportCSVFileHasBOM(t *testing.T) {
	x := newXIO(t)
	x.put(sampleOf(t, "水头", 3))
	out := x.path("cells.csv")
	x.want(exitOK, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--draft", "--format", "csv", "-o", out)
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("\ufeff版本,")) {
		t.Fatalf("csv file starts %q, %v", data[:min(20, len(data))], err)
	}
	x.want(exitOK, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3", "--draft", "--format", "csv")
	if !strings.HasPrefix(x.out.String(), "版本,") {
		t.Fatalf("csv on stdout starts %q", x.out.String()[:20])
	}
}
