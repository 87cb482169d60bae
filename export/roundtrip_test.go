package export

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

var q3 = model.Period{Year: 2025, Quarter: 3}

// reopen writes a workbook out and reads it back, as another program would see it.
func reopen(t testing.TB, x *excelize.File) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	y, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

func sameValues(t *testing.T, want, got map[model.CellKey]model.Number) {
	t.Helper()
	for k, n := range want {
		if g, ok := got[k]; !ok || g != n {
			t.Errorf("%s: want %v, got %v (present %v)", k, n, g, ok)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected value %v", k, got[k])
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, vc := range []struct{ v, unit string }{{"nanan", "水头"}, {"nanan", "市应急局"}, {"quanzhou-edu", "鲤城区"}} {
		t.Run(vc.v+"/"+vc.unit, func(t *testing.T) {
			v := variant(t, vc.v)
			r := Sample(v, unitOf(t, v, vc.unit), q3, 7)
			x, err := Workbook(v, r, false)
			if err != nil {
				t.Fatal(err)
			}
			im, err := Read(reopen(t, x), v, nil)
			if err != nil {
				t.Fatal(err)
			}
			if im.Unit.Name != r.Unit || im.Header != r.Header || im.Draft {
				t.Errorf("unit %q header %+v draft %v; want %q %+v", im.Unit.Name, im.Header, im.Draft, r.Unit, r.Header)
			}
			sameValues(t, r.Values, im.Values)
			// export → import → export gives the same workbook values
			x2, err := Workbook(v, im.Report(q3), false)
			if err != nil {
				t.Fatal(err)
			}
			im2, err := Read(reopen(t, x2), v, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameValues(t, im.Values, im2.Values)
		})
	}
}

func TestReadTemplateIsEmpty(t *testing.T) {
	v := variant(t, "nanan")
	x, err := Template(v)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Read(reopen(t, x), v, nil)
	var ps Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "没有填单位名称") {
		t.Fatalf("want a problem about the missing unit, got %v", err)
	}
}

func TestExportRule(t *testing.T) {
	v := variant(t, "nanan")
	r := Sample(v, unitOf(t, v, "溪美"), q3, 4)
	delete(r.Values, model.CellKey{Form: "t4", Row: "r", Col: "c7"})
	res := v.Check(r, nil)
	path := t.TempDir() + "/" + FileName(v, r, false)
	var inc *IncompleteError
	if err := Export(v, r, res, path, false, false); !errors.As(err, &inc) || inc.Blanks != 1 || inc.Errors != 0 {
		t.Fatalf("incomplete report: %v", err)
	}
	if err := Export(v, r, res, path, true, false); err != nil {
		t.Fatal(err)
	}
	if err := Export(v, r, res, path, true, false); !errors.Is(err, ErrExists) {
		t.Fatalf("second export without force: %v", err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if title, _ := x.GetCellValue("季报表（四）", "A2"); !strings.HasSuffix(title, "（草稿）") {
		t.Errorf("title %q", title)
	}
}
