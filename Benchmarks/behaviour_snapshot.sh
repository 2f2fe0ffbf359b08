#!/usr/bin/env bash
# Records what arscore writes on Datasets/demo, so that a refactor can show it changed nothing:
#
#   Benchmarks/behaviour_snapshot.sh BINARY OUT     # e.g. .build/release/arscore /tmp/snap-after
#   diff -r /tmp/snap-before /tmp/snap-after        # empty when behaviour is unchanged
#
# It trains a bundle on Datasets/demo, scores the demo export with the committed bundle (Models/demo), compares the
# two bundles, replays a backtest, generates a small export, extracts features and fits/predicts a logistic and a Cox
# model. Files are copied into OUT with the run-time stamps (bundle created_at, manifest created_at and its
# SHA-256 of manifest-dependent files) removed; everything else must be byte-identical.
set -euo pipefail
bin=$(realpath "$1")
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out" && mkdir -p "$out"
cd "$root"

strip_stamps() {
    sed -E -e 's/"(created_at|trained_at)"( ?): "[^"]*"/"\1"\2: "<stamp>"/' -e 's/^Trained [0-9T:Z-]+ by/Trained <stamp> by/' "$1"
}

"$bin" train --data Datasets/demo --out "$work/models/demo" --version v1 --quiet
for f in "$work"/models/demo/v1/*; do strip_stamps "$f" > "$out/train-$(basename "$f")"; done

"$bin" score --data Datasets/demo --model Models/demo --out "$work/queues" --as-of 2026-11-02 --capacity 50 --quiet
for f in "$work"/queues/2026-11-02/*; do strip_stamps "$f" > "$out/score-$(basename "$f")"; done

"$bin" compare --data Datasets/demo Models/demo/v1 "$work/models/demo/v1" --format json --out "$work/compare.json" \
    --backtest-capacity 20
sed "s|$work|<work>|g" "$work/compare.json" > "$work/compare-paths.json"
strip_stamps "$work/compare-paths.json" > "$out/compare.json"
"$bin" backtest --data Datasets/demo --model Models/demo --from 2026-09-01 --to 2026-09-15 --capacity 20 \
    > "$out/backtest.txt"

"$bin" generate --out "$work/gen" --customers 200 --months 8 --seed 7 > /dev/null
for f in "$work"/gen/*; do cp "$f" "$out/generate-$(basename "$f")"; done
"$bin" features --data "$work/gen" --as-of 2026-09-01 --out "$out/features.csv" --quarantine "$out/features-quarantine.csv"
"$bin" fit logistic --table "$out/features.csv" --target paid_within_30d --l2 1 \
    --features past_due_balance,max_days_past_due,payments_count_90d,attempts_30d --out "$out/fit-logistic.json"
"$bin" predict --model "$out/fit-logistic.json" --table "$out/features.csv" --out "$out/predict-logistic.csv" --keep customer_id
"$bin" fit cox --table "$out/features.csv" --duration days_to_first_payment --event payment_observed \
    --features past_due_balance,max_days_past_due,payments_count_90d --out "$out/fit-cox.json"
"$bin" predict --model "$out/fit-cox.json" --table "$out/features.csv" --out "$out/predict-cox.csv" --horizons 7,30
echo "snapshot written to $out ($(ls "$out" | wc -l) files)"
