#!/usr/bin/env python3
"""SQL on a gongji store with the view month_balance, outside gongji (docs/store.md, "Size").

Usage: python3 Scripts/store-sql.py [--separator SEP] STORE "SELECT ... FROM month_balance ..."

Since store v7 a month's balances are blocks in a binary form, which the view
month_balance spells out through the SQL function gongji_balances. gongji
registers it on its own connections; the sqlite3 shell does not know it. This
script registers the same function (in Python, from docs/store.md's
description of the form) and prints the query's rows separated by `|`, as the
shell does (or by SEP). It reads: open the store read-only, and keep it where the agency
keeps personal data (the store holds full IDs).
"""
import json
import sqlite3
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def gongji_balances(block):
    """A month_balance_block blob as the JSON text the view spells out."""
    if not isinstance(block, bytes):
        return block  # a block of an older store, JSON already
    if not block or block[0] != 1:
        raise ValueError("month_balance_block: a block not in the form gongji writes")
    at = 1

    def varint():
        nonlocal at
        value = shift = 0
        while True:
            byte = block[at]
            at += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def zigzag():
        value = varint()
        return (value >> 1) ^ -(value & 1)

    rows, digits, region = [], 0, 0
    for _ in range(varint()):
        flags = block[at]
        at += 1
        digits += varint()
        body = f"{digits:017d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]
        if flags & 1:
            region = varint()
        opening = zigzag()
        credits, own, shared, transferred, deposits, returned, frozen = (
            zigzag() if flags & (1 << bit) else 0 for bit in range(1, 8))
        closing = opening + credits - own - shared - transferred - deposits + returned
        rows.append([body + check, f"{region:06d}", opening, credits, own, shared, closing,
                     transferred, deposits, returned, frozen])
    return json.dumps(rows, separators=(",", ":"))


def main():
    args = sys.argv[1:]
    separator = "|"
    if len(args) == 4 and args[0] == "--separator":
        separator, args = args[1], args[2:]
    if len(args) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    db = sqlite3.connect(f"file:{args[0]}?mode=ro", uri=True)
    db.create_function("gongji_balances", 1, gongji_balances, deterministic=True)
    try:
        for row in db.execute(args[1]):
            print(*("" if value is None else value for value in row), sep=separator)
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()


if __name__ == "__main__":
    main()
