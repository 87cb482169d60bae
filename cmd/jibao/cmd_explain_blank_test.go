package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"jibao/export"
	"jibao/internal/testenv"
	"jibao/model"
)

// TestBinaryCommentOnBlankCell: a comment typed in Excel (openpyxl here) on a
// cell of the template that holds no figure is imported, by the real binary, as
// that cell's comment; and a re-import whose only change is that comment says
// so (批注 1 处), not "导入将改变 0 处".
func TestBinaryCommentOnBlankCell(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	python := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	bin := serveBinary(t)
	v := nanan(t)
	p := model.Period{Year: 2025, Quarter: 3}
	r := sampleReport(t, v, "石井", p)
	blank := model.CellKey{Form: "t1", Row: "guobiao", Col: "c5"}
	delete(r.Values, blank)
	r.State = model.StateDraft // sampleReport is 已上报; a blank cell is a draft
	addr := export.Address(v, r, blank)
	sheet, ref, ok := strings.Cut(addr, "!")
	if !ok {
		t.Fatalf("no address for %s: %q", blank, addr)
	}
	clerk, office := newXIO(t), newXIO(t)
	clerk.put(r)
	run := func(db string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "JIBAO_DB="+db, "JIBAO_USER=tester", "LANG=C.UTF-8")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("jibao %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	file, edited := clerk.path("石井.xlsx"), clerk.path("石井-批注.xlsx")
	run(clerk.db, "export", "--variant", "nanan", "--unit", "石井", "--period", "2025Q3", "--draft", "-o", file)
	py := `import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb[sys.argv[3]]
assert ws[sys.argv[4]].value is None, ws[sys.argv[4]].value
ws[sys.argv[4]].comment = openpyxl.comments.Comment("张三:\n本季度无此类企业，暂缺", "张三")
wb.save(sys.argv[2])`
	if out, err := exec.Command(python, "-c", py, file, edited, sheet, ref).CombinedOutput(); err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	run(office.db, "import", "--period", "2025Q3", file)
	msg := run(office.db, "import", "--period", "2025Q3", "--dry-run", edited)
	if !strings.Contains(msg, "导入将改变 批注 1 处") || strings.Contains(msg, "0 处") {
		t.Errorf("a re-import changing one comment says:\n%s", msg)
	}
	run(office.db, "import", "--period", "2025Q3", "--force", edited)
	if got := office.get("石井"); got.Comments[blank] != "本季度无此类企业，暂缺" {
		t.Errorf("the comment on the blank cell %s (%s): %q, all %v", blank, addr, got.Comments[blank], got.Comments)
	}
	if msg := run(office.db, "import", "--period", "2025Q3", "--dry-run", edited); !strings.Contains(msg, "无变化") {
		t.Errorf("the same file again:\n%s", msg)
	}
}
