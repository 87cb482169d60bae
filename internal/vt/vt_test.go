package vt

import (
	"strings"
	"testing"
)

// TestTerminal holds the behaviour the frame tests lean on, as xterm has it.
func TestTerminal(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"text and CR LF", "ab\r\ncd", "ab|cd|"},
		{"LF keeps the column", "ab\ncd", "ab|  cd|"},
		{"pending wrap at the last column", "abcde\r\nf", "abcde|f|"},
		{"auto-wrap on the next character", "abcdef", "abcde|f|"},
		{"a wide character that does not fit wraps", "abcd中", "abcd|中|"},
		{"overwriting half a wide character clears the other", "中文\x1b[1;2Hx", " x文||"},
		{"cursor forward, erase line", "abcde\x1b[1;2H\x1b[2CX\x1b[K", "abcX||"},
		{"erase down from the cursor", "abc\r\ndef\x1b[1;2H\x1b[J", "a||"},
		{"cut sequences and characters wait for the next write", "a\x1b[1", "a||"},
		{"a byte that is not UTF-8 is a character", "a\xffb", "a\xffb||"},
	} {
		term := New(5, 2)
		term.Write([]byte(tc.in))
		if got := strings.ReplaceAll(term.Text(), "\n", "|"); got != tc.want {
			t.Errorf("%s: %q shows %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
	term := New(5, 2)
	for _, p := range []string{"a\x1b[", "1;31mb\xe4\xb8", "\xad"} {
		term.Write([]byte(p))
	}
	if got := term.Text(); got != "ab中\n\n" {
		t.Errorf("split writes show %q", got)
	}
	if s := term.Screen(); !strings.Contains(s, "0,1 {bold:true") || !strings.Contains(s, "fg:31") {
		t.Errorf("the look of b is lost:\n%s", s)
	}
	term = New(5, 1)
	term.Write([]byte("\x1b[41mab\x1b[K"))
	if s := term.Screen(); !strings.Contains(s, "0,4 {bold:false faint:false italic:false under:false blink:false reverse:false hidden:false strike:false fg:0 bg:41}") {
		t.Errorf("erase-line does not paint with the background:\n%s", s)
	}
}
