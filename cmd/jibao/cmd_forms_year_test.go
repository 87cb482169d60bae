package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An office makes next year's draft, reads its own template into another, and
// checks both: the draft from this year's catalog can be used as it is (only the
// targets are advised), the one from a template says what is left to decide.
func TestFormsNextYearFromXLSXAndCheck(t *testing.T) {
	dir := t.TempDir()
	a, out, errb := checkApp(filepath.Join(dir, "jibao.db"))
	draft := filepath.Join(dir, "forms-2026.json")
	if code := a.run([]string{"forms", "next-year", "--year", "2026", "-o", draft}); code != exitOK {
		t.Fatalf("next-year: exit %d: %s", code, errb)
	}
	fits(t, out.String())
	for _, want := range []string{"year: 2025 > 2026", `"2025-01" > "2026-01"`, "南安 上报截止：Q1 2026-03-30", "泉州教育 上报截止：Q1 2026-04-01", "（共 47 处同类）"} {
		if !has(out.String(), want) {
			t.Errorf("next-year output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out.String(), `"2021-08" >`) || strings.Contains(out.String(), `"2024-04" >`) {
		t.Errorf("next-year moved a long-running since-date:\n%s", out)
	}
	if code := a.run([]string{"forms", "next-year", "--year", "2026", "-o", draft}); code == exitOK {
		t.Error("next-year overwrote the draft without --force")
	}
	out.Reset()
	if code := a.run([]string{"forms", "check", draft}); code != exitOK {
		t.Fatalf("check of next year's draft: exit %d: %s%s", code, out, errb)
	}
	if !has(out.String(), "可以使用：2026 年") || !has(out.String(), "目标 benchmark（标杆企业）数值为 0") {
		t.Errorf("check output:\n%s", out)
	}
	fits(t, out.String())

	tpl := filepath.Join(dir, "t.xlsx")
	if code := a.run([]string{"export", "--variant", "quanzhou-edu", "--template", "-o", tpl}); code != exitOK {
		t.Fatalf("template: %s", errb)
	}
	out.Reset()
	fromTpl := filepath.Join(dir, "from.json")
	if code := a.run([]string{"forms", "from-xlsx", tpl, "-o", fromTpl}); code != exitOK {
		t.Fatalf("from-xlsx: exit %d: %s", code, errb)
	}
	fits(t, out.String())
	out.Reset()
	if code := a.run([]string{"forms", "check", fromTpl}); code != exitFail {
		t.Fatalf("check of an undecided draft: exit %d, want %d", code, exitFail)
	}
	for _, want := range []string{"forms[t1].since", "起算时间", "还有 10 处待定", "表一（t1）没有校验规则"} {
		if !has(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	// A catalog that cannot work is refused naming the place: here a kind.
	b, err := os.ReadFile(draft)
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(strings.Replace(string(b), `"money": {`, `"cash": {`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := a.run([]string{"forms", "check", broken}); code != exitFail || !has(out.String(), "kinds 缺少 money") {
		t.Errorf("check of a catalog without the money kind: exit %d:\n%s", code, out)
	}
}

// has reports whether out says want, however the 80-column wrapping split it.
func has(out, want string) bool {
	flat := strings.NewReplacer("\n", "", " ", "")
	return strings.Contains(flat.Replace(out), flat.Replace(want))
}
