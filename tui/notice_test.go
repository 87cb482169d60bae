package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jibao/model"
)

// testNotice is a NoticeMaker that writes the unit, the reason and the count of
// errors the check found, to see that the notice has the review read back after
// the return.
func testNotice(v *model.Variant, r *model.Report, rev model.Review, res *model.Result) (string, []byte, error) {
	text := "退回通知 " + r.Unit + " " + r.Period.String() + " " + rev.ReturnReason(r.State) + "\n"
	return v.Name + "-" + r.Unit + "-" + r.Period.String() + "-退回通知.txt", []byte(text), nil
}

// TestReturnWritesNotice: in a local session (no Transfer) the office's R writes
// the 退回通知 into the start directory and shows its full path; a second return
// asks before overwriting it, and y overwrites.
func TestReturnWritesNotice(t *testing.T) {
	st := openTestStore(t)
	p := model.Period{Year: 2025, Quarter: 3}
	id := fillAll(t, st, "美林", p)
	if _, err := st.Move(id, model.ActSubmit, model.ActorClerk, "clerk", "", nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	office := newHarness(t, st, 200, 40, Options{Variant: "nanan", Unit: "美林", Period: "2025Q3", Reviewer: true,
		User: "市安委办", Dir: dir, Notice: testNotice})
	office.keys("R str:表一底数请核实 enter")
	path := filepath.Join(dir, "南安-美林-2025Q3-退回通知.txt")
	office.contains("已写出退回通知：" + path)
	if got, err := os.ReadFile(path); err != nil || string(got) != "退回通知 美林 2025Q3 表一底数请核实\n" {
		t.Fatalf("the notice: %q %v", got, err)
	}

	if _, err := st.Move(id, model.ActSubmit, model.ActorClerk, "clerk", "", nil); err != nil {
		t.Fatal(err)
	}
	office.send(RemoteChangeMsg{ID: id, By: "clerk"})
	office.keys("R str:表二请补充说明 enter")
	office.contains("文件已存在")
	office.contains("覆盖这个文件吗")
	if got, _ := os.ReadFile(path); !strings.Contains(string(got), "表一底数请核实") {
		t.Fatalf("overwritten before the answer: %q", got)
	}
	office.keys("y")
	office.contains("已写出退回通知：" + path)
	if got, _ := os.ReadFile(path); string(got) != "退回通知 美林 2025Q3 表二请补充说明\n" {
		t.Fatalf("the notice after y: %q", got)
	}
}

// TestReturnNoticeUnwritable: a start directory that cannot be written says so,
// naming the notice; the return itself stands.
func TestReturnNoticeUnwritable(t *testing.T) {
	st := openTestStore(t)
	id := fillAll(t, st, "美林", model.Period{Year: 2025, Quarter: 3})
	if _, err := st.Move(id, model.ActSubmit, model.ActorClerk, "clerk", "", nil); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "gone")
	office := newHarness(t, st, 200, 40, Options{Variant: "nanan", Unit: "美林", Period: "2025Q3", Reviewer: true,
		User: "市安委办", Dir: dir, Notice: testNotice})
	office.keys("R str:表一底数请核实 enter")
	office.contains("写退回通知失败：无法写入 " + filepath.Join(dir, "南安-美林-2025Q3-退回通知.txt") + "：目录不存在")
	if r, _ := st.Get(id); r.State != model.StateReturned {
		t.Errorf("the return: %s", r.State)
	}
}
