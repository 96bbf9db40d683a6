#!/usr/bin/env bash
# The city-scale benchmark (issue 6): gongji against DuckDB's SQL on the same
# roster, in the same run, on this machine.
#
#   Scripts/bench.sh [PERSONS] [MONTHS]      default 1000000 12
#
# 1. Builds gongji in release mode.
# 2. Generates Benchmarks/data/city-PERSONSxMONTHS with Scripts/generate-city.py
#    (deterministic; ignored by git, never committed).
# 3. Reads the roster files once so both sides find them in the page cache,
#    then times the credit stage: `gongji validate --timings` on the roster
#    alone reads persons.csv, opening-balances.csv and every roster row with
#    every check, and computes each row's credit; the stage's own time is its
#    `timing: inputs and credits` line (the roster folder has no sharing inputs).
# 4. Times DuckDB (from PyPI, in a venv this script makes under Benchmarks/)
#    running the same credit computation as SQL on the same files. The two
#    take turns, five runs each, so that both meet the machine's good and bad
#    moments alike; each side's time is its median.
# 5. Times the whole `gongji run` (claims, settlement, reports and store) into
#    a new store and again into the same store, with peak memory, and checks
#    that gongji and DuckDB give the same totals by region, month and band.
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

# The credit stage's own inputs (policy, bulletins, persons, opening
# balances, rosters) in a folder of links, so its time and memory are the
# stage's and not the claims'.
roster="$work/roster"
mkdir -p "$roster"
for item in policy.yaml bulletins persons.csv opening-balances.csv contributions; do
    ln -s "$(cd "$data" && pwd)/$item" "$roster/$item"
done

# Both sides read the same files from the page cache: read them once first.
# Then the two take turns, five runs each, and each side's time is its median.
cat "$data"/persons.csv "$data"/opening-balances.csv "$data"/contributions/*.csv > /dev/null
runs=5
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }

echo "== the credit stage, $runs turns each: gongji validate on the roster (every row read, checked and credited), then DuckDB's SQL"
: > "$work/stage.times"
: > "$work/duckdb.times"
for n in $(seq "$runs"); do
    measure stage "$bin" validate --data "$roster" --out "$work/stage" --quiet --timings 2> "$work/stage.err"
    awk '/^timing: inputs and credits / { print $5 }' "$work/stage.err" >> "$work/stage.times"
    "$venv/bin/python" Scripts/bench_duckdb.py "$data" "$work/duckdb.csv" >> "$work/duckdb.times"
done
credit_stage=$(median < "$work/stage.times")
duck=$(median < "$work/duckdb.times")

# Streaming: the same roster with half the month files. Memory may grow only
# by the per-person state of the extra months (a 4-byte credit and a bit per
# person and month, and the month's base findings kept for its report), not
# with the bytes read.
half="$work/roster-half"
mkdir -p "$half/contributions"
for item in policy.yaml bulletins persons.csv opening-balances.csv; do ln -s "$(cd "$data" && pwd)/$item" "$half/$item"; done
ls "$data"/contributions/*.csv | head -n $(( (months + 1) / 2 )) | while read -r file; do
    ln -s "$(cd "$(dirname "$file")" && pwd)/$(basename "$file")" "$half/contributions/"
done
echo "== gongji validate on half the roster files (streaming check)"
measure half "$bin" validate --data "$half" --out "$work/half" --quiet 2> /dev/null

echo "== gongji run on the whole folder (credits, claims, settlement, reports, store), into a new store"
measure run "$bin" run --data "$data" --out "$work/reports" --store "$work/gongji.sqlite" --quiet --timings 2> "$work/run.err"

echo "== gongji run again on the same store (the store replaces what it holds)"
measure rerun "$bin" run --data "$data" --out "$work/reports-2" --store "$work/gongji.sqlite" --quiet 2> "$work/rerun.err"

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

read -r stage_wall stage_rss < "$work/stage.time"
read -r half_wall half_rss < "$work/half.time"
half_bytes=$(cat "$half"/contributions/*.csv | wc -c)
full_bytes=$(cat "$data"/contributions/*.csv | wc -c)
read -r run_wall run_rss < "$work/run.time"
read -r rerun_wall rerun_rss < "$work/rerun.time"
claims=$(($(cat "$data"/usage/*.csv | wc -l) - months))
echo
echo "| $persons persons x $months months: $rows roster rows, $claims claims | wall | peak memory |"
echo "| --- | ---: | ---: |"
echo "| gongji credit stage (read, check and credit every roster row), median of $runs ($(sort -n "$work/stage.times" | paste -sd ' ')) | ${credit_stage} s | $((stage_rss / 1024)) MiB (whole validate) |"
echo "| DuckDB SQL, the same credit computation on the same files, median of $runs ($(sort -n "$work/duckdb.times" | paste -sd ' ')) | ${duck} s | |"
echo "| ratio: DuckDB time / gongji time | $(python3 -c "print(f'{$duck / $credit_stage:.2f}x')") | |"
echo "| gongji validate on the roster, whole command | ${stage_wall} s | $((stage_rss / 1024)) MiB |"
echo "| gongji validate on half the roster files ($((half_bytes / 1048576)) MiB of rosters; all: $((full_bytes / 1048576)) MiB) | ${half_wall} s | $((half_rss / 1024)) MiB |"
echo "| gongji run, whole folder, new store | ${run_wall} s | $((run_rss / 1024)) MiB |"
echo "| gongji run, whole folder, same store again | ${rerun_wall} s | $((rerun_rss / 1024)) MiB |"
echo
echo "Stages of the first run:"
grep '^timing: ' "$work/run.err" | grep -v '^timing: read \|^timing: sha256 \|^timing: \(settle\|close\|reports\|authorizers\) [0-9]' | sed 's/^/    /'
