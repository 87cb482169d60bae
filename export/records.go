package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"jibao/model"
)

// Record is one cell of a report, self-contained, for systems that do not read the
// official layout.
type Record struct {
	Variant  string          `json:"variant"`
	Reporter string          `json:"reporter"` // 填报单位
	Period   string          `json:"period"`
	Form     string          `json:"form"`   // 表一
	Row      string          `json:"row"`    // 国标, 市级; the unit type for block-wide cells and one-row forms
	Column   string          `json:"column"` // header path, "企业底数（家）/总数"
	Unit     string          `json:"unit"`   // 计量单位: 家, 人, 万元…
	Value    json.RawMessage `json:"value"`  // a number as the form prints it, or null when blank
	Key      string          `json:"key"`    // t1/guobiao/c1
}

// Records lists every cell the report's unit fills, in reading order, blanks
// included (with a null value).
func Records(v *model.Variant, r *model.Report) []Record {
	t, _ := v.UnitType(r.UnitType)
	var out []Record
	for _, f := range v.FormsFor(r.UnitType) {
		for _, k := range f.Cells() {
			c := f.Column(k.Col)
			row := t.Label
			if rd, ok := f.Row(k.Row); ok && len(f.Rows) > 1 && c.Scope == model.ScopeRow {
				row = rd.Label
			}
			val := json.RawMessage("null")
			if n, ok := r.Values[k]; ok {
				val = json.RawMessage(n.Format(c.Kind))
			}
			out = append(out, Record{Variant: v.ID, Reporter: r.Unit, Period: r.Period.String(),
				Form: f.Name(), Row: row, Column: c.PathText(), Unit: c.Unit, Value: val, Key: k.String()})
		}
	}
	return out
}

// WriteCSV writes the records as CSV with a heading line (UTF-8, no BOM).
func WriteCSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"版本", "填报单位", "期别", "表", "行", "栏目", "计量单位", "数值", "单元格"})
	for _, r := range recs {
		val := string(r.Value)
		if val == "null" {
			val = ""
		}
		_ = cw.Write([]string{r.Variant, r.Reporter, r.Period, r.Form, r.Row, r.Column, r.Unit, val, r.Key})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("写出 CSV 失败：%w", err)
	}
	return nil
}

// WriteJSON writes the records as one JSON array, one record per line.
func WriteJSON(w io.Writer, recs []Record) error {
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	for i, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		sep := ",\n"
		if i == len(recs)-1 {
			sep = "\n"
		}
		if _, err := fmt.Fprintf(w, "%s%s", b, sep); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]\n")
	return err
}
