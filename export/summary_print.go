package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// paperA4 is the OOXML paper size code of A4 (210 × 297 mm).
const paperA4 = 9

// page is how a summary sheet prints. Every sheet prints landscape, one page
// wide, with its heading rows on every page and page numbers in the footer:
// printed by LibreOffice without it the summary was 51 A4 portrait pages.
type page struct {
	paper     int    // 0 means A4
	titleRows int    // rows 1..titleRows repeat on every page
	filter    string // an autofilter range, "" for none
	onePage   bool   // fit the whole sheet on one page (a chart)
}

// printSetup sets a sheet's page up; it runs before the stream writer takes
// the sheet, whose Flush writes these settings out.
func printSetup(x *excelize.File, name string, pg page) error {
	if pg.filter != "" {
		// First: AutoFilter replaces the sheet's properties, fit-to-page with them.
		if err := x.AutoFilter(name, pg.filter, nil); err != nil {
			return err
		}
	}
	size, orient, one, zero := pg.paper, "landscape", 1, 0
	if size == 0 {
		size = paperA4
	}
	tall := &zero // as many pages down as it takes
	if pg.onePage {
		tall = &one
	}
	if err := x.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &one, FitToHeight: tall}); err != nil {
		return err
	}
	fit := true
	if err := x.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	m, mt, hz := 0.4, 0.6, true
	if err := x.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &mt,
		Bottom: &mt, Horizontally: &hz}); err != nil {
		return err
	}
	if err := x.SetHeaderFooter(name, &excelize.HeaderFooterOptions{
		OddFooter: "&L&A&C第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	if pg.titleRows > 0 {
		if err := x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name,
			RefersTo: fmt.Sprintf("'%s'!$1:$%d", name, pg.titleRows)}); err != nil {
			return err
		}
	}
	return nil
}
