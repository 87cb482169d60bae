package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jibao/internal/testenv"
	"jibao/internal/vt"
)

// zTerminal is the clerk's side of an interactive `ssh -tt` to jibao serve:
// a terminal that, like Xshell, hands the line to Debian's rz when a ZMODEM
// transfer starts (rz != ""), or, like OpenSSH in a plain terminal, just shows
// the bytes (rz == "").
type zTerminal struct {
	t     *testing.T
	in    io.WriteCloser // ssh's stdin: keys
	mu    sync.Mutex
	out   bytes.Buffer // everything the terminal showed since reset
	all   bytes.Buffer // everything it showed: the screen is made from it
	gbk   bool         // the terminal speaks GB18030: screen decodes it
	rzDir string       // where the peer runs; "" for a terminal without ZMODEM
	peer  []string     // the program a ZMODEM start hands the line to
	mark  string       // the start it waits for
	rzErr chan error   // the peer's end
}

// zmodemStart is what sz sends first: rz, Enter, ZRQINIT.
const zmodemStart = "rz\r**\x18B00"

func startZTerminal(t *testing.T, w *sshWorld, person, rzDir string, upload ...string) *zTerminal {
	t.Helper()
	args := append([]string{"-tt", "-e", "none"}, w.sshArgs(person)...)
	c := exec.Command("ssh", args...)
	c.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "TERM=xterm-256color")
	in, _ := c.StdinPipe()
	out, _ := c.StdoutPipe()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	z := &zTerminal{t: t, in: in, rzDir: rzDir, rzErr: make(chan error, 1),
		peer: []string{"rz", "-b", "-e", "-q"}, mark: "**\x18B00"}
	if len(upload) > 0 { // the terminal's "send file": sz answers rz's ZRINIT
		z.peer, z.mark = append([]string{"sz", "-b", "-e", "-q"}, upload...), "**\x18B01"
	}
	t.Cleanup(func() { in.Close(); c.Process.Kill(); c.Wait() })
	go z.read(out)
	return z
}

// read shows ssh's output; at a ZMODEM start it gives the stream to the peer
// (rz for a download, sz for an upload), as a ZMODEM-aware terminal does, and
// takes it back when the peer is done.
func (z *zTerminal) read(out io.Reader) {
	buf := make([]byte, 32*1024)
	var rzIn io.WriteCloser
	var rzDone chan struct{}
	for {
		n, err := out.Read(buf)
		chunk := buf[:n]
		if rzDone != nil {
			select {
			case <-rzDone:
				rzIn, rzDone = nil, nil
			default:
			}
		}
		if rzIn != nil {
			rzIn.Write(chunk)
		} else {
			z.mu.Lock()
			z.out.Write(chunk)
			z.all.Write(chunk)
			at := bytes.Index(z.out.Bytes(), []byte(z.mark))
			z.mu.Unlock()
			if at >= 0 && z.rzDir != "" {
				start := bytes.Index(chunk, []byte(z.mark))
				c := exec.Command(z.peer[0], z.peer[1:]...)
				c.Dir = z.rzDir
				rzIn, _ = c.StdinPipe()
				c.Stdout = z.in
				if err := c.Start(); err != nil {
					z.rzErr <- err
					return
				}
				rzDone = make(chan struct{})
				go func(done chan struct{}) { z.rzErr <- c.Wait(); close(done) }(rzDone)
				if start >= 0 {
					rzIn.Write(chunk[start:])
				}
				z.mu.Lock()
				z.out.Reset() // what follows the transfer is the next screen
				z.mu.Unlock()
				z.rzDir = "" // one transfer
			}
		}
		if err != nil {
			return
		}
	}
}

// screen is what the terminal shows now: only the cells of a line that change
// come (internal/framediff), so it is read through a terminal.
func (z *zTerminal) screen() string {
	z.mu.Lock()
	defer z.mu.Unlock()
	text := z.all.String()
	if z.gbk {
		text, _ = simplifiedchinese.GB18030.NewDecoder().String(text)
	}
	term := vt.New(80, 24) // ssh -tt without a terminal: the server's 80x24
	io.WriteString(term, text)
	return term.Text()
}

func (z *zTerminal) raw() string {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.out.String()
}

func (z *zTerminal) keys(s string) { z.in.Write([]byte(s)) }

// received waits for the peer's rz to end, then for the workstation to say it
// sent name, and returns the file rz wrote into dir.
func (z *zTerminal) received(dir, name string) []byte {
	z.t.Helper()
	select {
	case err := <-z.rzErr:
		if err != nil {
			z.t.Fatalf("rz: %v", err)
		}
	case <-time.After(20 * time.Second):
		z.t.Fatalf("no transfer; the terminal shows:\n%s", z.screen())
	}
	z.wait(10*time.Second, "已通过 ZMODEM 发送 "+name)
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		z.t.Fatal(err)
	}
	return got
}

// reset forgets what was shown, so that a wait sees only what comes next.
func (z *zTerminal) reset() {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.out.Reset()
}

// wait polls until every text has been shown, within bound.
func (z *zTerminal) wait(bound time.Duration, texts ...string) string {
	z.t.Helper()
	deadline := time.Now().Add(bound)
	for {
		s := z.screen()
		ok := true
		for _, x := range texts {
			ok = ok && strings.Contains(s, x)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			z.t.Fatalf("never shown: %q; the terminal shows:\n%s", texts, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// typeFigure opens the report from the chooser, types one figure into 表一
// where the cursor is and waits for 表一's count to say filled.
func (z *zTerminal) typeFigure(n, filled string) {
	z.wait(15*time.Second, "选择报表", "水头")
	z.keys("\r")
	z.wait(10*time.Second, "截止日期")
	z.keys("1")
	z.wait(10*time.Second, "口径：")
	z.reset()
	z.keys(n + "\r")
	z.wait(10*time.Second, "表一 "+filled+"/")
}

// openDraft logs in, types one figure and asks for the export, confirming the draft.
func (z *zTerminal) openDraft() {
	z.typeFigure("7", "1")
	z.keys("E")
	z.wait(10*time.Second, "导出草稿", "不能导出正式报表")
	z.keys("y")
}

func TestServeExportByZmodem(t *testing.T) {
	t.Run("utf-8", func(t *testing.T) { exportByZmodem(t, "", false) })
	// A GBK terminal's text is transcoded; the file goes under it, untouched.
	t.Run("gbk", func(t *testing.T) { exportByZmodem(t, ",encoding=gbk", true) })
}

func exportByZmodem(t *testing.T, opts string, gbk bool) {
	testenv.MustHaveTool(t, "rz")
	w := startServeWorld(t, map[string]string{"张三": `role=clerk,units="nanan:水头"` + opts})
	p, _ := firstCells(t, 1)
	dir := t.TempDir()
	z := startZTerminal(t, w, "张三", dir)
	z.gbk = gbk
	z.openDraft()
	select {
	case err := <-z.rzErr:
		if err != nil {
			t.Fatalf("rz: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no transfer; the terminal shows:\n%s", z.screen())
	}
	name := "南安-水头-" + p.String() + "-季报表-草稿.xlsx"
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		ents, _ := os.ReadDir(dir)
		t.Fatalf("%v; received %v", err, ents)
	}
	// The workstation comes back, saying what was sent.
	z.wait(10*time.Second, "已通过 ZMODEM 发送 "+name, "表一 1/")
	code, want, errs := w.run("张三", "jibao", "export", "--variant", "nanan", "--unit", "水头", "--period", p.String(), "--draft", "-o", "-")
	if code != 0 {
		t.Fatalf("jibao export -o -: exit %d, %s", code, errs)
	}
	if gbk { // the server's words come in the terminal's encoding
		errs, _ = simplifiedchinese.GB18030.NewDecoder().String(errs)
	}
	if !strings.Contains(errs, "已发送到标准输出（"+strconv.Itoa(len(want))+" 字节）") || strings.Contains(errs, "/tmp") {
		t.Errorf("command-mode export says %q: want what was sent, not a server path", errs)
	}
	if !bytes.Equal(got, []byte(want)) {
		t.Fatalf("received %d bytes, jibao export -o - gives %d: not the same file", len(got), len(want))
	}
	// Keys go to the workstation again.
	z.keys("q")
	z.wait(10*time.Second, "截止日期")
}

func TestServeExportTerminalWithoutZmodem(t *testing.T) {
	testenv.MustHaveTool(t, "sz")
	w := startServeWorld(t, map[string]string{"张三": `role=clerk,units="nanan:水头"`})
	p, _ := firstCells(t, 1)
	z := startZTerminal(t, w, "张三", "")
	z.openDraft()
	z.wait(10*time.Second, "ZMODEM")
	start := time.Now()
	for !strings.Contains(z.raw(), zmodemStart) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("no ZMODEM start:\n%s", z.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	start = time.Now()
	// The person's only variant is left to the server: a shorter line to copy.
	cmd := "jibao export --unit 水头 --period " + p.String() + " --draft -o - > 南安-水头-" + p.String() + "-季报表-草稿.xlsx"
	z.wait(12*time.Second, "终端没有应答 ZMODEM", "-p "+w.port+" ")
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("took %v to give up on the terminal", d)
	}
	raw := z.raw()
	if !strings.Contains(raw, "\x18\x18\x18\x18\x18\x18\x18\x18\b\b\b\b\b\b\b\b") {
		t.Errorf("no ZMODEM cancel (8 CAN, backspaces) sent")
	}
	flat := strings.Join(strings.Fields(z.screen()), "")
	if !strings.Contains(flat, strings.Join(strings.Fields(cmd), "")) {
		t.Errorf("the OpenSSH command %q is not shown:\n%s", cmd, z.screen())
	}
	// The command works as shown.
	if code, out, errs := w.run("张三", strings.Fields(strings.Split(cmd, " > ")[0])...); code != 0 || !strings.HasPrefix(out, "PK") {
		t.Errorf("the shown command: exit %d, %d bytes, %s", code, len(out), errs)
	}
	// The workstation is back and takes keys.
	z.reset()
	z.keys("x")
	z.wait(10*time.Second, "F2/e")
	z.keys("q")
	z.wait(10*time.Second, "截止日期")

	// An upload from such a terminal: a key gives the screen back at once.
	z.reset()
	z.keys("I")
	z.wait(10*time.Second, "正在等待终端发送文件")
	began := time.Now()
	for !strings.Contains(z.raw(), "**\x18B01") { // rz is listening
		if time.Since(began) > 10*time.Second {
			t.Fatalf("rz never started:\n%s", z.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	z.keys("x")
	z.wait(5*time.Second, "上传需要支持 ZMODEM 的终端")
}

func TestServeSummaryToStdout(t *testing.T) {
	w := startServeWorld(t, map[string]string{"市局": `role=office`, "张三": `role=clerk,units="nanan:水头"`})
	p, _ := firstCells(t, 1)
	code, out, errs := w.run("市局", "jibao", "summary", "--variant", "nanan", "--period", p.String(), "-o", "-")
	if code != 0 || !strings.HasPrefix(out, "PK") || strings.Contains(errs, "/tmp") || !strings.Contains(errs, "已发送到标准输出") {
		t.Fatalf("summary -o - over ssh: exit %d, %d bytes starting %q, stderr %q", code, len(out), out[:min(len(out), 4)], errs)
	}
	if code, _, errs := w.run("市局", "jibao", "summary", "--variant", "nanan", "--period", p.String(), "-o", "/tmp/x.xlsx"); code != 2 || !strings.Contains(errs, "-o -") {
		t.Errorf("summary -o FILE over ssh: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := w.run("张三", "jibao", "summary", "--variant", "nanan", "--period", p.String(), "-o", "-"); code != 2 {
		t.Errorf("a clerk's summary over ssh: exit %d, stderr %q", code, errs)
	}
}

func TestServeUploadByZmodem(t *testing.T) {
	testenv.MustHaveTool(t, "sz")
	w := startServeWorld(t, map[string]string{"张三": `role=clerk,units="nanan:水头"`})
	p, _ := firstCells(t, 1)
	// The clerk's earlier workbook: 7 in the first cell.
	{
		z := startZTerminal(t, w, "张三", "")
		z.typeFigure("7", "1")
		z.keys("\x03")
		w.waitLog("logout", func(s string) bool { return strings.Contains(s, "logout name=张三") })
	}
	code, book, errs := w.run("张三", "jibao", "export", "--variant", "nanan", "--unit", "水头", "--period", p.String(), "--draft", "-o", "-")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	src := t.TempDir()
	file := filepath.Join(src, "填好的.xlsx")
	os.WriteFile(file, []byte(book), 0o600)

	// Now 8 goes into the next cell (the cursor is where the clerk left it);
	// uploading the workbook shows that it blanks it again, and asks.
	z := startZTerminal(t, w, "张三", src, file)
	z.typeFigure("8", "2")
	z.keys("I")
	select {
	case err := <-z.rzErr:
		if err != nil {
			t.Fatalf("sz: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no upload; the terminal shows:\n%s", z.screen())
	}
	z.wait(10*time.Second, "导入 填好的.xlsx", "改变 1 处", "规上企业：8 改为 空白", "确定导入吗")
	z.reset()
	z.keys("y")
	z.wait(10*time.Second, "已导入", "表一 1/38")
	_, csv, _ := w.run("张三", "jibao", "export", "--variant", "nanan", "--unit", "水头", "--period", p.String(), "--draft", "--format", "csv")
	if strings.Count(csv, ",8") > 0 || !strings.Contains(csv, ",7") {
		t.Errorf("the upload is not what is stored:\n%.600s", csv)
	}
}

// The office's E in the summary sends the summary workbook, the same bytes as
// `summary -o -` over ssh.
func TestServeSummaryByZmodem(t *testing.T) {
	testenv.MustHaveTool(t, "rz")
	w := startServeWorld(t, map[string]string{"市局": `role=office`})
	p, _ := firstCells(t, 1)
	dir := t.TempDir()
	z := startZTerminal(t, w, "市局", dir)
	z.wait(15*time.Second, "选择报表", "溪美")
	z.keys("S")
	z.wait(10*time.Second, "E 导出汇总工作簿")
	z.keys("E")
	got := z.received(dir, "南安-"+p.String()+"-季报表汇总.xlsx")
	code, want, errs := w.run("市局", "jibao", "summary", "--variant", "nanan", "--period", p.String(), "-o", "-")
	if code != 0 {
		t.Fatalf("summary -o -: exit %d, %s", code, errs)
	}
	// excelize lists the image types of a workbook with charts in map order,
	// so two writes differ there; every part must be the same.
	if diff := workbookDiff(got, []byte(want)); diff != "" {
		t.Errorf("received %d bytes, summary -o - gives %d: %s", len(got), len(want), diff)
	}
}

// workbookDiff names the first part two xlsx files differ in ("" if none),
// reading [Content_Types].xml as the set of its entries.
func workbookDiff(a, b []byte) string {
	parts := func(data []byte) (map[string]string, error) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, err
		}
		out := map[string]string{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
			text := string(b)
			if f.Name == "[Content_Types].xml" {
				items := strings.Split(text, "><")
				sort.Strings(items)
				text = strings.Join(items, "><")
			}
			out[f.Name] = text
		}
		return out, nil
	}
	pa, err := parts(a)
	if err != nil {
		return err.Error()
	}
	pb, err := parts(b)
	if err != nil {
		return err.Error()
	}
	if len(pa) != len(pb) {
		return fmt.Sprintf("%d parts against %d", len(pa), len(pb))
	}
	for name, text := range pa {
		if pb[name] != text {
			return "part " + name + " differs"
		}
	}
	return ""
}

// The office's E on the board sends the 催报 list, the same workbook as
// `remind -o -` over ssh; command mode takes remind only with -o -, and only
// from the office.
func TestServeRemindByZmodem(t *testing.T) {
	testenv.MustHaveTool(t, "rz")
	w := startServeWorld(t, map[string]string{"市局": `role=office`, "张三": `role=clerk,units="nanan:水头"`,
		"片区": `role=office,units="nanan:水头 nanan:溪美"`})
	p, _ := firstCells(t, 1)
	dir := t.TempDir()
	z := startZTerminal(t, w, "市局", dir)
	z.wait(15*time.Second, "选择报表", "溪美")
	z.keys("B")
	z.wait(10*time.Second, "审核看板", "E 导出催报名单")
	z.keys("E")
	got := z.received(dir, "南安-"+p.String()+"-催报名单.xlsx")
	code, want, errs := w.run("市局", "jibao", "remind", "--variant", "nanan", "--period", p.String(), "-o", "-")
	if code != 0 || !strings.HasPrefix(want, "PK") || strings.Contains(errs, "/tmp") {
		t.Fatalf("remind -o - over ssh: exit %d, %d bytes, stderr %q", code, len(want), errs)
	}
	if diff := workbookDiff(got, []byte(want)); diff != "" {
		t.Errorf("received %d bytes, remind -o - gives %d: %s", len(got), len(want), diff)
	}
	if code, _, errs := w.run("市局", "jibao", "remind", "--variant", "nanan", "--period", p.String(), "-o", "/tmp/x.xlsx"); code != 2 || !strings.Contains(errs, "-o -") {
		t.Errorf("remind -o FILE over ssh: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := w.run("张三", "jibao", "remind", "--variant", "nanan", "--period", p.String()); code != 2 {
		t.Errorf("a clerk's remind over ssh: exit %d, stderr %q", code, errs)
	}
	if code, out, errs := w.run("市局", "jibao", "remind", "--variant", "nanan", "--period", p.String()); code != 0 || !strings.Contains(out, "催报") {
		t.Errorf("remind over ssh: exit %d, %q, stderr %q", code, out, errs)
	}
	// An office limited to two units chases those two, not the directory's
	// other 45 read as 未填报 from its copy of the data.
	if code, out, errs := w.run("片区", "jibao", "remind", "--variant", "nanan", "--period", p.String()); code != 0 || !strings.Contains(out, "2 个单位未上报或被退回") || strings.Contains(out, "英都") {
		t.Errorf("a limited office's remind over ssh: exit %d, %q, stderr %q", code, out, errs)
	}
	if code, _, errs := w.run("片区", "jibao", "summary", "--variant", "nanan", "--period", p.String()); code != 2 || !strings.Contains(errs, "全部单位") {
		t.Errorf("a limited office's summary over ssh: exit %d, stderr %q", code, errs)
	}
}

// A returned report the clerk sends home with E carries the office's notes
// and is the workbook `export -o -` gives: the same notes, the same check.
func TestServeReturnedExportCarriesNotes(t *testing.T) {
	testenv.MustHaveTool(t, "rz")
	w, p := submittedWorldWith(t, map[string]string{"张三": `role=clerk,units="nanan:水头"`})
	if code, out, errs := w.run("市局", "jibao", "review", "--variant", "nanan", "--unit", "水头", "--period", p.String(),
		"--return", "表一请核实", "--note", "t1/guobiao/c1=底数与附件1不符"); code != 0 {
		t.Fatalf("review --return: exit %d %s %s", code, out, errs)
	}
	dir := t.TempDir()
	z := startZTerminal(t, w, "张三", dir)
	z.wait(15*time.Second, "选择报表", "水头")
	z.keys("\r")
	z.wait(10*time.Second, "已退回：表一请核实")
	z.keys("\x1b")
	z.wait(10*time.Second, "E 导出")
	z.keys("E")
	got := z.received(dir, "南安-水头-"+p.String()+"-季报表.xlsx")
	code, want, errs := w.run("张三", "jibao", "export", "--variant", "nanan", "--unit", "水头", "--period", p.String(), "-o", "-")
	if code != 0 {
		t.Fatalf("export -o -: exit %d, %s", code, errs)
	}
	if diff := workbookDiff(got, []byte(want)); diff != "" {
		t.Errorf("received %d bytes, export -o - gives %d: %s", len(got), len(want), diff)
	}
	if !bytes.Contains(unzipAll(t, got), []byte("底数与附件1不符")) {
		t.Errorf("the office's note is not in the workbook the clerk received")
	}
}

// unzipAll is every part of a zip file, one after another.
func unzipAll(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		all = append(all, b...)
	}
	return all
}
