package vt

import (
	"strings"
	"testing"
)

// BenchmarkFrameText is what a load-test client pays per frame: a move's
// frame written, then the screen read.
func BenchmarkFrameText(b *testing.B) {
	term := New(160, 45)
	term.Write([]byte(strings.Repeat("本单位 12345 |"+strings.Repeat("x", 140)+"\r\n", 44)))
	frame := []byte("\x1b[H\n\n\n\n\n\x1b[31C\x1b[1;91m ! 955[\x1b[7m! 237\x1b[27m]\x1b[m\r\n\n第2\x1b[7C医疗机构  上季度：680\r\n\x1b[12;H")
	for i := 0; i < b.N; i++ {
		term.Write(frame)
		_ = term.Text()
	}
}
