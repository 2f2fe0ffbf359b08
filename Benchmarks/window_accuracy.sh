#!/usr/bin/env bash
# Call-window accuracy on both synthetic worlds: how often calls.csv's best_window_local is the customer's true best
# window (truth.json), beside issue 13's smoothed-rate baseline, for all queued accounts and those with 10+ attempts.
# The third world, "independent", is Benchmarks/window_world.py's export (preferences unlike either generator's).
# Usage: bash Benchmarks/window_accuracy.sh [CUSTOMERS=3000] [SEEDS="1 2"]; needs .build/release/arscore.
set -euo pipefail
cd "$(dirname "$0")/.."
ARSCORE=${ARSCORE_BIN:-.build/release/arscore}
CUSTOMERS=${CUSTOMERS:-3000}
SEEDS=${SEEDS:-"1 2"}
WORK=Benchmarks/work/window-accuracy
rm -rf "$WORK" && mkdir -p "$WORK"
for world in lift archetypes independent; do
    for seed in $SEEDS; do
        run="$WORK/$world-$seed"
        if [ "$world" = independent ]; then
            python3 Benchmarks/window_world.py "$run/export" --customers "$CUSTOMERS" --seed "$seed"
        else
            "$ARSCORE" generate --world "$world" --customers "$CUSTOMERS" --months 12 --seed "$seed" --out "$run/export" >/dev/null
        fi
        "$ARSCORE" train --data "$run/export" --out "$run/models/m" --quiet
        "$ARSCORE" score --data "$run/export" --model "$run/models/m" --out "$run/queues" --as-of 2026-11-02 \
            --capacity "$CUSTOMERS" --quiet
        echo "world=$world seed=$seed"
        python3 Benchmarks/window_accuracy.py "$run/export" "$run/queues/latest"
    done
done
