package serve

import (
	"path/filepath"
	"testing"
	"time"

	"jibao/model"
	"jibao/store"
)

// A command-mode run of a clerk sees the clerk's reports only, as they are.
func TestSnapshotHoldsOnlyThePersonsUnits(t *testing.T) {
	cat := model.DefaultCatalog()
	v, err := cat.Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2025, 9, 20, 10, 0, 0, 0, time.Local)
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true, Catalog: cat,
		Now: func() time.Time { clock = clock.Add(time.Minute); return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k := v.Form("t1").Cells()[0]
	put := func(unit string, p model.Period, by string, n int64) {
		u, err := v.Unit(unit)
		if err != nil {
			t.Fatal(err)
		}
		id := model.ReportID{Variant: "nanan", Unit: unit, Period: p}
		if _, err := st.Ensure(id, u.Type, by); err != nil {
			t.Fatal(err)
		}
		val := model.Whole(n)
		if _, err := st.SetCells(id, []model.Change{{Key: k, Value: &val}}, by); err != nil {
			t.Fatal(err)
		}
	}
	q2, q3 := model.Period{Year: 2025, Quarter: 2}, model.Period{Year: 2025, Quarter: 3}
	put("水头", q2, "张三", 4)
	put("水头", q3, "李四", 5)
	put("英都", q3, "王五", 6)

	clerk := &Person{Name: "张三", Role: RoleClerk, Units: []UnitRef{{"nanan", "水头"}}}
	path := filepath.Join(t.TempDir(), "snap.db")
	if err := Snapshot(st, cat, clerk, path); err != nil {
		t.Fatal(err)
	}
	snap, err := store.Open(path, store.Options{ReadOnly: true, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	infos, err := snap.List("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 {
		t.Fatalf("snapshot holds %d reports, want 水头's two: %+v", len(infos), infos)
	}
	for _, in := range infos {
		if in.ID.Unit != "水头" {
			t.Errorf("snapshot holds %s", in.ID)
		}
		orig, _ := st.Get(in.ID)
		got, err := snap.Get(in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Values[k] != orig.Values[k] || got.UpdatedBy != orig.UpdatedBy || !got.Updated.Equal(orig.Updated) {
			t.Errorf("%s: copy %v by %s at %v, original %v by %s at %v", in.ID, got.Values[k], got.UpdatedBy,
				got.Updated, orig.Values[k], orig.UpdatedBy, orig.Updated)
		}
	}

	office := &Person{Name: "市局", Role: RoleOffice}
	all := filepath.Join(t.TempDir(), "all.db")
	if err := Snapshot(st, cat, office, all); err != nil {
		t.Fatal(err)
	}
	full, err := store.Open(all, store.Options{ReadOnly: true, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	if infos, _ := full.List("", nil); len(infos) != 3 {
		t.Errorf("the office's copy holds %d reports, want all 3", len(infos))
	}
}
