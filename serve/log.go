package serve

import (
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// logger writes one line per event, "TIME EVENT key=value ...", so that an
// administrator can grep who logged in from where and why someone was refused.
type logger struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// line writes an event with key/value pairs; values with spaces or quotes are quoted.
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
		if v == "" || strings.ContainsAny(v, " \t\n\"=") {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	}
	b.WriteByte('\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, b.String())
}
