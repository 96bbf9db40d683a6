#!/usr/bin/env bash
# Provinces side by side (docs/scale.md): four generated provinces run as four
# processes at once into one PostgreSQL store, against one process into
# SQLite and one process into PostgreSQL, on this machine.
#
#   Scripts/scale.sh [PERSONS] [MONTHS]      default 250000 1 (PERSONS in each province)
#
# 1. Builds gongji in release mode.
# 2. Generates Benchmarks/data/four-PERSONSxMONTHS with Scripts/generate-city.py:
#    深圳 440300 (province 44), 北京 110000 (11), 廊坊 131000 (13) and 苏州
#    320500 (32), PERSONS persons each, no binding, transfer or quota across
#    them (ignored by git, never committed).
# 3. Uses the server of $GONGJI_TEST_POSTGRES, or starts one with
#    Scripts/postgres-test-server.sh (stopped at the end).
# 4. Times, with peak memory (/usr/bin/time), each with --no-workbook:
#    one process of all four into a new SQLite store; one process of all
#    four into a new PostgreSQL database; four processes (--province 44,
#    11, 13, 32) started together into another new database.
# 5. Checks that the three stores hold the same number of claims and
#    account-months in each region, and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-250000}
months=${2:-1}
data="Benchmarks/data/four-${persons}x${months}"
work="Benchmarks/data/scale-${persons}x${months}"

echo "== building gongji (release)"
swift build -c release --product gongji >/dev/null
bin="$(swift build -c release --show-bin-path)/gongji"

if [ ! -f "$data/persons.csv" ]; then
    echo "== generating $data"
    python3 Scripts/generate-city.py "$data" "$persons" "$months" 1 440300,110000,131000,320500
fi

if [ -z "${GONGJI_TEST_POSTGRES:-}" ]; then
    echo "== starting a PostgreSQL server (Scripts/postgres-test-server.sh)"
    pg_env=$(Scripts/postgres-test-server.sh start)
    eval "$pg_env"
    trap 'Scripts/postgres-test-server.sh stop "$GONGJI_TEST_POSTGRES_DIR"' EXIT
fi
base=${GONGJI_TEST_POSTGRES%/*}
for name in gongji_scale_one gongji_scale_four; do
    psql "$GONGJI_TEST_POSTGRES" -X -q -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
done

rm -rf "$work" && mkdir -p "$work"
cat "$data"/*.csv "$data"/contributions/*.csv "$data"/usage/*.csv > /dev/null   # every run reads from the page cache
measure() {  # measure LABEL COMMAND...: wall seconds and peak RSS (KiB) into $work/LABEL.time
    /usr/bin/time -f "%e %M" -o "$work/$1.time" "${@:2}" > "$work/$1.log" 2>&1 || { cat "$work/$1.log"; exit 1; }
}

echo "== one process, all four provinces, into SQLite"
measure sqlite "$bin" run --quiet --no-workbook --data "$data" --out "$work/out-sqlite" --store "$work/gongji.sqlite"
echo "== one process, all four provinces, into PostgreSQL"
measure pg-one "$bin" run --quiet --no-workbook --data "$data" --out "$work/out-pg-one" --store "$base/gongji_scale_one"
echo "== four processes at once, one province each, into PostgreSQL"
start=$(date +%s.%N)
pids=()
for province in 44 11 13 32; do
    measure "pg-$province" "$bin" run --quiet --no-workbook --data "$data" --province "$province" \
        --out "$work/out-pg-$province" --store "$base/gongji_scale_four" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')

# The same claims and account-months in each region, in each store.
query="SELECT region_code, count(*) FROM claim_result GROUP BY region_code ORDER BY region_code"
balances="SELECT count(*) FROM month_balance"
sqlite_claims=$(sqlite3 -separator ' ' "$work/gongji.sqlite" "$query" | tr '\n' ' ')
for name in one four; do
    pg_claims=$(psql "$base/gongji_scale_$name" -X -A -t -F ' ' -c "$query" | tr '\n' ' ')
    [ "$pg_claims" = "$sqlite_claims" ] || { echo "claims by region differ: SQLite $sqlite_claims, PostgreSQL ($name) $pg_claims"; exit 1; }
    pg_balances=$(psql "$base/gongji_scale_$name" -X -A -t -c "$balances")
    sqlite_balances=$(python3 Scripts/store-sql.py "$work/gongji.sqlite" "$balances")   # the lean blocks: docs/store.md
    [ "$pg_balances" = "$sqlite_balances" ] || { echo "account-months differ: SQLite $sqlite_balances, PostgreSQL ($name) $pg_balances"; exit 1; }
    echo "PostgreSQL ($name) and SQLite: claims by region $pg_claims; $pg_balances account-months"
done

row() { read -r seconds kib < "$work/$2.time"; printf '| %-48s | %8s s | %6d MiB |\n' "$1" "$seconds" $((kib / 1024)); }
echo
echo "four provinces x $persons persons x $months month(s), --no-workbook, $(nproc) cores"
echo
echo "| run                                              |       wall |   peak RSS |"
echo "|--------------------------------------------------|-----------:|-----------:|"
row "one process, all four, into SQLite" sqlite
row "one process, all four, into PostgreSQL" pg-one
for province in 44 11 13 32; do row "--province $province (of four at once)" "pg-$province"; done
printf '| %-48s | %8.2f s |            |\n' "four at once, first start to last end" "$wall"
echo
echo "store: SQLite $(stat -c %s "$work/gongji.sqlite") bytes; PostgreSQL $(psql "$base/gongji_scale_four" -X -A -t -c \
    "SELECT pg_database_size(current_database())") bytes (four at once, the database's whole size)"
