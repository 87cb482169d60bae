package export

import (
	"fmt"
	"strings"
	"testing"

	"jibao/model"
)

// flatForm is what a form's definition prints: every header cell with its
// place in the tree, every number column with its resolved unit and scope, the
// rows, the not-applicable cells (by row label) and the texts around the grid.
// A draft read back from our own template must print the same as the catalog.
func flatForm(fd *model.FormDef, vf model.VariantForm) []string {
	out := []string{"附件 " + vf.Attachment, "标题 " + vf.Title, "注 " + vf.Notes,
		fmt.Sprintf("只由乡镇填报 %v", fd.TownshipOnly)}
	label := map[string]string{}
	for _, r := range fd.Rows {
		out = append(out, "行 "+r.Label)
		label[r.ID] = r.Label
	}
	for _, na := range fd.NotApplicable {
		for _, c := range na.Columns {
			out = append(out, "不适用 "+label[na.Row]+" "+c)
		}
	}
	scope := fd.Scope
	if scope == "" {
		scope = model.ScopeRow
	}
	var walk func(ns []*model.Node, path, unit, scope string)
	walk = func(ns []*model.Node, path, unit, scope string) {
		for _, n := range ns {
			u, s := unit, scope
			if n.Unit != "" {
				u = n.Unit
			}
			if n.Scope != "" {
				s = n.Scope
			}
			p := path + "/" + n.H
			switch {
			case len(n.Children) > 0:
				out = append(out, "组 "+p)
				walk(n.Children, p, u, s)
			case n.Label != "":
				out = append(out, "标签 "+n.Label+" "+p)
			default:
				out = append(out, fmt.Sprintf("栏 %s %s [%s] %s", n.ID, p, u, s))
			}
		}
	}
	walk(fd.Columns, "", "", scope)
	return out
}

func TestCatalogDraftReadsOurTemplates(t *testing.T) {
	cat := model.DefaultCatalog()
	defs := map[string]*model.FormDef{}
	for _, f := range cat.Forms {
		defs[f.ID] = f
	}
	for _, id := range cat.VariantIDs() {
		t.Run(id, func(t *testing.T) {
			v, _ := cat.Variant(id)
			x, err := Template(v)
			if err != nil {
				t.Fatal(err)
			}
			draft, _, err := CatalogDraft(x, cat.Year)
			if err != nil {
				t.Fatal(err)
			}
			var vd *model.VariantDef
			for _, d := range cat.Variants {
				if d.ID == id {
					vd = d
				}
			}
			dv := draft.Variants[0]
			if len(dv.Forms) != len(vd.Forms) {
				t.Fatalf("%d forms read, want %d", len(dv.Forms), len(vd.Forms))
			}
			for i, vf := range vd.Forms {
				want := flatForm(defs[vf.ID], vf)
				got := flatForm(draft.Forms[i], dv.Forms[i])
				if w, g := strings.Join(want, "\n"), strings.Join(got, "\n"); w != g {
					t.Errorf("表%s read back differs:\n%s", defs[vf.ID].Number, lineDiff(want, got))
				}
				if draft.Forms[i].Number != defs[vf.ID].Number {
					t.Errorf("form %d numbered %q, want %q", i, draft.Forms[i].Number, defs[vf.ID].Number)
				}
			}
			var wantTypes, gotTypes []string
			for _, ut := range vd.UnitTypes {
				wantTypes = append(wantTypes, fmt.Sprintf("%s %v", ut.Label, ut.Township))
			}
			for _, ut := range dv.UnitTypes {
				gotTypes = append(gotTypes, fmt.Sprintf("%s %v", ut.Label, ut.Township))
			}
			if strings.Join(wantTypes, ";") != strings.Join(gotTypes, ";") {
				t.Errorf("unit types %v, want %v", gotTypes, wantTypes)
			}
			if dv.Due != vd.Due {
				t.Errorf("due %+v, want %+v (read from the notes)", dv.Due, vd.Due)
			}
		})
	}
}

func lineDiff(want, got []string) string {
	var b strings.Builder
	n := max(len(want), len(got))
	for i := 0; i < n; i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&b, "  want %s\n  got  %s\n", w, g)
		}
	}
	return b.String()
}

// An office adds a column to 表二 in its template; the draft read from it, once
// decided, is a catalog like any other: a report filled in the new column
// exports, reads back and sums.
func TestCatalogDraftWithAnAddedColumn(t *testing.T) {
	cat := model.DefaultCatalog()
	v, _ := cat.Variant("nanan")
	x, err := Template(v)
	if err != nil {
		t.Fatal(err)
	}
	f2 := v.Form("t2")
	sheet := SheetName(f2)
	col := len(f2.Display) + 1 // a new last column
	top, bottom := rowGridTop, rowGridTop+f2.Depth-1
	a, b := cellName(col, top), cellName(col, bottom)
	if err := x.SetCellValue(sheet, a, "新增宣传场次（场次）"); err != nil {
		t.Fatal(err)
	}
	if err := x.MergeCell(sheet, a, b); err != nil {
		t.Fatal(err)
	}
	draft, _, err := CatalogDraft(x, 2026)
	if err != nil {
		t.Fatal(err)
	}
	newID := fmt.Sprintf("c%d", len(f2.Columns)+1)
	fd := draft.Forms[1]
	leaf := fd.Columns[len(fd.Columns)-1]
	if leaf.ID != newID || leaf.H != "新增宣传场次（场次）" || leaf.Unit != "场次" {
		t.Fatalf("added column read as %+v, want %s 新增宣传场次（场次） in 场次", leaf, newID)
	}
	// What the office decides: since-dates, the variant's names; the rules and
	// units of this year carried over.
	old := map[string]*model.FormDef{}
	for _, f := range cat.Forms {
		old[f.ID] = f
	}
	for _, f := range draft.Forms {
		f.Since = "2026-01"
		f.Rules = old[f.ID].Rules
	}
	dv := draft.Variants[0]
	src := cat.Variants[0]
	dv.ID, dv.Name, dv.Region, dv.Issuer, dv.Office, dv.Subject = src.ID, src.Name, src.Region, src.Issuer, src.Office, src.Subject
	for i := range dv.UnitTypes {
		dv.UnitTypes[i].ID = src.UnitTypes[i].ID
	}
	dv.OverallTypes = src.OverallTypes
	dv.Units = src.Units[:3]
	for i := range draft.Forms {
		// the draft's row ids are r1…; this year's rules name them as before
		for j := range draft.Forms[i].Rows {
			draft.Forms[i].Rows[j].ID = old[draft.Forms[i].ID].Rows[j].ID
		}
		for k := range draft.Forms[i].NotApplicable {
			draft.Forms[i].NotApplicable[k] = old[draft.Forms[i].ID].NotApplicable[k]
		}
	}
	file, err := draft.CatalogJSON()
	if err != nil {
		t.Fatal(err)
	}
	nc, err := model.ParseCatalog(strings.NewReader(string(file)))
	if err != nil {
		t.Fatalf("decided draft does not load: %v", err)
	}
	nv, _ := nc.Variant("nanan")
	if c := nv.Form("t2").Column(newID); c == nil || c.Unit != "场次" {
		t.Fatalf("new column %s not in the loaded catalog", newID)
	}
	p := model.Period{Year: 2026, Quarter: 1}
	var reports []*model.Report
	for i, u := range nv.Units[:2] {
		r := model.NewReport(nv.ID, u, p)
		for _, f := range nv.FormsFor(u.Type) {
			for _, k := range f.Cells() {
				r.Values[k] = model.Whole(0)
			}
		}
		r.Values[model.CellKey{Form: "t2", Row: "shi", Col: newID}] = model.Whole(int64(7 + i))
		wb, err := Workbook(nv, r, false)
		if err != nil {
			t.Fatal(err)
		}
		im, err := Read(wb, nv, nil)
		if err != nil {
			t.Fatalf("%s: the exported file does not read back: %v", u.Name, err)
		}
		back := im.Report(p)
		if n := back.Values[model.CellKey{Form: "t2", Row: "shi", Col: newID}]; n != model.Whole(int64(7+i)) {
			t.Fatalf("%s: new column read back as %v", u.Name, n)
		}
		reports = append(reports, back)
	}
	s := model.Summarize(nv, reports, p)
	if n, ok := s.Total(model.CellKey{Form: "t2", Row: "shi", Col: newID}); !ok || n != model.Whole(15) {
		t.Errorf("summed new column %v %v, want 15", n, ok)
	}
}
