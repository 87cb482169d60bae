package serve

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
)

// personKey keys the logged-in Person in a session's context.
type personKey struct{}

// PersonOf is who is logged in on the session; nil before login.
func PersonOf(sess ssh.Session) *Person {
	p, _ := sess.Context().Value(personKey{}).(*Person)
	return p
}

// session wraps an ssh.Session so that the server can tell when its person last
// typed (for the idle timeout) and ask its program to finish (idle, shutdown):
// its Context is cancelled by stop as well as by a closed connection, which is
// what the grid's middleware quits on.
type session struct {
	ssh.Session
	ctx      *stopContext
	lastRead atomic.Int64 // unix nanoseconds of the last input
	why      atomic.Value // string: why the server stopped the session
}

func newSession(s ssh.Session, now time.Time) *session {
	ss := &session{Session: s, ctx: newStopContext(s.Context())}
	ss.lastRead.Store(now.UnixNano())
	return ss
}

// Read records input activity.
func (s *session) Read(p []byte) (int, error) {
	n, err := s.Session.Read(p)
	if n > 0 {
		s.lastRead.Store(time.Now().UnixNano())
	}
	return n, err
}

// Context is the session's context, cancelled also when the server stops it.
func (s *session) Context() ssh.Context { return s.ctx }

// idleFor is how long the person has not typed.
func (s *session) idleFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, s.lastRead.Load()))
}

// stop asks the session's program to finish; the first reason wins.
func (s *session) stop(why string) {
	s.why.CompareAndSwap(nil, why)
	s.ctx.stop()
}

// stopReason is why the server stopped the session, "" if it did not.
func (s *session) stopReason() string {
	w, _ := s.why.Load().(string)
	return w
}

// stopContext is an ssh.Context whose Done channel closes when the connection's
// does or when stop is called; values and locking are the connection's.
type stopContext struct {
	ssh.Context
	done chan struct{}
	once sync.Once
	err  atomic.Value
}

func newStopContext(parent ssh.Context) *stopContext {
	c := &stopContext{Context: parent, done: make(chan struct{})}
	go func() {
		select {
		case <-parent.Done():
			c.cancel(parent.Err())
		case <-c.done:
		}
	}()
	return c
}

func (c *stopContext) cancel(err error) {
	if err == nil {
		err = context.Canceled
	}
	c.once.Do(func() {
		c.err.Store(err)
		close(c.done)
	})
}

func (c *stopContext) stop() { c.cancel(context.Canceled) }

// Done closes when the connection closes or the server stops the session.
func (c *stopContext) Done() <-chan struct{} { return c.done }

// Err says why Done closed.
func (c *stopContext) Err() error {
	if e, ok := c.err.Load().(error); ok {
		return e
	}
	return nil
}
