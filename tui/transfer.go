package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"jibao/model"
	"jibao/zmodem"
)

// Transfer moves files through the clerk's terminal. The SSH middleware sets
// one per session (ZMODEM on the session's streams); locally it is nil and an
// export is written to a file.
type Transfer interface {
	// Send is a job that sends the file to the terminal.
	Send(name string, data []byte) TransferJob
	// Receive is a job that receives one file the clerk picks in the
	// terminal's dialog, into a fresh folder.
	Receive() TransferJob
	// Download is the one-line OpenSSH command that fetches the same file
	// with command-mode args, for a terminal without ZMODEM.
	Download(args []string, file string) string
}

// TransferJob is one transfer, run by tea.Exec while the workstation has
// released the terminal; Result is what it did once it has run.
type TransferJob interface {
	tea.ExecCommand
	Result() (zmodem.Result, error)
}

// Importer reads a received workbook into the report of the period through the
// checked, all-or-nothing import of `jibao import` (cmd/jibao passes it).
type Importer func(path string, period model.Period) (*ImportPlan, error)

// ImportPlan is a read and checked workbook, not yet stored.
type ImportPlan struct {
	ID      model.ReportID
	Lines   []string // what storing it changes, as jibao import lists it
	Changes int      // 0: the file equals the stored report
	// Apply stores it; its text says what was stored.
	Apply func() (string, error)
}

// receivedMsg answers an upload's transfer.
type receivedMsg struct{ job TransferJob }

// plannedMsg answers reading a received workbook.
type plannedMsg struct {
	file string
	plan *ImportPlan
	err  error
}

// importedMsg answers storing it.
type importedMsg struct {
	id   model.ReportID
	text string
	err  error
}

// uploadKey is I in the overview and the grid: receive a filled workbook by
// ZMODEM and import it into this quarter, after showing what it changes.
func (m *root) uploadKey() tea.Cmd {
	switch {
	case m.o.Transfer == nil:
		m.tell("上传只能在用 ssh 登录 jibao serve 时使用；本机请退出后运行 jibao import 文件", true)
		return nil
	case m.o.Importer == nil:
		m.tell("本程序没有配置导入", true)
		return nil
	}
	job := m.o.Transfer.Receive()
	return tea.Exec(job, func(error) tea.Msg { return receivedMsg{job: job} })
}

func (msg receivedMsg) apply(m *root) tea.Cmd {
	res, err := msg.job.Result()
	if err != nil {
		if !res.Answered {
			m.tell("终端没有发送文件（"+err.Error()+"）：上传需要支持 ZMODEM 的终端（Xshell、SecureCRT、MobaXterm）", true)
		} else {
			m.tell("接收文件未完成："+err.Error(), true)
		}
		return nil
	}
	if len(res.Files) != 1 {
		for _, f := range res.Files {
			os.Remove(f)
		}
		m.tell(fmt.Sprintf("一次只能上传一个文件（收到 %d 个），未导入", len(res.Files)), true)
		return nil
	}
	file, imp, p := res.Files[0], m.o.Importer, m.b.id.Period
	m.tell("正在读取和检查 "+filepath.Base(file)+"……", false)
	return func() tea.Msg {
		defer os.RemoveAll(filepath.Dir(file))
		plan, err := imp(file, p)
		return plannedMsg{file: filepath.Base(file), plan: plan, err: err}
	}
}

func (msg plannedMsg) apply(m *root) tea.Cmd {
	if msg.err != nil {
		m.tell(msg.file+" 未导入", true)
		m.dlg = &infoDialog{title: msg.file + " 有问题，未导入", lines: wrapAll(msg.err.Error(), m.s.w-4)}
		return nil
	}
	pl := msg.plan
	if !m.s.mayOpen(pl.ID.Variant, pl.ID.Unit) {
		m.tell(fmt.Sprintf("%s 是 %s 的报表，您无权导入", msg.file, pl.ID.Unit), true)
		return nil
	}
	if pl.Changes == 0 && len(pl.Lines) > 0 {
		m.tell(pl.Lines[len(pl.Lines)-1], false)
		return nil
	}
	var lines []string
	for _, l := range pl.Lines {
		lines = append(lines, wrapAll(l, m.s.w-4)...)
	}
	m.dlg = &uploadDialog{info: infoDialog{title: "导入 " + msg.file, lines: append(lines, "", "确定导入吗？")},
		yes: func() tea.Cmd {
			return func() tea.Msg {
				text, err := pl.Apply()
				return importedMsg{id: pl.ID, text: text, err: err}
			}
		}}
	return nil
}

func (msg importedMsg) apply(m *root) tea.Cmd {
	if msg.err != nil {
		m.tell("导入失败（报表未改变）："+msg.err.Error(), true)
		return nil
	}
	m.tell(msg.text, false)
	if m.b != nil && m.b.id == msg.id {
		return m.b.reload(m.s)
	}
	return nil
}

// uploadDialog shows what an upload changes, scrolling like an info dialog,
// and stores it on y.
type uploadDialog struct {
	info infoDialog
	yes  func() tea.Cmd
}

func (d *uploadDialog) update(k tea.KeyMsg) (bool, tea.Cmd, dialog) {
	switch k.String() {
	case "y", "Y", "enter":
		return true, d.yes(), nil
	case "n", "N", "esc", "q":
		return true, nil, nil
	}
	d.info.update(k)
	return false, nil, nil
}

func (d *uploadDialog) view(s *session, w, h int) []string {
	n := max(1, h/2-2)
	body := d.info.lines[min(d.info.top, len(d.info.lines)):]
	if len(body) > n {
		body = body[:n]
	}
	return frame(s, d.info.title, w, body, "y 导入   n/Esc 不导入   上/下 滚动")
}

// wrapAll wraps every line of text at w columns.
func wrapAll(text string, w int) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l == "" {
			out = append(out, "")
		}
		out = append(out, wrapProse(l, max(20, w), 20)...)
	}
	return out
}
