#!/usr/bin/env bash
# arscore compare against arscore score on the same export, in one run: wall times, peak memory and their ratio
# (target: compare within 2× of score). Usage: Benchmarks/compare_vs_score.sh EXPORT BUNDLE_A BUNDLE_B [AS_OF]
set -euo pipefail
export_dir=$1; bundle_a=$2; bundle_b=$3; as_of=${4:-2026-11-02}
arscore=${ARSCORE:-.build/release/arscore}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # name, command...: prints "seconds peak_kib"
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >/dev/null
    cat "$work/$name.time"
}

read -r score_s score_kib < <(measure score "$arscore" score --data "$export_dir" --model "$bundle_a" --out "$work/queues" \
    --as-of "$as_of" --quiet)
read -r compare_s compare_kib < <(measure compare "$arscore" compare --data "$export_dir" "$bundle_a" "$bundle_b" \
    --out "$work/compare.txt" --report "$work/report.html" --quiet)
awk -v s="$score_s" -v sk="$score_kib" -v c="$compare_s" -v ck="$compare_kib" 'BEGIN {
    printf "arscore score   (1 bundle):  %7.1f s, peak %.2f GiB\n", s, sk / 1048576
    printf "arscore compare (2 bundles): %7.1f s, peak %.2f GiB\n", c, ck / 1048576
    printf "compare / score: %.2f× (target ≤ 2×)\n", c / s
}'
