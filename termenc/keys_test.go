package termenc

import (
	"io"
	"os"
	"strings"
	"testing"
)

func TestFixKeys(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1bOH", "\x1b[H"},
		{"\x1bOF", "\x1b[F"},
		{"\x1bOq\x1bOw\x1bOn\x1bOy", "17.9"},
		{"\x1bOM", "\r"},
		{"\x1bOk\x1bOm\x1bOj\x1bOo", "+-*/"},
		{"\x1bOA\x1bOQ\x1b[1~", "\x1bOA\x1bOQ\x1b[1~"}, // Bubble Tea knows these
		{"\x1bO", "\x1bO"},                             // cut short: left alone
		{"\x1b", "\x1b"},
		{"x\x1bOp\x1bOpy", "x00y"},
		{"", ""},
	}
	for _, tt := range tests {
		b := []byte(tt.in)
		if got := string(b[:fixKeys(b)]); got != tt.want {
			t.Errorf("fixKeys(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestInput(t *testing.T) {
	keys := "\x1bOH表\x1bOs\x1bOF\x7f\x1b[3~"
	want := "\x1b[H表3\x1b[F\x7f\x1b[3~"
	for _, enc := range []Encoding{UTF8, GB18030} {
		var raw []byte
		if enc == GB18030 {
			raw = gb(t, keys)
		} else {
			raw = []byte(keys)
		}
		got, err := io.ReadAll(Input(enc, strings.NewReader(string(raw))))
		if err != nil || string(got) != want {
			t.Errorf("%v: Input read %q, %v; want %q", enc, got, err, want)
		}
	}
}

func TestInputKeepsTheDescriptor(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, enc := range []Encoding{UTF8, GB18030} {
		in, ok := Input(enc, r).(interface {
			Fd() uintptr
			Name() string
			io.ReadWriteCloser
		})
		if !ok || in.Fd() != r.Fd() {
			t.Fatalf("%v: Input over a pipe hides its descriptor", enc)
		}
		w.Write([]byte("\x1bOH"))
		buf := make([]byte, 256)
		n, err := in.Read(buf)
		if err != nil || string(buf[:n]) != "\x1b[H" {
			t.Errorf("%v: read %q, %v", enc, buf[:n], err)
		}
	}
}
