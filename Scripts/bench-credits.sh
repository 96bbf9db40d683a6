#!/usr/bin/env bash
# Times `gongji run` (release build) on a generated roster and reports the
# wall time and peak memory. Usage: Scripts/bench-credits.sh [PERSONS] [MONTHS]
# The data goes to Benchmarks/data/ (ignored by git, never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-1000000}
months=${2:-1}
data="Benchmarks/data/roster-${persons}x${months}"
[ -f "$data/persons.csv" ] || python3 Scripts/generate-roster.py "$data" "$persons" "$months"
swift build -c release --product gongji
bin=$(swift build -c release --show-bin-path)/gongji
out=$(mktemp -d)
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$bin" run --data "$data" --out "$out" --quiet 2>&1 | tail -n 1
wc -l "$data"/contributions/*.csv | tail -n 1
rm -rf "$out"
