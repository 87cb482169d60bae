package termenc

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"
)

// FuzzRoundTrip: any valid UTF-8, written in two pieces split anywhere, comes
// back from the reader unchanged, whatever the reads deliver.
func FuzzRoundTrip(f *testing.F) {
	f.Add(sample, 7, 3)
	f.Add("表一\x1b[1~𠀀é", 1, 1)
	f.Fuzz(func(t *testing.T, s string, split, chunk int) {
		if !utf8.ValidString(s) {
			return
		}
		src := []byte(s)
		split = clamp(split, len(src))
		var wire bytes.Buffer
		w := Writer(GB18030, &wire)
		w.Write(src[:split])
		w.Write(src[split:])
		c := &chunkReader{t: t, chunks: chunks(wire.Bytes(), clamp(chunk, 16)+1)}
		if got := readAll(t, Reader(GB18030, c), c, 256); got != s {
			t.Fatalf("round trip of %q = %q", s, got)
		}
	})
}

// FuzzReader: any bytes at all decode to valid UTF-8, without a panic.
func FuzzReader(f *testing.F) {
	f.Add([]byte("\x81\x30\x81\x30\xff\x80\x1b[A"), 2)
	f.Fuzz(func(t *testing.T, raw []byte, chunk int) {
		c := &chunkReader{t: t, chunks: chunks(raw, clamp(chunk, 16)+1)}
		if got := readAll(t, Reader(GB18030, c), c, 256); !utf8.ValidString(got) {
			t.Fatalf("decoded %q to invalid UTF-8 %q", raw, got)
		}
		got, err := io.ReadAll(Input(GB18030, bytes.NewReader(raw)))
		if err != nil || !utf8.Valid(got) {
			t.Fatalf("Input decoded %q to %q, %v", raw, got, err)
		}
	})
}

func clamp(n, max int) int {
	if n < 0 {
		n = -n
	}
	if max <= 0 {
		return 0
	}
	return n % (max + 1)
}

// chunks cuts b into pieces of n bytes (the last may be shorter).
func chunks(b []byte, n int) [][]byte {
	var out [][]byte
	for len(b) > n {
		out = append(out, b[:n:n])
		b = b[n:]
	}
	return append(out, b)
}
