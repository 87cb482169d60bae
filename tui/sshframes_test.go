package tui

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is the session's output, written from the painter's timer.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFramePainter: a burst of frames is painted once, an unchanged frame not
// at all, only changed lines are repainted, and stop gives the terminal back.
func TestFramePainter(t *testing.T) {
	var out lockedBuffer
	p := newFramePainter(&out)
	p.resize(20, 5)
	start := len(out.String())
	p.write("a\nb\nc")
	p.write("a\nb\nC") // same burst: only this one is painted
	waitFor := func(n int) string {
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			if s := out.String(); len(s) >= n {
				return s
			}
			time.Sleep(time.Millisecond)
		}
		return out.String()
	}
	first := waitFor(start + 1)[start:]
	if !strings.Contains(first, "C") || strings.Contains(first, "c") {
		t.Errorf("first frame %q", first)
	}
	time.Sleep(5 * sshFrameDelay)
	n := len(out.String())
	p.write("a\nb\nC") // unchanged: nothing is written, no timer is armed
	time.Sleep(5 * sshFrameDelay)
	if len(out.String()) != n || p.pending {
		t.Errorf("an unchanged frame was painted: %q", out.String()[n:])
	}
	p.write("a\nX\nC")
	second := waitFor(n + 1)[n:]
	if !strings.Contains(second, "X") || strings.Contains(second, "a") || strings.Contains(second, "C") {
		t.Errorf("second frame repaints unchanged lines: %q", second)
	}
	p.stop()
	if !strings.HasSuffix(out.String(), "\x1b[?1049l") || !strings.Contains(out.String(), "\x1b[?25h") {
		t.Errorf("stop did not give the terminal back: %q", out.String())
	}
}
