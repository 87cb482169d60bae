package termcheck

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/text/encoding/simplifiedchinese"

	"jibao/internal/vt"
	"jibao/termenc"
)

// ptyTerm is jibao running in a pseudo-terminal, everything it writes kept.
type ptyTerm struct {
	t    *testing.T
	enc  termenc.Encoding // what the terminal decodes jibao's bytes as
	f    *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	raw  bytes.Buffer
	done chan struct{}
}

// startPty runs bin with args in a 100x30 pseudo-terminal that speaks enc,
// with the given environment (nothing inherited but PATH).
func startPty(t *testing.T, bin string, enc termenc.Encoding, env []string, args ...string) *ptyTerm {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatalf("starting jibao in a pty: %v", err)
	}
	p := &ptyTerm{t: t, enc: enc, f: f, cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			p.mu.Lock()
			p.raw.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
		<-p.done
	})
	return p
}

// bytesSoFar is a copy of everything jibao has written.
func (p *ptyTerm) bytesSoFar() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Clone(p.raw.Bytes())
}

// text is b as the terminal reads it.
func (p *ptyTerm) text(b []byte) string {
	if p.enc == termenc.GB18030 {
		b, _ = simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	}
	return string(b)
}

// send types what a terminal sends for some keys: s in the terminal's encoding.
func (p *ptyTerm) send(s string) {
	p.t.Helper()
	if p.enc == termenc.GB18030 {
		s = gbString(p.t, s)
	}
	if _, err := p.f.Write([]byte(s)); err != nil {
		p.t.Fatalf("typing %q: %v", s, err)
	}
}

// waitFor waits until the screen, as a terminal shows what jibao wrote, matches
// re; it returns the submatches of the last match and how many bytes had come.
// The screen, not the bytes: jibao sends only the cells of a line that change
// (internal/framediff). from is kept for the callers' reading: each waits for
// something the screen did not show before.
func (p *ptyTerm) waitFor(from int, re *regexp.Regexp) ([]string, int) {
	p.t.Helper()
	_ = from
	screen := func(raw []byte) string {
		term := vt.New(100, 30)
		io.WriteString(term, p.text(raw))
		return term.Text()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		raw := p.bytesSoFar()
		text := screen(raw)
		if all := re.FindAllStringSubmatch(text, -1); all != nil {
			return all[len(all)-1], len(raw)
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no %q on the screen after 20s; it shows:\n%s", re, text)
		}
		select {
		case <-p.done:
			raw = p.bytesSoFar() // all of it, now that the reader has stopped
			text = screen(raw)
			if all := re.FindAllStringSubmatch(text, -1); all != nil {
				return all[len(all)-1], len(raw)
			}
			p.t.Fatalf("jibao exited before %q appeared; the screen shows:\n%s", re, text)
		case <-time.After(20 * time.Millisecond): // poll interval, not a synchronisation
		}
	}
}

// quit ends jibao with Ctrl+C and waits for it to exit.
func (p *ptyTerm) quit() {
	p.t.Helper()
	p.send("\x1b")
	p.send("\x03")
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.t.Error("jibao did not quit on Ctrl+C")
	}
}

// TestGB18030Terminal runs the workstation in a pseudo-terminal whose locale
// is zh_CN.GB18030, as a clerk's Xshell left at its GBK default would be: every
// byte jibao writes must be GB18030 (decoding finds the report's Chinese and
// no invalid byte); End and Home as xterm (normal and application cursor
// mode), VT220, PuTTY and rxvt send them must move the cursor; Chinese typed
// one byte at a time must arrive whole.
func TestGB18030Terminal(t *testing.T) {
	bin := buildJibao(t)
	db := screenStore(t)
	p := startPty(t, bin, termenc.GB18030, []string{"JIBAO_DB=" + db, "JIBAO_USER=测试员", "LANG=zh_CN.GB18030", "TERM=xterm-256color"},
		"--variant", "nanan", "--unit", "水头", "--period", "2025Q3")

	_, at := p.waitFor(0, regexp.MustCompile(`截止日期`))
	raw := p.bytesSoFar()
	if bytes.Contains(raw, []byte("水头")) {
		t.Error("jibao wrote UTF-8 to a GB18030 terminal")
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || bytes.ContainsRune(text, '\uFFFD') {
		t.Errorf("output is not clean GB18030 (%v):\n%s", err, text)
	}
	if !bytes.Contains(raw, []byte(termenc.KeyModes)) {
		t.Error("jibao did not reset the cursor-key and keypad modes (termenc.KeyModes)")
	}
	for _, want := range []string{"南安 水头", "2025年第3季度", "表一", "表四"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("the overview lacks %q:\n%s", want, text)
		}
	}
	if amb := Ambiguous(string(text)); amb != nil {
		t.Errorf("the screen has ambiguous-width characters %q", string(amb))
	}

	// Open 表一 and walk the first row with each terminal's End and Home.
	p.send("1")
	m, at := p.waitFor(at, regexp.MustCompile(`国标 第(\d+)栏`))
	if m[1] != "1" {
		t.Fatalf("表一 opened at column %s, want 1", m[1])
	}
	modes := []struct{ name, home, end string }{
		{"xterm", "\x1b[H", "\x1b[F"},
		{"xterm application cursor mode", "\x1bOH", "\x1bOF"},
		{"VT220 / PuTTY / linux", "\x1b[1~", "\x1b[4~"},
		{"rxvt", "\x1b[7~", "\x1b[8~"},
	}
	last := ""
	for _, mode := range modes {
		p.send(mode.end)
		m, at = p.waitFor(at, regexp.MustCompile(`国标 第([2-9]|\d\d+)栏`))
		if last != "" && m[1] != last {
			t.Errorf("%s End went to column %s, the others to %s", mode.name, m[1], last)
		}
		last = m[1]
		p.send(mode.home)
		_, at = p.waitFor(at, regexp.MustCompile(`国标 第1栏`))
	}

	// The header search echoes Chinese typed one byte at a time, and finds it.
	p.send("/")
	_, at = p.waitFor(at, regexp.MustCompile(`查找表头：_`))
	for _, b := range []byte(gbString(t, "四色")) {
		if _, err := p.f.Write([]byte{b}); err != nil {
			t.Fatal(err)
		}
	}
	_, at = p.waitFor(at, regexp.MustCompile(`查找表头：四色_`))
	p.send("\r")
	p.waitFor(at, regexp.MustCompile(`表一 [^\n]*四色[^\n]*  口径：`))
	p.quit()
}

// TestKeypadAndBackspace types a number on the numeric keypad of a terminal
// left in application keypad mode (a PuTTY setting, or a program that did not
// reset it), and corrects it with Backspace sent as ^H (PuTTY's "Control-H")
// and as ^? (the default). The terminal is UTF-8: these are not GBK matters.
func TestKeypadAndBackspace(t *testing.T) {
	bin := buildJibao(t)
	db := screenStore(t)
	p := startPty(t, bin, termenc.UTF8, []string{"JIBAO_DB=" + db, "JIBAO_USER=测试员", "LANG=C.UTF-8", "TERM=xterm"},
		"--variant", "nanan", "--unit", "溪美", "--period", "2025Q3")
	_, at := p.waitFor(0, regexp.MustCompile(`截止日期`))
	p.send("3")
	_, at = p.waitFor(at, regexp.MustCompile(`第1栏 `))
	p.send("\x1bOq") // keypad 1, 2, 3 in application mode
	p.send("\x1bOr")
	p.send("\x1bOs")
	_, at = p.waitFor(at, regexp.MustCompile(`输入：123_`))
	p.send("\x7f") // Backspace as ^?
	_, at = p.waitFor(at, regexp.MustCompile(`输入：12_`))
	p.send("\x08") // Backspace as ^H
	p.waitFor(at, regexp.MustCompile(`输入：1_`))
	p.quit()
}

func gbString(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	if _, err := io.WriteString(termenc.Writer(termenc.GB18030, &b), s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestGB18030Commands runs `jibao check` in a pseudo-terminal whose locale is
// zh_CN.GB18030: a shell command's output to a GBK terminal must be GB18030
// too, while the same output piped stays UTF-8.
func TestGB18030Commands(t *testing.T) {
	bin := buildJibao(t)
	db := screenStore(t)
	env := []string{"JIBAO_DB=" + db, "JIBAO_USER=测试员", "LANG=zh_CN.GB18030", "TERM=xterm"}
	args := []string{"check", "--variant", "nanan", "--unit", "美林", "--period", "2025Q3"}
	p := startPty(t, bin, termenc.GB18030, env, args...)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		t.Fatal("jibao check did not finish in 20s")
	}
	raw := p.bytesSoFar()
	if bytes.Contains(raw, []byte("美林")) {
		t.Errorf("jibao check wrote UTF-8 to a GB18030 terminal (cmd/jibao/main.go must wrap a.stdout and a.stderr with termenc.TextWriter):\n%q", raw)
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || bytes.ContainsRune(text, '\uFFFD') || !bytes.Contains(text, []byte("结论")) {
		t.Errorf("output is not clean GB18030 (%v):\n%s", err, text)
	}

	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir()}, env...)
	piped, _ := cmd.Output()
	if !bytes.Contains(piped, []byte("美林")) {
		t.Errorf("jibao check | ... is not UTF-8:\n%q", piped)
	}
}
