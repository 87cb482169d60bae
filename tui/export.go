package tui

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jibao/internal/atomicfile"
	"jibao/model"
	"jibao/zmodem"
)

// Exporter makes the official workbook of a report, as `jibao export` writes
// it: its file name and bytes, with the office's notes (rev) and the
// confirmed warnings as the report's check (res, with last quarter) has them.
// cmd/jibao passes export's writer, so that tui does not link excelize.
type Exporter func(v *model.Variant, r *model.Report, rev model.Review, res *model.Result, draft bool) (name string, data []byte, err error)

// SummaryExporter makes the summary workbook of a period's summary.
type SummaryExporter func(sum *model.Summary) (name string, data []byte, err error)

// RemindExporter makes the 催报 list of a period, as `jibao remind -o` writes it.
type RemindExporter func(v *model.Variant, p model.Period) (name string, data []byte, err error)

// outFile is a workbook made for the clerk, with the command-mode arguments
// that make the same file (for the OpenSSH hint).
type outFile struct {
	name string
	data []byte
	args []string
	// direct writes a local file into the start directory under its own name
	// without asking for a path (the 退回通知 after R); what names the file in
	// messages ("" is 工作簿).
	direct bool
	what   string
}

// whatText is how messages name the file.
func (f outFile) whatText() string {
	if f.what == "" {
		return "工作簿"
	}
	return f.what
}

// fileMsg is every message of the export and upload flows: one case in
// root.Update hands each to its own step.
type fileMsg interface{ apply(m *root) tea.Cmd }

// madeMsg answers the making of a workbook.
type madeMsg struct {
	f   outFile
	err error
}

// savedMsg answers writing a workbook to a local file.
type savedMsg struct {
	f    outFile
	path string
	err  error
}

// sentMsg answers a ZMODEM send.
type sentMsg struct {
	f   outFile
	job TransferJob
}

// tell shows a message on the current screen's status line.
func (m *root) tell(text string, bad bool) {
	if m.g != nil {
		m.g.flash(text, bad)
	}
	if m.ov != nil {
		m.ov.msg, m.ov.bad = text, bad
	}
	if m.scr == scrSummary && m.sg != nil {
		m.sg.flash(text, bad)
	}
	if m.scr == scrBoard && m.board != nil {
		m.board.msg, m.board.bad = text, bad
	}
}

// exportKey is E in the overview and the grid: the same rules as `jibao
// export`, an incomplete report refused with its counts or, after a
// confirmation, exported as a draft.
func (m *root) exportKey() tea.Cmd {
	if m.o.Exporter == nil {
		m.tell("本程序没有配置导出", true)
		return nil
	}
	b := m.b
	if !b.res.Complete() {
		m.dlg = &confirmDialog{title: "导出草稿", lines: []string{
			fmt.Sprintf("报表尚未完成：%d 处空白，%d 处错误，不能导出正式报表（b 跳到空白格，r 查看错误）。", len(b.res.Blanks), b.res.Errors()),
			"导出为草稿吗？每页标明「草稿」。"},
			yes: func() tea.Cmd { return m.makeExport(true) }}
		return nil
	}
	return m.makeExport(false)
}

func (m *root) makeExport(draft bool) tea.Cmd {
	v, r, rev, res, ex := m.b.v, m.b.r.Clone(), m.b.rev, m.b.res, m.o.Exporter
	args := []string{"export", "--unit", m.b.id.Unit, "--period", m.b.id.Period.String()}
	if m.o.Variant != v.ID { // the server fills in a person's only variant
		args = append(args[:1], append([]string{"--variant", v.ID}, args[1:]...)...)
	}
	if draft {
		args = append(args, "--draft")
	}
	m.tell("正在生成工作簿……", false)
	return func() tea.Msg {
		name, data, err := ex(v, r, rev, res, draft)
		return madeMsg{f: outFile{name: name, data: data, args: args}, err: err}
	}
}

// summaryExportKey is E in the summary: the summary workbook.
func (m *root) summaryExportKey() tea.Cmd {
	ex := m.o.SummaryExporter
	if ex == nil {
		m.tell("本程序没有配置导出", true)
		return nil
	}
	sum := m.sg.sum.s
	args := []string{"summary", "--variant", sum.Variant.ID, "--period", sum.Period.String(), "-o", "-"}
	m.tell("正在生成汇总工作簿……", false)
	return func() tea.Msg {
		name, data, err := ex(sum)
		return madeMsg{f: outFile{name: name, data: data, args: args}, err: err}
	}
}

// remindExportKey is E on the board: the 催报 list of the board's period.
func (m *root) remindExportKey() tea.Cmd {
	ex, b := m.o.RemindExporter, m.board
	if ex == nil {
		m.tell("本程序没有配置导出", true)
		return nil
	}
	args := []string{"remind", "--variant", b.v.ID, "--period", b.p.String(), "-o", "-"}
	m.tell("正在生成催报名单……", false)
	v, p := b.v, b.p
	return func() tea.Msg {
		name, data, err := ex(v, p)
		return madeMsg{f: outFile{name: name, data: data, args: args, what: "催报名单"}, err: err}
	}
}

func (msg madeMsg) apply(m *root) tea.Cmd {
	if msg.err != nil {
		m.tell("生成"+msg.f.whatText()+"失败："+msg.err.Error(), true)
		return nil
	}
	if m.o.Transfer != nil {
		job := m.o.Transfer.Send(msg.f.name, msg.f.data)
		return tea.Exec(job, func(error) tea.Msg { return sentMsg{f: msg.f, job: job} })
	}
	if msg.f.direct {
		return saveCmd(msg.f, m.o.Dir, msg.f.name, false)
	}
	path := filepath.Join(m.o.Dir, msg.f.name)
	m.dlg = &promptDialog{title: "导出到文件", buf: []rune(path),
		lines: []string{fmt.Sprintf("%s（%d 字节）。Enter 保存到此路径，也可改为别的路径或文件夹。", msg.f.name, len(msg.f.data))},
		hint:  "Enter 保存  Esc 取消",
		check: func(text string) string {
			if text == "" {
				return "请输入文件路径"
			}
			return ""
		},
		ok: func(text string) tea.Cmd { return saveCmd(msg.f, m.o.Dir, text, false) }}
	return nil
}

// saveCmd writes the workbook to path (relative to dir; a folder gets the
// file's own name); an existing file is kept unless force.
func saveCmd(f outFile, dir, path string, force bool) tea.Cmd {
	return func() tea.Msg {
		if strings.HasPrefix(path, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				path = filepath.Join(home, path[2:])
			}
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			path = filepath.Join(path, f.name)
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return savedMsg{f: f, path: path, err: writeNew(path, f.data, force)}
	}
}

// writeNew writes data to path whole: into a temporary file beside it, then
// renamed, so that a half-written workbook never carries the name. Without
// force an existing file is an fs.ErrExist.
func writeNew(path string, data []byte, force bool) error {
	return atomicfile.Write(path, force, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeWhy says in the clerk's words why a file could not be written.
func writeWhy(err error) string { return atomicfile.Why(err) }

func (msg savedMsg) apply(m *root) tea.Cmd {
	switch {
	case errors.Is(msg.err, fs.ErrExist):
		m.dlg = &confirmDialog{title: "文件已存在", lines: []string{msg.path, "覆盖这个文件吗？"},
			yes: func() tea.Cmd { return saveCmd(msg.f, "", msg.path, true) }}
	case msg.err != nil:
		failed := "导出失败"
		if msg.f.what != "" {
			failed = "写" + msg.f.what + "失败"
		}
		m.tell(failed+"：无法写入 "+msg.path+"："+writeWhy(msg.err), true)
	case msg.f.what != "":
		m.tell("已写出"+msg.f.what+"："+msg.path, false)
	default:
		m.tell("已导出："+msg.path, false)
	}
	return nil
}

func (msg sentMsg) apply(m *root) tea.Cmd {
	res, err := msg.job.Result()
	switch {
	case err == nil:
		m.tell(fmt.Sprintf("已通过 ZMODEM 发送 %s（%d 字节，%.1f 秒）", msg.f.name, res.Bytes, res.Elapsed.Seconds()), false)
		return nil
	case !res.Answered:
		why := "未发送：" + err.Error() + "。" // sz missing on the server, say
		switch {
		case errors.Is(err, zmodem.ErrNoAnswer):
			why = "终端没有应答 ZMODEM（OpenSSH、PuTTY 等不能接收），未发送。"
		case errors.Is(err, zmodem.ErrCancelled):
			why = "已取消发送。"
		}
		m.tell("未发送 "+msg.f.name, true)
		lines := []string{why, "在自己电脑的命令行（Windows 请用 cmd）运行这一行，下载同一份文件：", ""}
		// Wrapped by us at the dialog's width: a clipped command cannot be copied.
		lines = append(lines, wrapWords(m.o.Transfer.Download(msg.f.args, msg.f.name), max(20, m.s.w-4))...)
		again := "按 E 会弹出保存对话框。"
		if msg.f.direct { // the 退回通知 came unasked, after R
			again = "会弹出保存对话框。"
		}
		lines = append(lines, "", "Xshell、SecureCRT、MobaXterm 能直接接收："+again)
		m.dlg = &infoDialog{title: "用 OpenSSH 下载", lines: lines}
	default:
		m.tell("发送 "+msg.f.name+" 未完成："+err.Error(), true)
	}
	return nil
}

// fileKey handles E (export) and I (upload) in the overview and the grid.
func (m *root) fileKey(k tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, exportKey()):
		return m.exportKey(), true
	case key.Matches(k, uploadKey()):
		return m.uploadKey(), true
	}
	return nil, false
}

// wrapWords breaks a command line between its words, never inside one (a
// wrapped "-o -" read as two arguments), each line at most w columns.
func wrapWords(s string, w int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case textWidth(line)+1+textWidth(word) <= w:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	return append(out, line)
}
