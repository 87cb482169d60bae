package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// at is the cell of a form sheet that holds (unit type, row, column) in our layout.
func at(v *model.Variant, f *model.Form, unitType, row, col string) string {
	top := rowGridTop + f.Depth
	for _, t := range v.UnitTypes {
		if f.TownshipOnly && !t.Township {
			continue
		}
		if t.ID == unitType {
			for j, rd := range f.Rows {
				if rd.ID == row {
					return cell(f.Column(col).Display, top+j)
				}
			}
		}
		top += len(f.Rows)
	}
	panic("no such cell")
}

// samples holds each unit's exported sample workbook, made once per test.
type samples map[string][]byte

// readEdited opens the unit's sample export, lets edit change it, and reads it
// back after a save, as another program would see it.
func (ss samples) readEdited(t *testing.T, vid, unit string, edit func(v *model.Variant, x *excelize.File)) (*Imported, *model.Report, error) {
	t.Helper()
	v := variant(t, vid)
	r := Sample(v, unitOf(t, v, unit), q3, 5)
	if ss[vid+unit] == nil {
		x, err := Workbook(v, r, false)
		if err != nil {
			t.Fatal(err)
		}
		buf, err := x.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		ss[vid+unit] = buf.Bytes()
	}
	x, err := excelize.OpenReader(bytes.NewReader(ss[vid+unit]))
	if err != nil {
		t.Fatal(err)
	}
	edit(v, x)
	im, err := Read(reopen(t, x), v, nil)
	return im, r, err
}

func set(t *testing.T, x *excelize.File, sheet, a string, value any) {
	t.Helper()
	if err := x.SetCellValue(sheet, a, value); err != nil {
		t.Fatal(err)
	}
}

func TestReadProblems(t *testing.T) {
	t1, t2 := "季报表（一）", "季报表（二）"
	cases := []struct {
		name string
		unit string
		edit func(t *testing.T, v *model.Variant, x *excelize.File)
		want []string
	}{
		{"not a number", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			set(t, x, t1, at(v, v.Form("t1"), "xiangzhen", "guobiao", "c5"), "十二")
			set(t, x, t2, at(v, v.Form("t2"), "xiangzhen", "shi", "c12"), -3)
		}, []string{"季报表（一）!F", "「十二」不是数字", "季报表（二）!", "不能为负数"}},
		{"fraction in a count", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			set(t, x, t1, at(v, v.Form("t1"), "xiangzhen", "guobiao", "c1"), 12.5)
		}, []string{"季报表（一）!B", "应为整数"}},
		{"not-applicable cell filled", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			set(t, x, t1, at(v, v.Form("t1"), "xiangzhen", "dibiao", "c21"), 3)
		}, []string{"此格不适用"}},
		{"unit not in directory", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			for _, f := range v.Forms {
				set(t, x, SheetName(f), "A3", HeaderLine(model.Header{Unit: "火星镇"}))
			}
		}, []string{"季报表（一）!A3", "火星镇", "不在南安的单位名录中"}},
		{"no unit", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			for _, f := range v.Forms {
				set(t, x, SheetName(f), "A3", HeaderLine(model.Header{}))
			}
		}, []string{"没有填单位名称"}},
		{"units differ between sheets", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			set(t, x, t2, "A3", HeaderLine(model.Header{Unit: "溪美"}))
		}, []string{"季报表（二）!A3", "不一致"}},
		{"both blocks filled", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			set(t, x, t1, at(v, v.Form("t1"), "shizhi", "guobiao", "c1"), 1)
		}, []string{"同时填写了多个单位类型"}},
		{"wrong block", "市应急局", func(t *testing.T, v *model.Variant, x *excelize.File) {
			for _, f := range v.Forms {
				set(t, x, SheetName(f), "A3", HeaderLine(model.Header{Unit: "水头"}))
			}
		}, []string{"水头属于“乡镇（街道、开发区）”，但表中填写的是“市直单位”一栏"}},
		{"header changed", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			set(t, x, t1, "B5", "合计")
		}, []string{"季报表（一）：表头中找不到“企业底数（家）/总数”"}},
		{"sheet missing", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			if err := x.DeleteSheet("季报表（四）"); err != nil {
				t.Fatal(err)
			}
		}, []string{"找不到季报表（四）", "应填报此表"}},
		{"formula without a value", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			f := v.Form("t3")
			a := at(v, f, "xiangzhen", "r", "c6")
			if err := x.SetCellFormula(SheetName(f), a, "1+1"); err != nil {
				t.Fatal(err)
			}
			set(t, x, SheetName(f), a, nil)
			if err := x.SetCellFormula(SheetName(f), a, "1+1"); err != nil {
				t.Fatal(err)
			}
		}, []string{"季报表（三）!G8", "公式 =1+1 没有计算结果"}},
		{"figures under the notes are not read", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			f := v.Form("t3")
			set(t, x, "季报表（三）", cell(5, rowGridTop+f.Depth+3), 7)
		}, []string{}},
		{"extra row", "水头", func(t *testing.T, v *model.Variant, x *excelize.File) {
			f := v.Form("t3")
			row := rowGridTop + f.Depth + 2
			if err := x.InsertRows("季报表（三）", row, 1); err != nil {
				t.Fatal(err)
			}
			set(t, x, "季报表（三）", cell(5, row), 7)
		}, []string{"季报表（三）!A9：多出的一行"}},
	}
	ss := samples{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ss.readEdited(t, "nanan", tc.unit, func(v *model.Variant, x *excelize.File) { tc.edit(t, v, x) })
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want no problem, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want a problem, got none")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problem %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestReadTolerates(t *testing.T) {
	ss := samples{}
	t.Run("grid moved and sheets renamed", func(t *testing.T) {
		im, r, err := ss.readEdited(t, "nanan", "水头", func(v *model.Variant, x *excelize.File) {
			for i, f := range v.Forms {
				name := SheetName(f)
				if err := x.InsertRows(name, 1, 2); err != nil {
					t.Fatal(err)
				}
				if err := x.InsertCols(name, "A", 1); err != nil {
					t.Fatal(err)
				}
				if err := x.SetSheetName(name, "Sheet"+string(rune('1'+i))); err != nil {
					t.Fatal(err)
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		sameValues(t, r.Values, im.Values)
	})
	t.Run("full official name", func(t *testing.T) {
		im, _, err := ss.readEdited(t, "nanan", "水头", func(v *model.Variant, x *excelize.File) {
			for _, f := range v.Forms {
				set(t, x, SheetName(f), "A3", HeaderLine(model.Header{Unit: "南安市水头镇人民政府", Date: "2025-09-28"}))
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if im.Unit.Name != "水头" || im.Header.Unit != "南安市水头镇人民政府" {
			t.Errorf("unit %q header %q", im.Unit.Name, im.Header.Unit)
		}
	})
	t.Run("date typed into a cell of its own", func(t *testing.T) {
		im, _, err := ss.readEdited(t, "nanan", "水头", func(v *model.Variant, x *excelize.File) {
			for _, f := range v.Forms {
				name := SheetName(f)
				if err := x.UnmergeCell(name, "A3", cell(len(f.Display)-1, 3)); err != nil {
					t.Fatal(err)
				}
				for c := range f.Display { // the template's header line is four cells
					set(t, x, name, cell(c, 3), "")
				}
				set(t, x, name, "A3", "填报单位（盖章）：水头")
				set(t, x, name, "H3", time.Date(2025, 10, 2, 0, 0, 0, 0, time.UTC))
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if im.Header.Date != "2025-10-02" {
			t.Errorf("date %q", im.Header.Date)
		}
	})
	t.Run("float noise and text numbers", func(t *testing.T) {
		var money, count model.CellKey
		im, _, err := ss.readEdited(t, "nanan", "水头", func(v *model.Variant, x *excelize.File) {
			f := v.Form("t3")
			money = model.CellKey{Form: "t3", Row: "r", Col: "c12"}
			count = model.CellKey{Form: "t3", Row: "r", Col: "c5"}
			set(t, x, SheetName(f), at(v, f, "xiangzhen", "r", "c12"), 0.1+0.2)
			set(t, x, SheetName(f), at(v, f, "xiangzhen", "r", "c5"), " １，２３４ ")
		})
		if err != nil {
			t.Fatal(err)
		}
		if im.Values[money] != 30 || im.Values[count] != model.Whole(1234) {
			t.Errorf("money %v count %v", im.Values[money], im.Values[count])
		}
	})
	t.Run("blank cells stay blank", func(t *testing.T) {
		var k model.CellKey
		im, _, err := ss.readEdited(t, "nanan", "水头", func(v *model.Variant, x *excelize.File) {
			f := v.Form("t2")
			k = model.CellKey{Form: "t2", Row: "xian", Col: "c9"}
			set(t, x, SheetName(f), at(v, f, "xiangzhen", "xian", "c9"), "  ")
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := im.Values[k]; ok {
			t.Errorf("a blank cell was read as %v", im.Values[k])
		}
	})
	t.Run("draft", func(t *testing.T) {
		v := variant(t, "quanzhou-edu")
		r := Sample(v, unitOf(t, v, "鲤城区"), q3, 2)
		x, err := Workbook(v, r, true)
		if err != nil {
			t.Fatal(err)
		}
		y := reopen(t, x)
		got, err := DetectVariant(y, model.DefaultCatalog())
		if err != nil || got.ID != v.ID {
			t.Fatalf("detected %v, %v", got, err)
		}
		im, err := Read(y, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !im.Draft {
			t.Error("draft mark not seen")
		}
		if _, err := Read(y, variant(t, "nanan"), nil); err == nil || !strings.Contains(err.Error(), "找不到季报表（一）") {
			t.Errorf("a 泉州 file read as 南安: %v", err)
		}
	})
}

func TestHeaderLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want model.Header
	}{
		{HeaderLine(model.Header{Unit: "水头", Filler: "王", Phone: "138", Date: "2025-09-28"}),
			model.Header{Unit: "水头", Filler: "王", Phone: "138", Date: "2025-09-28"}},
		{HeaderLine(model.Header{}), model.Header{}},
		{"填报单位(盖章): 溪美街道  填表人:李 联系电话: 0595-1 2025/10/1", model.Header{Unit: "溪美街道", Filler: "李", Phone: "0595-1", Date: "2025-10-01"}},
		{"填报单位：市应急局 填表人： 联系电话：13800000000 2025年2月30日", model.Header{Unit: "市应急局", Phone: "13800000000"}},
		{"填报单位（盖章）：水头镇", model.Header{Unit: "水头镇"}},
		{"填报单位（盖章）：水头镇  2025年9月28日", model.Header{Unit: "水头镇", Date: "2025-09-28"}},
		{"填报单位（盖章）：水头镇  ２０２５年９月２８日", model.Header{Unit: "水头镇", Date: "2025-09-28"}},
		{"填报单位（盖章）：水头 联系电话：0595-86391234 填表人：王", model.Header{Unit: "水头", Filler: "王", Phone: "0595-86391234"}},
		{"填报单位（盖章）：水头 填表人：王 联系电话：2025-1234567 2025.9.8", model.Header{Unit: "水头", Filler: "王", Phone: "2025-1234567", Date: "2025-09-08"}},
	} {
		got, ok := parseHeaderLine(tc.in)
		if !ok || got != tc.want {
			t.Errorf("%q: got %+v %v, want %+v", tc.in, got, ok, tc.want)
		}
	}
}
