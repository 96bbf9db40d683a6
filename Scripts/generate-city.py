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

REGIONS, a comma-separated list of SampleData's regions (e.g.
440300,110000,131000,320500: four provinces), makes one data folder with
PERSONS persons in each region, each region generated as above with its
own seed and its keys (claim, binding, transfer, quota, pot, deposit IDs)
tagged with the region code; no binding, transfer or quota crosses a
region, so the provinces are not tied (docs/scale.md runs them as one
process each). 440300 alone gives the same bytes as without REGIONS.
"""
import os
import random
import shutil
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
RELATIONS = ["spouse"] * 4 + ["parent", "child", "child", "grandparent", "grandchild", "sibling"]
CATEGORIES = ["outpatient"] * 5 + ["vaccination", "pharmacy_otc", "pharmacy_rx", "inpatient", "physical_exam"]


USAGE = ("usage: python3 Scripts/generate-city.py OUT_FOLDER PERSONS [MONTHS [SCALE [REGIONS]]]   "
         "(e.g. Benchmarks/data/city 1000000 12, or Benchmarks/data/four 250000 1 1 440300,110000,131000,320500)")
INPUTS = ["persons.csv", "opening-balances.csv", "bindings.csv", "events.csv", "wallet-transfers.csv",
          "wallet-quotas.csv", "pots.csv", "pot-members.csv", "pot-deposits.csv"]


def main():
    try:
        out, persons = sys.argv[1], int(sys.argv[2])
        months = int(sys.argv[3]) if len(sys.argv) > 3 else 1
        scale = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        regions = sys.argv[5].split(",") if len(sys.argv) > 5 else ["440300"]
        if persons < 1 or not 1 <= months <= 120 or not 1 <= scale <= 10000 or len(set(regions)) != len(regions):
            raise ValueError
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
        said = generate(out, persons, months, scale, regions[0], root)
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


def generate(out, persons, months, scale, region, root):
    """One region's data folder; its keys tagged with the region unless it is 440300."""
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
    with open(os.path.join(out, "opening-balances.csv"), "w") as f:
        f.write("person_id,as_of,balance\n")
        f.writelines(f"{ids[i]},2022-01-01,{rng.randint(0, 2000000) / 100:.2f}\n" for i in employees)
    for m in range(1, months + 1):
        month = f"{2022 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}"
        with open(os.path.join(out, "contributions", f"{month}.csv"), "w") as f:
            f.write("person_id,month,region_code,status,base,employer_id\n")
            f.writelines(f"{ids[i]},{month},{region},retired,,\n" if retired[i]
                         else f"{ids[i]},{month},{region},in_service,{bases[i] // 100}.{bases[i] % 100:02d},E{i % 5000:04d}\n"
                         for i in employees)
    with open(os.path.join(out, "bindings.csv"), "w") as f:
        f.write("binding_id,authorizer_id,beneficiary_id,relation,bound_on,unbound_on,channel\n")
        for n in range(persons // 10):
            a, b = rng.choice(employees), rng.randrange(persons)
            if a == b:
                continue
            unbound = f"2022-{rng.randint(2, 12):02d}-01" if rng.random() < 0.05 else ""
            f.write(f"B{tag}{n:08d},{ids[a]},{ids[b]},{rng.choice(RELATIONS)},2021-{rng.randint(1, 12):02d}-01,{unbound},app\n")
    with open(os.path.join(out, "events.csv"), "w") as f:
        f.write("person_id,date,event\n")
        for _ in range(persons // 1000):
            f.write(f"{ids[rng.randrange(persons)]},2022-{rng.randint(1, 12):02d}-15,death\n")
    for m in range(1, months + 1):
        year, mon = 2022 + (m - 1) // 12, (m - 1) % 12 + 1
        with open(os.path.join(out, "usage", f"{year}-{mon:02d}.csv"), "w") as f:
            f.write("claim_id,person_id,occurred_at,region_code,category,amount\n")
            for n in range(persons // 5):
                f.write(f"C{tag}{year}{mon:02d}{n:08d},{ids[rng.randrange(persons)]},{year}-{mon:02d}-{rng.randint(1, 28):02d} "
                        f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}:00,{region},{rng.choice(CATEGORIES)},"
                        f"{rng.randint(100, 200000) / 100:.2f}\n")
    return write_earmarks(out, rng, ids, employees, persons, months, scale, region, tag)


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


if __name__ == "__main__":
    main()
