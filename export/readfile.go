package export

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// Opened is a workbook opened for import, and what was done to open it.
type Opened struct {
	File *excelize.File
	// Converted names the format LibreOffice converted from ("Excel 97-2003
	// (.xls)"), empty for an .xlsx read as it is.
	Converted string
	beyond    map[string]string // sheet → first value past the rows and columns read
}

// Read reads the opened workbook (see Read), saying also what lay past the rows
// and columns a form can have.
func (o *Opened) Read(v *model.Variant, extra []model.Unit) (*Imported, error) {
	return read(o.File, v, extra, o.beyond)
}

// Close releases the workbook.
func (o *Opened) Close() error { return o.File.Close() }

// Open opens a filled workbook for Read: an .xlsx (whatever its name says) read
// within lim, or an .xls, .et or .ods converted to .xlsx by LibreOffice when it
// is installed (soffice on PATH). Every refusal is a Chinese sentence saying
// what to do; none of excelize's or the zip reader's own words reach the clerk.
func Open(name string, lim Limits) (*Opened, error) {
	f, err := os.Open(name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, errors.New("文件不存在")
	case errors.Is(err, os.ErrPermission):
		return nil, errors.New("没有读取权限")
	case err != nil:
		return nil, errors.New("无法打开文件")
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return nil, errors.New("无法打开文件")
	case st.IsDir():
		return nil, errors.New("这是一个目录，不是文件")
	case st.Size() == 0:
		return nil, errors.New("文件是空的（0 字节）：保存时出错了吗？请重新保存后再导入")
	case st.Size() > lim.File:
		return nil, errTooBig{fmt.Sprintf("文件 %s，上限 %s", mb(st.Size()), mb(lim.File))}
	}
	data, err := io.ReadAll(io.LimitReader(f, lim.File+1))
	if err != nil {
		return nil, errors.New("读取文件时出错")
	}
	kind := sniff(data, name)
	switch kind.format {
	case "xlsx":
		x, beyond, err := openZip(data, lim)
		if err != nil {
			return nil, err
		}
		return &Opened{File: x, beyond: beyond}, nil
	case "":
		return nil, fmt.Errorf("不是 Excel 工作簿%s；jibao 只读季报表的 .xlsx 文件", kind.what)
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		return nil, fmt.Errorf("这是 %s 格式的文件（或设了打开密码），本机未安装 LibreOffice，无法转换；请在 Excel 或 WPS 中打开，选“文件 → 另存为”，"+
			"保存类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件", kind.what)
	}
	out, err := convert(soffice, data, kind.format, lim)
	if err != nil {
		return nil, err
	}
	x, beyond, err := openZip(out, lim)
	if err != nil {
		return nil, err
	}
	return &Opened{File: x, Converted: kind.what, beyond: beyond}, nil
}

type fileKind struct {
	format string // xlsx, xls, ods; "" for none we read
	what   string // how to name it to the clerk
}

// sniff tells a workbook's format by its first bytes, not its name: a file
// saved as .xls and renamed .xlsx (or the reverse) is read for what it is.
func sniff(data []byte, name string) fileKind {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
			for _, f := range zr.File {
				if f.Name == "mimetype" && f.UncompressedSize64 < 200 {
					if rc, err := f.Open(); err == nil {
						mt, _ := io.ReadAll(io.LimitReader(rc, 200))
						rc.Close()
						if strings.Contains(string(mt), "opendocument.spreadsheet") {
							return fileKind{"ods", "OpenDocument 表格（.ods）"}
						}
						return fileKind{"", "（是 OpenDocument 的文字或演示文件？）"}
					}
				}
			}
		}
		return fileKind{"xlsx", ""}
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// The old binary format: Excel 97-2003, WPS's .et, and also an .xlsx
		// saved with a password (encrypted into the same container).
		if ext == ".et" || ext == ".ett" {
			return fileKind{"xls", "WPS 表格（.et）"}
		}
		return fileKind{"xls", "Excel 97-2003（.xls）"}
	case bytes.HasPrefix(data, []byte("%PDF")):
		return fileKind{"", "（这是 PDF 文件）"}
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")), bytes.HasPrefix(data, []byte("\x89PNG")):
		return fileKind{"", "（这是图片）"}
	case looksLikeMarkup(data):
		// Some programs save "xls" as an HTML or XML spreadsheet page.
		return fileKind{"xls", "网页或 XML 格式的表格"}
	}
	if ext == ".csv" || ext == ".txt" {
		return fileKind{"", "（这是文本文件）"}
	}
	return fileKind{"", "（文件内容不是表格）"}
}

func looksLikeMarkup(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 512)]))
	head = strings.TrimPrefix(strings.TrimSpace(head), "\ufeff")
	return strings.HasPrefix(head, "<?xml") || strings.HasPrefix(head, "<html") || strings.HasPrefix(head, "<!doctype html")
}

// convert runs LibreOffice headless on a copy of the file in a temporary
// directory of its own (its own profile too, so that a clerk's open
// LibreOffice or a second import does not collide), bounded in time; the
// converted file must fit lim like any other.
func convert(soffice string, data []byte, format string, lim Limits) ([]byte, error) {
	dir, err := os.MkdirTemp("", "jibao-convert-")
	if err != nil {
		return nil, errors.New("无法建立临时目录来转换文件")
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in."+format)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, errors.New("无法写入临时文件来转换文件")
	}
	ctx, cancel := context.WithTimeout(context.Background(), lim.Convert)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--norestore", "--nologo", "--convert-to", "xlsx", "--outdir", filepath.Join(dir, "out"), in)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd)
	err = cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("LibreOffice 转换超过 %d 秒未完成；请在 Excel 或 WPS 中另存为 .xlsx 后再导入", int(lim.Convert.Seconds()))
	}
	out := filepath.Join(dir, "out", "in.xlsx")
	st, statErr := os.Stat(out)
	if err != nil || statErr != nil {
		return nil, errors.New("LibreOffice 无法转换此文件（文件损坏或设了打开密码？）；请在 Excel 或 WPS 中打开，去掉密码并另存为 .xlsx 后再导入")
	}
	if st.Size() > lim.File {
		return nil, errTooBig{fmt.Sprintf("转换后 %s", mb(st.Size()))}
	}
	return os.ReadFile(out)
}
