#!/usr/bin/env bash
# Runs the three libFuzzer harnesses one after the other, each from the committed seed corpus (Tests/Fuzz/corpus/NAME,
# never modified: new inputs go to .build-fuzz/corpus/NAME), and prints one summary line per harness.
# Usage: bash Tests/Fuzz/run.sh runs N          each harness for N inputs (make fuzz: 1000000)
#        bash Tests/Fuzz/run.sh seconds S       each harness for S seconds (make fuzz-smoke: 35)
# A crash, sanitizer report, timeout (> 10 s on one input) or out-of-memory (> 2 GB) stops that harness, leaves the
# input in .build-fuzz/crashes/ and makes the script exit 1 after the other harnesses ran.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: run.sh runs N | seconds S}
amount=${2:?usage: run.sh runs N | seconds S}
case "$mode" in
    runs) limit=(-runs="$amount") ;;
    seconds) limit=(-max_total_time="$amount") ;;
    *) echo "usage: run.sh runs N | seconds S" >&2; exit 2 ;;
esac
bash Tests/Fuzz/build.sh >/dev/null
mkdir -p .build-fuzz/crashes .build-fuzz/logs
status=0
for name in csv export bundle; do
    work=.build-fuzz/corpus/$name
    mkdir -p "$work"
    log=.build-fuzz/logs/$name.log
    start=$(date +%s)
    set +e
    ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/fuzz-$name" "${limit[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix=".build-fuzz/crashes/$name-" \
        "$work" "Tests/Fuzz/corpus/$name" > "$log" 2>&1
    code=$?
    set -e
    seconds=$(( $(date +%s) - start ))
    done_line=$(grep -E "^#[0-9]+.*(DONE|cov:)" "$log" | tail -1)
    runs=$(grep -E "stat::number_of_executed_units" "$log" | awk '{print $2}')
    crashes=$(find .build-fuzz/crashes -name "$name-*" | wc -l)
    echo "fuzz-$name: exit $code, ${runs:-?} inputs in ${seconds} s; last status: ${done_line:-none}; crash files: $crashes (log $log)"
    if [ "$code" -ne 0 ]; then
        status=1
        grep -E "ERROR|SUMMARY|Fatal error|panic" "$log" | head -5 >&2 || true
    fi
done
exit $status
