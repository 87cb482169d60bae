package tui

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// chunkReader returns one chunk per Read, as a terminal delivers one read each.
type chunkReader struct {
	chunks [][]byte
	next   chan struct{} // when set, each Read after the first waits for a tick
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	if c.next != nil {
		<-c.next
	}
	n := copy(p, c.chunks[0])
	if n < len(c.chunks[0]) {
		c.chunks[0] = c.chunks[0][n:]
	} else {
		c.chunks = c.chunks[1:]
	}
	return n, nil
}

// event is what the program would see, in order: keys (bytes Bubble Tea
// parses) or a paste.
type event struct {
	keys  string
	paste *pasteMsg
}

// readAll drives a pasteInput as Bubble Tea does (256-byte reads) and records
// keys and pastes in the order the program would get them.
func readAll(t *testing.T, r io.Reader) []event {
	t.Helper()
	var evs []event
	in, pi := newPasteInput(r)
	pi.setSend(func(m tea.Msg) {
		pm := m.(pasteMsg)
		evs = append(evs, event{paste: &pm})
	})
	buf := make([]byte, 256)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			pi.mu.Lock() // the timer may deliver concurrently; keys come after it
			evs = append(evs, event{keys: string(buf[:n])})
			pi.mu.Unlock()
		}
		if err != nil {
			break
		}
	}
	pi.mu.Lock()
	defer pi.mu.Unlock()
	return evs
}

func TestPasteInputTakesPastesOutOfTheKeys(t *testing.T) {
	block := "1\t2\t3\r4\t5\t6\r7\t8\t9\r"
	cases := []struct {
		name   string
		chunks []string
		want   []string // "k:" keys, "p:" bracketed paste, "b:" typed-out burst
	}{
		{"keys stay keys", []string{"j", "5", "\r", "]]", "lll"}, []string{"k:j", "k:5", "k:\r", "k:]]", "k:lll"}},
		{"one value and its Enter is typing", []string{"5\r", "6\t"}, []string{"k:5\r", "k:6\t"}},
		{"letters and Tab are keys", []string{"l\tl\r"}, []string{"k:l\tl\r"}},
		{"a block typed out in one read", []string{block}, []string{"b:" + block}},
		{"a block typed out in pieces", []string{block[:7], block[7:13], block[13:]}, []string{"b:" + block}},
		{"a key after a burst comes after it", []string{block, "\x1b[A"}, []string{"b:" + block, "k:\x1b[A"}},
		{"bracketed", []string{"x\x1b[200~" + block + "\x1b[201~y"}, []string{"p:x>" + block, "k:y"}},
		{"an arrow key just before a paste", []string{"\x1b[Ax\x1b[200~1\x1b[201~"}, []string{"k:\x1b[Ax", "p:1"}},
		{"bracketed, markers cut across reads", []string{"\x1b[2", "00~1\t2", "\r3\x1b[20", "1~k"}, []string{"p:1\t2\r3", "k:k"}},
		{"bracketed with Esc inside", []string{"\x1b[200~a\x1bb\x1b[201~"}, []string{"p:a\x1bb"}},
		{"Esc alone stays a key", []string{"\x1b"}, []string{"k:\x1b"}},
		{"two pastes in one read", []string{"\x1b[200~1\x1b[201~\x1b[200~2\x1b[201~"}, []string{"p:1", "p:2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cr := &chunkReader{}
			for _, s := range c.chunks {
				cr.chunks = append(cr.chunks, []byte(s))
			}
			var got []string
			for _, e := range readAll(t, cr) {
				switch {
				case e.paste == nil:
					got = append(got, "k:"+e.keys)
				case e.paste.typed:
					got = append(got, "b:"+e.paste.text)
				case e.paste.before != "":
					got = append(got, "p:"+e.paste.before+">"+e.paste.text)
				default:
					got = append(got, "p:"+e.paste.text)
				}
			}
			// Keys of adjacent reads are one stream to Bubble Tea.
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestPasteInputBurstWaitsForItsLastPiece sends a block in two reads 30 ms
// apart (a terminal writing it in pieces): it is one paste, delivered after the
// last piece.
func TestPasteInputBurstWaitsForItsLastPiece(t *testing.T) {
	tick := make(chan struct{}, 3)
	cr := &chunkReader{chunks: [][]byte{[]byte("1\t2\r"), []byte("3\t4\r")}, next: tick}
	tick <- struct{}{}
	go func() {
		time.Sleep(30 * time.Millisecond)
		tick <- struct{}{}
		tick <- struct{}{}
	}()
	evs := readAll(t, cr)
	if len(evs) != 1 || evs[0].paste == nil || evs[0].paste.text != "1\t2\r3\t4\r" {
		t.Fatalf("got %+v", evs)
	}
}

// TestPasteInputBoundsAHugePaste pastes 3 MB, bracketed and typed out: one
// refusal with the size, and the reader keeps no more than maxPasteBytes.
func TestPasteInputBoundsAHugePaste(t *testing.T) {
	row := strings.Repeat("123\t", 30) + "\r"
	huge := strings.Repeat(row, 3<<20/len(row))
	for _, bracketed := range []bool{true, false} {
		text := huge
		if bracketed {
			text = "\x1b[200~" + huge + "\x1b[201~"
		}
		cr := &chunkReader{chunks: [][]byte{[]byte(text)}}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		evs := readAll(t, cr)
		runtime.ReadMemStats(&after)
		if len(evs) != 1 || evs[0].paste == nil || !evs[0].paste.tooBig || evs[0].paste.size != len(huge) || evs[0].paste.text != "" {
			t.Fatalf("bracketed=%v: got %d events, first %+v", bracketed, len(evs), evs[0].paste)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("bracketed=%v: reading a %d-byte paste allocated %d bytes", bracketed, len(huge), grew)
		}
	}
}

func TestIsBurst(t *testing.T) {
	for s, want := range map[string]bool{
		"5\r": false, "5\t": false, "\t5": false, "l\tl": false, "jj": false, "12": false,
		"5\r6\r": true, "220\t450\t": true, "1,2\r": true, "市级\t5\r": true,
		"5\x7f\t6": false, "\x1b[A5\t6": false, "５\t６": true,
	} {
		if got := isBurst([]byte(s)); got != want {
			t.Errorf("isBurst(%q) = %v, want %v", s, got, want)
		}
	}
}

// BenchmarkPasteInputHuge reads a 3 MB paste, typed out and bracketed, through
// pasteInput in Bubble Tea's 256-byte reads; it reports the bytes kept per paste.
func BenchmarkPasteInputHuge(b *testing.B) {
	huge := strings.Repeat(strings.Repeat("123\t", 30)+"\r", 3<<20/121)
	for _, bracketed := range []bool{false, true} {
		text := huge
		if bracketed {
			text = "\x1b[200~" + huge + "\x1b[201~"
		}
		b.Run(fmt.Sprintf("bracketed=%v", bracketed), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			buf, data := make([]byte, 256), []byte(text)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in, pi := newPasteInput(&chunkReader{chunks: [][]byte{data}})
				got := 0
				pi.setSend(func(m tea.Msg) {
					if m.(pasteMsg).tooBig {
						got++
					}
				})
				for {
					if _, err := in.Read(buf); err != nil {
						break
					}
				}
				if got != 1 {
					b.Fatalf("%d refusals", got)
				}
			}
		})
	}
}
