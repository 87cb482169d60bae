package termenc

import (
	"bytes"
	"errors"
	"io"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Reader returns r itself for UTF-8, and otherwise a reader that decodes the
// key input r delivers in enc into UTF-8. Escape sequences and control bytes
// are ASCII and come out as they went in; a character split across reads is
// put together; bytes that are not GB18030 come out as U+FFFD.
//
// A Read never waits for more than one read of r: if all r delivered is the
// first half of a character, Read returns 0, nil and completes it next time.
// It asks r for no more than it can decode into the caller's buffer (a third
// of it), so that nothing decoded is held back: Bubble Tea waits on the
// descriptor before it reads (epoll), and anything held here would wait with
// it. The one thing held is the start of a key's escape sequence at the end
// of a read that filled the request: its rest is already waiting in r, and
// Bubble Tea would take a short read for a whole sequence.
//
// If r is a terminal file (os.Stdin), the result is one too, with r's
// descriptor, so that Bubble Tea still puts the terminal into raw mode and
// can cancel its reads.
func Reader(enc Encoding, r io.Reader) io.Reader {
	if enc == UTF8 {
		return r
	}
	return asFile(newDecReader(r), r)
}

func newDecReader(r io.Reader) *decReader {
	return &decReader{r: r, dec: simplifiedchinese.GB18030.NewDecoder()}
}

// asFile gives r the terminal file under it, if there is one.
func asFile(r io.Reader, under io.Reader) io.Reader {
	if f, ok := under.(ttyFile); ok {
		return &fileReader{Reader: r, f: f}
	}
	return r
}

// maxDecGrowth bounds the UTF-8 bytes one GB18030 byte can become: a lone
// invalid byte turns into U+FFFD, three bytes in UTF-8.
const maxDecGrowth = 3

// decReader decodes GB18030 from r into UTF-8.
type decReader struct {
	r       io.Reader
	dec     transform.Transformer
	partial []byte // the start of a character the last read cut off
	out     []byte // decoded bytes a tiny caller buffer could not take
	buf     []byte
	dst     []byte
	err     error // r's error, returned once everything before it is out
}

// Read implements io.Reader as described at Reader.
func (d *decReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(d.out) > 0 {
		n := copy(p, d.out)
		d.out = d.out[n:]
		return n, nil
	}
	if d.err != nil {
		return 0, d.err
	}
	// Ask r for no more than can be decoded into p, so nothing is left over.
	want := len(p)/maxDecGrowth - len(d.partial)
	if want < 1 {
		want = 1
	}
	if cap(d.buf) < len(d.partial)+want {
		d.buf = make([]byte, len(d.partial)+want)
	}
	src := append(d.buf[:0], d.partial...)
	n, err := d.r.Read(src[len(src) : len(src)+want])
	src = src[:len(src)+n]
	if err != nil {
		d.err = err
	}
	// A read that filled the request may have cut a key's escape sequence; the
	// rest is waiting in r. Bubble Tea takes a short read for a whole one, so
	// keep the cut sequence back, like half a character.
	limit := len(src)
	if n == want && d.err == nil {
		if cut := unfinishedEscape(src); cut > 0 {
			limit = cut
		}
	}
	if need := maxDecGrowth*len(src) + 4; cap(d.dst) < need {
		d.dst = make([]byte, need)
	}
	dst := d.dst[:cap(d.dst)]
	nDst, nSrc, terr := d.dec.Transform(dst, src[:limit], d.err != nil)
	if terr != nil && !errors.Is(terr, transform.ErrShortSrc) {
		// The decoder only fails for lack of room, and dst has enough.
		return 0, terr
	}
	d.partial = append(d.partial[:0], src[nSrc:]...)
	k := copy(p, dst[:nDst])
	d.out = append(d.out[:0], dst[k:nDst]...)
	if k == 0 && len(d.out) == 0 {
		return 0, d.err
	}
	return k, nil
}

// unfinishedEscape is where the escape sequence b ends in the middle of
// starts, or -1: a lone ESC, a CSI without its final byte (ESC [ 1 ; 5),
// ESC [ [ or ESC O without the key's letter.
func unfinishedEscape(b []byte) int {
	from := max(0, len(b)-32) // no key sends a longer sequence
	i := bytes.LastIndexByte(b[from:], 0x1b)
	if i < 0 {
		return -1
	}
	i += from
	s := b[i+1:]
	switch {
	case len(s) == 0:
		return i
	case s[0] == 'O':
		if len(s) < 2 {
			return i
		}
	case s[0] == '[':
		if len(s) >= 2 && s[1] == '[' { // the Linux console's ESC [ [ A
			if len(s) < 3 {
				return i
			}
			return -1
		}
		for _, c := range s[1:] {
			if c >= 0x40 && c <= 0x7e {
				return -1
			}
		}
		return i
	}
	return -1
}

// fileReader reads through a decoding or key-fixing reader from a terminal
// file; writes, the descriptor and the name are the file's own.
type fileReader struct {
	io.Reader
	f ttyFile
}

// Write writes to the underlying file unchanged.
func (f *fileReader) Write(p []byte) (int, error) { return f.f.Write(p) }

// Fd is the underlying file's descriptor.
func (f *fileReader) Fd() uintptr { return f.f.Fd() }

// Name is the underlying file's name.
func (f *fileReader) Name() string { return fileName(f.f) }

// Close leaves the file open: the wrapper does not own it.
func (f *fileReader) Close() error { return nil }
