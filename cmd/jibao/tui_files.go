package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"jibao/export"
	"jibao/model"
	"jibao/store"
	"jibao/tui"
)

// The workstation's E and I: the same workbook as `jibao export -o -` and the
// same import as `jibao import`, and the office's 退回通知 after R, handed to
// tui as functions so that tui links neither excelize nor the store.

// exportWorkbook is tui.Exporter: the bytes `jibao export -o -` writes, the
// office's notes and the confirmed warnings included.
func exportWorkbook(v *model.Variant, r *model.Report, rev model.Review, res *model.Result, draft bool) (string, []byte, error) {
	x, err := export.WorkbookReviewed(v, r, rev, res, draft)
	if err != nil {
		return "", nil, err
	}
	data, err := workbookBytes(x)
	return export.FileName(v, r, draft), data, err
}

// workbookBytes is the file x makes, and closes x.
func workbookBytes(x *excelize.File) ([]byte, error) {
	defer x.Close()
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// summaryExporter is tui.SummaryExporter: the workbook `jibao summary -o` writes.
func (a *app) summaryExporter() tui.SummaryExporter {
	return func(sum *model.Summary) (string, []byte, error) {
		h := model.Header{Unit: sum.Variant.Office, Date: a.now().Format("2006-01-02")}
		x, err := export.SummaryWorkbook(sum, h)
		if err != nil {
			return "", nil, err
		}
		data, err := workbookBytes(x)
		return export.SummaryFileName(sum), data, err
	}
}

// remindExporter is tui.RemindExporter over st: the workbook `jibao remind -o`
// writes, of the units may lets the session see (nil: all).
func (a *app) remindExporter(st remindSource, may func(variant, unit string) bool) tui.RemindExporter {
	return func(v *model.Variant, p model.Period) (string, []byte, error) {
		rows, err := remindRows(st, v, p, a.now, may)
		if err != nil {
			return "", nil, err
		}
		x, err := export.RemindWorkbook(v, p, remindTable(rows))
		if err != nil {
			return "", nil, err
		}
		data, err := workbookBytes(x)
		return export.RemindFileName(v, p), data, err
	}
}

// noticeFile is tui.NoticeMaker: the 退回通知 text `jibao review --notice`
// writes, under its default name.
func noticeFile(v *model.Variant, r *model.Report, rev model.Review, res *model.Result) (string, []byte, error) {
	return export.NoticeName(v, r, ".txt"), []byte(export.NoticeText(v, r, rev, res)), nil
}

// importer is tui.Importer over st: jibao import's reading and checking, its
// list of changes (a dry run), then the store on confirmation.
func (a *app) importer(st *store.Store, user string) tui.Importer {
	return func(path string, p model.Period) (*tui.ImportPlan, error) {
		var out, errs bytes.Buffer
		sub := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, now: a.now,
			getenv: func(k string) string {
				if k == "JIBAO_USER" {
					return user
				}
				return ""
			}}
		name := filepath.Base(path)
		clean := func(b *bytes.Buffer) []string {
			var lines []string
			for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
				l = strings.ReplaceAll(l, path, name)
				if strings.TrimSpace(l) != "（试运行，未写入）" && l != "" {
					lines = append(lines, strings.TrimSuffix(l, "（试运行，未写入）"))
				}
			}
			return lines
		}
		plans, bad := sub.readImports(st, st.Catalogs(), nil, &p, false, []string{path})
		if bad > 0 {
			return nil, errors.New(strings.Join(clean(&errs), "\n"))
		}
		pl := plans[0]
		if rc := sub.storeImport(st, pl, nil, false, true); rc != exitOK {
			return nil, errors.New(strings.Join(append(clean(&out), clean(&errs)...), "\n"))
		}
		lines := clean(&out)
		plan := &tui.ImportPlan{ID: model.ReportID{Variant: pl.v.ID, Unit: pl.im.Unit.Name, Period: pl.p}, Lines: lines, Changes: -1}
		if len(lines) > 0 && strings.HasSuffix(lines[len(lines)-1], "无变化") {
			plan.Changes = 0
		}
		plan.Apply = func() (string, error) {
			out.Reset()
			errs.Reset()
			if rc := sub.storeImport(st, pl, nil, true, false); rc != exitOK {
				return "", fmt.Errorf("%s", strings.Join(append(clean(&out), clean(&errs)...), " "))
			}
			lines := clean(&out)
			return lines[len(lines)-1], nil
		}
		return plan, nil
	}
}

// workDir is where a local export goes: the directory jibao was started in.
func (a *app) workDir() string {
	if d, err := os.Getwd(); err == nil {
		return d
	}
	return "."
}
