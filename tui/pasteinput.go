package tui

import (
	"bytes"
	"io"
	"sync"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
)

// Every paste leaves the key stream here, before Bubble Tea parses it, and comes
// to the model as one pasteMsg: a bracketed paste (ESC [200~ … ESC [201~), and
// also a block a terminal types out as keys because it does not bracket pastes
// (PuTTY or Xshell with the option off, tmux paste-buffer without -p, a clipboard
// "type" tool). Bubble Tea would deliver that as digits, Tab and Enter, and the
// grid would walk them like typing: a three-row block ran along its first row.
//
// A burst is told from typing by what arrives in one read of the terminal: a
// read of printable text, Tab, CR and LF holding at least two values, one with a
// digit in it ("220\t450\r"). A clerk's keys come one read each, or, bunched on a
// slow link, a few; "5\r" is still one value and stays keys. Reads that follow a
// burst within burstGap (one paste the terminal wrote in pieces) belong to it.
//
// Both kinds are bounded: past maxPasteBytes the text is no longer kept, only
// counted, so a 3 MB paste costs a few hundred bytes here and one refusal.

// maxPasteBytes is the largest paste kept. The largest block a form holds, 表一
// with both unit types' six rows of 33 columns and labels, is under 4 KB even
// at 12 characters a cell; 64 KB is far above any form and costs nothing.
const maxPasteBytes = 64 << 10

// burstGap is how long after a read a burst waits for the next piece; a read that
// filled the buffer says more is already on its way, so it waits longer.
const (
	burstGap     = 100 * time.Millisecond
	burstGapFull = time.Second
)

var (
	pasteStart = []byte("\x1b[200~")
	pasteEnd   = []byte("\x1b[201~")
)

// pasteMsg is a paste taken out of the key stream. typed says it came as keys
// (a burst) rather than bracketed; size is its length in bytes, also when it was
// too large to keep (then text is empty).
type pasteMsg struct {
	text   string
	before string // keys that came just before it in one read, typed first
	typed  bool
	size   int
	tooBig bool
}

// pasteInput wraps a session's input; send delivers a paste to the program, in
// order with the keys around it (see Read). It holds back nothing Bubble Tea
// should see, since locally Bubble Tea waits on the descriptor (epoll) before it
// reads and held bytes would wait with it: what it keeps is a paste's, or a
// marker cut off (its rest is on its way). The one exception is rare: a key
// sequence (an arrow) in one read with the start of a paste goes first, and the
// paste then waits for the next read.
type pasteInput struct {
	r    io.Reader
	send func(tea.Msg)

	held     []byte // the start of a paste marker cut off at the end of a read
	whole    bool   // held is a whole read's rest, to filter before reading more
	before   []byte // keys that came just before the paste, in one read with it
	inPaste  bool   // inside a bracketed paste
	endTail  []byte // the last bytes of the paste, to find an end marker cut in two
	look     []byte // endTail and the next read, reused
	mu       sync.Mutex
	acc      []byte // the paste so far (at most maxPasteBytes)
	size     int    // its length, also past the limit
	bursting bool   // acc is a burst; timer delivers it when no more comes
	timer    *time.Timer
	due      time.Time // when the burst is delivered if no more comes
}

// ttyFile is a terminal's file: Bubble Tea sets raw mode and cancels reads
// through its descriptor.
type ttyFile interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// pasteFile keeps the terminal file under a pasteInput visible to Bubble Tea.
type pasteFile struct {
	*pasteInput
	f ttyFile
}

func (p *pasteFile) Write(b []byte) (int, error) { return p.f.Write(b) }
func (p *pasteFile) Fd() uintptr                 { return p.f.Fd() }
func (p *pasteFile) Close() error                { return nil } // not ours to close

// newPasteInput wraps r; call setSend before the program runs.
func newPasteInput(r io.Reader) (io.Reader, *pasteInput) {
	in := &pasteInput{r: r}
	if f, ok := r.(ttyFile); ok {
		return &pasteFile{pasteInput: in, f: f}, in
	}
	return in, in
}

// setSend names where pastes go (the program's Send).
func (in *pasteInput) setSend(send func(tea.Msg)) { in.send = send }

// Read reads keys for Bubble Tea, taking pastes out. It returns 0, nil when all it
// read was paste, so that Bubble Tea asks again (through its cancelable wait),
// never blocking twice in one call.
func (in *pasteInput) Read(p []byte) (int, error) {
	if in.whole { // keys came before a paste in one read; this is the rest of it
		data := append(p[:0], in.held...)
		in.held, in.whole = in.held[:0], false
		return in.filter(p, data, false), nil
	}
	if len(p) <= len(in.held) { // never with Bubble Tea's 256 bytes; keep the order anyway
		n := copy(p, in.held)
		in.held = append(in.held[:0], in.held[n:]...)
		return n, nil
	}
	h := copy(p, in.held)
	in.held = in.held[:0]
	n, err := in.r.Read(p[h:])
	full := n == len(p)-h
	data := p[:h+n]
	w := in.filter(p, data, full)
	if err != nil {
		in.flushBurst()
	}
	return w, err
}

// filter moves the bytes of data that are keys to the front of p and returns how
// many; it takes the rest as paste.
func (in *pasteInput) filter(p, data []byte, full bool) int {
	w := 0
	for len(data) > 0 {
		if in.inPaste {
			data = in.bracketed(data)
			continue
		}
		i := bytes.Index(data, pasteStart)
		if i < 0 {
			keys := data
			// A cut marker's rest is on its way; "ESC [" alone may be Alt+[.
			if cut := markerCut(data); cut >= 0 && (full || len(data)-cut > 2) {
				keys, in.held = data[:cut], append(in.held[:0], data[cut:]...)
			}
			return w + in.keys(p[w:], keys, full)
		}
		if n := in.keys(p[w:], data[:i], false); n > 0 {
			// Keys typed just before the paste must reach the program first.
			// Plain ones go with the paste, to be typed before it; others go
			// now, and the paste with the next read.
			if w > 0 || !plainText(data[:i]) {
				in.held, in.whole = append(in.held[:0], data[i:]...), true
				return w + n
			}
			in.before = append(in.before[:0], data[:i]...)
		}
		in.flushBurst()
		in.inPaste, in.endTail = true, in.endTail[:0]
		in.acc, in.size = in.acc[:0], 0
		data = data[i+len(pasteStart):]
	}
	return w
}

// bracketed takes paste bytes up to the end marker and returns what follows it.
// The last few bytes of a read are held back (not yet added) in case they start
// the end marker; the next read puts them in front again.
func (in *pasteInput) bracketed(data []byte) []byte {
	look := data
	if len(in.endTail) > 0 {
		in.look = append(append(in.look[:0], in.endTail...), data...)
		look = in.look
	}
	if i := bytes.Index(look, pasteEnd); i >= 0 {
		in.add(look[:i]...)
		in.inPaste, in.endTail = false, in.endTail[:0]
		in.mu.Lock()
		in.deliver(false)
		in.mu.Unlock()
		return look[i+len(pasteEnd):]
	}
	keep := min(len(look), len(pasteEnd)-1)
	in.add(look[:len(look)-keep]...)
	in.endTail = append(in.endTail[:0], look[len(look)-keep:]...)
	return nil
}

// add appends paste bytes, keeping no more than maxPasteBytes.
func (in *pasteInput) add(b ...byte) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.addLocked(b)
}

func (in *pasteInput) addLocked(b []byte) {
	in.size += len(b)
	if room := maxPasteBytes - len(in.acc); room > 0 {
		in.acc = append(in.acc, b[:min(room, len(b))]...)
	}
}

// keys copies key bytes into p, unless they are (or continue) a burst.
func (in *pasteInput) keys(p, b []byte, full bool) int {
	if len(b) == 0 {
		return 0
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.bursting {
		if plainText(b) { // the next piece of the same paste
			in.addLocked(b)
			in.arm(full)
			return 0
		}
		in.deliver(true) // a key after the burst: the burst goes first
	}
	if isBurst(b) {
		in.bursting, in.acc, in.size = true, in.acc[:0], 0
		in.addLocked(b)
		in.arm(full)
		return 0
	}
	return copy(p, b)
}

// arm (re)starts the wait for the burst's next piece; a timer started once per
// burst delivers it when the wait is over.
func (in *pasteInput) arm(full bool) {
	gap := burstGap
	if full {
		gap = burstGapFull
	}
	in.due = time.Now().Add(gap)
	if in.timer == nil {
		in.timer = time.AfterFunc(gap, in.expire)
	} else {
		in.timer.Reset(gap)
	}
}

// expire delivers the burst once no piece came for its wait.
func (in *pasteInput) expire() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.bursting {
		return
	}
	if d := time.Until(in.due); d > 0 {
		in.timer.Reset(d)
		return
	}
	in.deliver(true)
}

// flushBurst delivers the open burst because something else comes next.
func (in *pasteInput) flushBurst() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.bursting {
		in.deliver(true)
	}
}

// deliver sends the paste gathered so far; in.mu is held, so the reader cannot
// hand Bubble Tea the keys after it before the paste is in.
func (in *pasteInput) deliver(typed bool) {
	msg := pasteMsg{typed: typed, size: in.size, tooBig: in.size > maxPasteBytes}
	if !typed {
		msg.before, in.before = string(in.before), in.before[:0]
	}
	if !msg.tooBig {
		msg.text = string(bytes.ToValidUTF8(in.acc, []byte("\uFFFD")))
	}
	in.acc, in.size, in.bursting = in.acc[:0], 0, false
	if cap(in.acc) > 4*maxPasteBytes {
		in.acc = nil
	}
	if in.timer != nil {
		in.timer.Stop()
	}
	if in.send != nil {
		in.send(msg)
	}
}

// markerCut is where a paste start marker cut off at the end of b begins, or -1.
// A lone ESC is not held: it is the Esc key.
func markerCut(b []byte) int {
	for k := len(pasteStart) - 1; k >= 2; k-- {
		if len(b) >= k && bytes.Equal(b[len(b)-k:], pasteStart[:k]) {
			return len(b) - k
		}
	}
	return -1
}

// plainText says b is text, Tab, CR and LF only: what a paste typed out is made
// of. A cut UTF-8 character at the end is allowed (the next read completes it).
func plainText(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\t' || c == '\r' || c == '\n':
			i++
		case c < 0x20 || c == 0x7f:
			return false
		case c < utf8.RuneSelf:
			i++
		default:
			r, w := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && w <= 1 && utf8.FullRune(b[i:]) {
				return false
			}
			i += max(w, 1)
		}
	}
	return true
}

// isBurst says a read is a paste typed out rather than keys: plain text with a
// Tab, CR or LF, at least two values, and a digit. Letters and Tab ("l\tl") stay
// keys, and so does one value with its Enter ("5\r").
func isBurst(b []byte) bool {
	if !plainText(b) || !bytes.ContainsAny(b, "\t\r\n") {
		return false
	}
	values, digit := 0, false
	for _, f := range bytes.FieldsFunc(b, func(r rune) bool {
		return r == '\t' || r == '\r' || r == '\n' || r == ',' || r == '，'
	}) {
		if len(bytes.TrimSpace(f)) > 0 {
			values++
		}
		digit = digit || bytes.ContainsAny(f, "0123456789０１２３４５６７８９")
	}
	return values >= 2 && digit
}
