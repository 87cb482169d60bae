package main

import (
	"encoding/json"
	"strings"
	"testing"

	"jibao/model"
	"jibao/store"
)

// TestServeReportingCycle is the whole cycle through OpenSSH with two clerks and
// the office: the office returns with a reason and a note, the clerk sees them
// first, fixes and resubmits, the office accepts; then the clerk's typing is
// refused with a message, and the office changes no value by any key or command.
func TestServeReportingCycle(t *testing.T) {
	p, _ := firstCells(t, 1)
	v, _ := model.DefaultCatalog().Variant("nanan")
	w := startServeWorldSeeded(t, map[string]string{
		"张三": `role=clerk,units="nanan:水头"`,
		"李四": `role=clerk,units="nanan:英都"`,
		"市局": `role=office`,
	}, func(db string) {
		st, err := store.Open(db, store.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		for _, unit := range []string{"水头", "英都"} {
			r := sampleReport(t, v, unit, p)
			r.State = model.StateDraft
			if err := st.PutReport(r, unit+"的填报人"); err != nil {
				t.Fatal(err)
			}
		}
	})
	at := []string{"--variant", "nanan", "--unit", "水头", "--period", p.String()}
	run := func(person string, wantCode int, wantText string, args ...string) string {
		t.Helper()
		code, out, errs := w.run(person, append([]string{"jibao"}, args...)...)
		if code != wantCode || !strings.Contains(out+errs, wantText) {
			t.Fatalf("%s: jibao %s: exit %d (want %d), output %q (want %q)", person, strings.Join(args, " "), code, wantCode, out+errs, wantText)
		}
		return out
	}
	before := w.values("市局", "水头", p)
	run("张三", 0, "已上报", append([]string{"submit"}, at...)...)
	run("张三", 2, "只能由汇总单位", append([]string{"review", "--accept"}, at...)...)
	run("李四", 2, "无权处理 水头", append([]string{"withdraw"}, at...)...)
	run("市局", 2, "只能由填报人", append([]string{"withdraw"}, at...)...)
	run("市局", 2, "须说明理由", append([]string{"review", "--return="}, at...)...)
	run("市局", 0, "现为已退回", append([]string{"review", "--return", "表一底数请核实", "--note", "t1/guobiao/c1=与上季度不符"}, at...)...)

	run("张三", 0, "退回理由: 表一底数请核实", append([]string{"check"}, at...)...)

	// The clerk opens the returned report: the reason and the note come first.
	w.login("clerk", "张三")
	w.waitScreen("clerk", "选择报表", "水头")
	w.send("clerk", "Enter")
	w.waitScreen("clerk", "审核结果", "已退回：表一底数请核实", "# 审核意见 表一 第1栏：与上季度不符（市局）")
	w.send("clerk", "Enter") // to the noted cell
	w.waitScreen("clerk", "国标 第1栏 ")
	first := before[model.CellKey{Form: "t1", Row: "guobiao", Col: "c1"}.String()]
	w.send("clerk", "e", "C-u")
	w.send("clerk", "-l", first)
	w.send("clerk", "Enter") // the clerk retypes the checked figure
	w.send("clerk", "m")
	w.waitScreen("clerk", "确定上报")
	w.send("clerk", "y")
	w.waitScreen("clerk", "已上报，数据已锁定")

	out := run("市局", 0, "", append([]string{"check", "--json"}, at...)...)
	var cj struct {
		State  string
		Review struct{ Moves []struct{ Action, By string } }
	}
	if err := json.Unmarshal([]byte(out), &cj); err != nil || cj.State != "submitted" || len(cj.Review.Moves) != 3 || cj.Review.Moves[2].By != "张三" {
		t.Fatalf("check --json after resubmission: %+v %v\n%s", cj, err, out)
	}
	run("市局", 0, "现为已审核", append([]string{"review", "--accept"}, at...)...)

	// Locked: the clerk's typing is refused with a message, and so are withdraw
	// and submit.
	w.waitScreen("clerk", "已审核")
	w.send("clerk", "5")
	w.waitScreen("clerk", "报表已审核，数据已锁定；")
	run("张三", 2, "已审核", append([]string{"withdraw"}, at...)...)

	// The office can change no value: typing in the grid, or a command.
	w.login("office", "市局")
	w.waitScreen("office", "选择报表")
	w.send("office", "-l", "水头")
	w.send("office", "Enter")
	w.waitScreen("office", "表一 ")
	w.send("office", "Enter")
	w.waitScreen("office", "口径：")
	w.send("office", "7")
	w.waitScreen("office", "只读：本账号只能查看报表") // the title says 只读 too: wait for the refusal
	w.send("office", "N")
	w.waitScreen("office", "审核意见")
	w.send("office", "Escape")
	run("市局", 2, "不允许的命令", "import", "/tmp/x.xlsx")
	run("市局", 2, "不允许的命令", "unit", "add", "--variant", "nanan", "--type", "xiangzhen", "--name", "新镇")
	after := w.values("市局", "水头", p)
	if len(after) != len(before) {
		t.Fatalf("values: %d before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed: %s -> %s", k, v, after[k])
		}
	}
	// The other clerk's cycle is their own.
	run("李四", 0, "已上报", "submit", "--variant", "nanan", "--unit", "英都", "--period", p.String())
	run("李四", 0, "已撤回", "withdraw", "--variant", "nanan", "--unit", "英都", "--period", p.String())
}
