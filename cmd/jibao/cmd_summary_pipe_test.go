package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"jibao/store"
)

// `jibao summary -o F | head` must leave F written whenever head closes the
// pipe; `| true` closes it at once.
func TestSummaryIntoClosedPipeWritesTheFile(t *testing.T) {
	bin := serveBinary(t)
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "j.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for i := range 5 {
		f := filepath.Join(dir, "汇总.xlsx")
		os.Remove(f)
		c := exec.Command("sh", "-c", `"$0" summary --variant nanan --period 2025Q3 -o "$1" | true`, bin, f)
		c.Env = append(os.Environ(), "JIBAO_DB="+filepath.Join(dir, "j.db"), "JIBAO_CATALOG=")
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("run %d: %v %s", i, err, out)
		}
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Fatalf("run %d: the file is not written: %v", i, err)
		}
	}
}
