package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/xuri/excelize/v2"

	"jibao/export"
	"jibao/model"
	"jibao/store"
)

// importPlan is one file read and checked, ready to be stored.
type importPlan struct {
	file      string
	v         *model.Variant
	im        *export.Imported
	p         model.Period
	guessed   bool
	converted string   // the format LibreOffice converted from, if any
	warnings  []string // said before the file is stored
}

// cmdImport reads filled official workbooks into the store. Every file is read and
// checked before any is written; a file is stored whole or not at all; a file equal
// to what is stored changes nothing; over a different report it shows the changes
// and asks (unless --force). Exit 0 when every file is in, 1 when a file was
// refused or declined, 2 on bad usage or a store problem.
func (a *app) cmdImport(args []string) int {
	var c common
	fs := a.newFlags("import", &c)
	force := fs.Bool("force", false, "覆盖已有报表时不再询问")
	dry := fs.Bool("dry-run", false, "只读取和检查，显示将会改变什么，不写入")
	files, ok := a.parseInterleaved(fs, args)
	if !ok {
		return exitUsage
	}
	if len(files) == 0 {
		return a.fail("import: 请给出要导入的 xlsx 文件，如 jibao import 南安-水头-2025Q3-季报表.xlsx --period 2025Q3")
	}
	cats, err := a.catalogs(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	var fixed *model.Variant
	if c.variant != "" || a.getenv("JIBAO_VARIANT") != "" {
		if _, fixed, err = a.variantIn(cats, &c); err != nil {
			return a.fail("%v", err)
		}
	}
	period, err := optionalPeriod(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	// A dry run checks files even where no data file exists yet (s stays nil).
	var s *store.Store
	if path, err := a.dbPath(&c); err != nil || !*dry || fileExists(path) {
		if s, err = a.openStore(&c, *dry); err != nil {
			return a.failStore(err)
		}
		defer s.Close()
	}
	plans, bad := a.readImports(s, cats, fixed, period, *force, files)
	if bad > 0 {
		fmt.Fprintf(a.stderr, "jibao: %d 个文件有问题，未导入任何文件（改正后重新导入全部文件）。\n", bad)
		return exitFail
	}
	in := bufio.NewReader(a.stdin)
	code := exitOK
	for _, pl := range plans {
		switch rc := a.storeImport(s, pl, in, *force, *dry); {
		case rc == exitUsage:
			return rc
		case rc != exitOK:
			code = rc
		}
	}
	return code
}

// parseInterleaved lets flags and file names come in any order
// (jibao import a.xlsx --period 2025Q3 b.xlsx).
func (a *app) parseInterleaved(fs *flag.FlagSet, args []string) ([]string, bool) {
	var files []string
	for {
		if !a.parse(fs, args) {
			return nil, false
		}
		if fs.NArg() == 0 {
			return files, true
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// readImports reads and checks every file; it prints each file's problems and
// returns the plans of the good files and the number of bad ones.
func (a *app) readImports(s *store.Store, cats *model.Catalogs, fixed *model.Variant, period *model.Period, force bool, files []string) ([]importPlan, int) {
	var plans []importPlan
	bad := 0
	seen := map[model.ReportID]string{}
	for _, file := range files {
		pl, err := a.readImport(s, cats, fixed, period, force, file)
		if err == nil {
			id := model.ReportID{Variant: pl.v.ID, Unit: pl.im.Unit.Name, Period: pl.p}
			if other, dup := seen[id]; dup {
				err = fmt.Errorf("与 %s 是同一单位（%s）同一期别（%s）", other, id.Unit, pl.p.Label())
			}
			seen[id] = file
		}
		if err != nil {
			bad++
			fmt.Fprintf(a.stderr, "%s：\n", file)
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(a.stderr, "  %s\n", line)
			}
			continue
		}
		plans = append(plans, pl)
	}
	return plans, bad
}

func (a *app) readImport(s *store.Store, cats *model.Catalogs, fixed *model.Variant, period *model.Period, force bool, file string) (importPlan, error) {
	pl := importPlan{file: file}
	o, err := export.Open(a.argPath(file), export.DefaultLimits)
	if err != nil {
		return pl, err
	}
	defer o.Close()
	x := o.File
	pl.converted = o.Converted
	// The titles name the year: the file is read with the forms of the year
	// whose titles it carries (newest first).
	v, err := detectAnyYear(x, cats)
	if fixed != nil && err == nil && v.ID == fixed.ID {
		fixed = v
	}
	switch {
	case fixed == nil && err != nil:
		return pl, err
	case fixed != nil && err == nil && v.ID != fixed.ID:
		// Said once, rather than a missing sheet for every form.
		return pl, fmt.Errorf("这是%s的季报表（看表头标题），不是 --variant %s（%s）的；请去掉 --variant 或改为 --variant %s",
			v.Name, fixed.ID, fixed.Name, v.ID)
	case fixed != nil:
		v = fixed
	}
	var extra []model.Unit
	if s != nil {
		if extra, err = s.Units(v.ID); err != nil {
			return pl, err
		}
	}
	im, err := o.Read(v, extra)
	if err != nil {
		return pl, err
	}
	pl.v, pl.im = v, im
	switch {
	case period != nil:
		pl.p = *period
		if !im.Date.IsZero() && !periodFits(v, pl.p, im.Date) && !force {
			return pl, fmt.Errorf("表头日期为 %s，与 --period %s（%s）不符；看日期应是%s的报表。确认无误请加 --force",
				im.Date.Format("2006年1月2日"), pl.p, pl.p.Label(), guessPeriod(v, im.Date).Label())
		}
	case !im.Date.IsZero():
		pl.p, pl.guessed = guessPeriod(v, im.Date), true
	default:
		return pl, errors.New("表头没有填写日期，无法推断是哪一季度的报表；请用 --period 指定，如 --period 2025Q3")
	}
	if err := v.CheckPeriod(pl.p); err != nil {
		if pl.guessed {
			return pl, fmt.Errorf("按表头日期 %s 推断为%s，%v", im.Date.Format("2006年1月2日"), pl.p.Label(), err)
		}
		return pl, err
	}
	if fp, ok := periodInName(file); ok && fp != pl.p {
		pl.warnings = append(pl.warnings, fmt.Sprintf("文件名写的是%s，导入为%s；请核对", fp.Label(), pl.p.Label()))
	}
	return pl, nil
}

// periodFits reports whether a report dated d can be the report of p: dated
// no earlier than p's first day and no later than a quarter after it was due.
func periodFits(v *model.Variant, p model.Period, d time.Time) bool {
	start := time.Date(p.Year, time.Month(3*p.Quarter-2), 1, 0, 0, 0, 0, d.Location())
	return !d.Before(start) && !d.After(v.DueDate(p).AddDate(0, 3, 0))
}

// periodNameRE finds a period in a file name: 2025Q3 as jibao names its files
// (2025-Q3), or 2025年第3季度 / 2025年三季度 as people do (a month, 2025年1月, is
// not a quarter).
var periodNameRE = regexp.MustCompile(`(20\d\d)\s*(?:-?\s*[Qq]\s*([1-4])|年\s*第?\s*([1-4一二三四])\s*季)`)

// periodInName is the period a file's name names, if it names one.
func periodInName(file string) (model.Period, bool) {
	m := periodNameRE.FindStringSubmatch(filepath.Base(file))
	if m == nil {
		return model.Period{}, false
	}
	y, _ := strconv.Atoi(m[1])
	q := strings.Index("1234一二三四", m[2]+m[3])
	if q >= 4 {
		q = (q - 4) / 3 // the Chinese numerals are three bytes each
	}
	return model.Period{Year: y, Quarter: q + 1}, true
}

// guessPeriod is the quarter a report dated d most likely reports: the one whose
// due date is nearest (南安 is due at the quarter's end, 泉州 in the month after,
// and both are often a few days late: 南安's year-end forms are due 5 January).
func guessPeriod(v *model.Variant, d time.Time) model.Period {
	best, bestGap := model.PeriodOf(d), time.Duration(-1)
	p := model.PeriodOf(d)
	for i := -2; i <= 1; i++ {
		q := model.Period{Year: p.Year, Quarter: p.Quarter + i}
		for q.Quarter < 1 {
			q.Year, q.Quarter = q.Year-1, q.Quarter+4
		}
		for q.Quarter > 4 {
			q.Year, q.Quarter = q.Year+1, q.Quarter-4
		}
		gap := v.DueDate(q).Sub(d)
		if gap < 0 {
			gap = -gap
		}
		if bestGap < 0 || gap < bestGap {
			best, bestGap = q, gap
		}
	}
	return best
}

// storeImport stores one read file, after showing what it changes and asking when
// it replaces different figures.
func (a *app) storeImport(s *store.Store, pl importPlan, in *bufio.Reader, force, dry bool) int {
	v, im := pl.v, pl.im
	id := model.ReportID{Variant: v.ID, Unit: im.Unit.Name, Period: pl.p}
	name := fmt.Sprintf("%s %s %s", v.Name, im.Unit.Name, pl.p.Label())
	w, pt := a.stdout, a.painter()
	if pl.converted != "" {
		fmt.Fprintf(w, "%s：%s，已用 LibreOffice 转换为 .xlsx 读取\n", pl.file, strings.TrimSpace(pl.converted))
	}
	if pl.guessed {
		// Said on a line of its own, first: a wrong guess files the figures
		// under another quarter.
		fmt.Fprintf(w, "%s：%s（按表头日期 %s；不对请用 --period 指定）\n",
			pl.file, pt.paint(sgrBold, "期别推断为"+pl.p.Label()), im.Date.Format("2006年1月2日"))
	}
	for _, line := range pl.warnings {
		fmt.Fprintf(w, "%s：%s\n", pl.file, pt.paint(sgrYellow, "注意，"+line))
	}
	for _, n := range im.Notes {
		fmt.Fprintf(w, "%s：注意，%s\n", pl.file, n)
	}
	if im.Header.Unit != im.Unit.Name {
		fmt.Fprintf(w, "%s：填报单位“%s”按单位名录认作“%s”\n", pl.file, im.Header.Unit, im.Unit.Name)
	}
	if im.Draft {
		fmt.Fprintf(w, "%s：注意，此文件标为“草稿”\n", pl.file)
	}
	var old, prev *model.Report
	if s != nil {
		var err error
		if old, err = s.Get(id); errors.Is(err, model.ErrNotFound) {
			old, err = nil, nil
		}
		if err != nil {
			return a.failStore(err)
		}
		if prev, err = previousReport(s, id); err != nil {
			return a.failStore(err)
		}
	}
	var r *model.Report
	if old != nil {
		r = old.Clone()
		r.Values = im.Report(pl.p).Values
		r.Header = im.Header
		if im.Explained { // the file's comments and confirmations are the unit's latest word
			r.Comments, r.Confirmed = im.Comments, im.Confirmed
		}
	} else {
		r = im.Report(pl.p)
	}
	r.UnitType = im.Unit.Type
	res := v.Check(r, prev)
	r.State = model.StateDraft
	status := fmt.Sprintf("草稿：%d 处空白，%d 处错误", len(res.Blanks), res.Errors())
	if res.Complete() {
		r.State, status = model.StateSubmitted, "已上报"
	}
	if old != nil {
		changes := importChanges(v, old, r, im.Where)
		if len(changes) == 0 && !receivedMore(old, r) { // the state follows the figures; nothing to store
			fmt.Fprintf(w, "%s：与已有的%s报表相同，无变化\n", pl.file, name)
			return exitOK
		}
		what := fmt.Sprintf("%d 处", len(changes))
		if more := explainedChanges(old, r); more != "" {
			what = more
			if len(changes) > 0 {
				what = fmt.Sprintf("%d 处（另有%s）", len(changes), more)
			}
		}
		colon := "："
		if len(changes) == 0 {
			colon = ""
		}
		fmt.Fprintf(w, "%s：已有%s的报表，导入将改变 %s%s\n", pl.file, name, what, colon)
		for i, ch := range changes {
			if i == maxShownChanges {
				fmt.Fprintf(w, "  另有 %d 处未列出\n", len(changes)-i)
				break
			}
			fmt.Fprintf(w, "  %s\n", ch)
		}
		if dry {
			fmt.Fprintf(w, "  （试运行，未写入）\n")
			return exitOK
		}
		if !force && !a.confirm(in, "覆盖已有报表吗？(y/N) ") {
			fmt.Fprintf(w, "%s：未导入（已有报表保持不变）\n", pl.file)
			return exitFail
		}
	} else if dry {
		fmt.Fprintf(w, "%s：将导入%s（%d 个数字；%s）（试运行，未写入）\n", pl.file, name, len(r.Values), status)
		return exitOK
	}
	if err := s.PutReport(r, a.user()); err != nil {
		return a.failStore(err)
	}
	fmt.Fprintf(w, "%s：已导入%s（%d 个数字；%s）\n", pl.file, name, len(r.Values), status)
	if old != nil && old.State != r.State { // the reporting cycle: a corrected file after 退回
		fmt.Fprintf(w, "  状态：%s → %s\n", old.State.Label(), r.State.Label())
	}
	return exitOK
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// maxShownChanges keeps the list of changes to a screenful.
const maxShownChanges = 40

// confirm asks a yes/no question on stdin; anything but y/是 is no. An answer
// that does not come from a terminal is not echoed by one: it is written after
// the question, so the next line does not run on from it.
func (a *app) confirm(in *bufio.Reader, question string) bool {
	fmt.Fprint(a.stdout, question)
	line, _ := in.ReadString('\n')
	answer := strings.TrimSpace(line)
	if f, ok := a.stdin.(interface{ Fd() uintptr }); !ok || !term.IsTerminal(f.Fd()) {
		fmt.Fprintln(a.stdout, answer)
	}
	switch strings.ToLower(answer) {
	case "y", "yes", "是":
		return true
	}
	return false
}

// importChanges lists, in reading order, what storing r over old changes: the
// header line and every cell whose value differs (with its place in the file, when
// the file has a value there).
func importChanges(v *model.Variant, old, r *model.Report, where map[model.CellKey]string) []string {
	var out []string
	hdr := func(label, a, b string) {
		if a != b {
			out = append(out, fmt.Sprintf("表头 %s：%s 改为 %s", label, orBlank(a), orBlank(b)))
		}
	}
	hdr("填报单位", old.Header.Unit, r.Header.Unit)
	hdr("填表人", old.Header.Filler, r.Header.Filler)
	hdr("联系电话", old.Header.Phone, r.Header.Phone)
	hdr("日期", old.Header.Date, r.Header.Date)
	keys := map[model.CellKey]bool{}
	for k := range old.Values {
		keys[k] = true
	}
	for k := range r.Values {
		keys[k] = true
	}
	order := map[model.CellKey]int{}
	for _, f := range v.Forms {
		for _, k := range f.Cells() {
			order[k] = len(order)
		}
	}
	var list []model.CellKey
	for k := range keys {
		a, okA := old.Values[k]
		b, okB := r.Values[k]
		if okA != okB || a != b {
			list = append(list, k)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		oi, iok := order[list[i]]
		oj, jok := order[list[j]]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return list[i].String() < list[j].String()
	})
	for _, k := range list {
		line := cellChange(v, k, old, r)
		if ref := where[k]; ref != "" {
			line = ref + " " + line
		}
		out = append(out, line)
	}
	return out
}

func cellChange(v *model.Variant, k model.CellKey, old, r *model.Report) string {
	f := v.Form(k.Form)
	if f == nil || f.Column(k.Col) == nil {
		return k.String()
	}
	c := f.Column(k.Col)
	where := f.Name()
	if rd, ok := f.Row(k.Row); ok && len(f.Rows) > 1 && c.Scope == model.ScopeRow {
		where += " " + rd.Label
	}
	val := func(rep *model.Report) string {
		if n, ok := rep.Values[k]; ok {
			return n.Format(c.Kind)
		}
		return "空白"
	}
	return fmt.Sprintf("%s %s：%s 改为 %s", where, c.PathText(), val(old), val(r))
}

func orBlank(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

// detectAnyYear finds the variant and year whose form titles the workbook
// carries, trying every year's catalog, newest first.
func detectAnyYear(x *excelize.File, cats *model.Catalogs) (*model.Variant, error) {
	years := cats.Years()
	var first error
	for i := len(years) - 1; i >= 0; i-- {
		c, _ := cats.Year(years[i])
		v, err := export.DetectVariant(x, c)
		if err == nil {
			return v, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}
