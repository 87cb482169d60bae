package termenc

import (
	"errors"
	"io"

	"github.com/charmbracelet/x/term"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// ttyFile is what Bubble Tea and cancelreader look for to find a terminal:
// raw mode, window size and cancellable reads all need the descriptor.
type ttyFile interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// Writer returns w itself for UTF-8, and otherwise a writer that turns the
// UTF-8 written to it into enc. Escape sequences are ASCII and come out as
// they went in. A write that ends inside a UTF-8 sequence keeps the partial
// bytes for the next write, so callers may split their output anywhere.
// Invalid UTF-8 comes out as the replacement character.
//
// If w is a terminal file (os.Stdout), the result is one too, with w's
// descriptor, so that Bubble Tea still finds the terminal's size.
func Writer(enc Encoding, w io.Writer) io.Writer {
	if enc == UTF8 {
		return w
	}
	ew := &encWriter{w: w, enc: simplifiedchinese.GB18030.NewEncoder()}
	if f, ok := w.(ttyFile); ok {
		return &fileWriter{encWriter: ew, f: f}
	}
	return ew
}

// encWriter encodes UTF-8 into GB18030 on its way to w.
type encWriter struct {
	w       io.Writer
	enc     transform.Transformer
	partial []byte // the start of a UTF-8 sequence the last write cut off
	src     []byte
	dst     []byte
}

// maxEncGrowth bounds the GB18030 bytes one UTF-8 byte can become: a lone
// invalid byte turns into U+FFFD, which is four bytes in GB18030.
const maxEncGrowth = 4

// Write encodes p; it reports all of p written once the complete characters
// in it have reached the underlying writer.
func (e *encWriter) Write(p []byte) (int, error) {
	if err := e.encode(p, false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes out a partial UTF-8 sequence left by the last write, as the
// replacement character: nothing is coming to complete it.
func (e *encWriter) Flush() error {
	return e.encode(nil, true)
}

func (e *encWriter) encode(p []byte, atEOF bool) error {
	e.src = append(append(e.src[:0], e.partial...), p...)
	if len(e.src) == 0 {
		return nil
	}
	if need := maxEncGrowth * len(e.src); cap(e.dst) < need {
		e.dst = make([]byte, need)
	}
	dst := e.dst[:cap(e.dst)]
	nDst, nSrc, err := e.enc.Transform(dst, e.src, atEOF)
	if err != nil && !errors.Is(err, transform.ErrShortSrc) {
		// GB18030 encodes every rune and dst is large enough: this is a bug.
		return err
	}
	e.partial = append(e.partial[:0], e.src[nSrc:]...)
	if nDst == 0 {
		return nil
	}
	_, err = e.w.Write(dst[:nDst])
	return err
}

// fileWriter is an encWriter over a terminal file; reads, the descriptor and
// the name are the file's own.
type fileWriter struct {
	*encWriter
	f ttyFile
}

// Read reads from the underlying file unchanged.
func (f *fileWriter) Read(p []byte) (int, error) { return f.f.Read(p) }

// Fd is the underlying file's descriptor.
func (f *fileWriter) Fd() uintptr { return f.f.Fd() }

// Name is the underlying file's name.
func (f *fileWriter) Name() string { return fileName(f.f) }

// Close flushes a partial character. It leaves the file open: the wrapper
// does not own it (closing os.Stdout would be a surprise).
func (f *fileWriter) Close() error { return f.Flush() }

func fileName(f any) string {
	if n, ok := f.(interface{ Name() string }); ok {
		return n.Name()
	}
	return "termenc"
}

// TextWriter is Writer for the output of shell commands: it converts only
// when w is a terminal. Redirected into a file or a pipe, jibao's output
// stays UTF-8 (JSON must be, and the next program expects it).
func TextWriter(enc Encoding, w io.Writer) io.Writer {
	if f, ok := w.(interface{ Fd() uintptr }); ok && term.IsTerminal(f.Fd()) {
		return Writer(enc, w)
	}
	return w
}
