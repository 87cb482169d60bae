package termenc

import "io"

// KeyModes, written once before the UI starts, puts the terminal's cursor
// keys and numeric keypad back in their normal modes (DECCKM off, DECKPNM).
// In the application modes, which another program or a PuTTY setting may
// have left on, Home, End and every keypad key arrive as ESC O x, which
// Bubble Tea v1 splits into alt+O and a letter: keypad 7 would become "w",
// keypad 2 "r". Input repairs those too, in case the terminal ignores this.
const KeyModes = "\x1b[?1l\x1b>"

// Input is the reader a UI should read keys from: r decoded from enc (see
// Reader), with the SS3 key sequences Bubble Tea v1.3 does not know
// rewritten into ones it does (see KeyModes): ESC O H and ESC O F are Home
// and End, and the application-keypad sequences become the keys printed on
// the keypad. ESC O w is keypad 7, not End as in PuTTY's "rxvt" Home/End
// setting: a lost End is a nuisance, a lost 7 a wrong number.
//
// Only sequences that arrive within one read are rewritten; a terminal
// writes each key in one go. Like Reader, it keeps r's terminal descriptor.
func Input(enc Encoding, r io.Reader) io.Reader {
	inner := r
	if enc != UTF8 {
		inner = newDecReader(r)
	}
	return asFile(&keyReader{r: inner}, r)
}

// keyReader rewrites key sequences in place: every rewrite is shorter than
// what it replaces, so nothing is ever held back.
type keyReader struct{ r io.Reader }

// ss3Keys maps the final byte of ESC O x to what Bubble Tea should see.
var ss3Keys = map[byte]string{
	'H': "\x1b[H", 'F': "\x1b[F", // Home, End in application cursor mode
	'p': "0", 'q': "1", 'r': "2", 's': "3", 't': "4",
	'u': "5", 'v': "6", 'w': "7", 'x': "8", 'y': "9",
	'n': ".", 'l': ",", 'k': "+", 'm': "-", 'j': "*", 'o': "/", 'X': "=",
	'M': "\r", // keypad Enter
}

// Read implements io.Reader.
func (k *keyReader) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	return fixKeys(p[:n]), err
}

// fixKeys rewrites b in place and returns its new length.
func fixKeys(b []byte) int {
	w := 0
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+2 < len(b) && b[i+1] == 'O' {
			if rep, ok := ss3Keys[b[i+2]]; ok {
				w += copy(b[w:], rep)
				i += 2
				continue
			}
		}
		b[w] = b[i]
		w++
	}
	return w
}
