#!/usr/bin/env python3
"""Writes the small, readable sample rosters in SampleData/ (deterministic).

persons.csv, opening-balances.csv and contributions/YYYY-MM.csv for about
300 persons in 440300 Shenzhen, 110000 Beijing and 131000 Langfang, for the
12 months 2022-03 .. 2023-02 (spanning Beijing's 2022-09-01 reform), with
retirees around 70, a few legacy 15-digit IDs, bases outside the 60%-300%
band, and deliberately bad rows in contributions/2022-06.csv and persons.csv.
Every name and ID is invented. Run: python3 Scripts/generate-sample.py [DIR]
"""
import os
import random
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂"
REGIONS = [("440300", "440305", 120), ("110000", "110105", 120), ("131000", "131002", 60)]
MONTHS = [(2022, m) for m in range(3, 13)] + [(2023, 1), (2023, 2)]


def check_char(body17):
    return CHECK[sum(int(d) * w for d, w in zip(body17, WEIGHTS)) % 11]


def resident_id(area, birth, seq):
    body = f"{area}{birth}{seq:03d}"
    return body + check_char(body)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "SampleData")
    rng = random.Random(20221)
    persons = []
    for region, area, count in REGIONS:
        for i in range(count):
            kind = rng.random()
            if kind < 0.15:   # retirees born 1951-1953: some turn 70 inside the year
                year, status = rng.choice([1952, 1952, 1953, 1951]), "retired"
            else:
                year, status = rng.randint(1960, 2000), "in_service"
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            if i == 0:   # a birthday on the 1st: 35 on 2022-07-01 exactly
                year, month, day, status = 1987, 7, 1, "in_service"
            if i == 1:   # born on the 2nd: still 34 on 2022-07-01
                year, month, day, status = 1987, 7, 2, "in_service"
            pid = resident_id(area, f"{year:04d}{month:02d}{day:02d}", rng.randint(1, 999))
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            scheme = "resident" if (status == "in_service" and rng.random() < 0.05) else "employee"
            persons.append(dict(id=pid, name=name, region=region, scheme=scheme, status=status,
                                base=rng.randint(45, 330) * 10000 + rng.choice([0, 0, 0, 50, 75])))

    def written_id(p, index):
        # A few legacy 15-digit IDs and a lower-case x, as rosters carry them.
        pid = p["id"]
        if index % 50 == 7 and pid[6:8] == "19":
            return pid[:6] + pid[8:17]
        return pid.lower() if pid.endswith("X") and index % 2 == 0 else pid

    os.makedirs(os.path.join(out, "contributions"), exist_ok=True)
    with open(os.path.join(out, "persons.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("person_id,name,region_code,scheme,tier\n")
        for index, p in enumerate(persons):
            f.write(f"{written_id(p, index)},{p['name']},{p['region']},{p['scheme']},{'1' if p['region'] == '440300' else ''}\n")
        # Deliberately bad rows.
        f.write("44030519900101123,缺位,440300,employee,1\n")          # 17 characters
        f.write(f"{persons[3]['id']},重复,{persons[3]['region']},employee,\n")  # duplicate person_id
        f.write(f"{resident_id('440305', '19850315', 18)},外地,999999,employee,\n")  # region not in policy
    with open(os.path.join(out, "opening-balances.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("person_id,as_of,balance\n")
        for p in persons:
            if p["scheme"] == "employee":
                f.write(f"{p['id']},2022-03-01,{rng.randint(0, 1500000) / 100:.2f}\n")
    for year, month in MONTHS:
        name = f"{year:04d}-{month:02d}"
        with open(os.path.join(out, "contributions", f"{name}.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("person_id,month,region_code,status,base,employer_id\n")
            for index, p in enumerate(persons):
                if p["scheme"] != "employee":
                    continue
                base = f"{p['base'] / 100:.2f}" if p["status"] == "in_service" else ""
                employer = f"E{(index % 17) + 1:04d}" if p["status"] == "in_service" else ""
                f.write(f"{written_id(p, index)},{name},{p['region']},{p['status']},{base},{employer}\n")
            if name == "2022-06":
                p = persons[5]
                f.write(f"{p['id'][:17]}0,{name},{p['region']},in_service,8000,E0001\n")   # wrong check character
                f.write(f"{persons[6]['id']},{name},{persons[6]['region']},in_service,8000.125,E0001\n")  # 3 decimals
                f.write(f"{persons[8]['id']},2022-13,{persons[8]['region']},in_service,8000,E0001\n")   # no month 13
                f.write(f"{persons[9]['id']},{name},{persons[9]['region']},working,8000,E0001\n")       # unknown status
                f.write(f"{persons[2]['id']},{name},{persons[2]['region']},in_service,9000,E0001\n")    # duplicate
                f.write(f"{persons[10]['id']},{name},{persons[10]['region']},in_service,,E0001\n")      # no base
                f.write(f"{persons[11]['id']},{name},{persons[11]['region']},in_service,\"=HYPERLINK(\"\"x\"\")\",E0001\n")
    print(f"wrote {len(persons)} persons and {len(MONTHS)} monthly rosters to {out}")


if __name__ == "__main__":
    main()
