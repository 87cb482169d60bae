package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTransitionTable(t *testing.T) {
	ready := &Result{}
	blank := &Result{Blanks: []CellKey{{"t1", "r", "c1"}}}
	warn := &Result{Findings: []Finding{{Key: "w", Severity: SeverityWarning}}}
	cases := []struct {
		cur    State
		a      Action
		who    Actor
		reason string
		res    *Result
		want   State
		bad    bool
	}{
		{StateDraft, ActSubmit, ActorClerk, "", ready, StateSubmitted, false},
		{StateDraft, ActSubmit, ActorClerk, "", blank, StateDraft, true},
		{StateDraft, ActSubmit, ActorClerk, "", warn, StateDraft, true},
		{StateDraft, ActSubmit, ActorOffice, "", ready, StateDraft, true},
		{StateReturned, ActSubmit, ActorClerk, "", ready, StateSubmitted, false},
		{StateSubmitted, ActWithdraw, ActorClerk, "", nil, StateDraft, false},
		{StateAccepted, ActWithdraw, ActorClerk, "", nil, StateAccepted, true},
		{StateSubmitted, ActAccept, ActorOffice, "", nil, StateAccepted, false},
		{StateSubmitted, ActAccept, ActorClerk, "", nil, StateSubmitted, true},
		{StateDraft, ActAccept, ActorOffice, "", nil, StateDraft, true},
		{StateSubmitted, ActReturn, ActorOffice, "", nil, StateSubmitted, true},
		{StateSubmitted, ActReturn, ActorOffice, "表二不对", nil, StateReturned, false},
		{StateAccepted, ActUnlock, ActorOffice, "更正", nil, StateSubmitted, false},
		{StateAccepted, ActUnlock, ActorOffice, " ", nil, StateAccepted, true},
		{StateReturned, ActReceive, ActorOffice, "", ready, StateSubmitted, false},
		{StateReturned, ActReceive, ActorOffice, "", blank, StateDraft, false},
		{StateAccepted, ActReceive, ActorOffice, "", ready, StateAccepted, true},
		{"complete", ActWithdraw, ActorClerk, "", nil, StateDraft, false},
	}
	for i, c := range cases {
		got, err := Transition(c.cur, c.a, c.who, c.reason, c.res)
		var me *MoveError
		if (err != nil) != c.bad || (err != nil && !errors.As(err, &me)) || got != c.want {
			t.Errorf("%d: %s %s by %s: got %s, %v; want %s (refused %v)", i, c.cur, c.a, c.who, got, err, c.want, c.bad)
		}
	}
}

func TestMigrateState(t *testing.T) {
	for in, want := range map[string]State{"complete": StateSubmitted, "reopened": StateDraft, "": StateDraft,
		"draft": StateDraft, "accepted": StateAccepted} {
		if got := MigrateState(in); got != want {
			t.Errorf("MigrateState(%q) = %q, want %q", in, got, want)
		}
	}
	if StateComplete.Label() != "已上报" || State("reopened").Label() != "草稿" {
		t.Errorf("labels: %s %s", StateComplete.Label(), State("reopened").Label())
	}
}

func TestParseNote(t *testing.T) {
	k, text, err := ParseNote("t1/guobiao/c5=请核实")
	if err != nil || k != (CellKey{"t1", "guobiao", "c5"}) || text != "请核实" {
		t.Fatalf("ParseNote: %v %q %v", k, text, err)
	}
	if _, _, err := ParseNote("t1/guobiao/c5"); err == nil {
		t.Fatal("a note without text was accepted")
	}
}

func TestSubmitClosedAfterSubmitDays(t *testing.T) {
	v, err := DefaultCatalog().Variant("nanan")
	if err != nil {
		t.Fatal(err)
	}
	p := Period{Year: 2025, Quarter: 3} // due 2025-09-30
	late := time.Date(2025, 10, 10, 9, 0, 0, 0, time.Local)
	if why := v.SubmitClosed(p, late, Review{}); why != "" {
		t.Errorf("closed although off by default: %s", why)
	}
	v.DueRule.SubmitDays = 7
	if why := v.SubmitClosed(p, time.Date(2025, 10, 7, 9, 0, 0, 0, time.Local), Review{}); why != "" {
		t.Errorf("closed on day 7: %s", why)
	}
	why := v.SubmitClosed(p, late, Review{})
	if !strings.Contains(why, "2025-09-30") || !strings.Contains(why, "延期") {
		t.Errorf("closed message: %q", why)
	}
	ext := Review{Changes: []StateChange{{Action: ActExtend, Reason: "补报"}}}
	if why := v.SubmitClosed(p, late, ext); why != "" {
		t.Errorf("closed after 延期: %s", why)
	}
	if st, err := Transition(StateDraft, ActExtend, ActorOffice, "补报", nil); err != nil || st != StateDraft {
		t.Errorf("延期 of a draft: %s %v", st, err)
	}
	if _, err := Transition(StateDraft, ActExtend, ActorOffice, "", nil); err == nil {
		t.Error("延期 without a reason")
	}
}
