#!/usr/bin/env bash
# The city-scale benchmark (issues 6 and 21): gongji against DuckDB's SQL on
# the same files, in the same run, on this machine, taking turns.
#
#   Scripts/bench.sh [PERSONS] [MONTHS]      default 1000000 12
#   RUNS=5 Scripts/bench.sh ...              turns of each (default 3)
#
# 1. Builds gongji in release mode.
# 2. Generates Benchmarks/data/city-PERSONSxMONTHS and city-PERSONSx1 with
#    Scripts/generate-city.py (deterministic; ignored by git, never committed).
# 3. Makes a venv with DuckDB from PyPI under Benchmarks/.venv.
# 4. Reads every input once, so that all sides find them in the page cache.
# Then prints issue 21's four figures, each side's median of RUNS turns:
#   1. the whole `gongji run` of the MONTHS months (claims, settlement, every
#      report and the store, into a new store), with and without the month
#      workbooks, beside DuckDB computing and writing the same credits with
#      SQL (Scripts/bench_duckdb.py), taking turns; and its peak memory;
#      and the same months without their claims (the data issue 21 was
#      measured on: every input but usage/, in a folder of links);
#   2. the store's bytes per account-month after that run;
#   3. one city month (city-PERSONSx1) with its workbook beside the same month
#      with --no-workbook, taking turns;
#   4. the I/O floor: reading every input and writing as many bytes as the
#      run wrote (each report file at its size, written and synced as gongji
#      writes it, and the store), with nothing computed; for the year with
#      claims and for the year without them; and of that, the balances
#      files alone.
# It also times the credit stage alone (`gongji validate --timings` on the
# roster, its `timing: inputs and credits` line) beside DuckDB's credit
# totals (issue 6), and checks that gongji and DuckDB give the same totals
# by region, month and band.
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-1000000}
months=${2:-12}
runs=${RUNS:-3}
data="Benchmarks/data/city-${persons}x${months}"
month="Benchmarks/data/city-${persons}x1"
work="Benchmarks/data/work-${persons}x${months}"

echo "== building gongji (release)"
swift build -c release --product gongji >/dev/null
bin="$(swift build -c release --show-bin-path)/gongji"

for folder in "$data" "$month"; do
    if [ ! -f "$folder/persons.csv" ]; then
        echo "== generating $folder"
        python3 Scripts/generate-city.py "$folder" "$persons" "${folder##*x}"
    fi
done
rows=$(($(cat "$data"/contributions/*.csv | wc -l) - months))
claims=$(($(cat "$data"/usage/*.csv | wc -l) - months))

venv=Benchmarks/.venv
if [ ! -x "$venv/bin/python" ]; then
    echo "== making $venv with duckdb"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet duckdb
fi

rm -rf "$work" && mkdir -p "$work"
measure() {  # measure LABEL COMMAND...: wall seconds and peak RSS (KiB), one line appended to $work/LABEL.times
    /usr/bin/time -f "%e %M" -a -o "$work/$1.times" "${@:2}"
}
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
column() { awk "{ print \$$1 }" "$work/$2.times"; }
all() { column "$1" "$2" | sort -n | paste -sd ' '; }

# The credit stage's own inputs (policy, bulletins, persons, opening
# balances, rosters) in a folder of links, so its time and memory are the
# stage's and not the claims'.
roster="$work/roster"
mkdir -p "$roster"
for item in policy.yaml bulletins persons.csv opening-balances.csv contributions; do
    ln -s "$(cd "$data" && pwd)/$item" "$roster/$item"
done

# The data issue 21's figures were measured on: the same months without claims.
no_claims="$work/no-claims"
mkdir -p "$no_claims"
for item in "$data"/*; do
    [ "$(basename "$item")" = usage ] || ln -s "$(cd "$(dirname "$item")" && pwd)/$(basename "$item")" "$no_claims/$(basename "$item")"
done

# Every side reads the same files from the page cache: read them once first.
find -L "$data" "$month" -type f -exec cat {} + > /dev/null

echo "== 1. the whole run, $runs turns: gongji run ($months months, new store), the same with --no-workbook, the same months without claims, then DuckDB computing and writing the same credits"
for n in $(seq "$runs"); do
    rm -rf "$work/reports" "$work/gongji.sqlite"
    measure run-no-claims "$bin" run --data "$no_claims" --out "$work/reports" --store "$work/gongji.sqlite" --quiet
    bare_report_bytes=$(du -sb "$work/reports" | cut -f1)
    bare_report_files=$(find "$work/reports" -type f | wc -l)
    find "$work/reports" -type f -printf '%s %f\n' > "$work/no-claims.sizes"
    bare_store_bytes=$(stat -c %s "$work/gongji.sqlite")
    rm -rf "$work/reports" "$work/gongji.sqlite"
    measure run-no-workbook "$bin" run --data "$data" --out "$work/reports" --store "$work/gongji.sqlite" --quiet --no-workbook
    rm -rf "$work/reports" "$work/gongji.sqlite"
    measure run "$bin" run --data "$data" --out "$work/reports" --store "$work/gongji.sqlite" --quiet --timings 2> "$work/run.err"
    "$venv/bin/python" Scripts/bench_duckdb.py "$data" "$work/duckdb.csv" "$work/duckdb-credits.csv" >> "$work/duckdb-run.times"
done

echo "== 2. the store"
store_bytes=$(stat -c %s "$work/gongji.sqlite")
if command -v sqlite3 >/dev/null; then
    account_months=$(sqlite3 "$work/gongji.sqlite" "SELECT sum(accounts) FROM month_balance_block")
    by_table=$(sqlite3 "$work/gongji.sqlite" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 4" \
        | awk -F'|' -v n="$account_months" '{ printf "%s%s %.1f", (NR > 1 ? ", " : ""), $1, $2 / n }')
else
    account_months=$rows  # every account has a roster row each month here
    by_table="(sqlite3 not installed: no breakdown)"
fi
report_bytes=$(du -sb "$work/reports" | cut -f1)
report_files=$(find "$work/reports" -type f | wc -l)
find "$work/reports" -type f -printf '%s %f\n' > "$work/run.sizes"

echo "== 3. one month ($month), $runs turns: with its workbook, then with --no-workbook"
for n in $(seq "$runs"); do
    rm -rf "$work/month" "$work/month.sqlite"
    measure workbook "$bin" run --data "$month" --out "$work/month" --store "$work/month.sqlite" --quiet
    rm -rf "$work/month" "$work/month.sqlite"
    measure no-workbook "$bin" run --data "$month" --out "$work/month" --store "$work/month.sqlite" --quiet --no-workbook
done

echo "== 4. the I/O floor, $runs turns: read every input, write the run's bytes ($report_files reports and the store), nothing computed; the same for the months without claims"
input_bytes=$(find -L "$data" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
# floor_script FILE DATA SIZES STORE_BYTES: reads DATA's inputs (none when DATA is -), then writes
# each file the run wrote (SIZES: "bytes name" lines) with as many bytes, as gongji writes it:
# the CSV files of 1 MiB or more past the page cache (AtomicFile.Stream), each file synced;
# then the store.
floor_script() {
    {
        echo "mkdir -p \"$work/floor\""
        [ "$2" = - ] || echo "find -L \"$2\" -type f -exec cat {} + > /dev/null"
        awk -v floor="$work/floor" '{
            direct = $1 >= 1048576 && $2 ~ /\.csv$/ ? " oflag=direct" : ""
            printf "dd if=/dev/zero of=\"%s/%s\" bs=2M count=%d iflag=count_bytes%s conv=fsync status=none\n", floor, $2, $1, direct
        }' "$3"
        [ "$4" = 0 ] || echo "dd if=/dev/zero of=\"$work/floor/store\" bs=1M count=$(( $4 >> 20 )) conv=fsync status=none"
    } > "$1"
}
floor_script "$work/floor.sh" "$data" "$work/run.sizes" "$store_bytes"
# The same for the months without claims: their inputs, and the bytes that run wrote.
bare_input_bytes=$(find -L "$no_claims" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
floor_script "$work/floor-no-claims.sh" "$no_claims" "$work/no-claims.sizes" "$bare_store_bytes"
# Of that, the balances files alone (issue 21: "if the balances file is what costs, say so").
grep ' balances-' "$work/no-claims.sizes" > "$work/balances.sizes"
balance_bytes=$(awk '{ s += $1 } END { print s }' "$work/balances.sizes")
balance_files=$(wc -l < "$work/balances.sizes")
floor_script "$work/floor-balances.sh" - "$work/balances.sizes" 0
for n in $(seq "$runs"); do  # each turn into an empty folder, the last turn's files removed untimed
    rm -rf "$work/floor"
    measure floor bash "$work/floor.sh"
    rm -rf "$work/floor"
    measure floor-no-claims bash "$work/floor-no-claims.sh"
    rm -rf "$work/floor"
    measure floor-balances bash "$work/floor-balances.sh"
done
rm -rf "$work/floor"

echo "== the credit stage alone, $runs turns: gongji validate on the roster (every row read, checked and credited), then DuckDB's credit totals"
for n in $(seq "$runs"); do
    measure stage "$bin" validate --data "$roster" --out "$work/stage" --quiet --timings 2> "$work/stage.err"
    awk '/^timing: inputs and credits / { print $5 }' "$work/stage.err" >> "$work/stage-own.times"
    "$venv/bin/python" Scripts/bench_duckdb.py "$roster" "$work/duckdb-stage.csv" >> "$work/duckdb-stage.times"
done

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

run_wall=$(column 1 run | median); run_rss=$(( $(column 2 run | sort -n | tail -1) / 1024 ))
lean_wall=$(column 1 run-no-workbook | median); lean_rss=$(( $(column 2 run-no-workbook | sort -n | tail -1) / 1024 ))
bare_wall=$(column 1 run-no-claims | median); bare_rss=$(( $(column 2 run-no-claims | sort -n | tail -1) / 1024 ))
duck_run=$(median < "$work/duckdb-run.times")
with=$(column 1 workbook | median); without=$(column 1 no-workbook | median)
floor_wall=$(column 1 floor | median)
bare_floor_wall=$(column 1 floor-no-claims | median)
balance_floor_wall=$(column 1 floor-balances | median)
stage=$(median < "$work/stage-own.times"); duck_stage=$(median < "$work/duckdb-stage.times")
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
verdict() { python3 -c "print('met' if $1 else 'not met')"; }
per_month=$(python3 -c "print(f'{$store_bytes / $account_months:.1f}')")

echo
echo "$persons persons x $months months: $rows roster rows, $claims claims, $((input_bytes / 1048576)) MiB of inputs; medians of $runs turns (all turns in brackets)"
echo
echo "| issue 21 | gongji | DuckDB / reference | goal | |"
echo "| --- | ---: | ---: | --- | --- |"
echo "| 1. whole run, $months months, new store ($(all 1 run) s) vs DuckDB computing and writing the credits ($(sort -n "$work/duckdb-run.times" | paste -sd ' ') s) | ${run_wall} s | ${duck_run} s | DuckDB / gongji ≥ 2: $(ratio "$duck_run" "$run_wall") | $(verdict "$duck_run / $run_wall >= 2") |"
echo "| 1. the same with --no-workbook ($(all 1 run-no-workbook) s) | ${lean_wall} s | ${duck_run} s | DuckDB / gongji ≥ 2: $(ratio "$duck_run" "$lean_wall") | $(verdict "$duck_run / $lean_wall >= 2") |"
echo "| 1. the same $months months without claims, as issue 21 measured them ($(all 1 run-no-claims) s; peak $bare_rss MiB) | ${bare_wall} s | ${duck_run} s | DuckDB / gongji ≥ 2: $(ratio "$duck_run" "$bare_wall") | $(verdict "$duck_run / $bare_wall >= 2") |"
echo "| 1. peak memory of the run, largest of $runs (with --no-workbook: $lean_rss MiB) | ${run_rss} MiB | | < 300 MiB | $(verdict "$run_rss < 300") |"
echo "| 2. the store: bytes per account-month ($store_bytes bytes, $account_months account-months; by table: $by_table) | $per_month | | ≤ 32 | $(verdict "$per_month <= 32") |"
echo "| 3. one month with its workbook ($(all 1 workbook) s) / with --no-workbook ($(all 1 no-workbook) s) | ${with} s | ${without} s | ≤ 1.5: $(ratio "$with" "$without") | $(verdict "$with / $without <= 1.5") |"
echo "| 4. I/O floor: read $((input_bytes / 1048576)) MiB of inputs, write $((report_bytes / 1048576)) MiB in $report_files files and a $((store_bytes / 1048576)) MiB store ($(all 1 floor) s) | ${floor_wall} s | | the run's gap: $(python3 -c "print(f'{$run_wall - $floor_wall:.1f}')") s | |"
echo "| 4. I/O floor of the months without claims: read $((bare_input_bytes / 1048576)) MiB, write $((bare_report_bytes / 1048576)) MiB in $bare_report_files files and a $((bare_store_bytes / 1048576)) MiB store ($(all 1 floor-no-claims) s) | ${bare_floor_wall} s | | that run's gap: $(python3 -c "print(f'{$bare_wall - $bare_floor_wall:.1f}')") s; half DuckDB's time leaves $(python3 -c "print(f'{$duck_run / 2 - $bare_floor_wall:.1f}')") s above it | |"
echo "| 4. of that, writing the $balance_files balances files alone: $((balance_bytes / 1048576)) MiB ($(all 1 floor-balances) s) | ${balance_floor_wall} s | | | |"
echo "| credit stage alone ($(sort -n "$work/stage-own.times" | paste -sd ' ') s) vs DuckDB's credit totals ($(sort -n "$work/duckdb-stage.times" | paste -sd ' ') s) | ${stage} s | ${duck_stage} s | DuckDB / gongji: $(ratio "$duck_stage" "$stage") | |"
echo
echo "Stages of the last whole run:"
grep '^timing: ' "$work/run.err" | grep -v '^timing: read \|^timing: sha256 \|^timing: \(settle\|close\|reports\|workbook\|authorizers\) [0-9]' | sed 's/^/    /'
