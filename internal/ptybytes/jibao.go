package ptybytes

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"jibao/export"
	"jibao/model"
)

// The report every measurement opens: 南安 水头, 2025年第3季度, partly filled
// over a complete second quarter, so the grid shows figures, last quarter's
// values (~), warnings and errors the way a clerk's half-done report does.
const (
	seedVariant = "nanan"
	seedUnit    = "水头"
	seedPeriod  = "2025Q3"
)

// Seed makes the data file the measurements start from, with the binary's own
// import: a complete 2025Q2 (export.Sample) and a 2025Q3 with the same figures
// in the first half of each form's columns (a clerk fills left to right) and one
// figure changed. The same binary gives the same file
// contents on every machine.
func Seed(bin, dir string) (string, error) {
	v, err := model.DefaultCatalog().Variant(seedVariant)
	if err != nil {
		return "", err
	}
	u, err := v.Unit(seedUnit)
	if err != nil {
		return "", err
	}
	db := filepath.Join(dir, "seed.db")
	for _, ps := range []string{"2025Q2", seedPeriod} {
		p, err := model.ParsePeriod(ps)
		if err != nil {
			return "", err
		}
		r := export.Sample(v, u, p, 1)
		if ps == seedPeriod {
			// Left to right up to half of each form; where the third quarter
			// differs from the second, one figure is one less than before,
			// which breaks a sum (!) and, in a running total, shrinks it (?).
			for k, n := range r.Values {
				f := v.Form(k.Form)
				c := f.Column(k.Col)
				switch {
				case c == nil:
				case c.Index >= len(f.Columns)/2:
					delete(r.Values, k)
				case c.Index == 1 && n >= model.Whole(1):
					r.Values[k] = n - model.Whole(1)
				}
			}
			r.State = model.StateDraft
		}
		x, err := export.Workbook(v, r, false)
		if err != nil {
			return "", err
		}
		file := filepath.Join(dir, ps+".xlsx")
		err = export.Save(x, file, true)
		x.Close()
		if err != nil {
			return "", err
		}
		cmd := exec.Command(bin, "import", "--db", db, "--period", ps, "--force", file)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s import %s: %v\n%s", bin, file, err, out)
		}
	}
	return db, nil
}

// View is one screen of the workstation: the keys that open it from the
// report's overview and the key that moves the cursor one field on.
type View struct {
	Name       string
	Open       []string
	List       bool // the list view, not the grid: v switches when the form opens as the other
	Move, Back string
}

// listHead is the list view's column header, the sign that a form opened as a list.
const listHead = "栏目（计量单位）"

// Views are the screens of the README's table (the second is 表四's grid, the
// issue's yardstick).
var Views = []View{
	{"表一 grid", []string{"1"}, false, "right", "left"},
	{"表四 grid", []string{"4"}, false, "right", "left"},
	{"表四 list", []string{"4"}, true, "down", "up"},
}

// Result is what one run of a key script cost, in bytes.
type Result struct {
	Label      string
	Cols, Rows int
	First      int
	Moves      []int // per cursor move that moved
	Digits     []int // per typed digit
	Commits    []int // per Enter that stores a figure
}

// Median is the middle value (the lower one of an even count), 0 for none.
func Median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[(len(s)-1)/2]
}

// Max is the largest value, 0 for none.
func Max(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// MeasureView runs the binary on a copy of the seeded data file db (none: an
// empty one, the report not begun): it opens
// the view, makes 40 cursor moves (turning back at the form's end: a key that
// changes nothing is not a move), then types 20 figures of three digits, each
// stored with Enter. env is added to the program's environment.
func MeasureView(bin, db string, v View, cols, rows int, env ...string) (Result, error) {
	res := Result{Label: v.Name, Cols: cols, Rows: rows}
	bin, err := filepath.Abs(bin) // the program runs in its own directory
	if err != nil {
		return res, err
	}
	dir, err := os.MkdirTemp("", "ptybytes-*")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	own := filepath.Join(dir, "run.db")
	if db != "" { // else the binary makes a new, empty data file
		data, err := os.ReadFile(db)
		if err != nil {
			return res, err
		}
		if err := os.WriteFile(own, data, 0o600); err != nil {
			return res, err
		}
	}
	env = append([]string{"JIBAO_USER=ptybytes"}, env...)
	s, err := Start(cols, rows, dir, env, bin, "--db", own, "--variant", seedVariant, "--unit", seedUnit, "--period", seedPeriod)
	if err != nil {
		return res, err
	}
	defer s.Close("ctrl+c")
	if res.First, err = s.First(); err != nil {
		return res, err
	}
	if err := s.Send(v.Open...); err != nil {
		return res, err
	}
	if bytes.Contains(s.Answer(), []byte(listHead)) != v.List {
		if err := s.Send("v"); err != nil {
			return res, err
		}
		if bytes.Contains(s.Answer(), []byte(listHead)) != v.List {
			return res, fmt.Errorf("%s: v did not switch the view", v.Name)
		}
	}
	move, back := v.Move, v.Back
	for turns := 0; len(res.Moves) < 40; {
		n, err := s.Key(move)
		if err != nil {
			return res, err
		}
		if n == 0 {
			if turns++; turns > 8 {
				return res, fmt.Errorf("%s: %s and %s move nothing", v.Name, v.Move, v.Back)
			}
			move, back = back, move
			continue
		}
		res.Moves = append(res.Moves, n)
	}
	for i := 0; i < 20; i++ {
		for _, d := range []string{"1", "2", "3"} {
			n, err := s.Key(d)
			if err != nil {
				return res, err
			}
			res.Digits = append(res.Digits, n)
		}
		n, err := s.Key("enter")
		if err != nil {
			return res, err
		}
		res.Commits = append(res.Commits, n)
	}
	return res, nil
}
