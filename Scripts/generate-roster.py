#!/usr/bin/env python3
"""Generates a large data folder for benchmarks (deterministic, never committed).

Usage: python3 Scripts/generate-roster.py OUT_DIR PERSONS [MONTHS]
Copies SampleData's policy.yaml and bulletins, then writes PERSONS persons
(valid resident IDs, spread over 440300, 110000 and 131000), their opening
balances and MONTHS monthly contribution files (default 1): PERSONS × MONTHS
roster rows.
"""
import os
import random
import shutil
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
AREAS = [("440300", "440305"), ("110000", "110105"), ("131000", "131002")]


def main():
    out, persons = sys.argv[1], int(sys.argv[2])
    months = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SampleData")
    os.makedirs(os.path.join(out, "contributions"), exist_ok=True)
    shutil.copy(os.path.join(root, "policy.yaml"), out)
    shutil.copytree(os.path.join(root, "bulletins"), os.path.join(out, "bulletins"), dirs_exist_ok=True)
    rng = random.Random(42)
    people = []
    seen = set()
    while len(people) < persons:
        region, area = AREAS[len(people) % 3]
        body = f"{area}{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        if body in seen:
            continue
        seen.add(body)
        pid = body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]
        retired = int(body[6:10]) < 1962
        people.append((pid, region, retired, rng.randint(4000, 40000)))
    with open(os.path.join(out, "persons.csv"), "w") as f:
        f.write("person_id,name,region_code,scheme,tier\n")
        f.writelines(f"{p},,{r},employee,\n" for p, r, _, _ in people)
    with open(os.path.join(out, "opening-balances.csv"), "w") as f:
        f.write("person_id,as_of,balance\n")
        f.writelines(f"{p},2022-01-01,{b * 3}.50\n" for p, _, _, b in people)
    for m in range(1, months + 1):
        with open(os.path.join(out, "contributions", f"2022-{m:02d}.csv"), "w") as f:
            f.write("person_id,month,region_code,status,base,employer_id\n")
            f.writelines(f"{p},2022-{m:02d},{r},retired,,\n" if ret else f"{p},2022-{m:02d},{r},in_service,{b}.25,E1\n"
                         for p, r, ret, b in people)
    print(f"wrote {persons} persons x {months} months to {out}")


if __name__ == "__main__":
    main()
