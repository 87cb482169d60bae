package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"jibao/internal/testenv"
	"jibao/model"
)

var e2eBuild struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// e2eBinary builds the real jibao once for the package's end-to-end tests.
func e2eBinary(t *testing.T) string {
	t.Helper()
	testenv.MustHaveTool(t, "tmux")
	e2eBuild.once.Do(func() {
		e2eBuild.dir, e2eBuild.err = os.MkdirTemp("", "jibao-e2e-bin")
		if e2eBuild.err != nil {
			return
		}
		build := exec.Command("go", "build", "-o", filepath.Join(e2eBuild.dir, "jibao"), "./cmd/jibao")
		build.Dir = ".."
		e2eBuild.out, e2eBuild.err = build.CombinedOutput()
	})
	if e2eBuild.err != nil {
		t.Fatalf("build: %v\n%s", e2eBuild.err, e2eBuild.out)
	}
	return filepath.Join(e2eBuild.dir, "jibao")
}

// e2eSession starts jibao on 水头 2025Q3 with its own data file in a private
// tmux server.
func e2eSession(t *testing.T, name string) (*tmuxRun, string, string) {
	bin := e2eBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	x := &tmuxRun{t: t, sock: fmt.Sprintf("jibao-%s-%d", name, os.Getpid()), name: name}
	t.Cleanup(func() { x.tmux("kill-server") })
	x.start(200, 50, fmt.Sprintf("env JIBAO_USER=e2e TERM=xterm-256color LANG=C.UTF-8 %s --variant nanan --unit 水头 --period 2025Q3 --db %s", bin, db))
	x.waitText("截止日期")
	return x, bin, db
}

// exported is the report's cells by key, through jibao export --format json.
func exported(t *testing.T, bin, db string) map[string]string {
	t.Helper()
	cmd := exec.Command(bin, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3",
		"--db", db, "--format", "json", "--draft")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("export: %v %s", err, stderr.String())
	}
	var recs []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(out, &recs); err != nil {
		t.Fatalf("export json: %v\n%s", err, out)
	}
	m := map[string]string{}
	for _, r := range recs {
		if v := string(r.Value); v != "null" {
			m[r.Key] = strings.Trim(v, `"`)
		}
	}
	return m
}

// TestPasteBufferTmux pastes a block into 表一 (国标 第1栏, bare numbers) and 表二
// (市级 第1栏, as the template prints it: 层级 labels and —) of the real binary
// with tmux paste-buffer, bracketed (-p) and typed out as keys (without -p), and
// reads every cell back through jibao export --format json: both land the same,
// each value under its own header.
func TestPasteBufferTmux(t *testing.T) {
	v, _ := model.DefaultCatalog().Variant("nanan")
	for _, c := range []struct {
		form, key string
		labels    bool
	}{{"t1", "1", false}, {"t2", "2", true}} {
		f := v.Form(c.form)
		block := strings.ReplaceAll(formBlock(f, c.labels, cellValue), "\r\n", "\n")
		var got [2]map[string]string
		for i, bracketed := range []bool{true, false} {
			x, bin, db := e2eSession(t, fmt.Sprintf("paste%s%v", c.form, bracketed))
			x.send(c.key)
			x.waitText(f.Rows[0].Label + " 第1栏 ")
			if out, err := x.tmux("set-buffer", "-b", "blk", "--", block); err != nil {
				t.Fatalf("set-buffer: %v %s", err, out)
			}
			args := []string{"paste-buffer", "-b", "blk", "-t", x.name}
			if bracketed {
				args = append(args, "-p")
			}
			if out, err := x.tmux(args...); err != nil {
				t.Fatalf("paste-buffer: %v %s", err, out)
			}
			x.waitText(fmt.Sprintf("已粘贴 %d 个数值", len(f.Cells())))
			x.send("C-c")
			x.waitGone()
			got[i] = exported(t, bin, db)
		}
		for _, k := range f.Cells() {
			ri := 0
			for i, r := range f.Rows {
				if r.ID == k.Row {
					ri = i
				}
			}
			want := cellValue(ri, f.Column(k.Col).Index)
			key := k.Form + "/" + k.Row + "/" + k.Col
			if got[0][key] != want || got[1][key] != want {
				t.Errorf("%s: bracketed %q, typed out %q, want %s", key, got[0][key], got[1][key], want)
			}
		}
		if len(got[0]) != len(got[1]) || len(got[0]) != len(f.Cells()) {
			t.Errorf("%s: %d cells bracketed, %d typed out, form has %d", c.form, len(got[0]), len(got[1]), len(f.Cells()))
		}
	}
}

// TestBunchedKeysTmux sends "lll" and "]]" each in one write, and 220 Tab 450 Tab
// 700 Tab in 表二's list view.
func TestBunchedKeysTmux(t *testing.T) {
	x, bin, db := e2eSession(t, "bunched")
	x.send("1")
	x.waitText("国标 第1栏 ")
	x.send("-l", "lll")
	x.waitText("国标 第4栏 ")
	x.send("-l", "^]]")
	x.waitText("国标 第21栏 ")
	x.send("t2")
	x.waitText("市级 第1栏 ")
	x.send("v")
	x.waitText("栏目（计量单位）")
	for i := 0; i < 11; i++ {
		x.send("Down")
	}
	x.wait("the cursor on 函告", func(s string) bool { return strings.Contains(s, "12[") })
	for _, s := range []string{"220", "Tab", "450", "Tab", "700", "Tab"} {
		x.send(s)
	}
	x.wait("the cursor on 签订 市级", func(s string) bool { return strings.Contains(s, "13[") })
	x.send("C-c")
	x.waitGone()
	got := exported(t, bin, db)
	for row, want := range map[string]string{"shi": "220", "xian": "450", "xiang": "700"} {
		if got["t2/"+row+"/c12"] != want {
			t.Errorf("函告 %s = %q, want %s (all: %v)", row, got["t2/"+row+"/c12"], want, got)
		}
	}
}

// vmKB reads a /proc/PID/status field in kB.
func vmKB(t *testing.T, pid, field string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		t.Fatalf("status of %s: %v", pid, err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, field+":"); ok {
			var kb int
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb)
			return kb
		}
	}
	t.Fatalf("no %s in /proc/%s/status", field, pid)
	return 0
}

// TestHugePasteTmux pastes 3 MB into the real binary, bracketed and typed out:
// one refusal naming the size, nothing written, and the process grows by less
// than 24 MB (it grew by 160 MB and listed a million refused cells).
func TestHugePasteTmux(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Fatalf("needs /proc to measure memory: %v", err)
	}
	huge := strings.Repeat(strings.Repeat("123\t", 30)+"\n", 3<<20/121)
	for _, bracketed := range []bool{true, false} {
		x, bin, db := e2eSession(t, fmt.Sprintf("huge%v", bracketed))
		x.send("1")
		x.waitText("国标 第1栏 ")
		pid, err := x.tmux("display-message", "-p", "-t", x.name, "#{pane_pid}")
		if err != nil {
			t.Fatalf("pane pid: %v %s", err, pid)
		}
		pid = strings.TrimSpace(pid)
		before := vmKB(t, pid, "VmRSS")
		file := filepath.Join(t.TempDir(), "huge.txt")
		if err := os.WriteFile(file, []byte(huge), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := x.tmux("load-buffer", "-b", "huge", file); err != nil {
			t.Fatalf("load-buffer: %v %s", err, out)
		}
		args := []string{"paste-buffer", "-b", "huge", "-t", x.name}
		if bracketed {
			args = append(args, "-p")
		}
		if out, err := x.tmux(args...); err != nil {
			t.Fatalf("paste-buffer: %v %s", err, out)
		}
		x.wait("the refusal", func(s string) bool {
			return strings.Contains(s, "粘贴被拒绝") && strings.Contains(s, "3.0 MB")
		})
		peak := vmKB(t, pid, "VmHWM")
		t.Logf("bracketed=%v: RSS %d kB before, peak %d kB", bracketed, before, peak)
		if peak-before > 24<<10 {
			t.Errorf("bracketed=%v: a 3 MB paste grew the process from %d to %d kB", bracketed, before, peak)
		}
		x.send("Escape")
		x.send("C-c")
		x.waitGone()
		if got := exported(t, bin, db); len(got) != 0 {
			t.Errorf("bracketed=%v: %d values written", bracketed, len(got))
		}
	}
}

// TestPasteFromOwnExportTmux fills 表二 and 表一, exports the xlsx, copies the
// unit's rows of each sheet as Excel would (openpyxl reads them: values, the
// 层级/达标类型 labels, — and the blanks of merged cells, tab-separated) and
// pastes them into a fresh report, bracketed and typed out: the export of the
// copy equals the original's.
func TestPasteFromOwnExportTmux(t *testing.T) {
	py := testenv.MustHavePython(t, "openpyxl", "python3-openpyxl")
	v, _ := model.DefaultCatalog().Variant("nanan")
	x, bin, db := e2eSession(t, "exportsrc")
	for _, form := range []string{"t1", "t2"} {
		f := v.Form(form)
		x.send(map[string]string{"t1": "1", "t2": "t2"}[form]) // from the overview, then from the grid
		x.waitText(f.Rows[0].Label + " 第1栏 ")
		if out, err := x.tmux("set-buffer", "-b", "blk", "--", strings.ReplaceAll(formBlock(f, false, cellValue), "\r\n", "\n")); err != nil {
			t.Fatalf("set-buffer: %v %s", err, out)
		}
		x.tmux("paste-buffer", "-p", "-b", "blk", "-t", x.name)
		x.waitText(fmt.Sprintf("已粘贴 %d 个数值", len(f.Cells())))
	}
	x.send("C-c")
	x.waitGone()
	want := exported(t, bin, db)
	xlsx := filepath.Join(t.TempDir(), "own.xlsx")
	if out, err := exec.Command(bin, "export", "--variant", "nanan", "--unit", "水头", "--period", "2025Q3",
		"--db", db, "--draft", "-o", xlsx).CombinedOutput(); err != nil {
		t.Fatalf("export xlsx: %v %s", err, out)
	}
	u, err := v.Unit("水头")
	if err != nil {
		t.Fatal(err)
	}
	ut, _ := v.UnitType(u.Type)
	for _, form := range []string{"t1", "t2"} {
		f := v.Form(form)
		script := fmt.Sprintf(`
import openpyxl
ws = openpyxl.load_workbook(%q)[%q]
label, first, last, n = %d, %d, %d, %d
start = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, label).value).replace("\n", "") == %q)
for r in range(start, start + n):
    out = []
    for c in range(first, last + 1):
        v = ws.cell(r, c).value
        out.append("" if v is None else str(int(v)) if isinstance(v, float) and v == int(v) else str(v))
    print("\t".join(out))
`, xlsx, "季报表（"+f.Number+"）", 1, f.Columns[0].Display+1, len(f.Display), len(f.Rows), ut.Label)
		out, err := exec.Command(py, "-c", script).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: reading the export: %v\n%s", form, err, out)
		}
		copied := string(out)
		if !strings.Contains(copied, f.Rows[0].Label) && form == "t2" {
			t.Fatalf("表二's copy has no 层级 label:\n%s", copied)
		}
		for _, bracketed := range []bool{true, false} {
			y, _, db2 := e2eSession(t, fmt.Sprintf("exportdst%s%v", form, bracketed))
			y.send(map[string]string{"t1": "1", "t2": "2"}[form])
			y.waitText(f.Rows[0].Label + " 第1栏 ")
			if out, err := y.tmux("set-buffer", "-b", "cp", "--", copied); err != nil {
				t.Fatalf("set-buffer: %v %s", err, out)
			}
			args := []string{"paste-buffer", "-b", "cp", "-t", y.name}
			if bracketed {
				args = append(args, "-p")
			}
			y.tmux(args...)
			y.waitText(fmt.Sprintf("已粘贴 %d 个数值", len(f.Cells())))
			y.send("C-c")
			y.waitGone()
			got := exported(t, bin, db2)
			for _, k := range f.Cells() {
				key := k.Form + "/" + k.Row + "/" + k.Col
				if got[key] != want[key] {
					t.Errorf("%s bracketed=%v: %s = %q, the original has %q", form, bracketed, key, got[key], want[key])
				}
			}
		}
		t.Logf("%s as copied from the export:\n%s", form, copied)
	}
}
