package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"jibao/internal/vt"
	"jibao/model"
	"jibao/serve"
	"jibao/store"
)

// The load test is opt-in: go test ./cmd/jibao -run TestLoad -load -v
var (
	loadRun      = flag.Bool("load", false, "run the SSH load test (about 45 s)")
	loadSessions = flag.Int("load.sessions", 50, "concurrent SSH sessions")
	loadRate     = flag.Int("load.rate", 10, "cells each session commits per second")
	loadFor      = flag.Duration("load.for", 30*time.Second, "how long the sessions type")
)

// loadClient is one in-process SSH client with a pty, typing into the grid.
type loadClient struct {
	conn  *gossh.Client
	sess  *gossh.Session
	in    io.Writer
	mu    sync.Mutex
	buf   []byte       // the output since the last await, for a failure's message
	term  *vt.Terminal // the screen: frames send only the cells that change
	wake  chan struct{}
	done  chan struct{}
	unit  string
	sent  int
	lat   []time.Duration
	fails int
	// shared: another clerk types into the same report. Both start on the
	// same cell and move down in step, so a value the other overwrites within
	// one frame interval is never drawn: that is "the later one wins", not a
	// lost keystroke (the history check below still counts every commit).
	shared      bool
	overwritten int
}

func (c *loadClient) read(r io.Reader) {
	defer close(c.done)
	b := make([]byte, 32<<10)
	for {
		n, err := r.Read(b)
		if n > 0 {
			c.mu.Lock()
			c.buf = append(c.buf, b[:n]...)
			c.term.Write(b[:n])
			c.mu.Unlock()
			select {
			case c.wake <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// await waits until the screen shows text, and then forgets the output that
// came before (kept for messages).
func (c *loadClient) await(text string, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		// The screen, not the bytes: a value whose digits partly match the
		// cell's old one sends only the digits that differ.
		found := strings.Contains(c.term.Text(), text)
		if found {
			c.buf = c.buf[:0]
		}
		c.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-c.wake:
		case <-c.done:
			return false
		case <-deadline.C:
			if os.Getenv("LOAD_DEBUG") != "" {
				c.mu.Lock()
				fmt.Fprintf(os.Stderr, "DEBUG want %q in %q\n", text, ansi.Strip(string(c.buf)))
				c.mu.Unlock()
			}
			return false
		}
	}
}

// loadServer starts `jibao serve`'s server in this process on a real (fsynced)
// store, with n clerks: one per unit of 南安, two on a report beyond 47.
func loadServer(tb testing.TB, n int) (addr string, signers []gossh.Signer, units []string, st *store.Store, v *model.Variant) {
	tb.Helper()
	dir := tb.TempDir()
	cat := model.DefaultCatalog()
	v, _ = cat.Variant("nanan")
	st, err := store.Open(filepath.Join(dir, "jibao.db"), store.Options{Catalog: cat})
	if err != nil {
		tb.Fatal(err)
	}
	var keys strings.Builder
	signers = make([]gossh.Signer, n)
	units = make([]string, n)
	for i := range n {
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		signers[i], _ = gossh.NewSignerFromKey(priv)
		sp, _ := gossh.NewPublicKey(pub)
		units[i] = v.Units[i%len(v.Units)].Name
		fmt.Fprintf(&keys, "name=\"clerk%d\",role=clerk,units=\"nanan:%s\" %s", i, units[i], gossh.MarshalAuthorizedKey(sp))
	}
	keysFile := filepath.Join(dir, "keys")
	os.WriteFile(keysFile, []byte(keys.String()), 0o600)
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		getenv: func(string) string { return "" }, now: time.Now}
	srv, err := serve.New(a.serveConfig(serve.Config{Keys: keysFile, HostKey: filepath.Join(dir, "host"),
		Idle: time.Hour, Log: io.Discard, Catalog: cat}, st, ""))
	if err != nil {
		tb.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(l)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		st.Close()
	})
	return l.Addr().String(), signers, units, st, v
}

// BenchmarkServeKeystroke is one clerk entering a cell over SSH: the time from
// writing "value + Enter" to the frame that shows the value.
func BenchmarkServeKeystroke(b *testing.B) {
	addr, signers, _, _, _ := loadServer(b, 1)
	c, err := dialGrid(addr, signers[0])
	if err != nil {
		b.Fatal(err)
	}
	defer c.conn.Close()
	b.ResetTimer()
	for i := range b.N {
		val := fmt.Sprint(10000 + i%80000)
		io.WriteString(c.in, val+"\r")
		if !c.await(val, 5*time.Second) {
			b.Fatalf("%s never showed", val)
		}
	}
}

// BenchmarkServeLogin logs clerks in and opens their grid, keeping every
// session open: ns/op is a login, MB/session what an idle session holds (the
// client's side included).
func BenchmarkServeLogin(b *testing.B) {
	addr, signers, _, _, _ := loadServer(b, 47)
	var clients []*loadClient
	defer func() {
		for _, c := range clients {
			c.conn.Close()
		}
	}()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := range b.N {
		c, err := dialGrid(addr, signers[i%len(signers)])
		if err != nil {
			b.Fatal(err)
		}
		clients = append(clients, c)
	}
	b.StopTimer()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	used := func(m runtime.MemStats) float64 { return float64(m.HeapAlloc + m.StackInuse) }
	b.ReportMetric((used(after)-used(before))/float64(b.N)/(1<<20), "MB/session")
}

func TestLoad(t *testing.T) {
	if !*loadRun {
		t.Skip("opt-in: go test ./cmd/jibao -run TestLoad -load -v")
	}
	n := *loadSessions
	addr, signers, units, st, v := loadServer(t, n)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goBefore := runtime.NumGoroutine()
	clients := make([]*loadClient, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dialGrid(addr, signers[i])
			if err != nil {
				errs <- err
				return
			}
			c.unit = units[i]
			clients[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	runtime.GC()
	var idle runtime.MemStats
	runtime.ReadMemStats(&idle)
	// Heap and goroutine stacks: what a session costs while its clerk reads.
	used := func(m runtime.MemStats) float64 { return float64(m.HeapAlloc + m.StackInuse) }
	perSession := (used(idle) - used(before)) / float64(n) / (1 << 20)
	goPer := float64(runtime.NumGoroutine()-goBefore) / float64(n)

	// Each session types a value (5 digits, unique over the run) into the cell
	// under the cursor and commits it with Enter, rate times a second, and
	// times how long until a frame shows it in the grid.
	perUnit := map[string]int{}
	for _, c := range clients {
		perUnit[c.unit]++
	}
	for _, c := range clients {
		c.shared = perUnit[c.unit] > 1
	}
	start := time.Now()
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Second / time.Duration(*loadRate))
			defer tick.Stop()
			for k := 0; time.Since(start) < *loadFor; k++ {
				<-tick.C
				val := fmt.Sprint(10000 + i*1000 + k%1000)
				t0 := time.Now()
				if _, err := io.WriteString(c.in, val+"\r"); err != nil {
					c.fails++
					return
				}
				c.sent++
				// The frame that shows the entered value in its cell (the
				// editor shows only the last digits while typing).
				switch {
				case c.await(val, 5*time.Second):
					c.lat = append(c.lat, time.Since(t0))
				case c.shared:
					c.overwritten++
				default:
					c.fails++
				}
			}
		}()
	}
	wg.Wait()
	typing := time.Since(start)
	// Ctrl+C: the grid quits once its queued writes are durable; a store that
	// fell behind drains here.
	for _, c := range clients {
		io.WriteString(c.in, "\x03")
	}
	drainStart := time.Now()
	drainBy := time.After(60 * time.Second)
	for _, c := range clients {
		select {
		case <-c.done:
		case <-drainBy:
			c.mu.Lock()
			t.Errorf("the session of %s did not end within 60 s of Ctrl+C; its last output:\n%s", c.unit, ansi.Strip(string(c.buf)))
			c.mu.Unlock()
		}
		c.sess.Close()
		c.conn.Close()
	}
	drain := time.Since(drainStart)

	var all []time.Duration
	sent, fails, overwritten := 0, 0, 0
	for _, c := range clients {
		all = append(all, c.lat...)
		sent += c.sent
		fails += c.fails
		overwritten += c.overwritten
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(float64(len(all))*p))]
	}
	stored := 0
	seen := map[string]bool{}
	for _, c := range clients {
		if seen[c.unit] {
			continue
		}
		seen[c.unit] = true
		p := v.DefaultPeriod(time.Now())
		id := model.ReportID{Variant: "nanan", Unit: c.unit, Period: p}
		r, err := st.Get(id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		for _, f := range v.FormsFor(r.UnitType) {
			for _, k := range f.Cells() {
				ev, err := st.History(id, k)
				if err != nil {
					t.Fatal(err)
				}
				stored += len(ev)
			}
		}
	}
	t.Logf("%d sessions, %d cells/s each, %v on %d CPUs (server and clients in one process)", n, *loadRate, typing.Round(time.Second), runtime.NumCPU())
	t.Logf("commits sent %d (%.0f/s), recorded in history %d, echo timeouts %d (plus %d overwritten by the other clerk of a shared report before a frame showed them); all sessions ended %v after Ctrl+C",
		sent, float64(sent)/typing.Seconds(), stored, fails, overwritten, drain.Round(10*time.Millisecond))
	t.Logf("keystroke-to-frame: median %v, p90 %v, p99 %v, max %v", pct(0.5).Round(100*time.Microsecond),
		pct(0.9).Round(100*time.Microsecond), pct(0.99).Round(100*time.Microsecond), pct(1).Round(100*time.Microsecond))
	t.Logf("idle session (grid open): %.2f MB heap and stacks, %.0f goroutines each (client side included)", perSession, goPer)
	if stored != sent {
		t.Errorf("lost updates: %d commits sent, %d recorded", sent, stored)
	}
	if fails > 0 {
		t.Errorf("%d keystrokes never showed on screen within 5 s", fails)
	}
	if pct(0.5) > 50*time.Millisecond {
		t.Errorf("median keystroke-to-frame %v, want under 50ms", pct(0.5))
	}
	if perSession > 10 {
		t.Errorf("idle session uses %.1f MB, want under 10", perSession)
	}
}

// dialGrid logs in with a pty and opens 表一 of the clerk's unit.
func dialGrid(addr string, signer gossh.Signer) (*loadClient, error) {
	conn, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "clerk", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 20 * time.Second})
	if err != nil {
		return nil, err
	}
	sess, err := conn.NewSession()
	if err != nil {
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", 45, 160, gossh.TerminalModes{}); err != nil {
		return nil, err
	}
	in, _ := sess.StdinPipe()
	out, _ := sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	c := &loadClient{conn: conn, sess: sess, in: in, wake: make(chan struct{}, 1), done: make(chan struct{}),
		term: vt.New(160, 45)}
	go c.read(out)
	for _, step := range []struct{ key, want string }{{"", "选择报表"}, {"\r", "表一 "}, {"\r", "口径："}} {
		io.WriteString(in, step.key)
		if !c.await(step.want, 30*time.Second) {
			return nil, fmt.Errorf("session never showed %q", step.want)
		}
	}
	return c, nil
}
