package main

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"jibao/export"
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
