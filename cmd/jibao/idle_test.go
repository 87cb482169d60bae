package main

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU this process has used so far (user and system).
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestIdleSessionsCostNoCPU opens 50 grid sessions over SSH (server and clients
// in this process), lets them sit with nothing typed and nothing changing, and
// measures the CPU the process uses meanwhile: an idle session must not wake
// up to redraw a screen that did not change.
func TestIdleSessionsCostNoCPU(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 50 SSH sessions")
	}
	const n = 50
	addr, signers, _, _, _ := loadServer(t, n)
	for i := range n {
		c, err := dialGrid(addr, signers[i])
		if err != nil {
			t.Fatal(err)
		}
		defer c.conn.Close()
	}
	time.Sleep(time.Second) // the last frames go out
	const span = 4 * time.Second
	before, start := cpuTime(t), time.Now()
	time.Sleep(span)
	used, wall := cpuTime(t)-before, time.Since(start)
	share := float64(used) / float64(wall) * 100
	t.Logf("%d idle grid sessions: %v CPU in %v (%.2f%% of a core)", n, used, wall.Round(time.Millisecond), share)
	if share > 1.0 {
		t.Errorf("%d idle sessions cost %.2f%% of a core, want under 1%%", n, share)
	}
}
