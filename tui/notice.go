package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
)

// The 退回通知 of the office's R. By e-mail the unit learns of a return only
// from the notice, so the workstation makes the same one `jibao review --notice`
// writes right after the move: locally into the start directory (an existing
// file asks before it is overwritten), over `jibao serve` by ZMODEM to the
// office's desktop, through E's own steps (export.go).

// NoticeMaker makes the 退回通知 of a returned report: its file name and bytes.
// cmd/jibao passes export's, so that tui links neither excelize nor the store.
type NoticeMaker func(v *model.Variant, r *model.Report, rev model.Review, res *model.Result) (name string, data []byte, err error)

// noticeCmd makes the notice of the open report, read back after the return,
// and hands it to E's steps; nil without a maker.
func (m *root) noticeCmd() tea.Cmd {
	mk := m.o.Notice
	if mk == nil || m.b == nil {
		return nil
	}
	s, v, id, prev := m.s, m.b.v, m.b.id, m.b.prev
	args := []string{"review", "--unit", id.Unit, "--period", id.Period.String(), "--notice"}
	if m.o.Variant != v.ID { // the server fills in a person's only variant
		args = append(args[:1], append([]string{"--variant", v.ID}, args[1:]...)...)
	}
	return func() tea.Msg {
		f := outFile{args: args, direct: true, what: "退回通知"}
		r, err := s.store.Get(id)
		if err != nil {
			return madeMsg{f: f, err: err}
		}
		rev, err := s.store.Review(id)
		if err != nil {
			return madeMsg{f: f, err: err}
		}
		f.name, f.data, err = mk(v, r, rev, v.Check(r, prev))
		return madeMsg{f: f, err: err}
	}
}
