package main

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"jibao/store"
)

// TestKill9RealBinary runs the real jibao, adding units one process at a time,
// and SIGKILLs some of the processes at random moments (during open, the rolling
// backup, the write). Every add that exited 0 must be in the file afterwards, and
// the file must open cleanly.
func TestKill9RealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "jibao")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "data", "jibao.db")
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	acked := map[string]bool{}
	killed := 0
	for i := 0; i < 24; i++ {
		name := fmt.Sprintf("测试单位%02d", i)
		cmd := exec.Command(bin, "unit", "add", "--variant", "nanan", "--type", "shizhi", "--name", name)
		cmd.Env = append(os.Environ(), "JIBAO_DB="+db)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if i > 0 && rng.Intn(2) == 0 {
			time.Sleep(time.Duration(rng.Intn(40)) * time.Millisecond)
			cmd.Process.Kill()
		}
		err := cmd.Wait()
		if err == nil {
			acked[name] = true
		} else if ee, ok := err.(*exec.ExitError); ok && !ee.Exited() {
			killed++
		} else {
			t.Fatalf("unit add %s: %v", name, err)
		}
	}
	t.Logf("%d adds acknowledged, %d killed", len(acked), killed)
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("open after the kills: %v", err)
	}
	defer s.Close()
	us, err := s.Units("nanan")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, u := range us {
		have[u.Name] = true
	}
	for name := range acked {
		if !have[name] {
			t.Errorf("%s was acknowledged but is not in the file", name)
		}
	}
}
