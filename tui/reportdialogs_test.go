package tui

import (
	"strings"
	"testing"

	"jibao/model"
)

// The header dialog takes a date as clerks write it and stores it as 2025-09-28;
// an impossible day names the day.
func TestHeaderDateForms(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("e str:张三 enter str:0595-1234567 enter ctrl+u str:2025-09-31 enter")
	h.contains("日不对：2025年9月只有 30 天")
	for _, in := range []string{"2025-9-28", "2025.9.28", "2025/9/28", "2025年9月28日"} {
		h.keys("ctrl+u str:" + in + " enter")
		r, err := st.Get(h.root().b.id)
		if err != nil || r.Header.Date != "2025-09-28" {
			t.Fatalf("%s stored as %+v, %v", in, r.Header, err)
		}
		h.keys("e enter enter") // reopen the dialog, keep 填表人 and 联系电话
	}
}

// 填表人 and 联系电话 come offered from the unit's previous report, across the
// new year: Enter keeps them, typing replaces them.
func TestHeaderOfferedFromLastReport(t *testing.T) {
	st := openTestStore(t)
	prev := model.ReportID{Variant: "nanan", Unit: "水头", Period: model.Period{Year: 2024, Quarter: 4}}
	if _, err := st.Ensure(prev, "xiangzhen", "t"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetHeader(prev, model.Header{Unit: "水头", Filler: "李四", Phone: "0595-7654321", Date: "2024-12-28"}, "t"); err != nil {
		t.Fatal(err)
	}
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q1")
	h.keys("e")
	h.contains("李四")
	h.contains("沿用上次报表的填表人")
	h.keys("enter str:0595-1111111 enter enter")
	r, err := st.Get(h.root().b.id)
	if err != nil || r.Header.Filler != "李四" || r.Header.Phone != "0595-1111111" {
		t.Errorf("stored header %+v, %v", r.Header, err)
	}
}

// A suggestion's hint goes once the clerk types: "Enter 保存今天的日期" under a
// date being typed would promise the wrong date. Backspace and Ctrl+U drop it too.
func TestHeaderSuggestionHintGoesWhenTyping(t *testing.T) {
	for _, edit := range []string{"str:2025-9", "backspace", "ctrl+u", "left"} {
		t.Run(edit, func(t *testing.T) {
			h := openReport(t, openTestStore(t), 120, 40, "nanan", "水头", "2025Q3")
			h.keys("e enter enter") // 填表人, 联系电话: nothing to offer
			h.contains("保存今天的日期")
			h.keys(edit)
			if s := h.screen(); strings.Contains(s, "保存今天的日期") || !strings.Contains(s, "Enter 保存  Esc 取消") {
				t.Fatalf("after %s the hint still offers today's date or lost Enter:\n%s", edit, s)
			}
		})
	}
	// The offered 填表人 likewise.
	st := openTestStore(t)
	prev := model.ReportID{Variant: "nanan", Unit: "水头", Period: model.Period{Year: 2025, Quarter: 2}}
	if _, err := st.Ensure(prev, "xiangzhen", "t"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetHeader(prev, model.Header{Unit: "水头", Filler: "李四"}, "t"); err != nil {
		t.Fatal(err)
	}
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	h.keys("e")
	h.contains("沿用上次报表的填表人")
	h.keys("str:王")
	if s := h.screen(); strings.Contains(s, "沿用上次") || !strings.Contains(s, "Enter 下一项") {
		t.Fatalf("typing a name kept the offer's hint:\n%s", s)
	}
}
