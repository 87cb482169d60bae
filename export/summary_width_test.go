package export

import (
	"fmt"
	"testing"
)

// TestValueWidth: the quick width of a value is fmt.Sprint's.
func TestValueWidth(t *testing.T) {
	for _, v := range []any{"", "合计", "a b", 0, -7, 12345, int64(-9007199254740993), 0.5, 1234.56, 1e21, -3.25e-7, float64(100), true} {
		if got, want := valueWidth(v), textWidth(fmt.Sprint(v)); got != want {
			t.Errorf("valueWidth(%#v) = %d, want %d", v, got, want)
		}
	}
}
