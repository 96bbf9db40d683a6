#!/usr/bin/env python3
"""Compares two workbooks (.xlsx) part by part, or two folders' workbooks.

    Scripts/workbook-diff.py OLD.xlsx NEW.xlsx
    Scripts/workbook-diff.py OLD-FOLDER NEW-FOLDER     (every *.xlsx in OLD-FOLDER)

Two workbooks are the same when they hold the same parts (zip entries) and
each part has the same bytes, except that a number (`<v>...</v>`) may be
written differently when it is the same double: gongji writes 0.07 where
libxlsxwriter wrote 0.07000000000000001 (docs/formats.md, "The workbook").
The zip container itself (deflate level, entry headers) is not compared.
Prints one line per workbook; exits 1 if any differs.
"""
import os
import re
import sys
import zipfile

NUMBER = re.compile(rb"<v>([^<]*)</v>")


def parts(path):
    with zipfile.ZipFile(path) as book:
        bad = book.testzip()
        if bad is not None:
            raise SystemExit(f"{path}: entry {bad} fails its CRC")
        return {name: book.read(name) for name in book.namelist()}


def same_numbers(old, new):
    """Whether two parts differ only in numbers that are the same double; counts those."""
    old_values, new_values = NUMBER.findall(old), NUMBER.findall(new)
    if NUMBER.sub(b"<v/>", old) != NUMBER.sub(b"<v/>", new) or len(old_values) != len(new_values):
        return False, 0
    written_differently = 0
    for a, b in zip(old_values, new_values):
        if a != b:
            if float(a) != float(b):
                return False, 0
            written_differently += 1
    return True, written_differently


def first_difference(old, new):
    at = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    return f"at byte {at}: {old[max(0, at - 60):at + 60]!r} / {new[max(0, at - 60):at + 60]!r}"


def compare(old_path, new_path):
    old, new = parts(old_path), parts(new_path)
    problems = []
    if set(old) != set(new):
        problems.append(f"parts differ: only in old {sorted(set(old) - set(new))}, only in new {sorted(set(new) - set(old))}")
    numbers = 0
    for name in sorted(set(old) & set(new)):
        if old[name] == new[name]:
            continue
        same, count = same_numbers(old[name], new[name])
        if same:
            numbers += count
        else:
            problems.append(f"{name} differs {first_difference(old[name], new[name])}")
    if problems:
        print(f"{new_path}: DIFFERS from {old_path}")
        for problem in problems:
            print(f"  {problem}")
        return False
    print(f"{new_path}: same {len(new)} parts as {old_path}"
          + (f" ({numbers} numbers written shorter, the same doubles)" if numbers else ""))
    return True


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    old, new = argv[1], argv[2]
    if os.path.isdir(old):
        names = sorted(name for name in os.listdir(old) if name.endswith(".xlsx"))
        if not names:
            raise SystemExit(f"{old}: no workbooks")
        results = [compare(os.path.join(old, name), os.path.join(new, name)) for name in names]
    else:
        results = [compare(old, new)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
