package export

import (
	"strings"
	"testing"

	"jibao/model"
)

// TestConfirmedJumpTravels: a warning that compares with last quarter (jump)
// and that the clerk confirmed goes out like any other: its message and place
// on the 说明 sheet and a 批注 on its cell, not its bare key. The check that
// found it is the one handed over (with last quarter); without one, the
// workbook has no last quarter to find it with.
func TestConfirmedJumpTravels(t *testing.T) {
	v := variant(t, "nanan")
	u := unitOf(t, v, "水头")
	r := Sample(v, u, q3, 1)
	prev := r.Clone()
	prev.Period = model.Period{Year: 2025, Quarter: 2}
	f := v.Forms[0]
	var k model.CellKey
	for _, c := range f.Cells() {
		if f.Column(c.Col).Kind == model.KindCount {
			k = c
			break
		}
	}
	prev.Values[k], r.Values[k] = model.Whole(10), model.Whole(900)
	res := v.Check(r, prev)
	var jump model.Finding
	for _, fd := range res.Findings {
		if fd.Rule == "t1.jump" && len(fd.Cells) > 0 && fd.Cells[0] == k {
			jump = fd
		}
	}
	if jump.Key == "" {
		t.Fatalf("no jump warning at %v: %v", k, res.Findings)
	}
	r.Confirmed[jump.Key] = model.Confirmation{Comment: "新增了一批企业", By: "张三"}
	x, err := WorkbookReviewed(v, r, model.Review{}, v.Check(r, prev), true)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(SheetExplain)
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, rw := range rows {
		if len(rw) > 0 && rw[0] == kindConfirm {
			row = strings.Join(rw, "|")
		}
	}
	if !strings.Contains(row, jump.Message) || !strings.Contains(row, "新增了一批企业") || !strings.Contains(row, Address(v, r, k)) {
		t.Errorf("说明 row %q, want the message %q at %s", row, jump.Message, Address(v, r, k))
	}
	comments, err := x.GetComments(SheetName(f))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range comments {
		found = found || strings.Contains(c.Text, "新增了一批企业")
	}
	if !found {
		t.Errorf("no 批注 on the cell: %v", comments)
	}
}
