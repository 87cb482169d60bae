package ptybytes

import (
	"bytes"
	"testing"
)

// TestSession runs a shell that asks for the cursor position and echoes the
// answer, then answers a key: the driver must reply like a terminal and count
// the bytes of each answer.
func TestSession(t *testing.T) {
	script := `stty raw -echo; printf '\033[6n'; r=$(dd bs=1 count=6 2>/dev/null); printf 'got:%s' "$r" | tr '\033' E; ` +
		`k=$(dd bs=1 count=1 2>/dev/null); printf '%s%s%s' "$k" "$k" "$k"; sleep 5`
	s, err := Start(80, 24, t.TempDir(), nil, "sh", "-c", script)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.First()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(s.Answer(), []byte("got:E[1;1R")) {
		t.Errorf("first frame %q: the cursor-position query was not answered", s.Answer())
	}
	if n != len(s.Answer()) {
		t.Errorf("First counted %d bytes of %d", n, len(s.Answer()))
	}
	if n, err := s.Key("7"); err != nil || n != 3 || string(s.Answer()) != "777" {
		t.Errorf("key 7: %d bytes %q, %v; want 3 bytes 777", n, s.Answer(), err)
	}
	if n, err := s.Key("x"); err != nil || n != 0 {
		t.Errorf("a key with no answer counted %d bytes (%v)", n, err)
	}
}

func TestKeyBytes(t *testing.T) {
	s := &Session{}
	for key, want := range map[string]string{"right": "\x1b[C", "enter": "\r", "ctrl+c": "\x03", "4": "4", "输": "输"} {
		if b, err := s.keyBytes(key); err != nil || string(b) != want {
			t.Errorf("%s: %q %v, want %q", key, b, err, want)
		}
	}
	s.appCur = true // after ESC[?1h, as curses asks
	if b, _ := s.keyBytes("up"); string(b) != "\x1bOA" {
		t.Errorf("up in application mode: %q", b)
	}
	if _, err := s.keyBytes("nosuchkey"); err == nil {
		t.Error("an unknown key name was accepted")
	}
	if Median([]int{5, 1, 3, 2}) != 2 || Median(nil) != 0 || Max([]int{3, 9, 1}) != 9 {
		t.Error("Median/Max")
	}
}
