package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"jibao/export"
	"jibao/model"
)

// remindRow is one unit to chase: not submitted, or returned.
type remindRow struct {
	unit    model.Unit
	state   model.State // "" 未填报
	filler  string
	phone   string
	from    string // the period the contact comes from, when not this one
	overdue int    // days past the due date, 0 when not yet due
	reason  string // the office's reason when returned
}

// cmdRemind is `jibao remind --variant V --period P [-o FILE] [--force]` (催报):
// the units of the directory that have not submitted the period's report or whose
// report was returned, with 填表人 and 联系电话 from their latest report and the
// days overdue; -o writes the same list as a workbook to work from (-o - to
// standard output, without the table; over ssh the server writes it to a file
// it sends, and the table goes to standard error: ssh … jibao remind -o - >
// 催报名单.xlsx). Over ssh an office limited to some units lists those.
// The cost is one List over the variant's reports and one report read per
// unit listed.
func (a *app) cmdRemind(args []string) int {
	var c common
	fs := a.newFlags("remind", &c)
	out := fs.String("o", "", "写出催报名单（xlsx）到此文件（- 为标准输出）")
	force := fs.Bool("force", false, "覆盖已有的文件")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("remind: 多余的参数 %q", strings.Join(fs.Args(), " "))
	}
	v, p, s, code := a.openForPeriod(&c)
	if s == nil {
		return code
	}
	defer s.Close()
	rows, err := remindRows(s, v, p, a.now, a.scope)
	if err != nil {
		return a.failStore(err)
	}
	var x *excelize.File
	if *out != "" {
		if x, err = export.RemindWorkbook(v, p, remindTable(rows)); err != nil {
			return a.fail("催报名单: %v", err)
		}
		defer x.Close()
	}
	if *out == "-" {
		if _, err := x.WriteTo(a.stdout); err != nil {
			return a.fail("写出催报名单失败：%v", err)
		}
		return exitOK
	}
	days := v.DaysLeft(p, a.now())
	fmt.Fprintf(a.stdout, "%s %s 催报：%d 个单位未上报或被退回  截止 %s，%s\n", v.Name, p.Label(), len(rows),
		v.DueDate(p).Format("2006-01-02"), model.DueText(days))
	t := &txtTable{head: []string{"单位", "状态", "填表人", "联系电话", "逾期", "说明"},
		right: []bool{false, false, false, false, true}, limit: []int{14, 0, 8, 14, 0, 30}}
	for _, r := range rows {
		t.add(remindCells(r)...)
	}
	t.render(a.screen(), a.painter())
	if x != nil {
		if err := export.Save(x, *out, *force); err != nil {
			return a.fail("%v", err)
		}
		fmt.Fprintf(a.stdout, "\n已写出 %s\n", *out)
	}
	return exitOK
}

func remindCells(r remindRow) []string {
	over := "-"
	if r.overdue > 0 {
		over = fmt.Sprintf("%d 天", r.overdue)
	}
	note := r.reason
	if note != "" {
		note = "退回：" + note
	}
	if r.from != "" {
		note = strings.TrimSpace(note + " 联系人取自" + r.from)
	}
	return []string{r.unit.Name, model.BoardLabel(r.state), orDash(r.filler), orDash(r.phone), over, note}
}

func remindTable(rows []remindRow) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = remindCells(r)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// remindSource is what the 催报 list reads: the store, or the workstation's
// view of it (tui.Store).
type remindSource interface {
	List(variant string, p *model.Period) ([]model.ReportInfo, error)
	Units(variant string) ([]model.Unit, error)
	Get(id model.ReportID) (*model.Report, error)
	Review(id model.ReportID) (model.Review, error)
}

// remindRows lists the units to chase, in directory order; may (nil for all)
// limits them to the units a session sees. The contact is the newest report
// of the unit up to this period that names a 填表人 or 联系电话.
func remindRows(s remindSource, v *model.Variant, p model.Period, now func() time.Time, may func(variant, unit string) bool) ([]remindRow, error) {
	infos, err := s.List(v.ID, nil)
	if err != nil {
		return nil, err
	}
	byUnit := map[string][]model.ReportInfo{}
	for _, in := range infos {
		if !p.Less(in.ID.Period) {
			byUnit[in.ID.Unit] = append(byUnit[in.ID.Unit], in)
		}
	}
	extra, err := s.Units(v.ID)
	if err != nil {
		return nil, err
	}
	overdue := max(0, -v.DaysLeft(p, now()))
	var out []remindRow
	seen := map[string]bool{}
	for _, u := range append(append([]model.Unit(nil), v.Units...), extra...) {
		if seen[u.Name] || may != nil && !may(v.ID, u.Name) {
			continue
		}
		seen[u.Name] = true
		mine := byUnit[u.Name]
		sort.Slice(mine, func(i, j int) bool { return mine[j].ID.Period.Less(mine[i].ID.Period) }) // newest first
		row := remindRow{unit: u, overdue: overdue}
		if len(mine) > 0 && mine[0].ID.Period == p {
			row.state = mine[0].State
		}
		if row.state.Delivered() {
			continue
		}
		for _, in := range mine {
			r, err := s.Get(in.ID)
			if err != nil {
				return nil, err
			}
			if r.Header.Filler != "" || r.Header.Phone != "" {
				row.filler, row.phone = r.Header.Filler, r.Header.Phone
				if in.ID.Period != p {
					row.from = in.ID.Period.Label()
				}
				break
			}
		}
		if row.state == model.StateReturned {
			rev, err := s.Review(mine[0].ID)
			if err != nil {
				return nil, err
			}
			row.reason = rev.ReturnReason(row.state)
		}
		out = append(out, row)
	}
	return out, nil
}
