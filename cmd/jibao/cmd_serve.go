package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/ssh"

	"jibao/model"
	"jibao/serve"
	"jibao/store"
	"jibao/termenc"
	"jibao/tui"
)

// shutdownGrace is how long SIGTERM waits for sessions to finish before it cuts
// them; every committed cell is already on disk either way.
const shutdownGrace = 20 * time.Second

// cmdServe runs the SSH server:
// `jibao serve --listen 127.0.0.1:2222 --keys FILE [--db PATH] [--host-key FILE] [--idle 30m] [--log FILE]`.
// It owns the data file for as long as it runs; SIGTERM or SIGINT stop it.
func (a *app) cmdServe(args []string) int {
	var c common
	fs := a.newFlags("serve", &c)
	listen := fs.String("listen", "127.0.0.1:2222", "监听地址 主机:端口")
	keys := fs.String("keys", "", "密钥文件：每行一个登记的公钥及其姓名、角色、单位（格式见 docs/serve.md）")
	hostKey := fs.String("host-key", "", "服务器主机密钥（默认在数据文件旁的 ssh_host_ed25519，首次启动时生成）")
	idle := fs.Duration("idle", serve.DefaultIdle, "无操作多久后关闭会话，如 30m")
	logPath := fs.String("log", "", "日志文件（默认写到标准错误）")
	backupEvery := fs.Duration("backup-every", 6*time.Hour, "多久写一份校验过的备份（有修改时），如 6h")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("serve: 多余的参数 %q", strings.Join(fs.Args(), " "))
	}
	if *keys == "" {
		return a.fail("serve: 请用 --keys 指定密钥文件（格式见 docs/serve.md）")
	}
	if _, err := a.flagCatalog(&c); err != nil {
		return a.fail("%v", err)
	}
	dbPath, err := a.dbPath(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	if *hostKey == "" {
		*hostKey = serve.DefaultHostKeyPath(dbPath)
	}
	logw := a.stderr
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return a.fail("serve: 日志文件 %s 无法写入: %v", *logPath, err)
		}
		defer f.Close()
		logw = f
	}
	st, err := a.openStoreWith(&c, store.Options{GroupCommit: true})
	if err != nil {
		return a.fail("%v", err)
	}
	defer st.Close()
	stopMaint := st.Maintain(store.Maintenance{Every: *backupEvery, Logf: func(format string, args ...any) {
		// One quoted field, escaped like the server's own log lines.
		fmt.Fprintf(logw, "%s store msg=%s\n", time.Now().Format(time.RFC3339), strconv.Quote(fmt.Sprintf(format, args...)))
	}})
	defer stopMaint()
	catalogPath := c.catalog
	if catalogPath == "" {
		catalogPath = a.getenv("JIBAO_CATALOG")
	}
	srv, err := serve.New(a.serveConfig(serve.Config{Listen: *listen, Keys: *keys, HostKey: *hostKey,
		Idle: *idle, Log: logw, Catalog: st.Catalogs().Latest()}, st, catalogPath))
	if err != nil {
		return a.fail("%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return a.fail("serve: %v", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	code := exitOK
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(a.stderr, "jibao serve: %v\n", err)
		code = exitFail
	}
	if err := <-errc; err != nil {
		fmt.Fprintf(a.stderr, "jibao serve: %v\n", err)
		code = exitFail
	}
	stopMaint()
	if err := st.Close(); err != nil {
		return a.fail("关闭数据文件出错: %v", err)
	}
	return code
}

// serveConfig completes cfg with the grid and command mode over the shared store.
func (a *app) serveConfig(cfg serve.Config, st *store.Store, catalogPath string) serve.Config {
	cat := cfg.Catalog
	cfg.Grid = tui.SSHMiddleware(func(sess ssh.Session) (tui.Options, error) {
		p := serve.PersonOf(sess)
		if p == nil {
			return tui.Options{}, errors.New("未登录")
		}
		// Every year's forms, read when the session starts: a catalog added
		// (jibao forms add) reaches the next session without a restart. The
		// office reviews but never changes a value: no upload for it.
		o := tui.Options{Catalogs: st.Catalogs(), Catalog: cat, Store: st, User: p.Name, Variant: p.OnlyVariant(),
			AllowedUnits: p.May, ReadOnly: p.ReadOnly(), Reviewer: p.Role == serve.RoleOffice, Now: a.now,
			Exporter: exportWorkbook, SummaryExporter: a.summaryExporter()}
		if !p.ReadOnly() {
			o.Importer = a.importer(st, p.Name)
		}
		if o.Reviewer {
			o.Notice = noticeFile
			o.RemindExporter = a.remindExporter(st, p.May)
		}
		if len(p.Units) == 1 && p.Units[0].Unit != "*" {
			o.Unit = p.Units[0].Unit
		}
		return o, nil
	}, func(sess ssh.Session, in io.Reader, out io.Writer) (io.Reader, io.Writer) {
		enc := sessionEncoding(sess)
		// Cursor keys and keypad back in normal mode, in case PuTTY left them not.
		io.WriteString(out, termenc.KeyModes)
		return termenc.Input(enc, in), termenc.Writer(enc, out)
	})
	cfg.Text = func(sess ssh.Session, w io.Writer) io.Writer { return termenc.Writer(sessionEncoding(sess), w) }
	cfg.Command = func(sess ssh.Session, p *serve.Person, args []string) int {
		return a.serveCommand(sess, st, cat, catalogPath, p, args)
	}
	return cfg
}

// serveCommand runs an approved command-mode request in-process on a copy of the
// data that holds only the person's units (see serve.Snapshot). An export is
// written into the copy's folder and then streamed to the session's stdout, so
// that stdout carries nothing but the file.
func (a *app) serveCommand(sess ssh.Session, st *store.Store, cat *model.Catalog, catalogPath string, p *serve.Person, args []string) int {
	var stderr io.Writer = sess.Stderr()
	_, _, pty := sess.Pty()
	if (toStdout(args) || args[0] == "backup") && pty {
		fmt.Fprintln(stderr, "jibao: 导出文件时请不要用 ssh -t（终端会改动文件内容）")
		return exitUsage
	}
	if args[0] == "backup" {
		// A fresh copy of the live file, verified in the very snapshot it
		// streams; no copy of the data on the server's disk.
		if _, err := st.BackupTo(sess); err != nil {
			fmt.Fprintf(termenc.Writer(sessionEncoding(sess), stderr), "jibao: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	if serve.IsCycleCommand(args) {
		return a.serveCycle(sess, st, catalogPath, p, args)
	}
	dir, err := os.MkdirTemp("", "jibao-ssh-")
	if err != nil {
		fmt.Fprintf(stderr, "jibao: %v\n", err)
		return exitFail
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "jibao.db")
	if err := serve.Snapshot(st, cat, p, db); err != nil {
		fmt.Fprintf(stderr, "jibao: 读取数据失败: %v\n", err)
		return exitFail
	}
	// Text goes out in the terminal's encoding; an exported file as it is.
	enc := sessionEncoding(sess)
	stdout := termenc.Writer(enc, sess)
	stderr = termenc.Writer(enc, stderr)
	defer flush(stdout)
	defer flush(stderr)
	env := map[string]string{"JIBAO_DB": db, "JIBAO_USER": p.Name, "JIBAO_CATALOG": catalogPath,
		"JIBAO_VARIANT": p.OnlyVariant(), "HOME": dir, "TERM": termOf(sess)}
	sub := &app{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: func(k string) string { return env[k] }, now: a.now}
	if !p.AllUnits() {
		sub.scope = p.May
	}
	out := ""
	var said bytes.Buffer
	if toStdout(args) {
		args = append([]string(nil), args...)
		for i := range args {
			if args[i] == "-" && i > 0 && strings.TrimLeft(args[i-1], "-") == "o" {
				out = filepath.Join(dir, "export.out")
				args[i] = out
			} else if strings.TrimLeft(args[i], "-") == "o=-" {
				out = filepath.Join(dir, "export.out")
				args[i] = "-o=" + out
			}
		}
		sub.stdout = &said
	}
	code := sub.run(args)
	if code == exitOK && out != "" {
		f, err := os.Open(out)
		if err != nil {
			fmt.Fprintf(stderr, "jibao: %v\n", err)
			return exitFail
		}
		defer f.Close()
		n, err := io.Copy(sess, f)
		if err != nil {
			return exitFail
		}
		// The copy's path means nothing to the clerk: say what was sent.
		io.WriteString(stderr, strings.ReplaceAll(said.String(), out, fmt.Sprintf("已发送到标准输出（%d 字节）", n)))
	} else {
		io.Copy(stderr, &said)
	}
	return code
}

// toStdout says whether a command-mode request writes a workbook to stdout:
// export, and summary or remind with -o (CommandArgs allows only -o -).
func toStdout(args []string) bool {
	if args[0] == "export" {
		return true
	}
	for _, a := range args[1:] {
		if n := strings.TrimLeft(a, "-"); a != n && (n == "o" || strings.HasPrefix(n, "o=")) {
			return args[0] == "summary" || args[0] == "remind"
		}
	}
	return false
}

// sessionEncoding is what the person's terminal speaks: the keys file's
// encoding= if it says, else what the client's LANG or JIBAO_ENCODING (sent with
// ssh -o SetEnv) says, else UTF-8.
func sessionEncoding(sess ssh.Session) termenc.Encoding {
	if p := serve.PersonOf(sess); p != nil && p.Encoding != "" {
		if e, err := termenc.Parse(p.Encoding); err == nil {
			return e
		}
	}
	return termenc.FromSessionEnv(sess.Environ())
}

func flush(w io.Writer) {
	if f, ok := w.(interface{ Flush() error }); ok {
		f.Flush()
	}
}

// termOf is the client's TERM, so that list and check colour only a terminal.
func termOf(sess ssh.Session) string {
	if pty, _, ok := sess.Pty(); ok {
		return pty.Term
	}
	return ""
}
