package main

import (
	"fmt"
	"io"
	"os/signal"
	"strings"
	"syscall"

	"jibao/export"
	"jibao/model"
)

// cmdSummary sums every unit's report of a period, as the collecting office
// reports upward: who reported, who did not, the totals, and with -o the official
// forms filled for the jurisdiction with reconciliation and progress sheets.
func (a *app) cmdSummary(args []string) int {
	var c common
	fs := a.newFlags("summary", &c)
	out := fs.String("o", "", "写出汇总工作簿（xlsx）到此文件（- 为标准输出）")
	force := fs.Bool("force", false, "覆盖已有的文件")
	all := fs.Bool("all", false, "列出每一栏的合计（默认只列各组的总数）")
	completeOnly := fs.Bool("complete-only", false, "只汇总已完成的报表（默认草稿也计入，并标出）")
	acceptedOnly := fs.Bool("accepted-only", false, "只汇总已审核的报表（向上级报送的口径）")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("summary: 多余的参数 %q", strings.Join(fs.Args(), " "))
	}
	if *out != "" && *out != "-" && !*force && fileExists(*out) {
		// Say so before a page of totals, not after it.
		return a.fail("%s：%v（加 --force 覆盖）", *out, export.ErrExists)
	}
	v, p, s, code := a.openForPeriod(&c)
	if s == nil {
		return code
	}
	sum, err := model.LoadSummary(s, v, p, model.Options{CompleteOnly: *completeOnly, AcceptedOnly: *acceptedOnly})
	s.Close()
	if err != nil {
		return a.failStore(err)
	}
	if *out == "" {
		a.printSummary(a.screen(), sum, *all)
		return exitOK
	}
	// The file first, then the text: `summary -o F | head` closes stdout early,
	// and the file must be there all the same.
	h := model.Header{Unit: sum.Variant.Office, Date: a.now().Format("2006-01-02")}
	x, err := export.SummaryWorkbook(sum, h)
	if err != nil {
		return a.fail("汇总工作簿: %v", err)
	}
	defer x.Close()
	if *out == "-" { // the workbook on stdout, for `ssh host jibao summary ... -o - > 汇总.xlsx`
		if _, err := x.WriteTo(a.stdout); err != nil {
			return a.fail("写出汇总工作簿失败：%v", err)
		}
		return exitOK
	}
	if err := export.SaveStreamed(x, *out, *force); err != nil {
		return a.fail("%v", err)
	}
	// A closed stdout (| head) is the reader's choice, not a failure: the file
	// is written.
	ignoreBrokenPipe()
	a.printSummary(a.screen(), sum, *all)
	fmt.Fprintf(a.stdout, "\n已写出 %s\n", *out)
	return exitOK
}

// summaryColumns are the columns the text summary shows: every column with all,
// otherwise each header group's 总数 or, without one, its first column.
func summaryColumns(f *model.Form, all bool) []*model.Column {
	if all {
		return f.Columns
	}
	var out []*model.Column
	seen := map[int]bool{}
	for _, c := range f.Columns {
		if c.Name == "总数" {
			out = append(out, c)
			seen[c.Group] = true
		}
	}
	var res []*model.Column
	for _, c := range f.Columns {
		if hasItem(out, c) || !seen[c.Group] {
			res = append(res, c)
			seen[c.Group] = true
		}
	}
	return res
}

// blockTotal sums a column over the rows of a unit type's block (a row-scoped
// column's 国标+省标+地标); ok is false when no unit filled any of them.
func blockTotal(s *model.Summary, typ string, f *model.Form, c *model.Column) (model.Number, bool) {
	var n model.Number
	any := false
	for _, r := range f.Rows {
		if f.Merged(r.ID, c.ID) || !f.Applicable(r.ID, c.ID) {
			continue
		}
		if x, ok := s.Value(typ, model.CellKey{Form: f.ID, Row: r.ID, Col: c.ID}); ok {
			n += x
			any = true
		}
	}
	return n, any
}

func entryNames(es []model.UnitEntry, detail func(model.UnitEntry) string) []string {
	var names []string
	for _, e := range es {
		n := e.Unit.Name
		if detail != nil {
			n += detail(e)
		}
		names = append(names, n)
	}
	return names
}

func (a *app) printSummary(w io.Writer, s *model.Summary, all bool) {
	pt := a.painter()
	v := s.Variant
	fmt.Fprintf(w, "%s %s 汇总（%s）\n", v.Name, s.Period.Label(), v.Office)
	got, total := s.ReportedShare()
	var complete int
	for _, e := range s.Units {
		if e.Status == model.StatusComplete {
			complete++
		}
	}
	// The counts add up to the reports: a draft with errors is one unfinished
	// report, not one draft and one report with errors.
	unfinished := fmt.Sprintf("未完成 %d", got-complete)
	if n := len(s.WithErrors()); n > 0 {
		unfinished += fmt.Sprintf("（其中有错误 %d）", n)
	}
	fmt.Fprintf(w, "已报 %d/%d 个单位：已完成 %d，%s；未填报 %d\n", got, total, complete, unfinished, len(s.Missing()))
	fmt.Fprintf(w, "状态: %s\n", model.StateCountsText(s.StateCounts()))
	if s.Options.AcceptedOnly {
		fmt.Fprintln(w, "口径: 只汇总已审核的报表；空白单元格不按 0 计")
	} else if s.Options.CompleteOnly {
		fmt.Fprintln(w, "口径: 只汇总已完成的报表；空白单元格不按 0 计")
	} else {
		fmt.Fprintln(w, "口径: 草稿和有错误的报表也计入合计（下面列出）；空白单元格不按 0 计")
	}
	fmt.Fprintln(w)
	pctOf := func(e model.UnitEntry) string {
		return " " + pctText(model.Percent(e.Checked.Filled, e.Checked.Total))
	}
	var blanks []model.UnitEntry
	for _, e := range s.Units {
		if e.Checked != nil && e.Checked.Blanks > 0 {
			blanks = append(blanks, e)
		}
	}
	for _, l := range []struct {
		title  string
		code   string
		list   []model.UnitEntry
		detail func(model.UnitEntry) string
	}{
		{"未填报", sgrRed, s.Missing(), nil},
		{"有错误", sgrRed, s.WithErrors(), func(e model.UnitEntry) string { return fmt.Sprintf("（%d 处）", e.Checked.Errors) }},
		{"草稿", sgrYellow, s.Drafts(), pctOf},
		{"有空白", sgrYellow, blanks, func(e model.UnitEntry) string { return fmt.Sprintf("（%d 处）", e.Checked.Blanks) }},
	} {
		if len(l.list) == 0 {
			continue
		}
		head := fmt.Sprintf("%s（%d）: ", l.title, len(l.list))
		fmt.Fprintln(w, pt.paint(l.code, head)+wrapItems(entryNames(l.list, l.detail), "、", outWidth-strWidth(head), strWidth(head)))
	}
	fmt.Fprintln(w)
	head := []string{"合计"}
	right := []bool{false}
	for _, t := range v.UnitTypes {
		head = append(head, t.Label)
		right = append(right, true)
	}
	t := &txtTable{head: head, right: right}
	notFilled := false
	for _, f := range v.Forms {
		for _, c := range summaryColumns(f, all) {
			cells := []string{f.Name() + " " + c.ShortName()}
			for _, ut := range v.UnitTypes {
				n, ok := blockTotal(s, ut.ID, f, c)
				switch {
				case f.TownshipOnly && !isTownship(v, ut.ID):
					cells = append(cells, "不填")
					notFilled = true
				case ok:
					cells = append(cells, n.Format(c.Kind))
				default:
					cells = append(cells, "-")
				}
			}
			t.add(cells...)
		}
	}
	// The label column takes what the figures leave of the line.
	wd := t.widths()
	t.limit = []int{outWidth - sumInts(wd[1:]) - 2*(len(wd)-1)}
	t.render(w, pt)
	legend := []string{"- 表示无单位填报"}
	if notFilled {
		legend = append(legend, "不填 表示这类单位不填这张表")
	}
	legend = append(legend, "表一「创建提升」、表二各栏为本类单位各行之和")
	fmt.Fprintln(w, "（"+wrapItems(legend, "；", outWidth-4, 2)+"）")
}

func isTownship(v *model.Variant, typ string) bool {
	t, _ := v.UnitType(typ)
	return t.Township
}

// ignoreBrokenPipe makes a write to a closed stdout an EPIPE error, which the
// text output does not check, instead of the SIGPIPE that ends the process.
func ignoreBrokenPipe() { signal.Ignore(syscall.SIGPIPE) }
