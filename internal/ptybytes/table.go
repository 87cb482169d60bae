package ptybytes

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Size is a terminal size of the table.
type Size struct{ Cols, Rows int }

// Sizes are the sizes of the README's table: a roomy terminal and the smallest
// one the workstation supports.
var Sizes = []Size{{120, 40}, {80, 24}}

// Table measures every view at every size on one seeded data file, then the
// anchors on their sheet, and writes a Markdown table to w. A missing anchor is
// a row saying so, not an error.
func Table(w io.Writer, bin string) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ptybytes-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := Seed(bin, dir)
	if err != nil {
		return err
	}
	if err := writeSheet(dir); err != nil {
		return err
	}
	// No first frame: its size depends on whether the window size arrives
	// before or after Bubble Tea's first paint (a second full paint), and on
	// how far visidata got loading.
	fmt.Fprintln(w, "| program, view | size | move median | move max | digit median | Enter median |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	row := func(r Result) {
		fmt.Fprintf(w, "| %s | %dx%d | %d | %d | %d | %d |\n", r.Label, r.Cols, r.Rows,
			Median(r.Moves), Max(r.Moves), Median(r.Digits), Median(r.Commits))
	}
	for _, v := range Views {
		for _, sz := range Sizes {
			r, err := MeasureView(bin, db, v, sz.Cols, sz.Rows)
			if err != nil {
				return fmt.Errorf("%s at %dx%d: %w", v.Name, sz.Cols, sz.Rows, err)
			}
			r.Label = "jibao " + r.Label
			row(r)
		}
	}
	// The same walk on 表四's grid of a report not begun: no figures, no last
	// quarter, no marks.
	t4 := Views[1]
	for _, sz := range Sizes {
		r, err := MeasureView(bin, "", t4, sz.Cols, sz.Rows)
		if err != nil {
			return fmt.Errorf("%s (empty) at %dx%d: %w", t4.Name, sz.Cols, sz.Rows, err)
		}
		r.Label = "jibao " + r.Label + ", empty report"
		row(r)
	}
	// The same walk on the half-filled 表四 without colour: NO_COLOR=1.
	r, err := MeasureView(bin, db, t4, Sizes[0].Cols, Sizes[0].Rows, "NO_COLOR=1")
	if err != nil {
		return fmt.Errorf("%s (NO_COLOR) at %dx%d: %w", t4.Name, Sizes[0].Cols, Sizes[0].Rows, err)
	}
	r.Label = "jibao " + r.Label + ", NO_COLOR=1"
	row(r)
	for _, a := range anchors {
		for _, sz := range Sizes {
			r, ok, err := measureAnchor(a, dir, sz.Cols, sz.Rows)
			if err != nil {
				return fmt.Errorf("%s at %dx%d: %w", a.pkg, sz.Cols, sz.Rows, err)
			}
			if !ok {
				fmt.Fprintf(w, "| %s (ASCII sheet) | %dx%d | not installed | | | |\n", a.pkg, sz.Cols, sz.Rows)
				continue
			}
			r.Label += " (ASCII sheet)"
			row(r)
		}
	}
	return nil
}
