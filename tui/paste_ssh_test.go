package tui

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"

	"jibao/model"
	"jibao/store"
)

// TestSSHPaste pastes over an SSH session, as a clerk in PuTTY does: a 表一 block
// typed out as keys (bracketed paste off) lands as the form has it, and a 3 MB
// bracketed paste is refused with the server's heap growing by less than 24 MB
// (it grew by 160 MB).
func TestSSHPaste(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "jibao.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addr, _ := sshServer(t, func(ssh.Session) (Options, error) {
		return Options{Store: st, User: "张三", Variant: "nanan", Unit: "水头", Period: "2025Q3", Now: testNow}, nil
	})
	sess, in, scr := sshDialPtySize(t, addr, 200, 50)
	defer sess.Close()
	scr.wait(t, "截止日期")
	io.WriteString(in, "1")
	scr.wait(t, "国标 第1栏 ")

	v, _ := model.DefaultCatalog().Variant("nanan")
	f := v.Form("t1")
	block := strings.ReplaceAll(formBlock(f, false, cellValue), "\r\n", "\r") // PuTTY sends CR
	io.WriteString(in, block)
	scr.wait(t, fmt.Sprintf("已粘贴 %d 个数值", len(f.Cells())))
	id := model.ReportID{Variant: "nanan", Unit: "水头", Period: model.Period{Year: 2025, Quarter: 3}}
	r, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	for ri, row := range f.Rows {
		for _, c := range f.Columns {
			if !f.Applicable(row.ID, c.ID) || f.Merged(row.ID, c.ID) {
				continue
			}
			n, ok := r.Value(model.CellKey{Form: "t1", Row: row.ID, Col: c.ID})
			if want := cellValue(ri, c.Index); !ok || n.Format(c.Kind) != want {
				t.Errorf("%s %s = %v %v, want %s", row.Label, c.ID, n, ok, want)
			}
		}
	}

	huge := "\x1b[200~" + strings.Repeat(strings.Repeat("123\t", 30)+"\r", 3<<20/121) + "\x1b[201~"
	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the heap while the paste goes through
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	io.WriteString(in, huge)
	scr.wait(t, "3.0 MB")
	close(stop)
	<-done
	if grew := int64(peak.Load()) - int64(base.HeapInuse); grew > 24<<20 {
		t.Errorf("a 3 MB paste over SSH grew the heap by %d MB", grew>>20)
	}
	t.Logf("heap in use %d MB before, peak %d MB", base.HeapInuse>>20, peak.Load()>>20)
	io.WriteString(in, "\x1b\x03")
}
