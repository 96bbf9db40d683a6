#!/usr/bin/env bash
# Kills gongji runs at random moments (kill -9) on a generated city and
# checks what each kill left (issue 14):
#   - the store: PRAGMA integrity_check is ok, and its last finished run is
#     the one the out folder's manifest.json describes (same rows read); a
#     publication it waits for still has its staging folder (issue 25);
#   - the out folder: exactly the files its manifest lists, none missing,
#     and gongji's own staging and temporary files only;
#   - after a last clean run: no staging folder, no temporary file, no
#     journal next to the store, no claim folder of a killed run;
#   - then the same on a PostgreSQL store, when GONGJI_TEST_POSTGRES names a
#     server (required in CI): every result table as before the killed run.
#
#   Scripts/crash-test.sh [SECONDS] [PERSONS]      default 60 s, 200000 persons
#
# Prints one line: kills, runs that finished before their kill, checks passed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
persons=${2:-200000}
case "$seconds$persons" in *[!0-9]*|'') echo "usage: Scripts/crash-test.sh [SECONDS] [PERSONS]" >&2; exit 2;; esac
command -v sqlite3 >/dev/null || { echo "crash-test: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 2; }

swift build -c release --product gongji > /dev/null
bin="$(swift build -c release --show-bin-path)/gongji"
data="Benchmarks/data/crash-city-${persons}x2"
[ -f "$data/persons.csv" ] || python3 Scripts/generate-city.py "$data" "$persons" 2 > /dev/null
work=Benchmarks/data/crash-work
rm -rf "$work" && mkdir -p "$work/tmp"
out="$work/out"
store="$work/gongji.sqlite"
export TMPDIR="$PWD/$work/tmp"

run() { "$bin" run --quiet --data "$data" --out "$out" --store "$store" 2>> "$work/runs.err"; }

# A first whole run: the reports and store every kill must leave whole, and how long a run takes.
start=$(date +%s%N)
run
span=$(( ($(date +%s%N) - start) / 1000000 ))   # milliseconds

check() {  # what a kill left; prints nothing when all is well
    local integrity
    integrity=$(sqlite3 "$store" "PRAGMA integrity_check" 2>&1)
    [ "$integrity" = ok ] || echo "store integrity: $integrity"
    python3 - "$out" "$store" <<'PY'
import json, os, sqlite3, sys
out, store = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(out, "manifest.json")))
listed = set(manifest["outputs"])
present = {n for n in os.listdir(out) if not n.startswith(".")}
if listed != present:
    print("out folder: missing", sorted(listed - present)[:3], "unlisted", sorted(present - listed)[:3])
for name in os.listdir(out):
    if name.startswith(".") and not (name.startswith(".gongji-staging-") or name.endswith(".tmp")):
        print("out folder: unknown hidden file", name)
read = sum(i["read"] for i in manifest["inputs"])
con = sqlite3.connect(store)
row = con.execute(
    "SELECT rows_read FROM run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
if row is None or row[0] != read:
    print("reports and store disagree: manifest reads", read, "store", row)
# A publication the store waits for (issue 25) can be finished by the next
# start: its staging folder holds READY, or the out folder its manifest.
import hashlib
for staging, sha in con.execute("SELECT staging, manifest_sha256 FROM publication").fetchall():
    if not os.path.exists(os.path.join(staging, "READY")):
        if hashlib.sha256(open(os.path.join(out, "manifest.json"), "rb").read()).hexdigest() != sha:
            print("a publication the store waits for has neither its staging folder nor its manifest:", staging)
PY
}

kills=0; finished=0; failed=0
deadline=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$deadline" ]; do
    "$bin" run --quiet --data "$data" --out "$out" --store "$store" 2>> "$work/runs.err" & pid=$!
    sleep "$(python3 -c "import random; print(random.uniform(0, $span * 1.2 / 1000))")"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); else finished=$((finished + 1)); fi
    wait "$pid" 2>/dev/null || true
    problems=$(check)
    if [ -n "$problems" ]; then failed=$((failed + 1)); echo "$problems" >> "$work/problems.txt"; fi
done

# A last clean run finishes or removes whatever the kills left.
run
left=$( { ls -a "$out" | grep -E '^\.gongji-staging-|\.tmp$' || true; ls "$work" | grep -E 'journal$' || true;
          ls "$TMPDIR" | grep '^gongji-claims-' || true; } | wc -l)
problems=$(check)
[ -z "$problems" ] || { failed=$((failed + 1)); echo "$problems" >> "$work/problems.txt"; }
echo "crash-test: $kills kills, $finished runs finished first, $failed with problems, $left leftovers after a clean run (${seconds} s, a run ${span} ms)"
[ "$failed" = 0 ] && [ "$left" = 0 ] || { echo "see $work/problems.txt"; exit 1; }

# The same on the PostgreSQL store (docs/store.md), when a server is given
# (GONGJI_TEST_POSTGRES, as Scripts/postgres-test-server.sh start prints it;
# in CI it must be): a killed run leaves every table as it was before it, or,
# killed after its commit, as one whole run more: each result table's rows
# (count and digest) are the first run's, since the inputs are the same; the
# run log and its input files have grown by one run or not at all.
if [ -z "${GONGJI_TEST_POSTGRES:-}" ]; then
    [ -z "${CI:-}" ] || { echo "crash-test: CI needs the PostgreSQL case: no GONGJI_TEST_POSTGRES" >&2; exit 1; }
    echo "crash-test: PostgreSQL case skipped: no GONGJI_TEST_POSTGRES (Scripts/postgres-test-server.sh start)"
    exit 0
fi
command -v psql >/dev/null || { echo "crash-test: needs psql (apt-get install postgresql-client)" >&2; exit 2; }
base=${GONGJI_TEST_POSTGRES%%\?*}
database=gongji_crash_$$
pguri="${base%/*}/$database"
psql "$GONGJI_TEST_POSTGRES" -X -q -c "CREATE DATABASE $database"
trap 'psql "$GONGJI_TEST_POSTGRES" -X -q -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
pgout="$work/pg-out"
pgrun() { "$bin" run --quiet --no-workbook --data "$data" --out "$pgout" --store "$pguri" 2>> "$work/pg-runs.err"; }
results="binding event threshold month_balance_block claim_result share clearing wallet_month transfer_result quota_month pot_month
         input_content baseline_set baseline_threshold baseline_month_balance_block baseline_claim_result baseline_share"
digest() {  # one line per result table: its rows' count and digest; then the run log's counts
    for table in $results; do
        from=$table
        [ "$table" = input_content ] && from="(SELECT sha256, part, md5(content) FROM input_content)"
        psql "$pguri" -X -A -t -c "SELECT '$table', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $from t"
    done
    psql "$pguri" -X -A -t -c "SELECT 'settled_month', count(*), md5(coalesce(string_agg(month || province, '|' ORDER BY month, province), '')) FROM settled_month"
}
counts() { psql "$pguri" -X -A -t -c "SELECT (SELECT count(*) FROM run) || ' ' || (SELECT count(*) FROM input_file)"; }
start=$(date +%s%N)
pgrun
span=$(( ($(date +%s%N) - start) / 1000000 ))
reference=$(digest)
read -r runs files <<< "$(counts)"
per_run=$files
kills=0; finished=0; failed=0
deadline=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$deadline" ]; do
    "$bin" run --quiet --no-workbook --data "$data" --out "$pgout" --store "$pguri" 2>> "$work/pg-runs.err" & pid=$!
    sleep "$(python3 -c "import random; print(random.uniform(0, $span * 1.2 / 1000))")"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); else finished=$((finished + 1)); fi
    wait "$pid" 2>/dev/null || true
    now=$(digest)
    read -r runs_now files_now <<< "$(counts)"
    problem=""
    [ "$now" = "$reference" ] || problem="result tables differ from the first run's: $(diff <(echo "$reference") <(echo "$now") | tr '\n' ' ')"
    if [ "$runs_now" = "$runs" ]; then
        [ "$files_now" = "$files" ] || problem="$problem; input_file grew without a run"
    elif [ "$runs_now" = $((runs + 1)) ]; then
        [ "$files_now" = $((files + per_run)) ] || problem="$problem; a committed run without its $per_run input files"
    else
        problem="$problem; the run log went from $runs to $runs_now runs"
    fi
    runs=$runs_now; files=$files_now
    if [ -n "$problem" ]; then failed=$((failed + 1)); echo "postgresql: $problem" >> "$work/problems.txt"; fi
done
pgrun
[ "$(digest)" = "$reference" ] || { failed=$((failed + 1)); echo "postgresql: the last clean run differs" >> "$work/problems.txt"; }
echo "crash-test postgresql: $kills kills, $finished runs finished first, $failed with problems (${seconds} s, a run ${span} ms)"
[ "$failed" = 0 ] || { echo "see $work/problems.txt"; exit 1; }
