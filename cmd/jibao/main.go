// Command jibao is the 季报 workstation: the entry grid, the shell commands and the
// SSH server, over one store and one form catalog.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"jibao/store"
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
	// otherArgs maps an argument as read in a GBK terminal to its other
	// reading (the bytes as passed, or as decoded), for a file whose name on
	// disk is that one.
	otherArgs map[string]string
	// shared is the server's open store in serve's command mode, for the
	// commands that write (submit, withdraw, review); nil elsewhere.
	shared *store.Store
	// scope is the units a serve session's person may see, for the commands
	// that walk the whole directory (remind): its copy of the data holds only
	// those, and the others must not read as 未填报. nil: every unit.
	scope func(variant, unit string) bool
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
        [--office]                           汇总单位：审核、看板
        [--encoding utf-8|gbk]               终端编码（GBK 终端用 gbk）
  jibao forms    --variant V [--json]        打印表式（表头、单位、规则）
  jibao forms    next-year --year Y | from-xlsx 表样.xlsx | check 表式.json
  jibao check    --variant V [--unit U] --period P [--json]
  jibao list     [--variant V] [--period P] [--json]
  jibao export   --variant V --unit U --period P [-o FILE] [--draft] [--force]
                 [--format xlsx|csv|json]
  jibao export   --template --variant V -o FILE
  jibao import   FILE... [--period P] [--force] [--dry-run]
  jibao summary  --variant V --period P [-o FILE] [--force] [--all]
                 [--complete-only | --accepted-only]
  jibao progress --variant V --period P [--complete-only]
  jibao submit   --variant V --unit U --period P   上报（须填完、无错误）
  jibao withdraw --variant V --unit U --period P   撤回（审核前）
  jibao review   --variant V --unit U --period P
                 --accept | --return 理由 | --unlock 理由 [--note 表/行/栏=意见]
  jibao remind   --variant V --period P [-o FILE]  催报：未上报、被退回的单位
  jibao unit     add --variant V --type T --name NAME | list --variant V
  jibao backup   [-o FILE|-] [--force] [--list]  校验后备份
  jibao verify                               逐条校验，列出损坏的记录
  jibao restore  [--force]                   放回最近一份校验无误的备份
  jibao compact                              整理数据文件，收回空闲页面
  jibao serve    --listen 127.0.0.1:2222 --keys FILE

通用选项: --db PATH（或环境变量 JIBAO_DB） --catalog FILE（新年度表式）
`

func (a *app) run(args []string) int {
	args = a.decodeArgs(args)
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
	case "submit":
		return a.cmdSubmit(rest)
	case "withdraw":
		return a.cmdWithdraw(rest)
	case "review":
		return a.cmdReview(rest)
	case "remind":
		return a.cmdRemind(rest)
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

// decodeArgs turns the arguments a GBK terminal typed (GB18030 bytes) into
// UTF-8, by the same choice that encodes the output: --encoding,
// JIBAO_ENCODING, the locale. The bytes alone cannot always tell (水头 in GBK is
// CB AE CD B7, which is also valid UTF-8 for "ˮͷ"), so an argument is kept as
// it came only when it already reads as UTF-8 Chinese (a script, or a name
// completed from disk): Han characters, ASCII and Chinese punctuation. One that
// does not decode is kept too.
func (a *app) decodeArgs(args []string) []string {
	enc, err := termenc.Choose(encodingArg(args), a.getenv)
	if err != nil || enc != termenc.GB18030 {
		return args
	}
	out := make([]string, len(args))
	for i, s := range args {
		out[i] = s
		if isASCII(s) {
			continue
		}
		d, err := simplifiedchinese.GB18030.NewDecoder().String(s)
		if err != nil || strings.ContainsRune(d, utf8.RuneError) {
			continue
		}
		if a.otherArgs == nil {
			a.otherArgs = map[string]string{}
		}
		kept, other := d, s
		if utf8.ValidString(s) && readsAsChinese(s) {
			kept, other = s, d
		}
		out[i] = kept
		a.otherArgs[kept] = other
		// --db=路径: the flag package hands the command only the value.
		if name, v, ok := strings.Cut(kept, "="); ok && strings.HasPrefix(name, "-") && isASCII(name) {
			if _, ov, ok := strings.Cut(other, "="); ok {
				a.otherArgs[v] = ov
			}
		}
	}
	return out
}

// readsAsChinese reports whether every rune of s is one a Chinese name or
// path is made of.
func readsAsChinese(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x80, unicode.Is(unicode.Han, r),
			r >= 0x3000 && r <= 0x303f, // CJK punctuation: 、。《》【】
			r >= 0xff00 && r <= 0xffef, // full-width forms: （）０-９
			r == '—', r == '·', r == '“', r == '”':
		default:
			return false
		}
	}
	return true
}

// encodingArg is the value of --encoding among args, if any (the workstation's
// flag, seen before the flags are parsed so the arguments decode by it too).
func encodingArg(args []string) string {
	for i, s := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(s, "-"), "=")
		if !strings.HasPrefix(s, "-") || name != "encoding" {
			continue
		}
		if hasVal {
			return val
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// argPath is the file an argument names: as read, or, when only its other
// reading names a file (a GBK name on disk, or one completed from disk that
// was taken for GBK), that one.
func (a *app) argPath(name string) string {
	if other, ok := a.otherArgs[name]; ok && !fileExists(name) && fileExists(other) {
		return other
	}
	return name
}

// argNewPath is argPath for a file that may not exist yet (a new data file):
// failing both, the reading whose directory exists.
func (a *app) argNewPath(name string) string {
	other, ok := a.otherArgs[name]
	if !ok || fileExists(name) {
		return name
	}
	if fileExists(other) || (!fileExists(filepath.Dir(name)) && fileExists(filepath.Dir(other))) {
		return other
	}
	return name
}

// pathFlags reads --db and --catalog both ways, as file arguments are: a GBK
// terminal's path may name a file whose name on disk is UTF-8, or the reverse.
func (a *app) pathFlags(fs *flag.FlagSet) {
	for name, resolve := range map[string]func(string) string{"db": a.argNewPath, "catalog": a.argPath} {
		if f := fs.Lookup(name); f != nil && f.Value.String() != "" {
			_ = f.Value.Set(resolve(f.Value.String())) // a string flag takes any value
		}
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
