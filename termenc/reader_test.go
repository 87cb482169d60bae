package termenc

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// chunkReader hands out its chunks one per Read, and fails the test if it is
// read again within one Read of the decoder: that would be a second wait on
// a terminal that may have nothing more to say.
type chunkReader struct {
	t      *testing.T
	chunks [][]byte
	reads  int // reads of this reader during the current outer Read
}

func (c *chunkReader) Read(p []byte) (int, error) {
	c.reads++
	if c.reads > 1 {
		c.t.Fatalf("the decoder read its source twice in one Read")
	}
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	if len(c.chunks[0]) == 0 {
		c.chunks = c.chunks[1:]
	}
	return n, nil
}

// readAll reads r to EOF with a buffer of size n, checking that every read
// ends on a character boundary (Bubble Tea parses each read on its own).
func readAll(t *testing.T, r io.Reader, src *chunkReader, n int) string {
	t.Helper()
	var out []byte
	buf := make([]byte, n)
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("no EOF after 10000 reads")
		}
		src.reads = 0
		k, err := r.Read(buf)
		if n >= utf8.UTFMax && !utf8.Valid(buf[:k]) {
			t.Fatalf("read %d returned a cut character: %q", i, buf[:k])
		}
		out = append(out, buf[:k]...)
		if err == io.EOF {
			return string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestReaderUTF8IsIdentity(t *testing.T) {
	r := strings.NewReader("x")
	if got := Reader(UTF8, r); got != r {
		t.Errorf("Reader(UTF8, r) = %T, want r itself", got)
	}
}

func TestReaderEveryOffset(t *testing.T) {
	raw := gb(t, sample)
	for i := 0; i <= len(raw); i++ {
		src := &chunkReader{t: t, chunks: [][]byte{raw[:i:i], raw[i:]}}
		if got := readAll(t, Reader(GB18030, src), src, 256); got != sample {
			t.Fatalf("split at %d:\n got %q\nwant %q", i, got, sample)
		}
	}
}

func TestReaderOneByteAtATime(t *testing.T) {
	raw := gb(t, sample)
	var chunks [][]byte
	for i := range raw {
		chunks = append(chunks, raw[i:i+1])
	}
	src := &chunkReader{t: t, chunks: chunks}
	if got := readAll(t, Reader(GB18030, src), src, 256); got != sample {
		t.Errorf("got %q\nwant %q", got, sample)
	}
}

func TestReaderSmallCallerBuffers(t *testing.T) {
	raw := gb(t, sample)
	for n := 1; n <= 12; n++ {
		src := &chunkReader{t: t, chunks: [][]byte{bytes.Clone(raw)}}
		if got := readAll(t, Reader(GB18030, src), src, n); got != sample {
			t.Errorf("buffer %d:\n got %q\nwant %q", n, got, sample)
		}
	}
}

func TestReaderKeepsEscapeSequencesAndControls(t *testing.T) {
	keys := "\x1b[A\x1b[1~\x1b[4~\x1bOH\x1b[[A\x1b[200~粘贴\x1b[201~\x7f\x08\x03\r\t\x1b"
	src := &chunkReader{t: t, chunks: [][]byte{gb(t, keys)}}
	if got := readAll(t, Reader(GB18030, src), src, 256); got != keys {
		t.Errorf("got %q\nwant %q", got, keys)
	}
}

func TestReaderInvalidBytes(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"0xFF", []byte("a\xffb"), "a\uFFFDb"},
		{"lead byte before ESC", []byte("\x81\x1b[A"), "\uFFFD\x1b[A"},
		{"lead byte before a control", []byte("\xb1\x7f"), "\uFFFD\x7f"},
		{"four-byte form cut short by ASCII", []byte("\x81\x30x"), "\uFFFD0x"},
		{"lead byte at the very end", []byte("ok\xb1"), "ok\uFFFD"},
		{"half a four-byte form at the end", []byte("ok\x95\x32"), "ok\uFFFD2"},
	}
	for _, tt := range tests {
		src := &chunkReader{t: t, chunks: [][]byte{tt.in}}
		if got := readAll(t, Reader(GB18030, src), src, 256); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestReaderReturnsAtOnceWithHalfACharacter(t *testing.T) {
	src := &chunkReader{t: t, chunks: [][]byte{{0xb1}, {0xed}}} // 表 = B1 ED
	r := Reader(GB18030, src)
	buf := make([]byte, 256)
	n, err := r.Read(buf) // chunkReader fails the test on a second source read
	if n != 0 || err != nil {
		t.Fatalf("first Read = %d, %v; want 0, nil while the character is incomplete", n, err)
	}
	src.reads = 0
	n, err = r.Read(buf)
	if err != nil || string(buf[:n]) != "表" {
		t.Fatalf("second Read = %q, %v; want 表", buf[:n], err)
	}
}

func TestReaderHoldsNothingBackWithBubbleTeasBuffer(t *testing.T) {
	// Worst case for growth: bytes that each become a three-byte U+FFFD.
	raw := bytes.Repeat([]byte{0xff}, 1000)
	raw = append(raw, gb(t, strings.Repeat("表", 500))...)
	src := &chunkReader{t: t, chunks: [][]byte{raw}}
	r := Reader(GB18030, src).(*decReader)
	buf := make([]byte, 256) // what Bubble Tea v1 reads with
	for {
		src.reads = 0
		_, err := r.Read(buf)
		if len(r.out) > 0 {
			t.Fatalf("%d decoded bytes held back: Bubble Tea would wait on the terminal for them", len(r.out))
		}
		if err == io.EOF {
			break
		}
	}
}

func TestReaderReportsErrorsAfterTheData(t *testing.T) {
	boom := errors.New("connection reset")
	r := Reader(GB18030, io.MultiReader(bytes.NewReader(gb(t, "表一")), errReader{boom}))
	got, err := io.ReadAll(r)
	if string(got) != "表一" || !errors.Is(err, boom) {
		t.Errorf("ReadAll = %q, %v; want 表一, %v", got, err, boom)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestRoundTrip(t *testing.T) {
	var wire bytes.Buffer
	w := Writer(GB18030, &wire)
	io.WriteString(w, sample)
	got, err := io.ReadAll(Reader(GB18030, &wire))
	if err != nil || string(got) != sample {
		t.Errorf("round trip = %q, %v", got, err)
	}
}

func TestUnfinishedEscape(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"abc", -1},
		{"ab\x1b", 2},
		{"ab\x1b[", 2},
		{"ab\x1b[1;5", 2},
		{"ab\x1b[1;5H", -1},
		{"ab\x1bO", 2},
		{"ab\x1bOH", -1},
		{"ab\x1b[[", 2},
		{"ab\x1b[[A", -1},
		{"ab\x1bx", -1}, // alt+x is whole
		{"\x1b[A\x1b[B", -1},
	}
	for _, tt := range tests {
		if got := unfinishedEscape([]byte(tt.in)); got != tt.want {
			t.Errorf("unfinishedEscape(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestReaderDoesNotCutKeysInABurst(t *testing.T) {
	// Key repeat over a slow link: many arrows pending at once, more than one
	// Read takes. Every Read must end on a whole key, as Bubble Tea assumes of
	// a read that does not fill its buffer.
	burst := strings.Repeat("\x1b[A\x1b[1;5C\x1bOH\x1b[[B", 40) + "\x1b"
	src := &chunkReader{t: t, chunks: [][]byte{[]byte(burst)}}
	r := Reader(GB18030, src)
	buf := make([]byte, 256)
	var got strings.Builder
	for {
		src.reads = 0
		n, err := r.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if i := unfinishedEscape(buf[:n]); i >= 0 && len(src.chunks) > 0 {
			t.Fatalf("a read ended inside a key's sequence: %q", buf[i:n])
		}
	}
	if got.String() != burst {
		t.Errorf("got %q\nwant %q", got.String(), burst)
	}
}
