#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers of untrusted input (issue 14): the
# CSV reader (through persons.csv's row reader), the bulletin reader
# (libxml2) and the policy reader (Yams), each on libFuzzer with
# AddressSanitizer, seeded from SampleData; and the masking oracle (issue
# 25): persons.csv and bindings.csv read into rejects.csv and messages as
# gongji writes them, which must show no ID or name of SampleData's persons
# (12 characters of an ID in a row, however broken); and the workbooks'
# own deflate (DeflateEncoder), whose output zlib must inflate back to the
# input, however it is cut into pieces.
#
#   Scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET ...]]   default 60 and every target (csv bulletin policy masking deflate); CI runs 20
#
# Prints one line: runs and findings per target. A finding (a crash, a hang,
# a message of more than one line, a row lost, a known ID or name shown) is kept under
# Benchmarks/fuzz/findings/TARGET/ and the script exits 1; replay it with
#   .build/debug/gongji-fuzz TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
case "$seconds" in ''|*[!0-9]*) echo "usage: Scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET ...]]" >&2; exit 2;; esac

build=.build-fuzz
swift build --product gongji-fuzz --scratch-path "$build" -Xswiftc -sanitize=fuzzer,address \
    -Xswiftc -parse-as-library -Xswiftc -DFUZZING -Xswiftc -use-ld=lld > "$build.log" 2>&1 || { tail -20 "$build.log"; exit 1; }
bin="$build/debug/gongji-fuzz"

work=Benchmarks/fuzz
summary=""
status=0
targets=("${@:2}")
[ ${#targets[@]} -gt 0 ] || targets=(csv bulletin policy masking deflate)
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    findings="$work/findings/$target"
    mkdir -p "$corpus" "$findings"
    case $target in
        csv) cp SampleData/persons.csv SampleData/bindings.csv SampleData/usage/2022-06.csv "$corpus/" ;;
        bulletin) cp SampleData/bulletins/*.xml SampleData/revised/*.xml "$corpus/" ;;
        policy) cp SampleData/policy.yaml SampleData/what-if/*.yaml "$corpus/" ;;
        masking) for file in persons bindings; do { echo "$file.csv"; cat "SampleData/$file.csv"; } > "$corpus/$file.csv"; done ;;
        deflate) cp SampleData/persons.csv SampleData/usage/2022-06.csv SampleData/policy.yaml "$corpus/" ;;
    esac
    log="$work/$target.log"
    # -rss_limit_mb: a hostile input may not make a reader hold more than 2 GiB;
    # -timeout: nor take more than 10 s.
    # SWIFT_BACKTRACE: a finding aborts; Swift's backtracer would outlive the run (holding what it inherited).
    if SWIFT_BACKTRACE=enable=no GONGJI_FUZZ_TARGET=$target "$bin" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 > "$log" 2>&1; then
        found=0
    else
        found=1
        status=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    summary="$summary $target: ${runs:-0} runs, $found findings;"
done
echo "fuzz:${summary%;} (${seconds} s each)"
[ "$status" = 0 ] || echo "findings are in $work/findings (replay: .build/debug/gongji-fuzz TARGET FILE)"
exit "$status"
