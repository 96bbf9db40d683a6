#!/usr/bin/env bash
# The city-scale benchmark (issue 6): gongji against DuckDB's SQL on the same
# roster, in the same run, on this machine.
#
#   Scripts/bench.sh [PERSONS] [MONTHS]      default 1000000 12
#
# 1. Builds gongji in release mode.
# 2. Generates Benchmarks/data/city-PERSONSxMONTHS with Scripts/generate-city.py
#    (deterministic; ignored by git, never committed).
# 3. Times the credit stage: `gongji validate --timings` reads persons.csv,
#    opening-balances.csv and every roster row with every check, and computes
#    each row's credit; the stage's own time is its `timing: credits` line.
# 4. Times the whole `gongji run` (reports and store), with peak memory.
# 5. Times DuckDB (from PyPI, in a venv this script makes under Benchmarks/)
#    running the same credit computation as SQL on the same files, and checks
#    that both give the same totals by region, month and band, to the fen.
# 6. Prints a table: wall time, peak memory, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-1000000}
months=${2:-12}
data="Benchmarks/data/city-${persons}x${months}"
work="Benchmarks/data/work-${persons}x${months}"

echo "== building gongji (release)"
swift build -c release --product gongji >/dev/null
bin="$(swift build -c release --show-bin-path)/gongji"

if [ ! -f "$data/persons.csv" ]; then
    echo "== generating $data"
    python3 Scripts/generate-city.py "$data" "$persons" "$months"
fi
rows=$(($(cat "$data"/contributions/*.csv | wc -l) - months))

venv=Benchmarks/.venv
if [ ! -x "$venv/bin/python" ]; then
    echo "== making $venv with duckdb"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet duckdb
fi

rm -rf "$work" && mkdir -p "$work"
measure() {  # measure LABEL COMMAND...: wall seconds and peak RSS (KiB) into $work/LABEL.time
    /usr/bin/time -f "%e %M" -o "$work/$1.time" "${@:2}"
}

echo "== gongji validate (the credit stage, every row checked)"
measure validate "$bin" validate --data "$data" --out "$work/validate" --quiet --timings 2> "$work/validate.err"
credit_stage=$(awk '/^timing: credits / { print $3 }' "$work/validate.err")

echo "== gongji run (everything: credits, settlement, reports, store)"
measure run "$bin" run --data "$data" --out "$work/reports" --store "$work/gongji.sqlite" --quiet --timings 2> "$work/run.err"

echo "== DuckDB: the credit stage as SQL"
"$venv/bin/python" Scripts/bench_duckdb.py "$data" "$work/duckdb.csv" > "$work/duckdb.time"
duck=$(cat "$work/duckdb.time")

echo "== the same totals?"
python3 - "$work" <<'PY'
import csv, glob, os, sys
work = sys.argv[1]
ours = {}
for path in sorted(glob.glob(os.path.join(work, "reports", "credits-*.csv"))):
    for row in csv.DictReader(open(path, encoding="utf-8")):
        ours[(row["region_code"], row["month"], row["band"])] = (row["persons"], row["base_total"], row["credit_total"])
theirs = {}
for row in csv.DictReader(open(os.path.join(work, "duckdb.csv"), encoding="utf-8")):
    theirs[(row["region_code"], row["month"], row["band"])] = (row["persons"], row["base_total"], row["credit_total"])
if ours != theirs:
    for key in sorted(set(ours) | set(theirs)):
        if ours.get(key) != theirs.get(key):
            print("DIFFERENT", key, "gongji", ours.get(key), "duckdb", theirs.get(key))
    sys.exit("the credit totals differ")
print(f"identical: {len(ours)} (region, month, band) totals, to the fen")
PY

read -r validate_wall validate_rss < "$work/validate.time"
read -r run_wall run_rss < "$work/run.time"
echo
echo "| $persons persons x $months months ($rows roster rows) | wall | peak memory |"
echo "| --- | ---: | ---: |"
echo "| gongji credit stage (validate: read + check + credit every row) | ${credit_stage} s | $((validate_rss / 1024)) MiB (whole validate) |"
echo "| DuckDB SQL, same credit computation | ${duck} s | |"
echo "| ratio DuckDB / gongji credit stage | $(python3 -c "print(f'{$duck / $credit_stage:.2f}x')") | |"
echo "| gongji validate, whole command | ${validate_wall} s | $((validate_rss / 1024)) MiB |"
echo "| gongji run, whole command (reports + store) | ${run_wall} s | $((run_rss / 1024)) MiB |"
grep '^timing: ' "$work/run.err" | grep -v '^timing: read \|^timing: sha256 ' | sed 's/^/    /'
