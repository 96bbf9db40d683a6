#!/usr/bin/env python3
"""Writes the small, readable sample rosters in SampleData/ (deterministic).

persons.csv, opening-balances.csv and contributions/YYYY-MM.csv for about
330 persons in 440300 Shenzhen, 110000 Beijing, 131000 Langfang and 130100
Shijiazhuang (sharing across the two Hebei regions), for the
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
    counts = write_sharing(out, persons)
    hebei = write_hebei(out)
    earmarks = write_earmarks(out)
    audit = write_settlements(out)
    print(f"wrote {len(persons)} persons and {len(MONTHS)} monthly rosters to {out}; {counts}; {hebei}; {earmarks}; {audit}")


CATEGORIES = ["outpatient"] * 6 + ["inpatient", "pharmacy_otc", "pharmacy_rx", "pharmacy_rx", "vaccination",
                                    "physical_exam", "resident_premium"]


def write_sharing(out, persons):
    """bindings.csv, events.csv and usage/YYYY-MM.csv, from a second seed so the
    rosters above stay as they were. Each scenario the settlement rules name
    is here once on purpose; the rest is random family life."""
    rng = random.Random(20222)
    emp = {r: [p for p in persons if p["region"] == r and p["scheme"] == "employee"] for r, _, _ in REGIONS}
    res = {r: [p for p in persons if p["region"] == r and p["scheme"] == "resident"] for r, _, _ in REGIONS}
    sz, bj, lf = "440300", "110000", "131000"
    bindings, events = [], []

    def bind(a, b, relation, bound="2021-09-01", unbound="", channel="app"):
        bindings.append([f"B{len(bindings) + 1:04d}", a["id"], b["id"], relation, bound, unbound, channel])

    # 深圳 (threshold): one resident-scheme beneficiary authorized by three relatives.
    bind(emp[sz][0], res[sz][0], "spouse")
    bind(emp[sz][1], res[sz][0], "child", channel="counter")
    bind(emp[sz][2], res[sz][0], "grandchild")
    bind(emp[sz][3], res[sz][1], "grandchild", bound="2022-05-20")
    bind(emp[sz][4], res[sz][2], "sibling")                   # never allowed in Shenzhen
    bind(emp[sz][5], emp[sz][6], "spouse")                    # own account first, then family
    bind(emp[bj][0], res[sz][3], "parent")                    # different pooling regions
    # 北京 (no threshold): a death, an unbinding, leaving the scheme, a sibling before 2025.
    bind(emp[bj][1], res[bj][0], "parent")
    bind(emp[bj][2], res[bj][0], "spouse")
    events.append([emp[bj][1]["id"], "2022-09-15", "death"])
    bind(emp[bj][3], res[bj][1], "child", unbound="2022-08-01")
    bind(emp[bj][4], res[bj][2], "spouse")
    events.append([emp[bj][4]["id"], "2022-11-01", "left_scheme"])
    bind(emp[bj][5], emp[bj][6], "sibling")                  # allowed only from 2025-01-01
    bind(res[bj][3], res[bj][4], "child")                    # the authorizer has no account
    bind({"id": resident_id("110105", "19700101", 77)}, res[bj][5], "parent")  # authorizer not insured
    # 廊坊: siblings and grandparents allowed only from 2022-10-01; a beneficiary dies.
    bind(emp[lf][0], res[lf][0] if res[lf] else emp[lf][9], "sibling", bound="2022-05-01")
    bind(emp[lf][1], emp[lf][10], "parent")
    bind(emp[lf][2], emp[lf][10], "grandparent")
    bind(emp[lf][3], emp[lf][11], "spouse")
    events.append([emp[lf][11]["id"], "2023-01-10", "death"])
    # Random families: spouses, parents and children within a region.
    for region in (sz, bj, lf):
        pool = emp[region][12:]
        for _ in range(8):
            a, b = rng.sample(pool, 2)
            bind(a, b, rng.choice(["spouse", "parent", "child"]), bound=f"202{rng.randint(1, 2)}-0{rng.randint(1, 9)}-01")
    events.append([emp[sz][40]["id"], "2022-12-05", "chronic_disease"])

    dead = {e[0]: e[1] for e in events if e[2] == "death"}
    with open(os.path.join(out, "bindings.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("binding_id,authorizer_id,beneficiary_id,relation,bound_on,unbound_on,channel,priority\n")
        for row in bindings:
            f.write(",".join(row) + ",\n")
        # Deliberately bad rows.
        f.write(f"B0001,{emp[sz][7]['id']},{emp[sz][8]['id']},spouse,2022-01-01,,app,\n")      # duplicate binding_id
        f.write(f"B9001,{emp[sz][7]['id']},{emp[sz][7]['id']},spouse,2022-01-01,,app,\n")      # oneself
        f.write(f"B9002,{emp[sz][7]['id']},{emp[sz][8]['id']},cousin,2022-01-01,,app,\n")      # not a relation
        f.write(f"B9003,{emp[sz][7]['id']},{emp[sz][8]['id']},spouse,2022-06-01,2022-05-01,app,\n")  # ends first
        f.write(f"B9004,{emp[sz][7]['id']},{emp[sz][8]['id']},spouse,2022-01-01,,app,0\n")     # priority from 1
    with open(os.path.join(out, "events.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("person_id,date,event\n")
        for row in events:
            f.write(",".join(row) + "\n")
        f.write(f"{emp[sz][41]['id']},2022-10-01,retired\n")     # not an ending event

    beneficiaries = sorted({row[2] for row in bindings}, key=lambda pid: pid)
    known = {p["id"] for p in persons}
    others = [p["id"] for p in persons if p["id"] not in set(beneficiaries)]
    os.makedirs(os.path.join(out, "usage"), exist_ok=True)
    claims = 0
    for year, month in MONTHS:
        name = f"{year:04d}-{month:02d}"
        rows = []
        people = [pid for pid in beneficiaries if pid in known] + rng.sample(others, 25)
        for pid in people:
            for _ in range(rng.choice([1, 1, 2, 3])):
                day = rng.randint(1, Day_length(year, month))
                date = f"{name}-{day:02d}"
                if pid in dead and date >= dead[pid]:
                    continue
                hour, minute, second = rng.randint(7, 21), rng.randint(0, 59), rng.randint(0, 59)
                style = rng.random()
                if style < 0.7:
                    when = f"{date} {hour:02d}:{minute:02d}:{second:02d}"
                elif style < 0.85:
                    when = f"{date}T{hour:02d}:{minute:02d}:{second:02d}+08:00"
                else:
                    when = f"{date} {hour:02d}:{minute:02d}"
                category = rng.choice(CATEGORIES)
                amount = rng.randint(2000, 600000) if category == "inpatient" else rng.randint(500, 90000)
                region = next(p["region"] for p in persons if p["id"] == pid)
                rows.append([pid, when, region, category, f"{amount / 100:.2f}"])
        rows.sort(key=lambda r: (r[1][:10], r[0]))
        with open(os.path.join(out, "usage", f"{name}.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("claim_id,person_id,occurred_at,region_code,category,amount\n")
            for n, (pid, when, region, category, amount) in enumerate(rows, 1):
                f.write(f"C{year:04d}{month:02d}-{n:04d},{pid},{when},{region},{category},{amount}\n")
            claims += len(rows)
            if name == "2022-06":
                p = emp[sz][20]["id"]
                f.write(f"C202206-0001,{p},2022-06-30 10:00:00,440300,outpatient,10.00\n")     # duplicate claim_id
                f.write(f"C202206-9001,{p},2022-06-31 10:00:00,440300,outpatient,10.00\n")     # no 31 June
                f.write(f"C202206-9002,{p},2022-06-30T10:00:00Z,440300,outpatient,10.00\n")    # UTC, not local
                f.write(f"C202206-9003,{p},2022-06-30 10:00:00,440300,massage,10.00\n")        # not a category
                f.write(f"C202206-9004,{p},2022-06-30 10:00:00,440300,outpatient,-10.00\n")    # negative
                f.write(f"C202206-9005,{p},2022-06-30 10:00:00,440300,outpatient,10.005\n")    # 3 decimals
                f.write(f"C202206-9006,{resident_id('440305', '19900101', 5)},2022-06-30 10:00:00,440300,outpatient,10.00\n")
    return f"{len(bindings)} bindings, {len(events)} events, {claims} claims"


def write_hebei(out):
    """Sharing across pooling regions inside Hebei (130100 石家庄, 131000 廊坊;
    province scope from the illustrative 2022-09-01) and across provinces.
    Its own seed, and rows appended after everything above, so that the
    other regions' rows and the rejected lines stay as they were."""
    rng = random.Random(20223)
    sjz, lf, bj = "130100", "131000", "110000"

    def person(region, area, scheme="employee", status="in_service", year=None):
        year = year or rng.randint(1960, 2000)
        pid = resident_id(area, f"{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", rng.randint(1, 999))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        return dict(id=pid, name=name, region=region, scheme=scheme, status=status,
                    base=rng.randint(45, 330) * 10000 + rng.choice([0, 0, 50]))

    people = [person(sjz, "130102", status="retired" if i % 7 == 3 else "in_service", year=1953 if i % 7 == 3 else None)
              for i in range(24)]
    s_ben = person(sjz, "130102", scheme="resident")            # 石家庄 resident: family money only
    l_auth = person(lf, "131002")                                # 廊坊 authorizer of s_ben (priority 2)
    l_ben = person(lf, "131002", scheme="resident")             # 廊坊 resident with a 石家庄 authorizer
    l_far = person(lf, "131002")                                 # 廊坊 authorizer of a 北京 relative
    b_ben = person(bj, "110105", scheme="resident")             # 北京: another province
    people += [s_ben, l_auth, l_ben, l_far, b_ben]
    s_auth, s_parent = people[0], people[1]
    with open(os.path.join(out, "persons.csv"), "a", encoding="utf-8", newline="") as f:
        for p in people:
            f.write(f"{p['id']},{p['name']},{p['region']},{p['scheme']},\n")
    with open(os.path.join(out, "opening-balances.csv"), "a", encoding="utf-8", newline="") as f:
        for p in people:
            if p["scheme"] == "employee":
                f.write(f"{p['id']},2022-03-01,{rng.randint(200000, 1500000) / 100:.2f}\n")
    for year, month in MONTHS:
        name = f"{year:04d}-{month:02d}"
        with open(os.path.join(out, "contributions", f"{name}.csv"), "a", encoding="utf-8", newline="") as f:
            for index, p in enumerate(people):
                if p["scheme"] != "employee":
                    continue
                base = f"{p['base'] / 100:.2f}" if p["status"] == "in_service" else ""
                employer = f"E{(index % 5) + 101:04d}" if p["status"] == "in_service" else ""
                f.write(f"{p['id']},{name},{p['region']},{p['status']},{base},{employer}\n")
    bindings = [
        # One beneficiary, two authorizers in two regions; 130100 draws by
        # priority, so its own authorizer (the smaller balance) pays first.
        ["H001", l_auth["id"], s_ben["id"], "spouse", "2022-05-01", "", "app", "2"],
        ["H002", s_auth["id"], s_ben["id"], "child", "2022-05-01", "", "counter", "1"],
        # 石家庄 → 廊坊: refused until both sides' province scope, then paid.
        ["H003", s_parent["id"], l_ben["id"], "parent", "2022-06-01", "", "app", ""],
        # 廊坊 → 北京: another province, always refused.
        ["H004", l_far["id"], b_ben["id"], "spouse", "2022-04-01", "", "app", ""],
    ]
    pool = people[2:24]
    for n in range(4):
        a, b = rng.sample(pool, 2)
        bindings.append([f"H{n + 5:03d}", a["id"], b["id"], rng.choice(["spouse", "parent", "child"]), "2022-04-01", "",
                         "app", ""])
    with open(os.path.join(out, "bindings.csv"), "a", encoding="utf-8", newline="") as f:
        for row in bindings:
            f.write(",".join(row) + "\n")
    claimants = [s_ben, l_ben, b_ben] + [people[b] for b in range(2, 24)]
    claims = 0
    for year, month in MONTHS:
        name = f"{year:04d}-{month:02d}"
        rows = []
        for p in claimants[:3] + rng.sample(claimants[3:], 8):
            for _ in range(rng.choice([1, 2, 2, 3])):
                day = rng.randint(1, Day_length(year, month))
                when = f"{name}-{day:02d} {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
                category = rng.choice(["outpatient"] * 4 + ["pharmacy_rx", "inpatient", "vaccination"])
                amount = rng.randint(5000, 300000) if category == "inpatient" else rng.randint(500, 90000)
                rows.append([p["id"], when, p["region"], category, f"{amount / 100:.2f}"])
        rows.sort(key=lambda r: (r[1], r[0]))
        with open(os.path.join(out, "usage", f"{name}.csv"), "a", encoding="utf-8", newline="") as f:
            for n, (pid, when, region, category, amount) in enumerate(rows, 1):
                f.write(f"H{year:04d}{month:02d}-{n:04d},{pid},{when},{region},{category},{amount}\n")
        claims += len(rows)
    return f"Hebei and across provinces: {len(people)} persons, {len(bindings)} bindings, {claims} claims"


EARMARK_MONTHS = [(2025, 12), (2026, 1), (2026, 2)]


def write_earmarks(out):
    """Money set aside ahead of claims, in three months of their own
    (2025-12 .. 2026-02; the run settles the months that have inputs):
    wallet transfers between 320500 苏州 and 131000 廊坊 (the first batch,
    2024-12-02) with each refusal kind and unaccepted ones; quotas after
    2026-01-09, used across provinces and released; two 350200 厦门 pots,
    a refused deposit of each kind and a dissolution. Every scenario is
    written out by hand (docs/rules.md section 4b); its own seed gives the
    names and IDs only. Rows are appended after everything above."""
    rng = random.Random(20224)
    su, lf, xm, sz = "320500", "131000", "350200", "440300"

    def person(region, area, year, scheme="employee", opening=None, base=None):
        pid = resident_id(area, f"{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", rng.randint(1, 999))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        return dict(id=pid, name=name, region=region, scheme=scheme, opening=opening, base=base)

    su1 = person(su, "320505", 1975, opening="9000.00", base="12000.00")    # sends transfers
    su2 = person(su, "320505", 1968, opening="12000.00", base="15000.00")   # sets quotas
    su3 = person(su, "320505", 1990, opening="800.00", base="6000.00")      # too little to send or share
    su4 = person(su, "320505", 2001, scheme="resident")                     # a wallet holder without an account
    lf1 = person(lf, "131002", 1978, opening="3000.00", base="7000.00")     # receives, spends, sends on
    lf2 = person(lf, "131002", 2003, scheme="resident")                     # pays a resident premium from the wallet
    lf3 = person(lf, "131002", 1950, opening="200.00", base="5000.00")      # a parent living on a quota
    sz1 = person(sz, "440305", 1980, scheme="resident")                     # in a region without a wallet
    xm1 = person(xm, "350203", 1972, opening="15000.00", base="14000.00")   # creator of pot XM-P001
    xm2 = person(xm, "350203", 2010, scheme="resident")                     # child member
    xm3 = person(xm, "350203", 1974, opening="100.00", base="6000.00")      # spouse member
    xm4 = person(xm, "350203", 1966, opening="8000.00", base="9000.00")     # creator of pot XM-P002, moves away
    xm5 = person(xm, "350203", 1940, scheme="resident")                     # parent member of XM-P002
    people = [su1, su2, su3, su4, lf1, lf2, lf3, sz1, xm1, xm2, xm3, xm4, xm5]
    with open(os.path.join(out, "persons.csv"), "a", encoding="utf-8", newline="") as f:
        for p in people:
            f.write(f"{p['id']},{p['name']},{p['region']},{p['scheme']},\n")
    with open(os.path.join(out, "opening-balances.csv"), "a", encoding="utf-8", newline="") as f:
        for p in people:
            if p["opening"]:
                f.write(f"{p['id']},2025-12-01,{p['opening']}\n")
    for year, month in EARMARK_MONTHS:
        name = f"{year:04d}-{month:02d}"
        with open(os.path.join(out, "contributions", f"{name}.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("person_id,month,region_code,status,base,employer_id\n")
            for index, p in enumerate(people):
                if p["base"]:
                    f.write(f"{p['id']},{name},{p['region']},in_service,{p['base']},E{index + 201:04d}\n")

    transfers = [
        ["WT001", su1, lf1, "spouse", "2025-12-03 09:15:00", "1500.00", "", "2025-12-03 09:20:00"],
        ["WT002", su1, lf2, "child", "2025-12-03 10:00:00", "2500.00", "", "2025-12-03 10:01:00"],   # over 2000
        ["WT003", su1, lf2, "child", "2025-12-03 11:00:00", "800.00", "", "2025-12-03 11:30:00"],
        ["WT004", su1, lf1, "spouse", "2025-12-03 12:00:00", "200.00", "", "2025-12-03 12:10:00"],
        ["WT005", su1, lf1, "spouse", "2025-12-03 13:00:00", "100.00", "", "2025-12-03 13:05:00"],   # 4th that day
        ["WT006", su1, lf1, "spouse", "2025-12-05 23:10:00", "100.00", "", ""],                     # quiet hours
        ["WT007", su3, lf3, "parent", "2025-12-08 10:00:00", "1000.00", "", ""],                    # balance short
        ["WT008", su1, sz1, "sibling", "2025-12-09 14:00:00", "300.00", "", ""],                    # no wallet in 440300
        ["WT009", su1, lf3, "parent", "2025-12-10 15:00:00", "600.00", "", ""],                     # never accepted
        ["WT010", lf1, su4, "child", "2025-12-12 10:00:00", "500.00", "true", "2025-12-12 10:05:00"],  # from the wallet
        ["WT011", su1, lf1, "spouse", "2025-12-31 20:00:00", "400.00", "", ""],                     # back on 2026-01-01
        ["WT012", su1, lf1, "spouse", "2026-01-15 10:00:00", "300.00", "", "2026-01-15 10:02:00"],  # quota model by then
    ]
    with open(os.path.join(out, "wallet-transfers.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("transfer_id,from_id,to_id,relation,sent_at,amount,from_wallet,accepted_at\n")
        for t in transfers:
            f.write(",".join([t[0], t[1]["id"], t[2]["id"]] + t[3:]) + "\n")
        f.write(f"WT001,{su1['id']},{lf1['id']},spouse,2025-12-04 09:00:00,10.00,,\n")          # duplicate transfer_id
        f.write(f"WT900,{su1['id']},{lf1['id']},spouse,2025-12-04 09:00:00,0.00,,\n")           # nothing to send
        f.write(f"WT901,{su1['id']},{lf1['id']},spouse,2025-12-04 09:00:00,10.00,yes,\n")       # not true/false
        f.write(f"WT902,{su1['id']},{lf1['id']},spouse,2025-12-04 09:00:00,10.00,,2025-12-04 08:00:00\n")  # accepted first
    quotas = [
        ["WQ001", su2, lf3, "parent", "2026-01-12", "3000.00", "2026-02-15"],   # across provinces, released on ended_on
        ["WQ002", su2, su4, "child", "2026-01-12", "2000.00", ""],              # ended by su4's move
        ["WQ003", su3, lf3, "parent", "2026-01-13", "5000.00", ""],             # more than su3's free balance
        ["WQ004", su1, lf1, "spouse", "2025-12-20", "1000.00", ""],             # before the quota model
    ]
    with open(os.path.join(out, "wallet-quotas.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("quota_id,sharer_id,beneficiary_id,relation,set_on,amount,ended_on\n")
        for q in quotas:
            f.write(",".join([q[0], q[1]["id"], q[2]["id"]] + q[3:]) + "\n")
        f.write(f"WQ900,{su2['id']},{lf3['id']},parent,2026-01-12,100.00,2026-01-12\n")         # ends as it starts
    with open(os.path.join(out, "pots.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("pot_id,creator_id,created_on,closed_on\n")
        f.write(f"XM-P001,{xm1['id']},2025-12-01,\n")
        f.write(f"XM-P002,{xm4['id']},2025-12-01,\n")
    with open(os.path.join(out, "pot-members.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("pot_id,person_id,relation,joined_on,left_on\n")
        f.write(f"XM-P001,{xm2['id']},child,2025-12-01,\n")
        f.write(f"XM-P001,{xm3['id']},spouse,2025-12-01,\n")
        f.write(f"XM-P002,{xm5['id']},parent,2025-12-01,\n")
        f.write(f"XM-P009,{xm5['id']},parent,2025-12-01,\n")                                  # no such pot
    with open(os.path.join(out, "pot-deposits.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("deposit_id,pot_id,at,amount\n")
        f.write("PD001,XM-P001,2025-12-02 10:00:00,6000.00\n")
        f.write("PD002,XM-P002,2025-12-05 09:30:00,2000.00\n")
        f.write("PD003,XM-P001,2025-12-20 16:00:00,500.00\n")      # a second deposit in December
        f.write("PD004,XM-P001,2026-01-05 11:00:00,8000.00\n")     # would leave less than 2000
        f.write("PD005,XM-P001,2026-02-03 10:00:00,3000.00\n")
    with open(os.path.join(out, "events.csv"), "a", encoding="utf-8", newline="") as f:
        f.write(f"{su4['id']},2026-02-20,moved_region\n")          # ends quota WQ002
        f.write(f"{xm4['id']},2026-02-10,moved_region\n")          # dissolves pot XM-P002
    claims = {
        "2025-12": [
            (lf1, "2025-12-15 10:20:00", lf, "outpatient", "3600.00"),   # own account, then wallet
            (lf2, "2025-12-18 09:00:00", lf, "resident_premium", "380.00"),  # the wallet pays the premium
            (lf1, "2025-12-20 16:40:00", su, "outpatient", "200.00"),    # outside the holder's region: cash
            (xm2, "2025-12-10 08:30:00", xm, "outpatient", "450.00"),    # the pot pays
            (xm3, "2025-12-14 14:00:00", xm, "inpatient", "1200.00"),    # own 100, then the pot
            (xm3, "2025-12-16 19:00:00", xm, "pharmacy_otc", "80.00"),   # not shared: cash
            (su1, "2025-12-22 11:00:00", su, "outpatient", "260.00"),
        ],
        "2026-01": [
            (su4, "2026-01-05 10:00:00", su, "outpatient", "300.00"),    # wallet
            (xm5, "2026-01-08 09:15:00", xm, "outpatient", "300.00"),    # pot XM-P002
            (su2, "2026-01-18 15:30:00", su, "inpatient", "9000.00"),    # the quota stays frozen
            (lf3, "2026-01-20 08:45:00", lf, "inpatient", "2400.00"),    # own, then quota across provinces
            (su4, "2026-01-25 17:20:00", su, "pharmacy_rx", "700.00"),   # wallet, then quota
            (xm2, "2026-01-27 10:10:00", xm, "outpatient", "520.00"),
            # A 深圳 beneficiary of the 2022 families (bindings B0001..B0003): the newest 深圳 bulletin
            # is statistical year 2022, so 2025-07..2026-06 carries its base (docs/rules.md, rule R1)
            # and the authorizers above 8,237.70 pay.
            (dict(id="44030519900427983X"), "2026-01-28 11:00:00", sz, "outpatient", "20000.00"),
        ],
        "2026-02": [
            (lf3, "2026-02-05 09:00:00", lf, "outpatient", "500.00"),    # the quota's last use before 2026-02-15
            (xm3, "2026-02-12 13:00:00", xm, "outpatient", "900.00"),
            (xm5, "2026-02-14 09:00:00", xm, "outpatient", "150.00"),    # XM-P002 dissolved on 2026-02-10: cash
            (lf1, "2026-02-18 18:00:00", lf, "outpatient", "150.00"),
        ],
    }
    count = 0
    for name, rows in claims.items():
        with open(os.path.join(out, "usage", f"{name}.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("claim_id,person_id,occurred_at,region_code,category,amount\n")
            for n, (p, when, region, category, amount) in enumerate(sorted(rows, key=lambda r: r[1]), 1):
                f.write(f"W{name.replace('-', '')}-{n:04d},{p['id']},{when},{region},{category},{amount}\n")
                count += 1
    return f"earmarks: {len(people)} persons, {len(transfers)} transfers, {len(quotas)} quotas, 2 pots, {count} claims"


def write_settlements(out):
    """The platform's settlement records for 2023-03 and 2023-04, months
    without claims in usage/ (`gongji audit`, docs/audit.md). They replay the
    sample's families as the platform might have paid them, with one
    finding of every code planted, each in a settlement of its own; the
    other settlements are clean. IDs are the sample's own (fixed by the
    seeds above). Balances at the end of 2023-02: 1392 9,383.55, 1494
    8,692.23, 0768 2,210.36 (深圳 threshold 6,971.80, carried from 2020's
    base); 6758 146.02; 2466 90.00; 4145 22,097.29."""
    ln, bj, lf = "440300", "110000", "131000"
    p983x, p1392, p1494, p0768 = "44030519900427983X", "440305198707011392", "440305198707021494", "440305195308240768"
    p2806, p1561, p0202 = "440305199809142806", "440305196507271561", "110105198707010202"
    p9032, p791x = "110105196512079032", "11010519870702791X"
    p6758, p9389 = "110105199909096758", "110105195104079389"
    p2466, p4145 = "131002195207122466", "131002198707024145"
    # setl_id, certno, setl_time, region, med_type, category, acct_pay, acct_mulaid_pay, cash, balc, refd, init; aid rows
    rows = [
        ("S2303-01", p983x, "2023-03-02 09:00:00", ln, "11", "", "0.00", "150.00", "0.00", "", "", "",
         [(p2806, "150.00")]),                                   # A01: 2806 has no binding with 983X
        ("S2303-02", p6758, "2023-03-03 09:00:00", bj, "11", "", "146.02", "100.00", "0.00", "", "", "",
         [(p9389, "100.00")]),                                   # A02: B0012 sibling, 110000 allows it from 2025-01-01
        ("S2303-03", p983x, "2023-03-04 09:00:00", ln, "41", "pharmacy_otc", "0.00", "100.00", "0.00", "", "", "",
         [(p1392, "100.00")]),                                   # A03: 440300 does not share OTC pharmacy purchases
        ("S2303-04", p1561, "2023-03-05 09:00:00", ln, "11", "", "0.00", "300.00", "0.00", "", "", "",
         [(p0202, "300.00")]),                                   # A04: B0007, 110000 pays into 440300 (two provinces)
        ("S2303-05", p9032, "2023-03-06 09:00:00", bj, "11", "", "0.00", "200.00", "0.00", "", "", "",
         [(p791x, "200.00")]),                                   # A05: B0008's authorizer died on 2022-09-15
        ("S2303-06", p983x, "2023-03-07 09:00:00", ln, "11", "", "0.00", "2000.00", "0.00", "", "", "",
         [(p1494, "2000.00")]),                                  # A06: leaves 6,692.23, 279.57 below 6,971.80
        ("S2303-07", p983x, "2023-03-08 09:00:00", ln, "11", "", "0.00", "2500.00", "0.00", "", "", "",
         [(p0768, "2500.00")]),                                  # A07: 0768 holds 2,210.36: 289.64 beyond
        ("S2303-08", p2466, "2023-03-09 09:00:00", lf, "11", "", "50.00", "100.00", "0.00", "", "", "",
         [(p4145, "100.00")]),                                   # A08: 2466's own account still holds 40.00
        ("S2303-09", p983x, "2023-03-10 09:00:00", ln, "11", "", "0.00", "300.00", "0.00", "", "", "",
         [(p1392, "200.00")]),                                   # A09: 300.00 declared, rows 200.00
        ("S2303-10", p2466, "2023-03-11 09:00:00", lf, "11", "", "10.00", "0.00", "0.00", "35.00", "", "",
         []),                                                    # A10: balc 35.00, replayed 30.00
        ("S2303-11", p983x, "2023-03-12 09:00:00", ln, "11", "", "0.00", "300.00", "0.00", "", "", "",
         [(p1392, "300.00", "8783.55")]),                        # clean, payer_balc as replayed
        ("S2303-11", p983x, "2023-03-13 09:00:00", ln, "11", "", "0.00", "300.00", "0.00", "", "", "",
         []),                                                    # A11: the same setl_id again
        ("S2303-12", p983x, "2023-03-14 09:00:00", ln, "11", "", "0.00", "0.00", "-50.00", "", "1", "S2303-99",
         []),                                                    # A12: reverses a settlement not in the data
        ("S2303-13", p983x, "2023-03-15 09:00:00", ln, "11", "", "0.00", "0.00", "500.00", "", "", "",
         []),                                                    # A13: 1392 held 1,811.75 above the threshold
        ("S2303-14", p983x, "2023-03-16 09:00:00", ln, "", "vaccination", "0.00", "100.00", "0.00", "", "", "",
         [(p1392, "100.00")]),                                   # clean
        ("S2303-15", p983x, "2023-03-17 09:00:00", ln, "", "vaccination", "0.00", "-100.00", "0.00", "", "1", "S2303-14",
         [(p1392, "-100.00", "8783.55")]),                       # clean: reverses S2303-14, 1392 back to 8,783.55
        ("S2303-16", p983x, "2023-03-18 09:00:00", ln, "11", "", "-5.00", "0.00", "5.00", "", "", "",
         []),                                                    # rejected: acct_pay below 0 outside a reversal
    ]
    write_platform_month(out, "2023-03", rows, first=1)
    # 2023-04: a second month audited, clean: the replay carries March's balances and settlements on (a reversal
    # of a March settlement in April is no A12). End of March as replayed: 1392 8,783.55; 983X's own account 0.00;
    # 2466 30.00; no roster in April, so no credits.
    april = [
        ("S2304-01", p983x, "2023-04-03 09:00:00", ln, "11", "", "0.00", "100.00", "0.00", "", "", "",
         [(p1392, "100.00", "8683.55")]),                        # clean: 1392 above 6,971.80 after paying
        ("S2304-02", p983x, "2023-04-04 09:00:00", ln, "11", "", "0.00", "0.00", "-500.00", "", "1", "S2303-13",
         []),                                                    # clean: reverses March's S2303-13
        ("S2304-03", p2466, "2023-04-05 09:00:00", lf, "11", "", "20.00", "0.00", "0.00", "10.00", "", "",
         []),                                                    # clean: own account 30.00 → 10.00, balc as replayed
    ]
    write_platform_month(out, "2023-04", april, first=101)
    return (f"settlements: {len(rows)} in 2023-03, a finding of every code planted; "
            f"{len(april)} in 2023-04, clean")


def write_platform_month(out, month, rows, first):
    """settlements/MONTH.csv and mutual-aid/MONTH.csv of `rows` (mdtrt_id numbered from `first`)."""
    os.makedirs(os.path.join(out, "settlements"), exist_ok=True)
    os.makedirs(os.path.join(out, "mutual-aid"), exist_ok=True)
    with open(os.path.join(out, "settlements", f"{month}.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("setl_id,mdtrt_id,psn_no,certno,setl_time,region_code,med_type,category,medfee_sumamt,fund_pay_sumamt,"
                "acct_pay,acct_mulaid_pay,psn_cash_pay,balc,refd_setl_flag,init_setl_id\n")
        for n, (sid, cert, when, region, med, category, own, aid, cash, balc, refd, init, _) in enumerate(rows, first):
            f.write(f"{sid},M{n:05d},P{cert[-6:]},{cert},{when},{region},{med},{category},,,{own},{aid},{cash},{balc},{refd},{init}\n")
    with open(os.path.join(out, "mutual-aid", f"{month}.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("setl_id,payer_certno,amount,channel,payer_balc\n")
        for sid, *_, aid in rows:
            for row in aid:
                f.write(f"{sid},{row[0]},{row[1]},binding,{row[2] if len(row) > 2 else ''}\n")


def Day_length(year, month):
    return [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


if __name__ == "__main__":
    main()
