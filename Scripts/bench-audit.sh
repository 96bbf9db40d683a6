#!/usr/bin/env bash
# The audit at city scale (issue 22, docs/audit.md "At city scale"):
# `gongji audit` on a city month's settlement records against `gongji run`
# on the same month's claims, release build, taking turns.
#
#   Scripts/bench-audit.sh [PERSONS]      default 1000000 (200,000 claims)
#   RUNS=5 Scripts/bench-audit.sh ...     turns of each (default 3)
#
# Two folders from Scripts/generate-city.py, byte for byte the same but for
# the month's claims: Benchmarks/data/city-PERSONSx1 (usage/2022-01.csv, as
# bench.sh uses it) and Benchmarks/data/audit-PERSONSx1 (--settlements: the
# same claims as the platform's settlements/2022-01.csv and
# mutual-aid/2022-01.csv, findings planted). A month is either settled from
# claims or audited from settlement records, never both (docs/audit.md), so
# the two commands cannot share one folder; `run` reads neither settlements/
# nor mutual-aid/. Each side's median of RUNS turns, wall time and peak
# memory (/usr/bin/time), as a user runs them and both with --no-workbook
# (the run's month workbook lists every claim; the audit's only findings),
# then the findings planted by the generator beside those the audit found,
# by code.
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-1000000}
runs=${RUNS:-3}
claims="Benchmarks/data/city-${persons}x1"
records="Benchmarks/data/audit-${persons}x1"
work="Benchmarks/data/work-audit-${persons}"

echo "== building gongji (release)"
swift build -c release --product gongji >/dev/null
bin="$(swift build -c release --show-bin-path)/gongji"

if [ ! -f "$claims/persons.csv" ]; then
    echo "== generating $claims"
    python3 Scripts/generate-city.py "$claims" "$persons" 1
fi
if [ ! -f "$records/persons.csv" ] || [ ! -f "$records.planted" ]; then
    echo "== generating $records"
    python3 Scripts/generate-city.py "$records" "$persons" 1 --settlements | tee "$records.planted"
fi

rm -rf "$work" && mkdir -p "$work"
measure() {  # measure LABEL COMMAND...: wall seconds and peak RSS (KiB), one line appended to $work/LABEL.times
    /usr/bin/time -f "%e %M" -a -o "$work/$1.times" "${@:2}"
}
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
column() { awk "{ print \$$1 }" "$work/$2.times"; }
all() { column "$1" "$2" | sort -n | paste -sd ' '; }

# Both sides read their files from the page cache: read them once first.
find -L "$claims" "$records" -type f -exec cat {} + > /dev/null

echo "== $runs turns: gongji run on the month's claims (new store), then gongji audit on its settlement records"
for n in $(seq "$runs"); do
    rm -rf "$work/run" "$work/run.sqlite"
    measure run "$bin" run --data "$claims" --out "$work/run" --store "$work/run.sqlite" --quiet --timings 2> "$work/run.err"
    rm -rf "$work/audit" "$work/audit.sqlite"
    measure audit "$bin" audit --data "$records" --out "$work/audit" --store "$work/audit.sqlite" --quiet --timings 2> "$work/audit.err"
    rm -rf "$work/run" "$work/run.sqlite"
    measure run-no-workbook "$bin" run --data "$claims" --out "$work/run" --store "$work/run.sqlite" --quiet --no-workbook
    rm -rf "$work/audit-no-workbook" "$work/audit.sqlite"
    measure audit-no-workbook "$bin" audit --data "$records" --out "$work/audit-no-workbook" --store "$work/audit.sqlite" --quiet --no-workbook
done

run_wall=$(column 1 run | median); run_rss=$(( $(column 2 run | sort -n | tail -1) / 1024 ))
audit_wall=$(column 1 audit | median); audit_rss=$(( $(column 2 audit | sort -n | tail -1) / 1024 ))
lean_run=$(column 1 run-no-workbook | median); lean_run_rss=$(( $(column 2 run-no-workbook | sort -n | tail -1) / 1024 ))
lean_audit=$(column 1 audit-no-workbook | median); lean_audit_rss=$(( $(column 2 audit-no-workbook | sort -n | tail -1) / 1024 ))
usage_claims=$(($(wc -l < "$claims/usage/2022-01.csv") - 1))
settlements=$(($(wc -l < "$records/settlements/2022-01.csv") - 1))
rows=$(($(wc -l < "$records/mutual-aid/2022-01.csv") - 1))

echo
echo "$persons persons, one month (2022-01); medians of $runs turns (all turns in brackets), peak memory the largest"
echo
echo "| command | input | wall | peak memory |"
echo "| --- | --- | ---: | ---: |"
echo "| gongji run (reports, workbooks, new SQLite store) | $usage_claims claims | ${run_wall} s ($(all 1 run)) | ${run_rss} MiB |"
echo "| gongji audit (reports, workbook, findings into a new SQLite store) | $settlements settlements, $rows mutual-aid rows | ${audit_wall} s ($(all 1 audit)) | ${audit_rss} MiB |"
echo "| gongji run --no-workbook | the same | ${lean_run} s ($(all 1 run-no-workbook)) | ${lean_run_rss} MiB |"
echo "| gongji audit --no-workbook | the same | ${lean_audit} s ($(all 1 audit-no-workbook)) | ${lean_audit_rss} MiB |"
echo
python3 -c "import sys; a, r = float(sys.argv[1]), float(sys.argv[2]); print(f'audit / run: {a / r:.2f} ({\"met\" if a <= r else \"not met\"}: a city month\\'s audit costs no more than its run)')" "$audit_wall" "$run_wall"
python3 -c "import sys; a, r = float(sys.argv[1]), float(sys.argv[2]); print(f'with --no-workbook: {a / r:.2f}')" "$lean_audit" "$lean_run"
echo
echo "Findings planted by generate-city.py against those in audit-2022-01-findings.csv:"
python3 - "$records.planted" "$work/audit/audit-2022-01-findings.csv" <<'PY'
import csv, sys
planted = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("planted "):
        _, code, n, amount = line.split()
        planted[code] = (int(n), amount)
found = {}
for row in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")):
    n, fen = found.get(row["code"], (0, 0))
    whole, _, part = row["amount_at_risk"].partition(".")
    found[row["code"]] = (n + 1, fen + int(whole) * 100 + int(part.ljust(2, "0")))
print("| code | planted | amount planted | found | amount found |")
print("| --- | ---: | ---: | ---: | ---: |")
for code in sorted(set(planted) | set(found)):
    n, amount = planted.get(code, (0, "0.00"))
    m, fen = found.get(code, (0, 0))
    print(f"| {code} | {n} | {amount} | {m} | {fen // 100}.{fen % 100:02d} |")
print(f"| all | {sum(n for n, _ in planted.values())} | | {sum(m for m, _ in found.values())} | |")
PY
echo
echo "Stages of the last audit:"
grep '^timing: ' "$work/audit.err" | sed 's/^/    /'
echo "Stages of the last run:"
grep '^timing: ' "$work/run.err" | grep -v '^timing: read \|^timing: sha256 ' | sed 's/^/    /'
