package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"jibao/model"
)

// RemindFileName is the default name of a 催报 list: 南安-2025Q3-催报名单.xlsx.
func RemindFileName(v *model.Variant, p model.Period) string {
	return fmt.Sprintf("%s-%s-催报名单.xlsx", v.Name, p)
}

// RemindWorkbook is the 催报 list as a workbook the office works from: one row per
// unit (单位, 状态, 填表人, 联系电话, 逾期, 说明) and an empty 催报记录 column to
// note each call.
func RemindWorkbook(v *model.Variant, p model.Period, rows [][]string) (*excelize.File, error) {
	x := NewFile()
	sheet, err := newPlainSheet(x, "催报名单")
	if err != nil {
		return nil, err
	}
	_ = x.DeleteSheet("Sheet1")
	sheet.set(1, 1, fmt.Sprintf("%s %s 催报名单（截止 %s）", v.Name, p.Label(), v.DueDate(p).Format("2006-01-02")), sheet.bold)
	for i, h := range []string{"单位", "状态", "填表人", "联系电话", "逾期", "说明", "催报记录"} {
		sheet.set(i+1, 2, h, sheet.bold)
	}
	for i, row := range rows {
		for j, c := range row {
			sheet.set(j+1, 3+i, c, 0)
		}
	}
	if err := sheet.finish(3, page{}); err != nil {
		return nil, err
	}
	_ = x.SetDocProps(&excelize.DocProperties{Title: v.Name + " " + p.Label() + " 催报名单", Creator: "jibao", Language: "zh-CN"})
	return x, nil
}
