"""Fill a blank template the way a clerk's spreadsheet program would: openpyxl
rewrites the whole file. Reads a JSON spec on stdin:
  {"in": path, "out": path,
   "cells": {"Sheet!A1": value, ...},      # numbers stay numbers, strings stay text
   "header": "填报单位（盖章）：…",          # written over the header line cell A3 of every sheet
   "tweak": {"Sheet!B5": " 总 数\n", ...}}  # header texts with extra spaces / breaks
"""
import json
import sys

import openpyxl

spec = json.load(sys.stdin)
wb = openpyxl.load_workbook(spec["in"])
for ref, value in list(spec.get("cells", {}).items()) + list(spec.get("tweak", {}).items()):
    sheet, coord = ref.rsplit("!", 1)
    wb[sheet][coord] = value
if "header" in spec:
    for ws in wb.worksheets:
        ws["A3"] = spec["header"]
wb.save(spec["out"])
