package ptybytes

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// An anchor is a terminal spreadsheet measured in the same run, for scale: sc
// (ncurses) and visidata (curses) on an ASCII sheet of 49 columns x 30 rows.
type anchor struct {
	name, pkg string
	args      func(dir string) []string
	edit      []string // keys that start typing a number into the cell
	quit      []string
}

var anchors = []anchor{
	{"sc", "sc", func(dir string) []string { return []string{filepath.Join(dir, "grid.sc")} }, []string{"="}, []string{"q"}},
	{"vd", "visidata", func(dir string) []string { return []string{filepath.Join(dir, "grid.csv")} }, []string{"e", "ctrl+k"}, []string{"ctrl+q"}},
}

// writeSheet writes the anchors' sheet as grid.sc and grid.csv: 49 columns of
// five-digit figures (a fixed sequence), 30 rows.
func writeSheet(dir string) error {
	var sc, csv strings.Builder
	sc.WriteString("# written by jibao's internal/ptybytes\n")
	col := func(i int) string {
		s := ""
		for i++; i > 0; i = (i - 1) / 26 {
			s = string(rune('A'+(i-1)%26)) + s
		}
		return s
	}
	h := uint32(42)
	for c := 0; c < 49; c++ {
		fmt.Fprintf(&sc, "format %s 7 0 0\nrightstring %s0 = \"C%02d\"\n", col(c), col(c), c+1)
		if c > 0 {
			csv.WriteString(",")
		}
		fmt.Fprintf(&csv, "C%02d", c+1)
	}
	csv.WriteString("\n")
	for r := 1; r <= 30; r++ {
		for c := 0; c < 49; c++ {
			h = h*1664525 + 1013904223
			v := 100 + h%99900
			fmt.Fprintf(&sc, "let %s%d = %d\n", col(c), r, v)
			if c > 0 {
				csv.WriteString(",")
			}
			fmt.Fprint(&csv, v)
		}
		csv.WriteString("\n")
	}
	sc.WriteString("goto A1\n")
	if err := os.WriteFile(filepath.Join(dir, "grid.sc"), []byte(sc.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "grid.csv"), []byte(csv.String()), 0o644)
}

// version is the Debian version of a package, or "" when dpkg does not know it.
func version(pkg string) string {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Version}", pkg).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// measureAnchor runs one anchor like the jibao views: 40 moves ((right right
// right down) x 10), then 20 figures of three digits, each started with the
// program's edit keys, stored with Enter, and followed by an unmeasured down.
// ok is false when the program is not installed.
func measureAnchor(a anchor, dir string, cols, rows int) (res Result, ok bool, err error) {
	res = Result{Label: a.pkg, Cols: cols, Rows: rows}
	bin, err := exec.LookPath(a.name)
	if err != nil {
		return res, false, nil
	}
	if v := version(a.pkg); v != "" {
		res.Label += " " + v
	}
	s, err := Start(cols, rows, dir, nil, bin, a.args(dir)...)
	if err != nil {
		return res, true, err
	}
	defer s.Close(a.quit...)
	// visidata draws a placeholder, then loads the sheet: wait out both.
	t := DefaultTiming
	t.FirstQuiet = 1500 * time.Millisecond
	s.SetTiming(t)
	if res.First, err = s.First(); err != nil {
		return res, true, err
	}
	for i := 0; i < 40; i++ {
		k := "right"
		if i%4 == 3 {
			k = "down"
		}
		n, err := s.Key(k)
		if err != nil {
			return res, true, err
		}
		res.Moves = append(res.Moves, n)
	}
	for i := 0; i < 20; i++ {
		if err := s.Send(a.edit...); err != nil {
			return res, true, err
		}
		for _, d := range []string{"4", "3", "1"} {
			n, err := s.Key(d)
			if err != nil {
				return res, true, err
			}
			res.Digits = append(res.Digits, n)
		}
		n, err := s.Key("enter")
		if err != nil {
			return res, true, err
		}
		res.Commits = append(res.Commits, n)
		if err := s.Send("down"); err != nil {
			return res, true, err
		}
	}
	return res, true, nil
}
