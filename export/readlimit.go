package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Limits bound what opening a workbook may cost, whatever the file says about
// itself. A filled quarterly report is well under 1 MB unpacked (four sheets of
// some 30 rows by 40 columns); the limits leave room for a workbook with extra
// sheets, styles and a scanned stamp, and refuse the rest before excelize
// reads it, so that a crafted file (a 1 GB string packed into 1 MB, a million
// rows, XML nested a million deep) costs well under 2 s and 200 MB.
type Limits struct {
	File    int64 // the file on disk
	Total   int64 // all parts unpacked
	Sheet   int64 // one worksheet's XML unpacked
	Sheets  int64 // all worksheets' XML unpacked (excelize unmarshals the ones it reads)
	Strings int64 // the shared strings part (always unmarshalled whole)
	Parts   int   // parts in the package
	Depth   int   // XML element nesting
	Rows    int   // rows read from one sheet
	Cols    int   // columns read from one row
	// Convert bounds one LibreOffice conversion: a file that takes longer is
	// refused rather than left to hold the import up.
	Convert time.Duration
}

// DefaultLimits are the bounds jibao import reads with.
var DefaultLimits = Limits{
	File:    16 << 20,
	Total:   48 << 20,
	Sheet:   4 << 20,
	Sheets:  12 << 20,
	Strings: 4 << 20,
	Parts:   400,
	Depth:   64,
	Rows:    400,
	Cols:    160,
	Convert: 60 * time.Second,
}

// errTooBig is a file refused by the limits; the message says which part.
type errTooBig struct{ what string }

func (e errTooBig) Error() string {
	return "文件超出季报表可能的大小（" + e.what + "）：不像是季报表；请在 jibao export --template 导出的空白表上填写后再导入"
}

// openZip opens an xlsx held in memory after checking every part against the
// limits: the sizes the package declares (archive/zip refuses a part that
// unpacks to more than it declared) and the nesting of every XML part. Only
// then does excelize see it, with the same bounds.
//
// It returns, by sheet name, the first cell with a value that lay past the rows
// and columns read (see trimSheet).
func openZip(data []byte, lim Limits) (*excelize.File, map[string]string, error) {
	if int64(len(data)) > lim.File {
		return nil, nil, errTooBig{fmt.Sprintf("文件 %s，上限 %s", mb(int64(len(data))), mb(lim.File))}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, errBroken
	}
	if len(zr.File) > lim.Parts {
		return nil, nil, errTooBig{fmt.Sprintf("含 %d 个部件", len(zr.File))}
	}
	var total, sheets int64
	trimmed := map[string][]byte{}
	beyondPart := map[string]string{}
	for _, f := range zr.File {
		size := int64(f.UncompressedSize64)
		if size < 0 {
			return nil, nil, errTooBig{f.Name}
		}
		total += size
		name := strings.ToLower(f.Name)
		isSheet := strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
		switch {
		case isSheet && size > lim.Sheet:
			return nil, nil, errTooBig{fmt.Sprintf("工作表 %s 解压后 %s，上限 %s", path.Base(f.Name), mb(size), mb(lim.Sheet))}
		case name == "xl/sharedstrings.xml" && size > lim.Strings:
			return nil, nil, errTooBig{fmt.Sprintf("文字部分解压后 %s，上限 %s", mb(size), mb(lim.Strings))}
		case total > lim.Total:
			return nil, nil, errTooBig{fmt.Sprintf("解压后超过 %s", mb(lim.Total))}
		}
		switch {
		case isSheet:
			if sheets += size; sheets > lim.Sheets {
				return nil, nil, errTooBig{fmt.Sprintf("工作表合计解压后超过 %s", mb(lim.Sheets))}
			}
			b, err := readPart(f, lim.Depth)
			if err != nil {
				return nil, nil, err
			}
			t, beyond, err := trimSheet(b, lim)
			if err != nil {
				return nil, nil, err
			}
			if len(t) != len(b) {
				trimmed[f.Name] = t
			}
			if beyond != "" {
				beyondPart[f.Name] = beyond
			}
		case strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels"):
			if err := checkXMLPart(f, lim.Depth); err != nil {
				return nil, nil, err
			}
		}
	}
	if err := isWorkbook(zr); err != nil {
		return nil, nil, err
	}
	if len(trimmed) > 0 {
		if data, err = repack(zr, trimmed); err != nil {
			return nil, nil, errBroken
		}
	}
	// Every part stays in memory (the XML limit is above any part let through),
	// so excelize never spills a sheet to a temporary file and re-reads it.
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.Total, UnzipXMLSizeLimit: lim.Total,
	})
	if err != nil {
		return nil, nil, errBroken
	}
	var beyond map[string]string
	if len(beyondPart) > 0 {
		beyond = map[string]string{}
		for name, part := range sheetParts(zr) {
			if b, ok := beyondPart[part]; ok {
				beyond[name] = b
			}
		}
	}
	return x, beyond, nil
}

// isWorkbook refuses a zip package that is not a spreadsheet: a Word or
// PowerPoint file, or any other zip, named .xlsx.
func isWorkbook(zr *zip.Reader) error {
	what := "（文件内容不是表格）"
	for _, f := range zr.File {
		switch {
		case strings.EqualFold(f.Name, "xl/workbook.xml"):
			return nil
		case strings.HasPrefix(f.Name, "word/"):
			what = "（这是 Word 文档）"
		case strings.HasPrefix(f.Name, "ppt/"):
			what = "（这是 PowerPoint 演示文稿）"
		}
	}
	return fmt.Errorf("不是 Excel 工作簿%s；jibao 只读季报表的 .xlsx 文件", what)
}

// readPart reads a part whole (its size was checked) after checking its
// nesting as it streams, so that a deep part is refused at its 65th level, not
// after it was unpacked.
func readPart(f *zip.File, depth int) ([]byte, error) {
	if err := checkXMLPart(f, depth); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, errBroken
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, errBroken // more than it declared, or cut short
	}
	return b, nil
}

// repack writes the package again with some parts replaced.
func repack(zr *zip.Reader, parts map[string][]byte) ([]byte, error) {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, err
		}
		if b, ok := parts[f.Name]; ok {
			w.Write(b)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(w, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// sheetParts maps each sheet's name to its part in the package, from the
// workbook and its relationships (both checked for size and depth already).
func sheetParts(zr *zip.Reader) map[string]string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for _, f := range zr.File {
		var into any
		switch f.Name {
		case "xl/workbook.xml":
			into = &wb
		case "xl/_rels/workbook.xml.rels":
			into = &rels
		default:
			continue
		}
		if rc, err := f.Open(); err == nil {
			xml.NewDecoder(rc).Decode(into)
			rc.Close()
		}
	}
	target := map[string]string{}
	for _, r := range rels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = target[s.RID]
	}
	return out
}

// errBroken is a zip that does not open: cut short, or not an xlsx inside.
var errBroken = errors.New("文件已损坏或不完整（下载、复制或保存时中断？），无法读取；请在 Excel 或 WPS 中重新打开并另存为 .xlsx 后再导入")

func mb(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// checkXMLPart reads one XML part through, refusing it when its elements nest
// deeper than depth (a workbook's go six or seven deep) or when it unpacks to
// more than it declared. It looks at bytes only, in one pass, in constant
// memory.
func checkXMLPart(f *zip.File, depth int) error {
	rc, err := f.Open()
	if err != nil {
		return errBroken
	}
	defer rc.Close()
	s := xmlDepth{max: depth}
	buf := make([]byte, 32<<10)
	for {
		n, err := rc.Read(buf)
		if !s.feed(buf[:n]) {
			return errTooBig{fmt.Sprintf("%s 的 XML 嵌套超过 %d 层", path.Base(f.Name), depth)}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return errBroken
		}
	}
}

// xmlDepth follows the nesting of XML fed to it in pieces. It knows tags,
// quoted attribute values, comments, CDATA and processing instructions: enough
// to count depth, not to check well-formedness (excelize does that).
type xmlDepth struct {
	max   int
	depth int
	state int  // xmlText, xmlTag, …
	quote byte // inside a quoted attribute value
	prev  byte // the byte before, for "/>"
	open  bool // the tag being read opens an element (not </…>)
	first bool // the next byte is the first of the tag
	end   string
	tail  string // the last bytes of a comment, CDATA or PI, to find its end
}

const (
	xmlText = iota
	xmlTag
	xmlSkip // inside <!-- -->, <![CDATA[ ]]>, <? ?> or <!DOCTYPE >
	xmlBang // after "<!", deciding which
)

func (s *xmlDepth) feed(b []byte) bool {
	for _, c := range b {
		switch s.state {
		case xmlText:
			if c == '<' {
				s.state, s.first, s.open = xmlTag, true, true
			}
		case xmlBang:
			s.tail += string(c)
			switch {
			case strings.HasPrefix(s.tail, "--"):
				s.state, s.end, s.tail = xmlSkip, "-->", ""
			case strings.HasPrefix(s.tail, "[CDATA["):
				s.state, s.end, s.tail = xmlSkip, "]]>", ""
			case len(s.tail) >= 7 || (len(s.tail) >= 2 && !strings.HasPrefix("[CDATA[", s.tail) && s.tail[0] != '-'):
				s.state, s.end, s.tail = xmlSkip, ">", ""
			}
		case xmlSkip:
			s.tail += string(c)
			if len(s.tail) > len(s.end) {
				s.tail = s.tail[len(s.tail)-len(s.end):]
			}
			if s.tail == s.end {
				s.state, s.tail = xmlText, ""
			}
		case xmlTag:
			if s.first {
				s.first = false
				switch c {
				case '/':
					s.open = false
					continue
				case '?':
					s.state, s.end, s.tail = xmlSkip, "?>", ""
					continue
				case '!':
					s.state, s.tail = xmlBang, ""
					continue
				}
			}
			switch {
			case s.quote != 0:
				if c == s.quote {
					s.quote = 0
				}
			case c == '"' || c == '\'':
				s.quote = c
			case c == '>':
				s.state = xmlText
				switch {
				case !s.open:
					s.depth--
				case s.prev != '/':
					if s.depth++; s.depth > s.max {
						return false
					}
				}
			}
		}
		s.prev = c
	}
	return true
}
