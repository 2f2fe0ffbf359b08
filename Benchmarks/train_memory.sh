#!/usr/bin/env bash
# Training in bounded memory (issue 15): peak resident memory and wall time of `arscore train` at 300,000 and
# 1,000,000 customers (12 months) and at 1,000,000 customers over 24 months, with the default training-row budget
# and, with FULL=1, with a budget above every row count (no sampling: today's fit on every snapshot row).
# Generates the exports under Benchmarks/work/ when missing (seed 3). Prints one line per run.
# Usage: Benchmarks/train_memory.sh [SIZES...]   (sizes as CUSTOMERSxMONTHS; default 300000x12 1000000x12 1000000x24)
set -euo pipefail
arscore=${ARSCORE:-.build/release/arscore}
work=Benchmarks/work
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(300000x12 1000000x12 1000000x24)
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT

export_for() {  # customers months → export folder (export-N for 12 months, export-N-mM otherwise)
    local customers=$1 months=$2 folder
    folder=$work/export-$customers
    [ "$months" = 12 ] || folder=$work/export-$customers-m$months
    if [ ! -d "$folder" ]; then
        "$arscore" generate --out "$folder" --customers "$customers" --months "$months" --seed 3 >/dev/null
    fi
    echo "$folder"
}

train() {  # label, export folder, extra train options...
    local label=$1 folder=$2; shift 2
    /usr/bin/time -f "%e %M" -o "$runs/$label.time" "$arscore" train --data "$folder" --out "$runs/$label" --quiet "$@"
    read -r seconds kib < "$runs/$label.time"
    local rows
    rows=$(python3 -c "import json,glob,sys; t=json.load(open(glob.glob(sys.argv[1]+'/*/bundle.json')[0]))['training']; \
s=t.get('sampling'); print(f\"{t['training_rows']} training rows\" + (f\" of {s['rows_seen']} (π = {s['keep_probability']:.4f})\" if s else ' (every row)'))" "$runs/$label")
    printf "%-28s %7.1f s  peak %5.2f GiB (%9d KiB)  %s\n" "$label" "$seconds" "$(echo "$kib / 1048576" | bc -l)" "$kib" "$rows"
}

for size in "${sizes[@]}"; do
    customers=${size%x*}; months=${size#*x}
    folder=$(export_for "$customers" "$months")
    train "train-${customers}-${months}m" "$folder"
    if [ "${FULL:-0}" = 1 ]; then train "full-${customers}-${months}m" "$folder" --max-training-rows 1000000000; fi
done
