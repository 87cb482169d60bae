package main

import (
	"encoding/json"
	"strings"
	"testing"

	"jibao/model"
)

// TestShellCycle runs the whole cycle through the commands: submit refused with
// the reason, submit, the clerk's edit refused, return with a note, resubmit,
// accept, withdraw refused, unlock; the state in list --json and check --json.
func TestShellCycle(t *testing.T) {
	x := newXIO(t)
	v := nanan(t)
	r := sampleReport(t, v, "水头", model.Period{Year: 2025, Quarter: 3})
	r.State = model.StateDraft
	x.put(r)
	id := []string{"--variant", "nanan", "--unit", "水头", "--period", "2025Q3"}
	with := func(args ...string) []string { return append(args, id...) }
	if msg := x.want(exitUsage, with("review", "--accept")...); !strings.Contains(msg, "尚未上报") {
		t.Errorf("accepting a draft: %s", msg)
	}
	x.want(exitOK, with("submit")...)
	if msg := x.want(exitUsage, with("submit")...); !strings.Contains(msg, "已上报") {
		t.Errorf("submitting twice: %s", msg)
	}
	if msg := x.want(exitUsage, with("review", "--return", "")...); !strings.Contains(msg, "须说明理由") {
		t.Errorf("return without a reason: %s", msg)
	}
	if msg := x.want(exitUsage, with("review", "--return", "x", "--note", "t1/nope")...); !strings.Contains(msg, "表/行/栏=意见") {
		t.Errorf("bad note: %s", msg)
	}
	x.want(exitOK, with("review", "--return", "表一底数请核实", "--note", "t1/guobiao/c1=与上季度不符")...)
	if msg := x.want(exitOK, with("check")...); !strings.Contains(msg, "退回理由: 表一底数请核实") || !strings.Contains(msg, "与上季度不符") {
		t.Errorf("check of a returned report: %s", msg)
	}
	out := x.want(exitOK, with("check", "--json")...)
	var cj struct {
		State  string
		Review struct {
			StateLabel   string
			ReturnReason string
			Notes        []struct{ Cell, Path, Text string }
			Moves        []struct{ Action, By, Reason string }
		}
	}
	if err := json.Unmarshal([]byte(out), &cj); err != nil {
		t.Fatal(err, out)
	}
	if cj.State != "returned" || cj.Review.ReturnReason != "表一底数请核实" || len(cj.Review.Notes) != 1 ||
		cj.Review.Notes[0].Text != "与上季度不符" || len(cj.Review.Moves) != 2 || cj.Review.Moves[1].By != "tester" {
		t.Errorf("check --json: %+v", cj)
	}
	x.want(exitOK, with("submit")...)
	x.want(exitOK, with("review", "--accept")...)
	if msg := x.want(exitUsage, with("withdraw")...); !strings.Contains(msg, "已审核") {
		t.Errorf("withdrawing an accepted report: %s", msg)
	}
	var rows struct {
		Reports []struct{ Unit, State string }
	}
	if err := json.Unmarshal([]byte(x.want(exitOK, "list", "--json")), &rows); err != nil || len(rows.Reports) != 1 || rows.Reports[0].State != "accepted" {
		t.Errorf("list --json: %+v %v", rows, err)
	}
	x.want(exitOK, with("review", "--unlock", "更正表二")...)
	x.want(exitOK, with("withdraw")...)
	if got := x.get("水头"); got.State != model.StateDraft {
		t.Errorf("after withdraw: %s", got.State)
	}
}
