package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"jibao/export"
	"jibao/model"
)

// cmdExport writes a unit's report as the official workbook (or as CSV/JSON
// records), or the blank workbook with --template. An incomplete report is refused
// unless --draft, which marks every sheet 草稿. Exit 0 when written, 1 when refused,
// 2 on bad usage or a file/store problem.
func (a *app) cmdExport(args []string) int {
	var c common
	fs := a.newFlags("export", &c)
	out := fs.String("o", "", "输出文件（默认 版本-单位-期别-季报表.xlsx；csv/json 默认写到标准输出）")
	draft := fs.Bool("draft", false, "未完成的报表也导出，每页标明“草稿”")
	force := fs.Bool("force", false, "覆盖已存在的文件")
	format := fs.String("format", "xlsx", "输出格式: xlsx、csv 或 json")
	template := fs.Bool("template", false, "导出空白的官方表格（不需要 --unit --period）")
	if !a.parse(fs, args) {
		return exitUsage
	}
	if fs.NArg() > 0 {
		return a.fail("export: 多余的参数 %q（输出文件请用 -o 指定）", strings.Join(fs.Args(), " "))
	}
	if *format != "xlsx" && *format != "csv" && *format != "json" {
		return a.fail("export: 格式 %q 未知（可选 xlsx、csv、json）", *format)
	}
	_, v, err := a.catalogVariant(&c)
	if err != nil {
		return a.fail("%v", err)
	}
	if *template {
		return a.exportTemplate(v, *out, *format, *force)
	}
	if c.unit == "" {
		return a.fail("export: 请用 --unit 指定单位（或用 --template 导出空白表）")
	}
	p, err := a.period(v, &c)
	if err != nil {
		return a.fail("%v", err)
	}
	s, err := a.openStore(&c, true)
	if err != nil {
		return a.failStore(err)
	}
	defer s.Close()
	u, id, err := unitReport(s, v, p, c.unit)
	if err != nil {
		return a.failStore(err)
	}
	r, err := s.Get(id)
	if errors.Is(err, model.ErrNotFound) {
		return a.fail("%s %s 还没有报表（尚未录入）", u.Name, p.Label())
	}
	if err != nil {
		return a.failStore(err)
	}
	prev, err := previousReport(s, id)
	if err != nil {
		return a.failStore(err)
	}
	rev, err := s.Review(id) // the office's notes travel in the workbook too
	if err != nil {
		return a.failStore(err)
	}
	// The figures are read; a clerk opening the grid need not wait for the file.
	s.Close()
	res := v.Check(r, prev)
	if !res.Complete() && !*draft {
		return a.refuseIncomplete(v, u, p, len(res.Blanks), res.Errors())
	}
	switch {
	case *format != "xlsx":
		return a.exportRecords(v, r, *out, *format, *force)
	case *out == "-":
		return a.exportToStdout(v, r, rev, res, *draft)
	}
	path := *out
	if path == "" {
		path = export.FileName(v, r, *draft)
	}
	if err := export.ExportReviewed(v, r, rev, res, path, *draft, *force); err != nil {
		return a.fail("%v", err)
	}
	if n := res.Warnings(); n > 0 {
		fmt.Fprintf(a.stderr, "注意：有 %d 条提示尚未确认（jibao check 可查看）。\n", n)
	}
	what := "季报表"
	if *draft {
		what = "季报表草稿"
	}
	fmt.Fprintf(a.stdout, "已导出 %s %s %s %s：%s\n", v.Name, u.Name, p.Label(), what, path)
	return exitOK
}

func (a *app) exportTemplate(v *model.Variant, out, format string, force bool) int {
	if format != "xlsx" {
		return a.fail("export: 空白表只能导出为 xlsx")
	}
	x, err := export.Template(v)
	if err != nil {
		return a.fail("生成空白表失败：%v", err)
	}
	defer x.Close()
	if out == "" {
		out = export.TemplateName(v)
	}
	if err := export.Save(x, out, force); err != nil {
		return a.fail("%v", err)
	}
	fmt.Fprintf(a.stdout, "已导出 %s 空白季报表：%s\n", v.Name, out)
	return exitOK
}

func (a *app) refuseIncomplete(v *model.Variant, u model.Unit, p model.Period, blanks, errs int) int {
	// Short lines: a long unit name and its variant still fit 80 columns.
	fmt.Fprintf(a.stderr, "jibao: %s %s 的报表尚未完成，不能导出正式报表：\n"+
		"  %d 处空白，%d 处错误。查看：\n"+
		"  jibao check --variant %s --unit %s --period %s\n"+
		"  或加 --draft 导出草稿（每页标明「草稿」）。\n",
		u.Name, p.Label(), blanks, errs, v.ID, u.Name, p)
	return exitFail
}

// exportToStdout streams the workbook (-o -), for pipes and `ssh host jibao export`.
func (a *app) exportToStdout(v *model.Variant, r *model.Report, rev model.Review, res *model.Result, draft bool) int {
	x, err := export.WorkbookReviewed(v, r, rev, res, draft)
	if err != nil {
		return a.fail("生成工作簿失败：%v", err)
	}
	defer x.Close()
	if _, err := x.WriteTo(a.stdout); err != nil {
		return a.fail("写出工作簿失败：%v", err)
	}
	return exitOK
}

// exportRecords writes one record per cell, to stdout or to a file.
func (a *app) exportRecords(v *model.Variant, r *model.Report, out, format string, force bool) int {
	var buf bytes.Buffer
	recs := export.Records(v, r)
	write := export.WriteCSV
	if format == "json" {
		write = export.WriteJSON
	}
	if err := write(&buf, recs); err != nil {
		return a.fail("%v", err)
	}
	if out == "" || out == "-" {
		a.stdout.Write(buf.Bytes())
		return exitOK
	}
	data := buf.Bytes()
	if format == "csv" {
		// Excel and WPS on Chinese Windows read a CSV file without a BOM as GBK.
		data = append([]byte("\ufeff"), data...)
	}
	if err := export.WriteFile(out, data, force); err != nil {
		return a.fail("%v", err)
	}
	fmt.Fprintf(a.stdout, "已导出 %d 个单元格（%s）：%s\n", len(recs), format, out)
	return exitOK
}
