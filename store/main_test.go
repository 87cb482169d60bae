package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"jibao/model"
)

// childEnv makes the test binary act as a second jibao process (see runChild):
// the in-use and kill -9 tests re-execute it.
const childEnv = "JIBAO_STORE_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode, os.Getenv("JIBAO_STORE_TEST_PATH")))
	}
	os.Exit(m.Run())
}

// runChild is the second process. "open" and "open-ro" try to open the file and
// print OK or the error; "writer" commits cells one by one and acknowledges each
// on stdout only after SetCells returned.
func runChild(mode, path string) int {
	switch mode {
	case "open", "open-ro":
		start := time.Now()
		s, err := Open(path, Options{ReadOnly: mode == "open-ro", Timeout: time.Second})
		if err != nil {
			fmt.Printf("ERR inuse=%v %.2fs %v\n", errors.Is(err, ErrInUse), time.Since(start).Seconds(), err)
			return 3
		}
		s.Close()
		fmt.Println("OK")
		return 0
	case "writer":
		s, err := Open(path, Options{})
		if err != nil {
			fmt.Println("ERR", err)
			return 3
		}
		id := testID(3)
		if _, err := s.Ensure(id, "", "child"); err != nil {
			fmt.Println("ERR", err)
			return 3
		}
		keys := testCells()
		out := bufio.NewWriter(os.Stdout)
		for i := 1; ; i++ {
			k := keys[i%len(keys)]
			n := model.Whole(int64(i))
			if _, err := s.SetCells(id, []model.Change{{Key: k, Value: &n}}, "child"); err != nil {
				fmt.Fprintln(out, "ERR", err)
				out.Flush()
				return 3
			}
			fmt.Fprintf(out, "ACK %s %d\n", k, i)
			out.Flush()
		}
	}
	fmt.Println("unknown child mode", mode)
	return 2
}

// testID is 水头's report of 2025 quarter q in 南安's forms.
func testID(q int) model.ReportID {
	return model.ReportID{Variant: "nanan", Unit: "水头", Period: model.Period{Year: 2025, Quarter: q}}
}

// testCells are the cells 水头 fills, in reading order.
func testCells() []model.CellKey {
	v, err := model.DefaultCatalog().Variant("nanan")
	if err != nil {
		panic(err)
	}
	var out []model.CellKey
	for _, f := range v.FormsFor("xiangzhen") {
		out = append(out, f.Cells()...)
	}
	return out
}

// openT opens a store for a test, closed at the end.
func openT(t testing.TB, path string, opts ...func(*Options)) *Store {
	t.Helper()
	o := Options{NoSync: true}
	for _, f := range opts {
		f(&o)
	}
	s, err := Open(path, o)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func tempDB(t testing.TB) string { return filepath.Join(t.TempDir(), "jibao.db") }

func num(n int64) *model.Number { v := model.Whole(n); return &v }

func set(t testing.TB, s *Store, id model.ReportID, by string, kv ...any) *model.Report {
	t.Helper()
	var cs []model.Change
	for i := 0; i < len(kv); i += 2 {
		var v *model.Number
		if kv[i+1] != nil {
			v = num(int64(kv[i+1].(int)))
		}
		cs = append(cs, model.Change{Key: kv[i].(model.CellKey), Value: v})
	}
	r, err := s.SetCells(id, cs, by)
	if err != nil {
		t.Fatalf("SetCells: %v", err)
	}
	return r
}

// valueText shows a cell as the test expects it: its whole value, or "-" for blank.
func valueText(r *model.Report, k model.CellKey) string {
	n, ok := r.Values[k]
	if !ok {
		return "-"
	}
	return strconv.FormatInt(int64(n)/100, 10)
}
