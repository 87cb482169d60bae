package store

import "fmt"

// hinted is an error whose whole text is written for the clerk (path, cause, what
// to do), while errors.Is still finds the sentinel it stands for.
type hinted struct {
	kind error
	msg  string
}

func (e *hinted) Error() string { return e.msg }
func (e *hinted) Unwrap() error { return e.kind }

func hint(kind error, format string, args ...any) error {
	return &hinted{kind: kind, msg: fmt.Sprintf(format, args...)}
}
