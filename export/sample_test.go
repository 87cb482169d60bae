package export

import (
	"testing"

	"jibao/model"
)

func variant(t testing.TB, id string) *model.Variant {
	t.Helper()
	v, err := model.DefaultCatalog().Variant(id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func unitOf(t testing.TB, v *model.Variant, name string) model.Unit {
	t.Helper()
	u, err := v.Unit(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSampleComplete: the sample must pass the model's rules, or `make look` and
// the command tests would show a report the export refuses.
func TestSampleComplete(t *testing.T) {
	for _, vc := range []struct{ v, unit string }{{"nanan", "水头"}, {"nanan", "市应急局"}, {"quanzhou-edu", "鲤城区"}} {
		v := variant(t, vc.v)
		u := unitOf(t, v, vc.unit)
		for seed := 0; seed < 5; seed++ {
			r := Sample(v, u, model.Period{Year: 2025, Quarter: 3}, seed)
			res := v.Check(r, nil)
			if !res.Complete() {
				for _, f := range res.Findings {
					if f.IsError() {
						t.Errorf("%s/%s seed %d: %s", vc.v, vc.unit, seed, f.Message)
					}
				}
				t.Fatalf("%s/%s seed %d: blanks %d errors %d", vc.v, vc.unit, seed, len(res.Blanks), res.Errors())
			}
		}
	}
}
