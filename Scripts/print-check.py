#!/usr/bin/env python3
"""Prints the month workbooks to PDF with LibreOffice and checks the print (issue 24).

Usage: python3 Scripts/print-check.py REPORTS_FOLDER [YYYY-MM ...]

For each month (default: every usage-YYYY-MM.xlsx in the folder) the
workbook is printed to PDF by LibreOffice (`soffice --headless`, its
profile in a temporary folder), as an analyst would print it, and the PDF
is checked:

- every page is A4 landscape (the workbook's print setup, docs/formats.md
  "The month's workbook");
- a font with Chinese glyphs is embedded (without one, LibreOffice prints
  boxes: install fonts-wqy-microhei or fonts-noto-cjk);
- the printed text holds every claim ID of usage-YYYY-MM-claims.csv and
  every claim's reason (the `reason` column), whitespace aside: no column
  is cut off the page, no reason lost to a narrow cell.

Needs soffice (libreoffice-calc-nogui), pdfinfo, pdffonts and pdftotext
(poppler-utils); .ci/run installs them and runs this on the sample's
reports. Exits 1 naming what failed; prints one line a month otherwise.
"""
import csv
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

CJK_FONTS = ("WenQuanYi", "Noto Sans CJK", "NotoSansCJK", "Noto Serif CJK", "NotoSerifCJK", "Droid Sans Fallback",
             "AR PL", "Source Han")


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def printed(reason, text, after):
    """Whether `reason` is in `text` near the claim ID `after` (its row):
    whole, or wrapped in its cell, where the extracted lines of the cell
    come in pieces, the first ones above the row's other cells (a wrapped
    cell is bottom-aligned, the row higher) and between the next columns'
    text (the codes at the right). Each piece is the longest start of the
    rest found further on, from 1,000 characters before the claim ID to
    2,000 after; at most six pieces of three or more characters. The
    workbook may join refusals with '；' where the CSV file has '; '."""
    start = text.find(after)
    if start < 0:
        return False
    window = text[max(0, start - 1000):start + 2000]
    variants = {re.sub(r"\s+", "", reason), re.sub(r"\s+", "", reason.replace("; ", "；"))}
    for rest in variants:
        at, pieces = 0, 0
        while rest and pieces < 6:
            length = len(rest)
            while length >= 3 and window.find(rest[:length], at) < 0:
                length -= 1
            if length < min(3, len(rest)):
                break
            at = window.find(rest[:length], at) + length
            rest = rest[length:]
            pieces += 1
        if not rest:
            return True
    return False


def main():
    if len(sys.argv) < 2 or not os.path.isdir(sys.argv[1]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    folder = sys.argv[1]
    months = sys.argv[2:] or sorted(re.fullmatch(r"usage-(\d{4}-\d{2})\.xlsx", os.path.basename(p)).group(1)
                                    for p in glob.glob(os.path.join(folder, "usage-*.xlsx")))
    if not months:
        print(f"print-check: no usage-YYYY-MM.xlsx in {folder}", file=sys.stderr)
        sys.exit(1)
    for tool in ("soffice", "pdfinfo", "pdffonts", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"print-check: {tool} not found (apt-get install libreoffice-calc-nogui poppler-utils)", file=sys.stderr)
            sys.exit(1)
    failures = []
    with tempfile.TemporaryDirectory(prefix="gongji-print-") as work:
        books = [os.path.join(folder, f"usage-{month}.xlsx") for month in months]
        # One LibreOffice for every workbook: its start is most of the time.
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", work, *books], check=True, capture_output=True, timeout=600)
        for month in months:
            pdf = os.path.join(work, f"usage-{month}.pdf")
            if not os.path.exists(pdf):
                failures.append(f"{month}: LibreOffice printed no PDF")
                continue
            pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))
            sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", run("pdfinfo", "-f", "1", "-l", str(pages), pdf), re.M)
            portrait = [n for n, (w, h) in enumerate(sizes, 1)
                        if not (abs(float(w) - 841.89) < 1 and abs(float(h) - 595.3) < 1)]
            if portrait:
                failures.append(f"{month}: pages {portrait[:5]} are not A4 landscape")
            fonts = run("pdffonts", pdf)
            if not any(name in fonts for name in CJK_FONTS):
                failures.append(f"{month}: no font with Chinese glyphs embedded (install fonts-wqy-microhei)")
            text = re.sub(r"\s+", "", run("pdftotext", "-layout", pdf, "-"))
            with open(os.path.join(folder, f"usage-{month}-claims.csv"), encoding="utf-8-sig", newline="") as f:
                claims = list(csv.DictReader(f))
            missing_ids = [c["claim_id"] for c in claims if c["claim_id"] not in text]
            reasons = [c for c in claims if c["reason"]]
            missing = [c["claim_id"] for c in reasons if not printed(c["reason"], text, after=c["claim_id"])]
            if missing_ids:
                failures.append(f"{month}: claims not in the print: {', '.join(missing_ids[:5])}")
            if missing:
                failures.append(f"{month}: reasons not in the print: {', '.join(missing[:5])}")
            print(f"print-check: usage-{month}.xlsx: {pages} pages, A4 landscape; {len(claims)} claims and "
                  f"{len(reasons)} reasons in the print")
    if failures:
        for failure in failures:
            print(f"print-check: {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
