package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The hostile workbooks of issue 13, built here: each is a real xlsx (our own
// sample export) with one part replaced. They must be refused, or read with a
// note, within 2 s and 200 MB whatever they claim to hold.

// sampleXLSX is 水头's sample export as bytes.
func sampleXLSX(t testing.TB) []byte {
	t.Helper()
	v := variant(t, "nanan")
	x, err := Workbook(v, Sample(v, unitOf(t, v, "水头"), q3, 5), false)
	if err != nil {
		t.Fatal(err)
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// part is a replacement for one part of the package: its deflated bytes as
// raw segments, the size and CRC it unpacks to, and the size it claims.
type part struct {
	segments [][]byte // each a deflate segment ending in a sync flush
	repeat   []int    // how many times each segment is written
	size     uint64   // the real unpacked size
	crc      uint32
	claim    uint64 // the size written in the header; 0: the real one
}

// deflated makes a part of plain bytes.
func deflated(b []byte) part {
	return part{segments: [][]byte{deflateSegment(b)}, repeat: []int{1}, size: uint64(len(b)), crc: crc32.ChecksumIEEE(b)}
}

// repeated makes a part of head, then body n times, then tail, without ever
// holding more than body: a 1 GB string packs into some 1 MB this way.
func repeated(head, body, tail string, n int) part {
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, []byte(body))
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	return part{
		segments: [][]byte{deflateSegment([]byte(head)), deflateSegment([]byte(body)), deflateSegment([]byte(tail))},
		repeat:   []int{1, n, 1},
		size:     uint64(len(head) + n*len(body) + len(tail)),
		crc:      crc,
	}
}

// deflateSegment compresses b on its own and ends with a sync flush, so that
// segments can follow one another in one deflate stream.
func deflateSegment(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Flush()
	return buf.Bytes()
}

// rebuild writes the sample package with some parts replaced or added.
func rebuild(t testing.TB, base []byte, parts map[string]part) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	write := func(name string, p part) {
		claim := p.claim
		if claim == 0 {
			claim = p.size
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: p.crc,
			UncompressedSize64: claim, CompressedSize64: uint64(segmentsLen(p))})
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range p.segments {
			for range p.repeat[i] {
				w.Write(s)
			}
		}
		w.Write([]byte{0x03, 0x00}) // the final, empty block
	}
	seen := map[string]bool{}
	for _, f := range zr.File {
		if p, ok := parts[f.Name]; ok {
			write(f.Name, p)
			seen[f.Name] = true
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	for name, p := range parts {
		if !seen[name] {
			write(name, p)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func segmentsLen(p part) int {
	n := 2
	for i, s := range p.segments {
		n += len(s) * p.repeat[i]
	}
	return n
}

// partOf is one part of the sample package, unpacked.
func partOf(t testing.TB, base []byte, name string) string {
	zr, _ := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

type bomb struct {
	name string
	make func(t testing.TB, base []byte) []byte
	want string // in the refusal, or in a note when read
}

var bombs = []bomb{
	{"1 GB string in one cell", func(t testing.TB, base []byte) []byte {
		sst := partOf(t, base, "xl/sharedStrings.xml")
		i := strings.LastIndex(sst, "</sst>")
		return rebuild(t, base, map[string]part{"xl/sharedStrings.xml": repeated(sst[:i]+"<si><t>", strings.Repeat("a", 1<<20), "</t></si></sst>", 1024)})
	}, "文字部分解压后 1024.0 MB"},
	{"1 GB string claiming 100 KB", func(t testing.TB, base []byte) []byte {
		sst := partOf(t, base, "xl/sharedStrings.xml")
		i := strings.LastIndex(sst, "</sst>")
		p := repeated(sst[:i]+"<si><t>", strings.Repeat("a", 1<<20), "</t></si></sst>", 1024)
		p.claim = 100 << 10
		return rebuild(t, base, map[string]part{"xl/sharedStrings.xml": p})
	}, "文件已损坏或不完整"},
	{"a million rows", func(t testing.TB, base []byte) []byte {
		var rows strings.Builder
		for r := 1; r <= 1000; r++ {
			fmt.Fprintf(&rows, `<row r="%d"><c r="A%d"><v>1</v></c></row>`, r, r)
		}
		// 1000 distinct rows repeated: the row numbers repeat too, which only
		// makes it worse for a reader that trusts them.
		return rebuild(t, base, map[string]part{"xl/worksheets/sheet1.xml": repeated(
			`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`,
			rows.String(), `</sheetData></worksheet>`, 1000)})
	}, "工作表 sheet1.xml 解压后"},
	{"80 000 rows within the size limits", func(t testing.TB, base []byte) []byte {
		var rows strings.Builder
		for r := 1; r <= 80000; r++ {
			fmt.Fprintf(&rows, `<row r="%d"><c r="A%d"><v>1</v></c></row>`, r, r)
		}
		return rebuild(t, base, map[string]part{"xl/worksheets/sheet1.xml": deflated([]byte(
			`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
				rows.String() + `</sheetData></worksheet>`))})
	}, "找不到季报表（一）"},
	{"XML nested a million deep", func(t testing.TB, base []byte) []byte {
		return rebuild(t, base, map[string]part{"xl/worksheets/sheet1.xml": repeated(
			`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`,
			"<a>", "</t></is></c></row></sheetData></worksheet>", 1000000)})
	}, "嵌套超过 64 层"},
	{"merged ranges over the whole sheet", func(t testing.TB, base []byte) []byte {
		sheet := partOf(t, base, "xl/worksheets/sheet1.xml")
		i := strings.Index(sheet, "<mergeCells")
		j := strings.Index(sheet, "</mergeCells>") + len("</mergeCells>")
		return rebuild(t, base, map[string]part{"xl/worksheets/sheet1.xml": repeated(
			sheet[:i]+`<mergeCells count="60000">`, `<mergeCell ref="A1:XFD1048576"/>`, "</mergeCells>"+sheet[j:], 60000)})
	}, "合并单元格超过 5000 处"},
	{"a cell at XFD1048576", func(t testing.TB, base []byte) []byte {
		sheet := partOf(t, base, "xl/worksheets/sheet4.xml")
		i := strings.Index(sheet, "</sheetData>")
		return rebuild(t, base, map[string]part{"xl/worksheets/sheet4.xml": deflated([]byte(
			sheet[:i] + `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>` + sheet[i:]))})
	}, "季报表（四）!XFD1048576：超出季报表范围"},
	{"a cell past the last column in every row", func(t testing.TB, base []byte) []byte {
		sheet := partOf(t, base, "xl/worksheets/sheet2.xml")
		var b strings.Builder
		for k := 0; k < len(sheet); {
			i := strings.Index(sheet[k:], "</row>")
			if i < 0 {
				b.WriteString(sheet[k:])
				break
			}
			row := sheet[k : k+i]
			r := row[strings.LastIndex(row, `<row r="`)+len(`<row r="`):]
			r = r[:strings.IndexByte(r, '"')]
			fmt.Fprintf(&b, `%s<c r="XFD%s" s="1"/>`, row, r)
			b.WriteString("</row>")
			k += i + len("</row>")
		}
		return rebuild(t, base, map[string]part{"xl/worksheets/sheet2.xml": deflated([]byte(b.String()))})
	}, "read, with notes: "},
	{"many big sheets", func(t testing.TB, base []byte) []byte {
		parts := map[string]part{}
		for i := 5; i < 10; i++ {
			parts[fmt.Sprintf("xl/worksheets/sheet%d.xml", i)] = repeated("<worksheet>", strings.Repeat(" ", 64<<10), "</worksheet>", 48)
		}
		return rebuild(t, base, parts)
	}, "工作表合计解压后超过"},
}

// openAndRead is what jibao import does with a file.
func openAndRead(t testing.TB, path string) error {
	o, err := Open(path, DefaultLimits)
	if err != nil {
		return err
	}
	defer o.Close()
	im, err := o.Read(variant(t, "nanan"), nil)
	if err != nil {
		return err
	}
	var notes []string
	for _, n := range im.Notes {
		notes = append(notes, n.String())
	}
	return fmt.Errorf("read, with notes: %s", strings.Join(notes, "；"))
}

// TestBombChild is the child process of TestBombsAreBounded: it reads one file
// and prints what became of it, so that the parent can measure its peak memory.
func TestBombChild(t *testing.T) {
	path := os.Getenv("JIBAO_BOMB")
	if path == "" {
		t.Skip("run by TestBombsAreBounded")
	}
	fmt.Println("RESULT:", openAndRead(t, path))
	// The peak resident set of this process alone: the rusage a parent gets
	// counts what the child shared with it before exec.
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Println("PEAK:", strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")))
		}
	}
}

// TestBombsAreBounded reads each hostile workbook in a process of its own and
// measures its time and peak memory (the process's maximum resident set):
// refused (or read with a note) within 2 s and 200 MB, with the bound asserted
// generously for a loaded machine (10 s).
func TestBombsAreBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hostile files; skipped with -short")
	}
	base := sampleXLSX(t)
	dir := t.TempDir()
	for _, b := range bombs {
		t.Run(b.name, func(t *testing.T) {
			data := b.make(t, base)
			path := filepath.Join(dir, strings.ReplaceAll(b.name, " ", "-")+".xlsx")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestBombChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "JIBAO_BOMB="+path)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var kb int64
			if i := strings.Index(string(out), "PEAK: "); i >= 0 {
				fmt.Sscanf(string(out[i+len("PEAK: "):]), "%d kB", &kb)
			}
			if kb == 0 {
				t.Fatalf("the child did not say its peak memory:\n%s", out)
			}
			rss := kb << 10
			t.Logf("%s (%s on disk): %v, peak %s", b.name, mb(int64(len(data))), took.Round(time.Millisecond), mb(rss))
			if !strings.Contains(string(out), b.want) {
				t.Errorf("want %q, got:\n%s", b.want, out)
			}
			if took > 10*time.Second && !raceEnabled {
				t.Errorf("took %v", took)
			}
			if rss > 200<<20 && !raceEnabled {
				t.Errorf("peak memory %s", mb(rss))
			}
			for _, english := range []string{"zip:", "EOF", "unsupported", "xml:"} {
				if strings.Contains(string(out), english) {
					t.Errorf("English internals reach the clerk: %s", out)
				}
			}
		})
	}
}

// BenchmarkBombs measures each refusal in process: time and bytes allocated.
func BenchmarkBombs(b *testing.B) {
	base := sampleXLSX(b)
	dir := b.TempDir()
	for _, bm := range bombs {
		path := filepath.Join(dir, strings.ReplaceAll(bm.name, " ", "-")+".xlsx")
		if err := os.WriteFile(path, bm.make(b, base), 0o600); err != nil {
			b.Fatal(err)
		}
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := openAndRead(b, path); !strings.Contains(err.Error(), bm.want) {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImportFile is a good file read as jibao import reads it: the limits'
// checks (sizes, nesting, trimming) and then Read.
func BenchmarkImportFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "good.xlsx")
	if err := os.WriteFile(path, sampleXLSX(b), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := openAndRead(b, path); !strings.HasPrefix(err.Error(), "read, with notes: ") || strings.Contains(err.Error(), "未读取") {
			b.Fatal(err)
		}
	}
}
