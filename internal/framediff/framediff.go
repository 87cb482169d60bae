// Package framediff sits between Bubble Tea v1's standard renderer and the
// terminal and sends, of every line the renderer repaints whole, only the cells
// that changed. Bubble Tea v1 compares frames line by line: a cursor move on a
// 120-column grid row rewrites the row's 120 cells to change a dozen. The writer
// keeps the screen as the renderer last wrote it, line by line, as cells with
// their SGR look; for a line written again it moves the cursor forward over the
// cells that stay and writes the changed ones with the right look.
//
// It is exact or it stays out of the way: a write that is not a frame of the
// alternate screen, a line with a character whose width it is not sure of, an
// escape sequence it does not model, a look it did not see set, a width that
// changed, a full repaint (after a resize or a release of the terminal) all go
// out as Bubble Tea wrote them, and whatever they may have changed is forgotten.
// The tests replay frames through a small terminal with and without the writer
// and compare the screens.
package framediff

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Writer is the filter; make one per terminal with New.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	rows []*row // the screen as last written; nil: not known
	pen  pen    // the renderer's pen after everything written so far
	// penKnown says pen is sure. The terminal's look at the start is taken as
	// the default, and made so by the first frame (ESC [ m): a look left over
	// from before would have coloured Bubble Tea's own lines all the same.
	penKnown bool
	started  bool // a frame was written, or the pen was lost since
	out      bytes.Buffer
}

// row is one known line of the screen: its cells, and whether the rest of the
// line was erased after them (else the line filled the terminal's width).
type row struct {
	cells  []cell
	erased bool
}

// New returns a Writer that writes to w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// frame markers, as Bubble Tea v1.3 writes them in the alternate screen.
const (
	home      = "\x1b[H"
	eraseLine = "\x1b[K"
	eraseDown = "\x1b[J"
)

// Write passes p on, or its leaner equivalent when p is a frame.
func (f *Writer) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out.Reset()
	if !f.frame(string(p)) {
		f.other(p)
		if _, err := f.w.Write(p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if _, err := f.w.Write(f.out.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush flushes the writer underneath when it buffers (a GB18030 terminal's
// transcoder): a Writer passes every write on at once.
func (f *Writer) Flush() error {
	if fl, ok := f.w.(interface{ Flush() error }); ok {
		return fl.Flush()
	}
	return nil
}

// other notes what a write that is not a frame may have done: the modes the
// renderer switches (cursor, paste, mouse, focus) and window titles leave the
// screen and the pen alone; an SGR sets the pen; switching to the alternate
// screen, erasing and moving the cursor change the screen, not the pen;
// anything else may change both.
func (f *Writer) other(p []byte) {
	s := string(p)
	for s != "" {
		switch {
		case s[0] == '\r':
			s = s[1:]
		case strings.HasPrefix(s, "\x1b[?"):
			j := 3
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			switch {
			case j < len(s) && (s[j] == 'h' || s[j] == 'l') && harmlessModes(s[3:j]):
			case j < len(s) && s[j] == 'h' && (s[3:j] == "1049" || s[3:j] == "1047" || s[3:j] == "47"):
				f.rows = nil // a new, blank screen; the pen stays (1049 saves it)
			default:
				f.forget()
				return
			}
			s = s[j+1:]
		case strings.HasPrefix(s, "\x1b["):
			j := 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			switch {
			case j >= len(s):
				f.forget()
				return
			case s[j] == 'm':
				reset, ok := f.pen.apply(s[2:j])
				if !ok {
					f.forget()
					return
				}
				f.penKnown = f.penKnown || reset
				f.started = true // a look set: no longer the terminal's own
			case s[j] == 'H' || s[j] == 'J' || s[j] == 'K':
				f.rows = nil
			default:
				f.forget()
				return
			}
			s = s[j+1:]
		case strings.HasPrefix(s, "\x1b]"):
			j := strings.IndexAny(s, "\x07\x1b")
			switch {
			case j < 0:
				f.forget()
				return
			case s[j] == 0x07:
				s = s[j+1:]
			case strings.HasPrefix(s[j:], "\x1b\\"):
				s = s[j+2:]
			default:
				f.forget()
				return
			}
		default:
			f.forget()
			return
		}
	}
}

// harmlessModes says the private modes change neither the screen nor the pen:
// cursor keys and visibility, mouse reports, focus reports, bracketed paste.
func harmlessModes(ps string) bool {
	for _, m := range strings.Split(ps, ";") {
		switch m {
		case "1", "25", "1000", "1002", "1003", "1004", "1006", "2004":
		default:
			return false
		}
	}
	return true
}

// forget drops everything known about the screen and the pen.
func (f *Writer) forget() {
	f.rows = nil
	f.penKnown = false
	f.started = true
}

// line is one line of a frame: skipped (the renderer kept it), or text.
type line struct {
	skipped bool
	text    string
	erase   bool // followed by erase-line
	next    bool // followed by CR LF (a text line) or LF (a skipped one)
}

// frame writes the lean form of s to f.out if s is a whole frame of Bubble Tea
// v1.3's renderer in the alternate screen: home; then per line a newline (kept)
// or its text, erase-line when shorter than the terminal, and CR LF before the
// next; erase-down when the frame got shorter; the cursor to the last line's
// start. It reports false, writing nothing, for anything else.
func (f *Writer) frame(s string) bool {
	if !strings.HasPrefix(s, home) {
		return false
	}
	body, cup, ok := cutCursorPosition(s[len(home):])
	if !ok {
		return false
	}
	repaint := strings.HasPrefix(body, "\r")
	if repaint {
		body = body[1:]
	}
	body, down := strings.CutSuffix(body, eraseDown)
	var lines []line
	for body != "" {
		if body[0] == '\n' {
			lines = append(lines, line{skipped: true, next: true})
			body = body[1:]
			continue
		}
		text, rest, found := strings.Cut(body, "\r\n")
		text, erase := strings.CutSuffix(text, eraseLine)
		lines = append(lines, line{text: text, erase: erase, next: found})
		body = rest
	}
	if repaint {
		// After a resize or the terminal's release the screen may be anything.
		f.rows = nil
	}
	if !f.started && !f.penKnown {
		f.out.WriteString("\x1b[m")
		f.pen, f.penKnown = pen{}, true
	}
	f.started = true
	f.out.WriteString(home)
	if repaint {
		f.out.WriteByte('\r')
	}
	for i, l := range lines {
		switch {
		case l.skipped:
			f.out.WriteByte('\n')
		case l.next:
			f.line(i, l, false)
			f.out.WriteString("\r\n")
		default:
			// Erase-down starts where the line ends: send it whole.
			f.line(i, l, down)
		}
	}
	if down {
		f.out.WriteString(eraseDown)
		// The cursor's row and those below are erased, all or in part.
		cur := len(lines)
		if cur > 0 && !lines[cur-1].next {
			cur--
		}
		f.rows = f.rows[:min(cur, len(f.rows))]
	}
	f.out.WriteString(cup)
	return true
}

// cutCursorPosition cuts the renderer's closing cursor position (ESC [ n ; H,
// or ESC [ H for one line) off the end of s.
func cutCursorPosition(s string) (body, cup string, ok bool) {
	if !strings.HasSuffix(s, "H") {
		return "", "", false
	}
	i := strings.LastIndex(s, "\x1b[")
	if i < 0 {
		return "", "", false
	}
	p := s[i+2 : len(s)-1]
	if strings.Trim(p, "0123456789;") != "" {
		return "", "", false
	}
	if p != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(p, ";"))
		if !strings.HasSuffix(p, ";") || err != nil || n < 2 {
			return "", "", false
		}
	}
	return s[:i], s[i:], true
}

// line writes line i of a frame: the changed cells when the old line is known
// and the new one understood, else as the renderer wrote it.
func (f *Writer) line(i int, l line, whole bool) {
	cells, end, endKnown, ok := parseLine(l.text, f.pen, f.penKnown)
	// Erase-line paints with the pen's background: only the default is modelled.
	ok = ok && endKnown && (!l.erase || end.bg == 0)
	var old *row
	if i < len(f.rows) {
		old = f.rows[i]
	}
	sent := false
	if ok && f.penKnown && old != nil && !whole {
		sent = f.changed(old, &row{cells: cells, erased: l.erase}, end)
	}
	if !sent {
		f.out.WriteString(l.text)
		if l.erase {
			f.out.WriteString(eraseLine)
		}
	}
	for len(f.rows) <= i {
		f.rows = append(f.rows, nil)
	}
	f.rows[i] = nil
	if ok {
		f.rows[i] = &row{cells: cells, erased: l.erase}
	}
	f.pen, f.penKnown = end, endKnown
}

// span is a run of columns [from, to) where two lines differ.
type span struct{ from, to int }

// changed writes what turns the old row into the new one, ending with the pen
// at end, and reports true; false (nothing written) when the two do not line
// up (a line that filled the terminal and one of another width).
func (f *Writer) changed(old, nw *row, end pen) bool {
	oc, nc := old.cells, nw.cells
	ow, nww := width(oc), width(nc)
	switch {
	case ow < nww && !old.erased, nww < ow && !nw.erased:
		return false
	}
	pad := func(cs []cell, w, to int) []cell {
		for ; w < to; w++ {
			cs = append(cs, blank)
		}
		return cs
	}
	total := max(ow, nww)
	oc, nc = pad(append([]cell(nil), oc...), ow, total), pad(append([]cell(nil), nc...), nww, total)
	// Walk both by column; a span of difference ends where both lines have a
	// cell boundary again, so a wide character is never half written.
	var spans []span
	at := make([]int, total+1) // column -> index of the new cell starting there
	i, j, ci, cj := 0, 0, 0, 0
	for i < len(nc) || j < len(oc) {
		if i < len(nc) && j < len(oc) && ci == cj && nc[i] == oc[j] {
			at[ci] = i
			ci, cj = ci+int(nc[i].w), cj+int(oc[j].w)
			i, j = i+1, j+1
			continue
		}
		from := ci
		for {
			if ci <= cj && i < len(nc) {
				at[ci] = i
				ci += int(nc[i].w)
				i++
			} else if j < len(oc) {
				cj += int(oc[j].w)
				j++
			} else {
				return false
			}
			if ci == cj {
				break
			}
		}
		spans = append(spans, span{from, ci})
	}
	at[ci] = len(nc)
	// Write the spans; a gap of unchanged cells is written again when that is
	// shorter than moving over it.
	x, p := 0, f.pen
	var b strings.Builder
	write := func(b *strings.Builder, from, to int, p pen) pen {
		for k := at[from]; k < at[to]; k++ {
			if k >= len(nw.cells) { // erased cells: erase-line ends the span
				b.WriteString(p.to(end))
				b.WriteString(eraseLine)
				return end
			}
			b.WriteString(p.to(nc[k].pen))
			p = nc[k].pen
			b.WriteRune(nc[k].r)
		}
		return p
	}
	for _, s := range spans {
		if s.from > x {
			move := "\x1b[" + strconv.Itoa(s.from-x) + "C"
			if s.from-x == 1 {
				move = "\x1b[C"
			}
			var again strings.Builder
			q := write(&again, x, s.from, p)
			if again.Len()+len(q.to(p)) < len(move) {
				b.WriteString(again.String())
				p = q
			} else {
				b.WriteString(move)
			}
		}
		p = write(&b, s.from, s.to, p)
		x = s.to
		if at[s.to] > len(nw.cells) || (s.to == total && nww < total) {
			break // erased to the end
		}
	}
	b.WriteString(p.to(end))
	f.out.WriteString(b.String())
	return true
}

// terminalFile is what Bubble Tea looks for in its output to find the
// terminal (raw mode, window size).
type terminalFile interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// Wrap is New for Bubble Tea's output: when w is a terminal file, the result
// is one too, with w's reads and descriptor.
func Wrap(w io.Writer) io.Writer {
	fw := New(w)
	if f, ok := w.(terminalFile); ok {
		return &fileWriter{Writer: fw, f: f}
	}
	return fw
}

// fileWriter is a Writer over a terminal file.
type fileWriter struct {
	*Writer
	f terminalFile
}

// Read reads the terminal.
func (f *fileWriter) Read(p []byte) (int, error) { return f.f.Read(p) }

// Fd is the terminal's descriptor.
func (f *fileWriter) Fd() uintptr { return f.f.Fd() }

// Close leaves the terminal open: the writer does not own it.
func (f *fileWriter) Close() error { return nil }
