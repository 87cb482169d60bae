"""Edit a workbook the way a clerk's spreadsheet program leaves it, for the
import tests: openpyxl rewrites the whole file. Reads a JSON spec on stdin:
  {"in": path, "out": path,
   "cells": {"Sheet!A1": value, ...},
   "copy": [["Sheet", "New name"], ...],   # a second sheet with the same content
   "sheet": ["Name", {"A1": value}]}        # an extra sheet
A value is a JSON number, string or boolean as it is (openpyxl stores True as a
boolean cell and "#DIV/0!" as an error cell), or an object:
  {"date": "2025-03-05"} {"datetime": "2025-03-05T08:30"} {"time": "08:30"}
  {"formula": "=1+2"}  {"v": 45721, "fmt": "m-d"}  {"text": "12"}
"""
import datetime
import json
import sys

import openpyxl


def value(v):
    if not isinstance(v, dict):
        return v, None
    if "date" in v:
        return datetime.date.fromisoformat(v["date"]), None
    if "datetime" in v:
        return datetime.datetime.fromisoformat(v["datetime"]), None
    if "time" in v:
        return datetime.time.fromisoformat(v["time"]), None
    if "formula" in v:
        return v["formula"], None
    if "text" in v:
        return v["text"], "@"
    return v["v"], v.get("fmt")


spec = json.load(sys.stdin)
wb = openpyxl.load_workbook(spec["in"])
for src, name in spec.get("copy", []):
    ws = wb.copy_worksheet(wb[src])
    ws.title = name
for ref, v in spec.get("cells", {}).items():
    sheet, coord = ref.rsplit("!", 1)
    c = wb[sheet][coord]
    c.value, fmt = value(v)
    if "text" in (v if isinstance(v, dict) else {}):
        c.data_type = "s"
    if fmt:
        c.number_format = fmt
if "sheet" in spec:
    name, cells = spec["sheet"]
    ws = wb.create_sheet(name)
    for coord, v in cells.items():
        ws[coord], _ = value(v)
wb.save(spec["out"])
