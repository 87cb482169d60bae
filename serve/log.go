package serve

import (
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// logger writes one line per event, "TIME EVENT key=value ...", so that an
// administrator can grep who logged in from where and why someone was refused.
type logger struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// line writes an event with key/value pairs. A value with a space, a quote, an
// equals sign, a backslash or anything unprintable (a terminal escape, a
// carriage return that would forge a line) is quoted with Go's escapes, so that
// every field, the keys file's names included, stays one field on one line.
func (l *logger) line(event string, kv ...string) {
	var b strings.Builder
	b.WriteString(l.now().Format(time.RFC3339))
	b.WriteByte(' ')
	b.WriteString(event)
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteByte(' ')
		b.WriteString(kv[i])
		b.WriteByte('=')
		v := kv[i+1]
		if needsQuote(v) {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	}
	b.WriteByte('\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, b.String())
}

func needsQuote(v string) bool {
	return v == "" || !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool {
		return r == ' ' || r == '"' || r == '=' || r == '\\' || !unicode.IsPrint(r)
	}) >= 0
}
