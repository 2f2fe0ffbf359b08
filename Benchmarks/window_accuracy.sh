#!/usr/bin/env bash
# Call-window accuracy on three worlds: how often calls.csv's best_window_local is the customer's true best window
# (truth.json), its near-best share and regret, beside issue 13's smoothed-rate baseline (and, on archetypes, the
# Bayes-limit oracle), for all queued accounts and those with 10+ attempts. The third world, "independent", is
# Benchmarks/window_world.py's export (preferences unlike either generator's). Ends with a summary table.
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
        python3 Benchmarks/window_accuracy.py "$run/export" "$run/queues/latest" --json > "$run/accuracy.json"
    done
done
python3 - "$WORK" $SEEDS <<'PY'
import json, sys
work, seeds = sys.argv[1], sys.argv[2:]
print("\n| world | seed | accounts | exact hit model / baseline (ratio) | near-best model / baseline | regret pp model / baseline"
      " | 10+ att.: accounts, exact hit model / baseline | oracle exact / near-best / regret |")
print("| --- | --- | ---: | --- | --- | --- | --- | --- |")
for world in ("lift", "archetypes", "independent"):
    for seed in seeds:
        figures = json.load(open(f"{work}/{world}-{seed}/accuracy.json"))
        a, t = figures["all"], figures["10+ attempts"]
        oracle = (f"{a['oracle_right_share']:.1%} / {a['oracle_near_best_share']:.1%} / {a['oracle_regret_pp']}"
                  if "oracle_right_share" in a else "")
        ten = (f"{t['accounts']}, {t['model_right_share']:.1%} / {t['baseline_right_share']:.1%}" if t["accounts"] else "0")
        print(f"| {world} | {seed} | {a['accounts']} | {a['model_right_share']:.1%} / {a['baseline_right_share']:.1%} ({a['ratio']})"
              f" | {a['model_near_best_share']:.1%} / {a['baseline_near_best_share']:.1%} | {a['model_regret_pp']} / {a['baseline_regret_pp']}"
              f" | {ten} | {oracle} |")
PY
