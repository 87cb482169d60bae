// Command jibao is the 季报 workstation: the entry grid, the shell commands and the
// SSH server, over one store and one form catalog.
package main

import (
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"jibao/termenc"
)

// app carries what every subcommand needs, so that tests can run them in-process
// with their own streams, environment and clock.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time
}

func main() {
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	os.Exit(a.run(os.Args[1:]))
}

// Exit codes shared by the commands.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran; the answer is "no" (incomplete report, refused import)
	exitUsage = 2 // bad usage or a store problem
)

const usage = `jibao - 安全生产标准化提升专项行动 季报表 工作台

用法:
  jibao [--variant V --unit U --period P]   打开填报界面（默认数据文件）
        [--encoding utf-8|gbk]               终端编码（GBK 终端用 gbk）
  jibao forms    --variant V [--json]        打印表式（表头、单位、规则）
  jibao check    --variant V [--unit U] --period P [--json]
  jibao list     [--variant V] [--period P] [--json]
  jibao export   --variant V --unit U --period P [-o FILE] [--draft] [--force]
                 [--format xlsx|csv|json]
  jibao export   --template --variant V -o FILE
  jibao import   FILE... [--period P] [--force] [--dry-run]
  jibao summary  --variant V --period P [-o FILE] [--force] [--all]
                 [--complete-only]
  jibao progress --variant V --period P [--complete-only]
  jibao unit     add --variant V --type T --name NAME | list --variant V
  jibao backup   [-o FILE|-] [--force] [--list]  校验后备份
  jibao verify                               逐条校验，列出损坏的记录
  jibao restore  [--force]                   放回最近一份校验无误的备份
  jibao compact                              整理数据文件，收回空闲页面
  jibao serve    --listen 127.0.0.1:2222 --keys FILE

通用选项: --db PATH（或环境变量 JIBAO_DB） --catalog FILE（新年度表式）
`

func (a *app) run(args []string) int {
	if len(args) > 0 && isHelp(args[0]) {
		a.textStreams()
		fmt.Fprint(a.stdout, usage)
		return exitOK
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return a.cmdTUI(args)
	}
	cmd, rest := args[0], args[1:]
	a.textStreams()
	switch cmd {
	case "forms":
		return a.cmdForms(rest)
	case "check":
		return a.cmdCheck(rest)
	case "list":
		return a.cmdList(rest)
	case "export":
		return a.cmdExport(rest)
	case "import":
		return a.cmdImport(rest)
	case "summary":
		return a.cmdSummary(rest)
	case "progress":
		return a.cmdProgress(rest)
	case "unit":
		return a.cmdUnit(rest)
	case "backup":
		return a.cmdBackup(rest)
	case "verify":
		return a.cmdVerify(rest)
	case "restore":
		return a.cmdRestore(rest)
	case "compact":
		return a.cmdCompact(rest)
	case "serve":
		return a.cmdServe(rest)
	default:
		fmt.Fprintf(a.stderr, "未知命令 %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

// isHelp is true for the ways people ask for the list of commands; before the
// entry screen's flags see them, which would list only the flags.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

// textStreams makes the shell commands print in the terminal's encoding (the
// locale's, or JIBAO_ENCODING's); files and pipes keep UTF-8. The workstation
// wraps its own streams, and reports a bad JIBAO_ENCODING, which it needs.
func (a *app) textStreams() {
	if enc, err := termenc.Choose("", a.getenv); err == nil {
		a.stdout, a.stderr = termenc.TextWriter(enc, a.stdout), termenc.TextWriter(enc, a.stderr)
	}
}

// user is who history records: the OS user, unless JIBAO_USER says otherwise.
func (a *app) user() string {
	if u := a.getenv("JIBAO_USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// fail prints an error in the clerk's language and returns the usage exit code.
func (a *app) fail(format string, args ...any) int {
	fmt.Fprintf(a.stderr, "jibao: "+format+"\n", args...)
	return exitUsage
}
