package tui

import (
	"io"
	"testing"
	"time"
)

// readOne reads once from r in the background, for reads that must block.
func readOne(r io.Reader) chan string {
	ch := make(chan string, 1)
	go func() {
		buf := make([]byte, 64)
		n, err := r.Read(buf)
		if err != nil {
			ch <- "err:" + err.Error()
			return
		}
		ch <- string(buf[:n])
	}()
	return ch
}

func want(t *testing.T, ch chan string, s string) {
	t.Helper()
	select {
	case got := <-ch:
		if got != s {
			t.Fatalf("read %q, want %q", got, s)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no read, want %q", s)
	}
}

// The session's input goes whole to whoever has it: the workstation, then the
// transfer, then the workstation again; a blocked workstation read gives way.
func TestInputSwitch(t *testing.T) {
	pr, pw := io.Pipe()
	sw := newInputSwitch(pr)
	defer sw.close()
	main := switchView{s: sw}
	got := readOne(main)
	pw.Write([]byte("ab"))
	want(t, got, "ab")

	blocked := readOne(main) // Bubble Tea's reader, waiting when the transfer starts
	in := sw.divert()
	select {
	case s := <-blocked:
		if s != "" {
			t.Fatalf("the workstation's read gave %q, want an empty read", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the workstation's read did not give way")
	}
	again := readOne(main) // a later read waits for the input to come back
	got = readOne(in)
	pw.Write([]byte("**\x18B01"))
	want(t, got, "**\x18B01")

	stale := readOne(in) // the transfer's copier, still reading when it ends
	sw.restore()
	want(t, stale, "err:EOF")
	pw.Write([]byte("OO")) // the sender's over-and-out, after the transfer
	pw.Write([]byte("q"))
	want(t, again, "q")
}
