package store

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"jibao/model"
)

// child starts this test binary as a second process in the given mode.
func child(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "JIBAO_STORE_TEST_PATH="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestInUseByAnotherProcess(t *testing.T) {
	path := tempDB(t)
	s := openT(t, path)
	if _, err := s.Ensure(testID(3), "", "lin"); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"open", "open-ro"} {
		start := time.Now()
		out, err := child(t, mode, path).Output()
		took := time.Since(start)
		got := string(out)
		if err == nil || !strings.HasPrefix(got, "ERR inuse=true") {
			t.Errorf("%s while a writer holds the file: %q (%v)", mode, got, err)
		}
		if !strings.Contains(got, "正被另一个 jibao 进程使用") || !strings.Contains(got, path) {
			t.Errorf("%s: the message does not say the file is in use, or which: %q", mode, got)
		}
		if took > 10*time.Second {
			t.Errorf("%s took %v: it should give up after about a second", mode, took)
		}
	}
	s.Close()

	// Readers share the file: a read-only open works while another reader has it,
	// and a writer is kept out.
	r := openT(t, path, func(o *Options) { o.ReadOnly = true })
	if out, err := child(t, "open-ro", path).Output(); err != nil || string(out) != "OK\n" {
		t.Errorf("read-only open beside a reader: %q %v", out, err)
	}
	if out, err := child(t, "open", path).Output(); err == nil || !strings.HasPrefix(string(out), "ERR inuse=true") {
		t.Errorf("writer beside a reader: %q %v", out, err)
	}
	if _, err := r.SetCells(testID(3), nil, "lin"); err == nil || !strings.Contains(err.Error(), "只读") {
		t.Errorf("write through a read-only store: %v", err)
	}
	r.Close()
	if out, err := child(t, "open", path).Output(); err != nil || string(out) != "OK\n" {
		t.Errorf("open after everyone closed: %q %v", out, err)
	}
}

// TestKill9 kills a writer at a random point and checks that every value it had
// acknowledged is in the file: SetCells returns only after the fsynced commit.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns writer processes")
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	cells := testCells()
	for round := 0; round < 3; round++ {
		path := tempDB(t)
		cmd := child(t, "writer", path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAt := 5 + rng.Intn(200)
		acked := map[model.CellKey]int{}
		last := 0
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var ks string
			var i int
			if _, err := fmt.Sscanf(sc.Text(), "ACK %s %d", &ks, &i); err != nil {
				cmd.Process.Kill()
				t.Fatalf("child said %q", sc.Text())
			}
			k, err := model.ParseCellKey(ks)
			if err != nil {
				t.Fatal(err)
			}
			acked[k], last = i, i
			if i >= killAt {
				break
			}
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		cmd.Wait()
		if last < killAt {
			t.Fatalf("child stopped after %d acks, before the kill at %d", last, killAt)
		}
		s := openT(t, path)
		r, err := s.Get(testID(3))
		if err != nil {
			t.Fatal(err)
		}
		// Writes after the last ack the parent read may or may not have
		// committed (the child goes on until the signal lands, a few commits
		// under load); a value the child wrote after that is fine. Every
		// acknowledged one must be there, or a later write of the same cell.
		later := func(k model.CellKey, got model.Number) bool {
			j := int(got / 100)
			return got%100 == 0 && j > last && cells[j%len(cells)] == k
		}
		for k, i := range acked {
			got, ok := r.Values[k]
			if ok && (got == model.Whole(int64(i)) || later(k, got)) {
				continue
			}
			t.Errorf("round %d: %s = %v (present %v), acknowledged %d", round, k, got, ok, i)
		}
		for k, got := range r.Values {
			if _, ok := acked[k]; !ok && !later(k, got) {
				t.Errorf("round %d: %s = %v, a value nobody wrote", round, k, got)
			}
		}
		s.Close()
	}
}
