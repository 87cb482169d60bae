package tui

import (
	"testing"

	"jibao/model"
)

// TestSummaryNote: the summary's help describes each form's layout from the
// catalog (row labels, the township-level unit type), for either variant.
func TestSummaryNote(t *testing.T) {
	cat := model.DefaultCatalog()
	for id, want := range map[string]string{
		"nanan":        "汇总只读：各单位类型一块（表一按达标类型、表二按层级），表四每个乡镇一行加合计。",
		"quanzhou-edu": "汇总只读：各单位类型一块（表一按达标类型、表二按层级），表四每个县一行加合计。",
	} {
		v, err := cat.Variant(id)
		if err != nil {
			t.Fatal(err)
		}
		if got := summaryNote(v); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
}
