"""Opens usage-YYYY-MM.xlsx with openpyxl and compares it with the month's CSV files.

Usage: python check_workbook.py OUT_FOLDER MONTH
Prints one line per difference, then "checked N cells" (or exits 1 on any difference).
"""
import csv
import datetime
import os
import sys

import openpyxl

out, month = sys.argv[1], sys.argv[2]
book = openpyxl.load_workbook(os.path.join(out, f"usage-{month}.xlsx"))
problems = []
cells = 0


def rows(name):
    with open(os.path.join(out, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


legend = {(row[1], row[2]) for row in book["代码说明"].iter_rows(min_row=2, values_only=True)}
codes_known = {code for code, _ in legend}


def compare(sheet_name, csv_name, labels, kinds, codes=(), keep=lambda row: True):
    """kinds: per column 't' text, 'm' money, 'd' time, 'i' integer, 'o' optional money, 'l' a code's label
    (代码说明); codes: the CSV columns whose codes follow the CSV's columns, in that order."""
    global cells
    sheet = book[sheet_name]
    if sheet.freeze_panes != "A2":
        problems.append(f"{sheet_name}: header row not frozen ({sheet.freeze_panes})")
    if sheet.page_setup.orientation != "landscape" or sheet.page_setup.paperSize not in (9, "9"):
        problems.append(f"{sheet_name}: not A4 landscape ({sheet.page_setup.orientation}, {sheet.page_setup.paperSize})")
    # fitToWidth 1 is OOXML's default, which the file leaves out; fitToHeight 0: as many pages down as it takes.
    if sheet.page_setup.fitToWidth not in (None, 1, "1") or str(sheet.page_setup.fitToHeight) != "0" \
            or not sheet.sheet_properties.pageSetUpPr.fitToPage:
        problems.append(f"{sheet_name}: not fit to the page's width")
    if sheet.print_title_rows not in ("1:1", "$1:$1"):
        problems.append(f"{sheet_name}: the header row is not printed on every page ({sheet.print_title_rows})")
    values = list(sheet.iter_rows(values_only=True))
    if list(values[0]) != labels:
        problems.append(f"{sheet_name}: labels {values[0]}")
    expected = [row for row in rows(csv_name)[1:] if keep(row)]
    if len(values) - 1 != len(expected):
        problems.append(f"{sheet_name}: {len(values) - 1} rows, the CSV has {len(expected)}")
    totals = [0] * len(labels)
    for line, (got, want) in enumerate(zip(values[1:], expected), 2):
        want = list(want) + [want[index] for index in codes]
        for column, (kind, cell, text) in enumerate(zip(kinds + "t" * len(codes), got, want)):
            cells += 1
            if kind == "l":
                ok = (text, cell) in legend
            elif kind == "t":
                ok = (cell or "") == text.lstrip("'") if text.startswith("'") else (cell or "") == text
            elif kind in "mo":
                if text == "" and kind == "o":
                    ok = cell is None
                else:
                    ok = isinstance(cell, (int, float)) and f"{cell:.2f}" == text
                    totals[column] += round(cell * 100) if ok else 0
                if ok and cell is not None and sheet.cell(row=line, column=column + 1).number_format != "#,##0.00":
                    problems.append(f"{sheet_name}!{line}:{column + 1}: format {sheet.cell(row=line, column=column + 1).number_format}")
            elif kind == "d":
                ok = isinstance(cell, datetime.datetime) and cell.strftime("%Y-%m-%d %H:%M:%S") == text
            else:
                ok = cell == int(text)
            if not ok:
                problems.append(f"{sheet_name}!{line}:{column + 1}: {cell!r} where the CSV has {text!r}")
            if column < len(kinds) and cell in codes_known:
                problems.append(f"{sheet_name}!{line}:{column + 1}: the code {cell!r} where its label belongs")
    for column, kind in enumerate(kinds):
        if kind in "mo":
            want = sum(round(float(row[column]) * 100) for row in expected if row[column] != "")
            if totals[column] != want:
                problems.append(f"{sheet_name}: column {column + 1} sums to {totals[column]} fen, the CSV to {want}")


compare("结算", f"usage-{month}-claims.csv",
        ["结算编号", "发生时间", "结算统筹区", "参保人", "类别", "金额", "个人账户支付", "家庭共济支付", "现金支付", "共济状态",
         "医保钱包支付", "家庭共济账户支付", "原因", "类别代码", "共济状态代码"], "tdttlmmmmlmmt", codes=(4, 9))
# 例外: the claims with a reason (the claims file's last column), the same columns.
compare("例外", f"usage-{month}-claims.csv",
        ["结算编号", "发生时间", "结算统筹区", "参保人", "类别", "金额", "个人账户支付", "家庭共济支付", "现金支付", "共济状态",
         "医保钱包支付", "家庭共济账户支付", "原因", "类别代码", "共济状态代码"], "tdttlmmmmlmmt", codes=(4, 9),
        keep=lambda row: row[12] != "")
compare("共济划扣", f"usage-{month}-shares.csv",
        ["结算编号", "发生时间", "授权人", "被授权人", "关系", "金额", "授权人支付前余额", "门槛", "渠道", "授权人统筹区", "关系代码",
         "渠道代码"], "tdttlmmolt", codes=(4, 8))
compare("授权人", f"usage-{month}-authorizers.csv",
        ["授权人", "统筹区", "期初余额", "划入", "本人支出", "共济支出", "期末余额", "门槛", "被授权人数"], "ttmmmmmoi")
summary = [row for row in book["概要"].iter_rows(values_only=True)]
for number, row in enumerate(summary, 1):
    for cell in row:
        if cell in codes_known:
            problems.append(f"概要!{number}: the code {cell!r} where its label belongs")
if summary[0][0] != f"{int(month[:4])}年{int(month[5:])}月 家庭共济":
    problems.append(f"概要: title {summary[0][0]!r}")

# 概要 is the month page: every heading and every table row of usage-YYYY-MM.md is a row of it, in the page's order,
# amounts and counts as numbers (1,234.56 → 1234.56), bold marks dropped, masked IDs as masked.
def page_value(text):
    import re
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text.replace("\\|", "|"))
    if re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d\d", text):
        return round(float(text.replace(",", "")), 2)
    if re.fullmatch(r"-?\d{1,3}(,\d{3})*", text):
        return int(text.replace(",", ""))
    return text


def sheet_value(cell):
    return round(cell, 2) if isinstance(cell, float) else cell


wanted = []
with open(os.path.join(out, f"usage-{month}.md"), encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line.startswith("## ") or line.startswith("### "):
            wanted.append([line.lstrip("#").strip()])
        elif line.startswith("|") and not set(line) <= set("|-: "):
            parts = [c.strip() for c in __import__("re").split(r"(?<!\\)\|", line)[1:-1]]
            wanted.append([page_value(c) for c in parts])
laid = [[sheet_value(c) for c in row if c is not None] for row in summary]
at = 0
for want in wanted:
    want = [w for w in want if w != ""]
    while at < len(laid) and laid[at] != want:
        at += 1
    if at == len(laid):
        problems.append(f"概要: the page's row {want!r} is not there (in order)")
        break
    cells += len(want)
for problem in problems[:40]:
    print(problem)
print(f"checked {cells} cells")
sys.exit(1 if problems else 0)
