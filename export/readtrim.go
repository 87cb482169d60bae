package export

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// maxMerges bounds a sheet's merged ranges: a form has some 200, and excelize
// compares every range with every other.
const maxMerges = 5000

var refAttrRE = regexp.MustCompile(`\sr\s*=\s*["']([A-Za-z]*)(\d*)["']`)

// nextStart finds the next start tag named local (with any namespace prefix)
// in xml from i: where it starts and its prefix ("x:" or ""). Plain byte
// scanning: a regexp over megabytes of XML is many times slower.
func nextStart(xml []byte, i int, local string) (int, string, bool) {
	for {
		k := bytes.IndexByte(xml[i:], '<')
		if k < 0 {
			return 0, "", false
		}
		s := i + k
		n := s + 1
		for n < len(xml) && xml[n] != ' ' && xml[n] != '>' && xml[n] != '/' && xml[n] != '\t' && xml[n] != '\n' && xml[n] != '\r' {
			n++
		}
		name := string(xml[s+1 : n])
		prefix := ""
		if c := strings.LastIndexByte(name, ':'); c >= 0 {
			prefix, name = name[:c+1], name[c+1:]
		}
		if name == local && n < len(xml) {
			return s, prefix, true
		}
		i = s + 1
	}
}

// trimSheet cuts from a worksheet's XML the rows past lim.Rows and the cells
// past lim.Cols, before excelize sees it: excelize fills every row up to the
// last one named and every cell up to the last column, so one cell at
// XFD1048576 costs 100 MB, and one per row more. It returns the XML (xml
// itself when nothing was cut) and the first cut cell that held a value, to
// be reported as not read.
func trimSheet(xml []byte, lim Limits) ([]byte, string, error) {
	if n := bytes.Count(xml, []byte("mergeCell")) - 2*bytes.Count(xml, []byte("mergeCells")); n > maxMerges {
		return nil, "", errTooBig{fmt.Sprintf("合并单元格超过 %d 处", maxMerges)}
	}
	start := bytes.Index(xml, []byte("sheetData"))
	if start < 0 {
		return xml, "", nil
	}
	var out bytes.Buffer
	beyond := ""
	keep := 0 // xml[keep:i] is still to be copied
	row := 0
	i := start
	for {
		rs, prefix, found := nextStart(xml, i, "row")
		if !found {
			break
		}
		re, body, ok := elementEnd(xml, rs, "</"+prefix+"row>")
		if !ok {
			return nil, "", errBroken
		}
		tag := xml[rs:body]
		if m := refAttrRE.FindSubmatch(tag); m != nil && len(m[2]) > 0 {
			row = atoiCapped(m[2])
		} else {
			row++
		}
		if row > lim.Rows {
			if beyond == "" {
				beyond = firstValueCell(xml[body:re], row)
			}
			out.Write(xml[keep:rs])
			keep, i = re, re
			continue
		}
		// Cells of a kept row: cut the ones past the last column read.
		col := 0
		j := body
		for {
			cs, cp, found := nextStart(xml[:re], j, "c")
			if !found {
				break
			}
			ce, cb, ok := elementEnd(xml[:re], cs, "</"+cp+"c>")
			if !ok {
				return nil, "", errBroken
			}
			if m := refAttrRE.FindSubmatch(xml[cs:cb]); m != nil && len(m[1]) > 0 {
				col = colNumber(m[1])
			} else {
				col++
			}
			if col > lim.Cols {
				if beyond == "" && hasValue(xml[cb:ce]) {
					beyond = cell(col-1, row)
				}
				out.Write(xml[keep:cs])
				keep = ce
			}
			j = ce
		}
		i = re
	}
	if keep == 0 {
		return xml, "", nil
	}
	out.Write(xml[keep:])
	return out.Bytes(), beyond, nil
}

// elementEnd finds where the element starting at s ends (after "/>" or its end
// tag) and where its start tag ends.
func elementEnd(xml []byte, s int, endTag string) (end, body int, ok bool) {
	quote := byte(0)
	for k := s + 1; k < len(xml); k++ {
		c := xml[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			if xml[k-1] == '/' {
				return k + 1, k + 1, true
			}
			e := bytes.Index(xml[k+1:], []byte(endTag))
			if e < 0 {
				return 0, 0, false
			}
			return k + 1 + e + len(endTag), k + 1, true
		}
	}
	return 0, 0, false
}

// firstValueCell is the first cell of a cut row's content that holds a value.
func firstValueCell(content []byte, row int) string {
	col, j := 0, 0
	for {
		cs, _, found := nextStart(content, j, "c")
		if !found {
			return ""
		}
		ce, cb, ok := elementEnd(content, cs, "</c>")
		if !ok {
			ce, cb = len(content), len(content)
		}
		if m := refAttrRE.FindSubmatch(content[cs:cb]); m != nil && len(m[1]) > 0 {
			col = colNumber(m[1])
			if len(m[2]) > 0 {
				row = atoiCapped(m[2])
			}
		} else {
			col++
		}
		if hasValue(content[cb:ce]) {
			return cell(min(col, 16384)-1, row)
		}
		j = ce
	}
}

func hasValue(content []byte) bool {
	return bytes.Contains(content, []byte("<v")) || bytes.Contains(content, []byte("<f")) ||
		bytes.Contains(content, []byte("<t")) || bytes.Contains(content, []byte(":v>"))
}

// atoiCapped reads a row number, capping what no sheet can have.
func atoiCapped(b []byte) int {
	n := 0
	for _, c := range b {
		if n = n*10 + int(c-'0'); n > 1<<24 {
			return 1 << 24
		}
	}
	return n
}

// colNumber is a column's letters as a number (A is 1), capped likewise.
func colNumber(b []byte) int {
	n := 0
	for _, c := range bytes.ToUpper(b) {
		if n = n*26 + int(c-'A') + 1; n > 1<<24 {
			return 1 << 24
		}
	}
	return n
}
