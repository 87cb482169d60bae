package main

import (
	"strings"
	"testing"
)

// TestFormsFitsATerminal: the catalog printout keeps to 80 columns (header paths
// and notes are long) and loses no text to the wrapping.
func TestFormsFitsATerminal(t *testing.T) {
	for _, variant := range []string{"nanan", "quanzhou-edu"} {
		a, out, errb := checkApp(t.TempDir() + "/jibao.db")
		if code := a.run([]string{"forms", "--variant", variant}); code != exitOK {
			t.Fatalf("forms %s: exit %d: %s", variant, code, errb)
		}
		fits(t, out.String())
		golden(t, "forms-"+variant+".golden", out.String())
		if !strings.Contains(out.String(), "\n       [家, 2021年8月以来累计]  每类单位填一次\n") {
			t.Errorf("forms %s: a long column's attributes are not whole on their own line", variant)
		}
		flat := strings.NewReplacer("\n", "", " ", "").Replace(out.String())
		for _, want := range []string{"落实全员安全生产责任制数量/依法依规配备专兼职安全生产管理人员/企业数量（家）[家,2021年8月以来累计]每类单位填一次",
			"表格不应有空白处，若无则应填写0"} {
			if !strings.Contains(flat, want) {
				t.Errorf("forms %s: %q missing", variant, want)
			}
		}
	}
}
