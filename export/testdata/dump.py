"""Dump an xlsx as openpyxl sees it, as JSON on stdout: sheets, merged ranges,
every non-empty cell (value, type, number format, font), print set-up.
Used by the export tests to check our workbooks with a reader that is not ours."""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "detail": {}}
for ws in wb.worksheets:
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            cells[c.coordinate] = {
                "v": c.value if isinstance(c.value, (int, float, str)) else str(c.value),
                "t": type(c.value).__name__,
                "fmt": c.number_format,
                "font": c.font.name,
                "fill": (c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None),
            }
    ps = ws.page_setup
    out["detail"][ws.title] = {
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "cells": cells,
        "paper": ps.paperSize,
        "orientation": ps.orientation,
        "fitToWidth": ps.fitToWidth,
        "fitToHeight": ps.fitToHeight,
        "fitToPage": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        "printTitleRows": ws.print_title_rows,
        "freeze": ws.freeze_panes,
        "header": ws.oddHeader.center.text,
        "validations": [
            {"type": dv.type, "operator": dv.operator, "sqref": str(dv.sqref)}
            for dv in ws.data_validations.dataValidation
        ],
    }
json.dump(out, sys.stdout, ensure_ascii=False)
