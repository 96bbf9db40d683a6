#!/usr/bin/env python3
"""Generates a city-scale data folder for benchmarks (deterministic, never committed).

Usage: python3 Scripts/generate-city.py OUT_DIR PERSONS [MONTHS [SCALE [REGIONS]]]

One city, 440300 深圳市 unless REGIONS says otherwise, in docs/formats.md's format: SampleData's policy.yaml and
bulletins, PERSONS persons (valid 18-character IDs; 5% in the resident scheme,
about 15% retired), their opening balances on 2022-01-01, MONTHS monthly
rosters from 2022-01 (one row per employee-scheme person and month), bindings
for a tenth of the persons, deaths for a thousandth, and claims for a fifth of
the persons each month. The same arguments always give the same bytes.

Money set aside ahead of claims (docs/rules.md section 4b), at about the
rates of 2025 (wallets carried 1.1% of the family money; the city's
bindings draw about 0.56 M yuan a month per million persons): the city's
policy.yaml gains a wallet (transfers from 2021-01-01, quotas from
2022-01-16; dated early so that the benchmark's 2022 months use them, an
illustrative rule for load only) and a pot rule. In the first month, one
transfer per 50,000 persons (days 1-15; some over 2000 yuan or in the quiet
hours, a tenth never accepted); from 2022-01-16 one quota per 100,000
persons a month; one pot per 20,000 persons with two members and a deposit
a month. SCALE (default 1) multiplies these counts, for a stress run.

--settlements (anywhere among the arguments; 440300 alone) writes the first
month's claims as the platform's settlement records (settlements/2022-01.csv
and mutual-aid/2022-01.csv, docs/audit.md) instead of usage/2022-01.csv, for
`gongji audit`: the same claims paid as the platform pays them (the
patient's own account first, then relatives through bindings the rules
allow, down to their threshold, then cash), a few reversed later in the
month, and findings planted at about 1 in 1,000 settlements (printed per
code with their amounts at risk; see write_settlements). Every other file
is byte for byte what the same arguments give without --settlements.

REGIONS, a comma-separated list of SampleData's regions (e.g.
440300,110000,131000,320500: four provinces), makes one data folder with
PERSONS persons in each region, each region generated as above with its
own seed and its keys (claim, binding, transfer, quota, pot, deposit IDs)
tagged with the region code; no binding, transfer or quota crosses a
region, so the provinces are not tied (docs/scale.md runs them as one
process each). 440300 alone gives the same bytes as without REGIONS.
"""
import heapq
import os
import random
import shutil
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
RELATIONS = ["spouse"] * 4 + ["parent", "child", "child", "grandparent", "grandchild", "sibling"]
CATEGORIES = ["outpatient"] * 5 + ["vaccination", "pharmacy_otc", "pharmacy_rx", "inpatient", "physical_exam"]


USAGE = ("usage: python3 Scripts/generate-city.py OUT_FOLDER PERSONS [MONTHS [SCALE [REGIONS]]] [--settlements]   "
         "(e.g. Benchmarks/data/city 1000000 12, or Benchmarks/data/four 250000 1 1 440300,110000,131000,320500; "
         "--settlements with 440300 alone)")
INPUTS = ["persons.csv", "opening-balances.csv", "bindings.csv", "events.csv", "wallet-transfers.csv",
          "wallet-quotas.csv", "pots.csv", "pot-members.csv", "pot-deposits.csv"]


def main():
    settlements = "--settlements" in sys.argv
    argv = [a for a in sys.argv if a != "--settlements"]
    try:
        out, persons = argv[1], int(argv[2])
        months = int(argv[3]) if len(argv) > 3 else 1
        scale = int(argv[4]) if len(argv) > 4 else 1
        regions = argv[5].split(",") if len(argv) > 5 else ["440300"]
        if persons < 1 or not 1 <= months <= 120 or not 1 <= scale <= 10000 or len(set(regions)) != len(regions):
            raise ValueError
        if settlements and regions != ["440300"]:
            raise ValueError  # the platform's payments below follow 440300's rules only
    except (IndexError, ValueError):
        print(USAGE, file=sys.stderr)
        sys.exit(2)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SampleData")
    policy = open(os.path.join(root, "policy.yaml"), encoding="utf-8").read()
    for region in regions:
        if f'\n  "{region}":' not in policy:
            print(f"generate-city.py: {region} is not a region of SampleData/policy.yaml", file=sys.stderr)
            sys.exit(2)
    if len(regions) == 1:
        said = generate(out, persons, months, scale, regions[0], root, settlements)
        print(f"wrote {persons} persons x {months} months to {out}; {said}")
        return
    # Several regions: each into a folder of its own, then one folder of them all.
    parts = os.path.join(out, ".parts")
    for region in regions:
        said = generate(os.path.join(parts, region), persons, months, scale, region, root)
        print(f"{region}: {persons} persons x {months} months; {said}")
    shutil.copytree(os.path.join(root, "bulletins"), os.path.join(out, "bulletins"), dirs_exist_ok=True)
    for region in regions:
        policy = with_wallet_and_pot(policy, region)
    open(os.path.join(out, "policy.yaml"), "w", encoding="utf-8").write(policy)
    names = INPUTS + [os.path.join(folder, name) for folder in ("contributions", "usage")
                      for name in sorted(os.listdir(os.path.join(parts, regions[0], folder)))]
    for folder in ("contributions", "usage"):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    for name in names:
        with open(os.path.join(out, name), "w") as f:
            for n, region in enumerate(regions):
                with open(os.path.join(parts, region, name)) as part:
                    header = part.readline()
                    if n == 0:
                        f.write(header)
                    shutil.copyfileobj(part, f)
    shutil.rmtree(parts)
    print(f"wrote {len(regions)} regions x {persons} persons x {months} months to {out}")


def generate(out, persons, months, scale, region, root, settlements=False):
    """One region's data folder; its keys tagged with the region unless it is 440300.
    With `settlements`, the first month's claims as the platform's settlement records."""
    tag = "" if region == "440300" else region
    for folder in ("contributions", "usage"):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    shutil.copy(os.path.join(root, "policy.yaml"), out)
    shutil.copytree(os.path.join(root, "bulletins"), os.path.join(out, "bulletins"), dirs_exist_ok=True)
    rng = random.Random(20260 if region == "440300" else int(region))
    ids, seen = [], set()
    while len(ids) < persons:
        body = f"{region[:4]}05{rng.randint(1945, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        if body in seen:
            continue
        seen.add(body)
        ids.append(body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11])
    resident = [rng.random() < 0.05 for _ in ids]
    retired = [int(pid[6:10]) < 1962 for pid in ids]
    bases = [rng.randint(400000, 3600000) for _ in ids]        # fen
    employees = [i for i in range(persons) if not resident[i]]

    with open(os.path.join(out, "persons.csv"), "w") as f:
        f.write("person_id,name,region_code,scheme,tier\n")
        f.writelines(f"{pid},,{region},{'resident' if res else 'employee'},1\n" for pid, res in zip(ids, resident))
    opening = {}  # employee index -> fen, for the platform's payments (--settlements)
    with open(os.path.join(out, "opening-balances.csv"), "w") as f:
        f.write("person_id,as_of,balance\n")
        for i in employees:
            opening[i] = rng.randint(0, 2000000)
            f.write(f"{ids[i]},2022-01-01,{opening[i] / 100:.2f}\n")
    for m in range(1, months + 1):
        month = f"{2022 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}"
        with open(os.path.join(out, "contributions", f"{month}.csv"), "w") as f:
            f.write("person_id,month,region_code,status,base,employer_id\n")
            f.writelines(f"{ids[i]},{month},{region},retired,,\n" if retired[i]
                         else f"{ids[i]},{month},{region},in_service,{bases[i] // 100}.{bases[i] % 100:02d},E{i % 5000:04d}\n"
                         for i in employees)
    bindings = []  # (authorizer, beneficiary, relation, bound_on, unbound_on), for --settlements
    with open(os.path.join(out, "bindings.csv"), "w") as f:
        f.write("binding_id,authorizer_id,beneficiary_id,relation,bound_on,unbound_on,channel\n")
        for n in range(persons // 10):
            a, b = rng.choice(employees), rng.randrange(persons)
            if a == b:
                continue
            unbound = f"2022-{rng.randint(2, 12):02d}-01" if rng.random() < 0.05 else ""
            relation, bound = rng.choice(RELATIONS), f"2021-{rng.randint(1, 12):02d}-01"
            bindings.append((a, b, relation, bound, unbound))
            f.write(f"B{tag}{n:08d},{ids[a]},{ids[b]},{relation},{bound},{unbound},app\n")
    deaths = {}  # person index -> the earliest death's date
    with open(os.path.join(out, "events.csv"), "w") as f:
        f.write("person_id,date,event\n")
        for _ in range(persons // 1000):
            i, date = rng.randrange(persons), f"2022-{rng.randint(1, 12):02d}-15"
            deaths[i] = min(date, deaths.get(i, date))
            f.write(f"{ids[i]},{date},death\n")
    claims = []  # the first month's, when they become settlement records
    for m in range(1, months + 1):
        year, mon = 2022 + (m - 1) // 12, (m - 1) % 12 + 1
        kept = settlements and m == 1
        with open(os.devnull if kept else os.path.join(out, "usage", f"{year}-{mon:02d}.csv"), "w") as f:
            f.write("claim_id,person_id,occurred_at,region_code,category,amount\n")
            for n in range(persons // 5):
                p, day, hour, minute = rng.randrange(persons), rng.randint(1, 28), rng.randint(7, 21), rng.randint(0, 59)
                category, amount = rng.choice(CATEGORIES), rng.randint(100, 200000)
                if kept:
                    claims.append((f"{year}-{mon:02d}-{day:02d} {hour:02d}:{minute:02d}:00", n, p, category, amount))
                else:
                    f.write(f"C{tag}{year}{mon:02d}{n:08d},{ids[p]},{year}-{mon:02d}-{day:02d} "
                            f"{hour:02d}:{minute:02d}:00,{region},{category},{amount / 100:.2f}\n")
    said = write_earmarks(out, rng, ids, employees, persons, months, scale, region, tag)
    if settlements:
        said += "\n" + write_settlements(out, ids, opening, bindings, deaths, claims, employees, region)
    return said


WALLET_AND_POT = """    wallet:
      - from: 2021-01-01
        model: transfer
        source: "benchmark only: dated early so that 2022 months use it"
        confidence: illustrative
      - from: 2022-01-16
        model: quota
        source: "benchmark only"
        confidence: illustrative
    pot:
      - from: 2021-01-01
        floor: 2000
        deposits_per_month: 1
        source: "benchmark only"
        confidence: illustrative
"""


def with_wallet_and_pot(text, region):
    """policy.yaml's text with WALLET_AND_POT in place of the region's own wallet and pot rules."""
    start = text.index(f'\n  "{region}":') + 1
    end = text.find('\n  "', start + 5) + 1 or len(text)
    kept, skipping = [], False
    for line in text[start:end].splitlines(keepends=True):
        if line.startswith("    ") and not line.startswith("     "):
            skipping = line.strip() in ("wallet:", "pot:")
        if not skipping:
            kept.append(line)
    return text[:start] + "".join(kept) + WALLET_AND_POT + text[end:]


def write_earmarks(out, rng, ids, employees, persons, months, scale, region, tag):
    policy = os.path.join(out, "policy.yaml")
    text = open(policy, encoding="utf-8").read()
    open(policy, "w", encoding="utf-8").write(with_wallet_and_pot(text, region))
    transfers = quotas = deposits = 0
    with open(os.path.join(out, "wallet-transfers.csv"), "w") as f:
        f.write("transfer_id,from_id,to_id,relation,sent_at,amount,from_wallet,accepted_at\n")
        for n in range(max(1, persons * scale // 50000)):
            a, b = rng.choice(employees), rng.randrange(persons)
            if a == b:
                continue
            day, hour, minute = rng.randint(1, 15), rng.choice([6, 8, 9, 10, 12, 14, 16, 18, 20, 22]), rng.randint(0, 49)
            amount = rng.randint(5000, 250000) if rng.random() < 0.05 else rng.randint(5000, 100000)
            accepted = f"2022-01-{day:02d} {hour:02d}:{minute + 5:02d}:00" if rng.random() < 0.9 else ""
            f.write(f"T{tag}{n:08d},{ids[a]},{ids[b]},spouse,2022-01-{day:02d} {hour:02d}:{minute:02d}:00,"
                    f"{amount / 100:.2f},,{accepted}\n")
            transfers += 1
    with open(os.path.join(out, "wallet-quotas.csv"), "w") as f:
        f.write("quota_id,sharer_id,beneficiary_id,relation,set_on,amount,ended_on\n")
        for m in range(1, months + 1):
            year, mon = 2022 + (m - 1) // 12, (m - 1) % 12 + 1
            for n in range(max(1, persons * scale // 100000)):
                a, b = rng.choice(employees), rng.randrange(persons)
                if a == b:
                    continue
                day = rng.randint(16, 28) if m == 1 else rng.randint(1, 28)
                ended = f"{year + 1}-{mon:02d}-01" if rng.random() < 0.3 else ""
                f.write(f"Q{tag}{m:03d}{n:06d},{ids[a]},{ids[b]},parent,{year}-{mon:02d}-{day:02d},"
                        f"{rng.randint(200, 3000)}.00,{ended}\n")
                quotas += 1
    pots = [(n, rng.choice(employees), rng.randrange(persons), rng.randrange(persons)) for n in range(max(1, persons * scale // 20000))]
    with open(os.path.join(out, "pots.csv"), "w") as f:
        f.write("pot_id,creator_id,created_on,closed_on\n")
        f.writelines(f"P{tag}{n:06d},{ids[c]},2021-12-01,\n" for n, c, _, _ in pots)
    with open(os.path.join(out, "pot-members.csv"), "w") as f:
        f.write("pot_id,person_id,relation,joined_on,left_on\n")
        for n, c, x, y in pots:
            for member in dict.fromkeys([x, y]):
                if member != c:
                    f.write(f"P{tag}{n:06d},{ids[member]},child,2021-12-01,\n")
    with open(os.path.join(out, "pot-deposits.csv"), "w") as f:
        f.write("deposit_id,pot_id,at,amount\n")
        for m in range(1, months + 1):
            year, mon = 2022 + (m - 1) // 12, (m - 1) % 12 + 1
            for n, _, _, _ in pots:
                f.write(f"D{tag}{m:03d}{n:06d},P{tag}{n:06d},{year}-{mon:02d}-{rng.randint(1, 28):02d} 10:00:00,"
                        f"{rng.randint(500, 3000)}.00\n")
                deposits += 1
    return f"{transfers} transfers, {quotas} quotas, {len(pots)} pots, {deposits} deposits"


# The platform's settlement records (--settlements, docs/audit.md). 440300's
# rules in 2022-01 (SampleData/policy.yaml): spouse and lineal relatives share
# outpatient costs and vaccinations, each authorizer keeping 6,971.80 yuan
# (5% of 2020's annual on-post wage 139,436, in force 2021-07-01..2022-06-30).
THRESHOLD = 697180
ALLOWED = {"spouse", "parent", "child", "grandparent", "grandchild"}
SHAREABLE = {"outpatient", "vaccination"}
MED_TYPES = {"outpatient": ("11", ""), "inpatient": ("21", ""), "pharmacy_rx": ("41", ""),
             "pharmacy_otc": ("41", "pharmacy_otc"), "vaccination": ("", "vaccination"),
             "physical_exam": ("", "physical_exam")}
# Findings planted per 100,000 settlements (about 1 in 1,000 in all): the
# codes generated data can break (A04 needs two regions; A05 is planted where
# an authorizer died that month, as often as the data allows).
PLANTED = {"A01": 12, "A02": 8, "A03": 10, "A05": 4, "A06": 10, "A07": 10, "A08": 8, "A09": 8, "A10": 12,
           "A11": 8, "A12": 6, "A13": 10}
REVERSED = 2000  # one settlement in REVERSED is reversed later in the month


def yuan(fen):
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def write_settlements(out, ids, opening, bindings, deaths, claims, employees, region):
    """settlements/YYYY-MM.csv and mutual-aid/YYYY-MM.csv for the first month's
    claims, paid as the platform pays them and replayed here as `gongji audit`
    replays them (docs/audit.md "The replay": each account moves by what the
    platform paid, as far as its balance goes), so that the clean settlements
    hold no finding: the patient's own account first, then each authorizer the
    rules allow (highest balance first) down to the threshold, then cash.
    Credits post at the month's end, so the month runs on the opening balances.
    The claims of persons with wallet, quota or pot money (theirs, or an
    authorizer's) are left out: the platform's records have no column for
    that money. Findings are planted one per settlement, spread over the month
    (each code at its rate as long as settlements fit it), each built to give
    exactly one finding of its code; their counts and amounts at risk are
    returned for comparison with audit-YYYY-MM-findings.csv."""
    rng = random.Random(20261206)
    month = claims[0][0][:7] if claims else "2022-01"
    tag = month.replace("-", "")
    earmarked = set()
    index = {pid: i for i, pid in enumerate(ids)}
    for name, columns in (("wallet-transfers.csv", (1, 2)), ("wallet-quotas.csv", (1, 2)), ("pots.csv", (1,)),
                          ("pot-members.csv", (1,))):
        with open(os.path.join(out, name)) as f:
            next(f)
            for line in f:
                fields = line.split(",")
                earmarked.update(index[fields[c]] for c in columns)
    of = {}  # beneficiary -> its bindings
    for a, b, relation, bound, unbound in bindings:
        of.setdefault(b, []).append((a, relation, bound, unbound))
    balance = dict(opening)

    def dead(i, day):
        return i in deaths and deaths[i] <= day

    def pairs(p, day):
        """The patient's bindings in their dates, by authorizer: [(relation, ended by the authorizer's death)]."""
        found = {}
        for a, relation, bound, unbound in of.get(p, ()):
            if bound <= day and (not unbound or day < unbound):
                found.setdefault(a, []).append(relation)
        return found

    def eligible(p, day, category, found):
        if category not in SHAREABLE or dead(p, day):
            return []
        return [a for a, relations in found.items() if not dead(a, day) and any(r in ALLOWED for r in relations)]

    settlements, aid, planted, left_out = [], [], {code: [0, 0] for code in PLANTED}, 0
    reversals, reversed_ids, serial = [], [], [0]
    end = f"{month}-31 23:59:00"

    def later(time, hours):
        day, clock = int(time[8:10]), int(time[11:13])
        clock += hours
        day, clock = day + clock // 24, clock % 24
        return min(f"{month}-{day:02d} {clock:02d}{time[13:]}", end)

    def new_id(kind):
        serial[0] += 1
        return f"S{tag}{kind}{serial[0]:07d}"

    def plant(code, amount):
        planted[code][0] += 1
        planted[code][1] += amount

    def pay(person, amount):
        """What the replay takes from an account: the amount as far as the balance goes."""
        if person in balance:
            balance[person] -= min(amount, max(balance[person], 0))

    def after(person, odds):
        return yuan(balance[person]) if person in balance and rng.random() < odds else ""

    def reverse(time, sid, row, rows):
        """A real settlement reversed: every amount negated, the money back where it came from."""
        _, mdtrt, p, _, med, category, medfee, fund, own, shared, cash, _, _, _ = row
        if own and p in balance:
            balance[p] += own
        rev_rows = []
        for a, amount, _ in rows:
            if a in balance:
                balance[a] += amount
            rev_rows.append((sid, a, -amount, after(a, 0.5)))
        settlements.append((sid, mdtrt, p, time, med, category, -medfee, -fund, -own, -shared, -cash,
                            after(p, 0.5), "1", row[0]))
        aid.extend(rev_rows)
        if due("A12", progress[0]):
            # The same settlement reversed twice: moves nothing.
            twice = new_id("R")
            settlements.append((twice, mdtrt, p, later(time, 1), med, category, -medfee, -fund, -own, -shared,
                                -cash, "", "1", row[0]))
            plant("A12", own + shared + cash)

    total = len(claims)
    targets = {code: total * rate / 100000 for code, rate in PLANTED.items()}
    progress = [0]

    def due(code, done):
        """Whether the code is behind its rate at this point of the month."""
        return planted[code][0] < targets[code] * done / total

    for done, (time, n, p, category, amount) in enumerate(sorted(claims, key=lambda c: (c[0], c[1])), 1):
        progress[0] = done
        sid = f"S{tag}{n:08d}"
        while reversals and reversals[0][:2] < (time, sid):
            reverse(*heapq.heappop(reversals))
        day = time[:10]
        found = pairs(p, day)
        if p in earmarked or any(a in earmarked for a in found):
            left_out += 1
            continue
        med, category_column = MED_TYPES[category]
        fund = rng.randint(0, amount * 3) if category == "inpatient" else rng.randint(0, amount) if category == "outpatient" else 0
        held = balance.get(p)
        own = min(amount, held or 0)
        need = amount - own
        draws = []
        for a in sorted(eligible(p, day, category, found), key=lambda a: (-balance[a], a)):
            take = min(need, balance[a] - THRESHOLD)
            if take > 0:
                draws.append([a, take])
                need -= take
        cash = need
        shared = sum(d for _, d in draws)
        declared = shared
        balc_delta = payer_delta = 0
        duplicate = False
        # One finding planted here, if one is due and the settlement fits it.
        fits = []
        if cash > 0:
            fits.append("A01")
            fits += ["A02"] if any(not dead(a, day) and all(r == "sibling" for r in rs) and a not in earmarked
                                   for a, rs in found.items()) and not dead(p, day) else []
            fits += ["A03"] if category not in SHAREABLE and not dead(p, day) and any(
                not dead(a, day) and all(r in ALLOWED for r in rs) for a, rs in found.items()) else []
            fits += ["A05"] if not dead(p, day) and any(dead(a, day) for a in found) else []
            fits += ["A06"] if any(balance[a] > 0 for a in eligible(p, day, category, found)) else []
            fits += ["A07"] if held is not None else []
        if cash == 0 and shared == 0 and own >= 200 and any(
                balance[a] - THRESHOLD >= 100 for a in eligible(p, day, category, found)):
            fits.append("A08")
        if shared > 0:
            fits += ["A09", "A13"]
        fits += ["A10"] if held is not None else []
        fits += ["A11", "A12"]
        rng.shuffle(fits)
        code = next((c for c in fits if due(c, done)), None)
        if code in ("A01", "A02", "A03", "A05", "A06"):
            if code == "A01":  # someone with no binding with the patient
                while True:
                    a = rng.choice(employees)
                    if a != p and a not in earmarked and a not in found:
                        break
            elif code == "A02":  # a sibling: 440300 shares with spouse and lineal relatives only
                a = next(a for a, rs in found.items() if not dead(a, day) and all(r == "sibling" for r in rs))
            elif code == "A03":  # a category 440300 does not share
                a = next(a for a, rs in found.items() if not dead(a, day) and all(r in ALLOWED for r in rs))
            elif code == "A05":  # an authorizer dead on or before the day
                a = next(a for a in found if dead(a, day))
            else:  # A06: an authorizer already at or below the threshold
                a = next(a for a in eligible(p, day, category, found) if balance[a] > 0)
            x = min(cash, balance.get(a, 0)) if code == "A06" else cash
            draws.append([a, x])
            cash -= x
            shared += x
            declared = shared
            plant(code, x)
        elif code == "A07":  # the own account pays the cash too, beyond its balance
            own += cash
            plant(code, cash)
            cash = 0
        elif code == "A08":  # a relative pays part while the own account still holds it
            a = next(a for a in eligible(p, day, category, found) if balance[a] - THRESHOLD >= 100)
            x = rng.randint(1, min(own, balance[a] - THRESHOLD))
            own -= x
            draws.append([a, x])
            shared = declared = x
            plant(code, x)
        elif code == "A09":  # acct_mulaid_pay says more than its rows
            delta = rng.randint(1, 10000)
            declared += delta
            fund_medfee_extra = delta
            plant(code, delta)
        elif code == "A10":  # the balance after, off
            balc_delta = rng.randint(1, 10000)
            plant(code, balc_delta)
        elif code == "A11":  # the same setl_id again later
            duplicate = True
            plant(code, amount)
        elif code == "A13":  # cash where the relatives could still pay
            cash += shared
            plant(code, shared)
            draws, shared, declared = [], 0, 0
        elif code == "A12":  # a reversal of a settlement not in the data (written after this one)
            plant(code, amount)
        medfee = fund + own + declared + cash
        pay(p, own)
        rows = []
        for a, x in draws:
            pay(a, x)
            rows.append((a, x, after(a, 0.5)))
        balc = ""
        if held is not None:
            balc = yuan(balance[p] + balc_delta) if balc_delta or rng.random() < 0.3 else ""
        row = (sid, f"M{tag}{n:08d}", p, time, med, category_column, medfee, fund, own, declared, cash, balc, "0", "")
        settlements.append(row)
        aid.extend((sid, a, x, payer_balc) for a, x, payer_balc in rows)
        if duplicate:
            settlements.append(row[:3] + (later(time, 24),) + row[4:])
        elif code == "A12":
            settlements.append((new_id("R"), "", p, later(time, 2), med, category_column, -medfee, -fund, -own, -declared,
                                -cash, "", "1", new_id("X")))
        elif code is None and rng.randrange(REVERSED) == 0 and time < f"{month}-28":
            heapq.heappush(reversals, (later(time, rng.randint(1, 72)), new_id("R"), row, rows))
    while reversals:
        reverse(*heapq.heappop(reversals))
    # Mutual-aid rows naming no settlement (A09), one per 100,000 settlements.
    for _ in range(max(1, total // 100000)):
        x = rng.randint(100, 50000)
        aid.append((new_id("X"), rng.choice(employees), x, ""))
        plant("A09", x)
    os.makedirs(os.path.join(out, "settlements"), exist_ok=True)
    os.makedirs(os.path.join(out, "mutual-aid"), exist_ok=True)
    with open(os.path.join(out, "settlements", f"{month}.csv"), "w") as f:
        f.write("setl_id,mdtrt_id,psn_no,certno,setl_time,region_code,med_type,category,medfee_sumamt,fund_pay_sumamt,"
                "acct_pay,acct_mulaid_pay,psn_cash_pay,balc,refd_setl_flag,init_setl_id\n")
        for sid, mdtrt, p, time, med, category, medfee, fund, own, declared, cash, balc, flag, init in settlements:
            f.write(f"{sid},{mdtrt},P{p:08d},{ids[p]},{time},{region},{med},{category},{yuan(medfee)},{yuan(fund)},"
                    f"{yuan(own)},{yuan(declared)},{yuan(cash)},{balc},{flag},{init}\n")
    with open(os.path.join(out, "mutual-aid", f"{month}.csv"), "w") as f:
        f.write("setl_id,payer_certno,amount,channel,payer_balc\n")
        f.writelines(f"{sid},{ids[a]},{yuan(x)},binding,{payer_balc}\n" for sid, a, x, payer_balc in aid)
    count = sum(n for n, _ in planted.values())
    lines = [f"settlements: {len(settlements)} in {month} ({sum(1 for s in settlements if s[12] == '1')} reversals), "
             f"{len(aid)} mutual-aid rows; {left_out} claims left out (wallet, quota or pot money); "
             f"{count} findings planted (code, settlements, amount at risk):"]
    lines += [f"planted {code} {n} {yuan(amount)}" for code, (n, amount) in planted.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
