package export

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReadNeverPanics mangles an export in many ways (stray texts, removed rows
// and columns, unmerged ranges) and reads it: a clear error or a result, never a
// panic, and never a value that the model's parser would not accept.
func TestReadNeverPanics(t *testing.T) {
	v := variant(t, "nanan")
	r := Sample(v, unitOf(t, v, "水头"), q3, 9)
	junk := []any{"", " ", "abc", "—", -1, 1e300, "１２", "1,2", 3.14159, "注：", "国标", "市直单位", "填报单位类型", "总数", true}
	rng := rand.New(rand.NewSource(1))
	wb, err := Workbook(v, r, false)
	if err != nil {
		t.Fatal(err)
	}
	buf, err := wb.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	n := 25
	if testing.Short() {
		n = 5
	}
	for i := 0; i < n; i++ {
		x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheets := x.GetSheetList()
		for j := 0; j < 1+rng.Intn(6); j++ {
			s := sheets[rng.Intn(len(sheets))]
			row, col := 1+rng.Intn(14), rng.Intn(40)
			switch rng.Intn(5) {
			case 0:
				_ = x.RemoveRow(s, row)
			case 1:
				name, _ := excelize.ColumnNumberToName(col + 1)
				_ = x.RemoveCol(s, name)
			case 2:
				_ = x.UnmergeCell(s, cell(0, 1), cell(60, 20))
			default:
				_ = x.SetCellValue(s, cell(col, row), junk[rng.Intn(len(junk))])
			}
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("mutation %d: panic %v", i, p)
				}
			}()
			im, err := Read(x, v, nil)
			if err != nil {
				return
			}
			for k, n := range im.Values {
				f := v.Form(k.Form)
				if err := v.Validate(f.Column(k.Col).Kind, n); err != nil {
					t.Errorf("mutation %d: %s holds %v: %v", i, k, n, err)
				}
			}
		}()
	}
}
