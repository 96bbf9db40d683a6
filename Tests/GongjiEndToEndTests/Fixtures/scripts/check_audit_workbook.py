"""audit-YYYY-MM.xlsx against audit-YYYY-MM-findings.csv (docs/audit.md): every finding a row of 发现 with
the same values (the code's label where the CSV has the code, the code at the right), amounts as numbers
formatted #,##0.00, times as dates, printed A4 landscape a page wide with the header on every page; 概要's
total equal to the CSV's. Prints `checked N cells`; exit 1 with the problems otherwise."""
import csv
import datetime
import os
import sys

import openpyxl

out, month = sys.argv[1], sys.argv[2]
book = openpyxl.load_workbook(os.path.join(out, f"audit-{month}.xlsx"))
problems = []
with open(os.path.join(out, f"audit-{month}-findings.csv"), encoding="utf-8-sig", newline="") as f:
    expected = list(csv.reader(f))[1:]
sheet = book["发现"]
if sheet.page_setup.orientation != "landscape" or str(sheet.page_setup.paperSize) != "9" \
        or not sheet.sheet_properties.pageSetUpPr.fitToPage or sheet.print_title_rows not in ("1:1", "$1:$1"):
    problems.append("发现: not printed A4 landscape, a page wide, the header on every page")
values = list(sheet.iter_rows(values_only=True))
if list(values[0]) != ["结算编号", "结算时间", "结算统筹区", "参保人", "付款人", "发现", "涉及金额", "说明", "代码"]:
    problems.append(f"发现: labels {values[0]}")
if len(values) - 1 != len(expected):
    problems.append(f"发现: {len(values) - 1} rows, the CSV has {len(expected)}")
cells = 0
total = 0
for line, (got, want) in enumerate(zip(values[1:], expected), 2):
    setl_id, time, region, certno, payer, code, amount, detail = want
    cells += len(got)
    checks = [
        (got[0], setl_id), (got[2] or "", region), (got[3] or "", certno), (got[4] or "", payer), (got[7], detail),
        (got[8], code),
    ]
    for cell, text in checks:
        if cell != text:
            problems.append(f"发现!{line}: {cell!r} where the CSV has {text!r}")
    if time and not (isinstance(got[1], datetime.datetime) and got[1].strftime("%Y-%m-%d %H:%M:%S") == time):
        problems.append(f"发现!{line}: time {got[1]!r} where the CSV has {time!r}")
    if got[5] == code or not got[5]:
        problems.append(f"发现!{line}: the code {got[5]!r} where its label belongs")
    if not (isinstance(got[6], (int, float)) and f"{got[6]:.2f}" == amount) \
            or sheet.cell(row=line, column=7).number_format != "#,##0.00":
        problems.append(f"发现!{line}: amount {got[6]!r} where the CSV has {amount!r}")
    total += round(float(amount) * 100)
summary = list(book["概要"].iter_rows(values_only=True))
totals = [row for row in summary if row[0] == "合计"]
if not totals or round(totals[0][3] * 100) != total or totals[0][2] != len(expected):
    problems.append(f"概要: total {totals[:1]} where the CSV has {len(expected)} findings, {total} fen")
for problem in problems[:40]:
    print(problem)
print(f"checked {cells} cells")
sys.exit(1 if problems else 0)
