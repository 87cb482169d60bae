package termenc

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/creack/pty"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// sample has everything a jibao screen sends: CSI and OSC sequences, CJK from
// the forms, full-width punctuation, an emoji and a character outside the BMP
// (four bytes in both encodings), and control bytes.
const sample = "\x1b[?1049h\x1b[H\x1b[2J\x1b]0;季报 jibao\x07" +
	"表一 安全生产标准化\x1b[7m 12.50 \x1b[0m「四项规范」（份）€ 𠀀 é\r\n" +
	"\x1b[38;5;196m已逾期 3 天\x1b[m\t\x08\x7f完"

func gb(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

func TestWriterUTF8IsIdentity(t *testing.T) {
	var buf bytes.Buffer
	if w := Writer(UTF8, &buf); w != &buf {
		t.Errorf("Writer(UTF8, w) = %T, want w itself", w)
	}
}

func TestWriterEveryOffset(t *testing.T) {
	want := gb(t, sample)
	src := []byte(sample)
	for i := 0; i <= len(src); i++ {
		var buf bytes.Buffer
		w := Writer(GB18030, &buf)
		for _, part := range [][]byte{src[:i], src[i:]} {
			n, err := w.Write(part)
			if err != nil || n != len(part) {
				t.Fatalf("split at %d: Write = %d, %v; want %d, nil", i, n, err, len(part))
			}
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("split at %d:\n got %q\nwant %q", i, buf.Bytes(), want)
		}
	}
}

func TestWriterByteByByte(t *testing.T) {
	var buf bytes.Buffer
	w := Writer(GB18030, &buf)
	for _, b := range []byte(sample) {
		if _, err := w.Write([]byte{b}); err != nil {
			t.Fatal(err)
		}
	}
	if want := gb(t, sample); !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("got %q\nwant %q", buf.Bytes(), want)
	}
}

func TestWriterPassesEscapeSequencesThrough(t *testing.T) {
	var buf bytes.Buffer
	w := Writer(GB18030, &buf)
	seq := "\x1b[1;1H\x1b[?25l\x1b[38;2;10;20;30m\x1b[K\x1bP+q544e\x1b\\\x1b[200~"
	w.Write([]byte(seq + "红" + seq))
	want := seq + "\xba\xec" + seq // 红 is BA EC in GBK and GB18030
	if got := buf.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestWriterInvalidUTF8BecomesReplacement(t *testing.T) {
	repl := string(gb(t, "\uFFFD"))
	tests := []struct{ in, want string }{
		{"a\xffb", "a" + repl + "b"},
		{"\xe4\xb8x", repl + repl + "x"},     // a sequence cut short by an ASCII byte
		{"\xed\xa0\x80", repl + repl + repl}, // a UTF-16 surrogate, not a character
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		w := Writer(GB18030, &buf)
		if n, err := w.Write([]byte(tt.in)); err != nil || n != len(tt.in) {
			t.Errorf("Write(%q) = %d, %v", tt.in, n, err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("Write(%q) wrote %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriterHoldsOnlyTheCutCharacter(t *testing.T) {
	var buf bytes.Buffer
	w := Writer(GB18030, &buf).(*encWriter)
	w.Write([]byte("ab\xe5\xae")) // 完 is e5 ae 8c
	if got := buf.String(); got != "ab" {
		t.Fatalf("after a cut write: %q, want the complete part %q", got, "ab")
	}
	w.Write([]byte("\x8c"))
	if got, want := buf.String(), "ab"+string(gb(t, "完")); got != want {
		t.Fatalf("after completing: %q, want %q", got, want)
	}
	w.Write([]byte("\xe5"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "ab"+string(gb(t, "完\uFFFD")); got != want {
		t.Errorf("after Flush: %q, want %q", got, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriterReportsUnderlyingErrors(t *testing.T) {
	w := Writer(GB18030, failWriter{})
	if _, err := w.Write([]byte("表")); err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Errorf("Write error = %v, want the underlying one", err)
	}
}

func TestWriterAndReaderKeepTheDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	type fdName interface {
		Fd() uintptr
		Name() string
		Read([]byte) (int, error)
		Write([]byte) (int, error)
		Close() error
	}
	ew, ok := Writer(GB18030, w).(fdName)
	if !ok || ew.Fd() != w.Fd() || ew.Name() != w.Name() {
		t.Fatalf("Writer over %s does not expose its descriptor", w.Name())
	}
	dr, ok := Reader(GB18030, r).(fdName)
	if !ok || dr.Fd() != r.Fd() || dr.Name() != r.Name() {
		t.Fatalf("Reader over %s does not expose its descriptor", r.Name())
	}
	if _, err := ew.Write([]byte("键")); err != nil {
		t.Fatal(err)
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, err := dr.Read(buf)
	if err != nil || string(buf[:n]) != "键" {
		t.Errorf("round trip through a pipe: %q, %v", buf[:n], err)
	}
	// Close on the wrappers must not close the files they were given.
	if err := dr.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("x")); err != nil {
		t.Errorf("the file was closed by the wrapper: %v", err)
	}
}

func TestTextWriterConvertsOnlyForTerminals(t *testing.T) {
	var buf bytes.Buffer
	if w := TextWriter(GB18030, &buf); w != io.Writer(&buf) {
		t.Errorf("TextWriter over a buffer = %T, want the buffer", w)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if got := TextWriter(GB18030, w); got != io.Writer(w) {
		t.Errorf("TextWriter over a pipe = %T, want the pipe", got)
	}
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	if got := TextWriter(GB18030, tty); got == io.Writer(tty) {
		t.Error("TextWriter over a terminal did not convert")
	}
	if got := TextWriter(UTF8, tty); got != io.Writer(tty) {
		t.Error("TextWriter(UTF8) over a terminal converted")
	}
}
