package tui

import (
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"jibao/model"
	"jibao/store"
)

// benchGrid opens 表四 at 120x40 with a colour renderer, half of it filled.
func benchGrid(b *testing.B) *harness {
	st := openTestStore(b)
	r := asciiRenderer()
	r.SetColorProfile(termenv.ANSI) // 16 colours, as over most SSH links
	h := newHarness(b, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3", Renderer: r})
	h.keys("4")
	for i := 0; i < 24; i++ {
		h.keys("str:12 tab")
	}
	h.keys("home")
	return h
}

// BenchmarkMoveT4 is one cursor move on the widest grid: Update plus View.
func BenchmarkMoveT4(b *testing.B) {
	h := benchGrid(b)
	keys := []tea.KeyMsg{keyMsg("right"), keyMsg("left")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.m, _ = h.m.Update(keys[i%2])
		_ = h.m.View()
	}
}

// BenchmarkWalkT4 walks across all 49 columns and back (scrolling included).
func BenchmarkWalkT4(b *testing.B) {
	h := benchGrid(b)
	right, left := keyMsg("right"), keyMsg("left")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := right
		if (i/48)%2 == 1 {
			k = left
		}
		h.m, _ = h.m.Update(k)
		_ = h.m.View()
	}
}

// BenchmarkDigitT4 is one typed digit (or its backspace) in a cell being edited.
func BenchmarkDigitT4(b *testing.B) {
	h := benchGrid(b)
	h.keys("5")
	keys := []tea.KeyMsg{keyMsg("1"), keyMsg("backspace")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.m, _ = h.m.Update(keys[i%2])
		_ = h.m.View()
	}
}

// seed1000 fills a store with 1,000 reports (60 units x 17 quarters, with values).
func seed1000(tb testing.TB) Store {
	st := openTestStore(tb)
	seedInto(tb, st)
	return st
}

func seedInto(tb testing.TB, st *store.Store) {
	cat := model.DefaultCatalog()
	n := 0
	for _, vid := range cat.VariantIDs() {
		v, _ := cat.Variant(vid)
		for _, u := range v.Units {
			for q := 0; q < 17 && n < 1000; q++ {
				p := model.Period{Year: 2022 + q/4, Quarter: q%4 + 1}
				r := model.NewReport(v.ID, u, p)
				for i, k := range v.Forms[2].Cells() {
					r.Values[k] = model.Whole(int64(i))
				}
				if err := st.PutReport(r, "seed"); err != nil {
					tb.Fatal(err)
				}
				n++
			}
		}
	}
}

// firstFrame is the time from New to the first rendered frame, and to the frame
// showing the opened report's overview.
func firstFrame(tb testing.TB, st Store) (first, opened time.Duration) {
	start := time.Now()
	h := newHarness(tb, st, 120, 40, Options{Variant: "nanan", Unit: "水头", Period: "2025Q3"})
	_ = h.m.View()
	opened = time.Since(start)
	start = time.Now()
	m := New(Options{Store: st, Renderer: asciiRenderer(), Now: testNow, User: "u"})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	_ = m.Init()
	_ = m.View()
	first = time.Since(start)
	return first, opened
}

func TestStartupWith1000Reports(t *testing.T) {
	if testing.Short() {
		t.Skip("seeding 1,000 reports")
	}
	st := seed1000(t)
	first, opened := firstFrame(t, st)
	t.Logf("first frame %v, report open and drawn %v", first, opened)
	// A generous bound: this runs in-process under the race detector on a
	// shared machine. The 100 ms target is the real binary's, measured by
	// TestStartupBinary.
	if opened > 400*time.Millisecond {
		t.Errorf("opening a report took %v with 1,000 reports in the store (want well under 400ms; the target is 100ms)", opened)
	}
}

// BenchmarkStartup1000 opens a report in a store of 1,000 reports and draws it.
func BenchmarkStartup1000(b *testing.B) {
	st := seed1000(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		firstFrame(b, st)
	}
}

// TestSeedFile writes the 1,000-report store to $JIBAO_SEED_DB, for measuring the
// real binary's startup (see docs/tui.md); skipped otherwise.
func TestSeedFile(t *testing.T) {
	path := os.Getenv("JIBAO_SEED_DB")
	if path == "" {
		t.Skip("JIBAO_SEED_DB not set")
	}
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seedInto(t, st)
}
