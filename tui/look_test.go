package tui

import (
	"fmt"
	"testing"
)

func TestLook(t *testing.T) {
	st := openTestStore(t)
	h := openReport(t, st, 120, 40, "nanan", "水头", "2025Q3")
	fmt.Println(h.screen())
	h.keys("4")
	fmt.Println(h.screen())
	h.keys("str:123 enter str:45 tab")
	fmt.Println(h.screen())
	h.keys("v")
	fmt.Println(h.screen())
	h.keys("< < <")
	fmt.Println(h.screen())
	h.keys("v")
	fmt.Println(h.screen())
}
