package model

import "testing"

// TestOpenedButEmptyIsNotReported: a report the grid created when a clerk opened
// it, with no figure in it yet, leaves the unit 未填报.
func TestOpenedButEmptyIsNotReported(t *testing.T) {
	v := nanan(t)
	p := Period{2025, 3}
	u, _ := v.Unit("水头")
	empty := NewReport(v.ID, u, p)
	filled := zeroReport(t, v, "溪美", p)
	s := Summarize(v, []*Report{empty, filled}, p)
	if got, total := s.ReportedShare(); got != 1 || total != len(v.Units) {
		t.Fatalf("reported %d/%d, want 1", got, total)
	}
	for _, e := range s.Units {
		if e.Unit.Name == "水头" && e.Status != StatusMissing {
			t.Errorf("水头 with an empty report: %v", e.Status)
		}
	}
}
