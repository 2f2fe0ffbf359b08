#!/usr/bin/env bash
# The closed-loop table of Benchmarks/README.md ("Closed loop"): every policy on both synthetic worlds, then the
# queue with each routing rule switched back, then the queue exploring (exploration_share 0.2, holdout_share 0.1)
# against the same queue retrained at the middle calling day on the history with its logged selections, as cash
# caused by calls and its ratio to aging.
#
#   bash Benchmarks/closed_loop.sh [OUT]        # OUT defaults to Benchmarks/work/closed-loop
#
# Environment: ARSCORE (binary, default .build/release/arscore), CUSTOMERS (3000), DAYS (60), CAPACITY (75),
# RUNS (3: seeds 1, 2, 3), WORLDS ("lift archetypes").
set -euo pipefail
cd "$(dirname "$0")/.."
ARSCORE=${ARSCORE:-.build/release/arscore}
OUT=${1:-Benchmarks/work/closed-loop}
CUSTOMERS=${CUSTOMERS:-3000} DAYS=${DAYS:-60} CAPACITY=${CAPACITY:-75} RUNS=${RUNS:-3}
WORLDS=${WORLDS:-"lift archetypes"}
mkdir -p "$OUT"
printf '{"dispute_routing": "account"}\n' > "$OUT/whole-account-disputes.json"
printf '{"escalation_recovery_share": 0.05}\n' > "$OUT/escalation-0.05.json"
printf '{"exploration_share": 0.2, "holdout_share": 0.1}\n' > "$OUT/exploring.json"
common=(--customers "$CUSTOMERS" --days "$DAYS" --capacity "$CAPACITY" --runs "$RUNS" --quiet)
for world in $WORLDS; do
    echo "--- world $world" >&2
    /usr/bin/time -f "%e s, %M KB peak" "$ARSCORE" simulate --world "$world" "${common[@]}" \
        --policies none,random,aging,queue:expected_cash,queue:pay_likelihood,queue:aging,queue:incremental_cash,oracle \
        --json "$OUT/$world-policies.json"
    for variant in whole-account-disputes escalation-0.05; do
        "$ARSCORE" simulate --world "$world" "${common[@]}" --policies none,aging,queue:pay_likelihood \
            --config "$OUT/$variant.json" --json "$OUT/$world-$variant.json" > /dev/null
    done
    "$ARSCORE" simulate --world "$world" "${common[@]}" --config "$OUT/exploring.json" \
        --policies none,aging,queue:pay_likelihood,retrained:pay_likelihood,queue:incremental_cash,retrained:incremental_cash \
        --json "$OUT/$world-exploring.json" > /dev/null
done
python3 - "$OUT" $WORLDS <<'PY'
import json, sys
out, worlds = sys.argv[1], sys.argv[2:]
def rows(path):
    return {row["policy"]: row for row in json.load(open(path))["rows"]}
print("| world | policy | cash caused per run (USD) | ± s.e. | × aging | per-run × aging | calls | RPCs | promises | kept |")
print("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
for world in worlds:
    table = rows(f"{out}/{world}-policies.json")
    variants = {"whole-account-disputes": "queue:pay_likelihood, whole account to disputes (dispute_routing: account)",
                "escalation-0.05": "queue:pay_likelihood, escalation at recovery share 0.05"}
    for variant, label in variants.items():
        extra = rows(f"{out}/{world}-{variant}.json")["queue:pay_likelihood"]
        extra["policy"] = label
        table[label] = extra
    for name, row in rows(f"{out}/{world}-exploring.json").items():
        if name in ("none", "aging"):
            continue
        label = name + ", exploring 0.2 / holdout 0.1" + (" (retrained at the middle calling day)" if name.startswith("retrained") else "")
        row["policy"] = label
        table[label] = row
    for name, row in table.items():
        if name == "none":
            continue
        fmt = lambda v: "n/a" if v is None else f"{v:,.0f}"
        ratio = lambda v: "n/a" if v is None else f"{v:.2f}"
        spread = f'{ratio(row.get("lowest_run_ratio"))}–{ratio(row.get("highest_run_ratio"))}'
        print(f'| {world} | {name} | {fmt(row["mean_cash_caused_usd"])} | {fmt(row.get("standard_error_usd"))} | '
              f'{ratio(row["ratio_to_aging"])} | {spread} | {row["mean_calls"]:.0f} | {row["mean_right_party_contacts"]:.0f} | '
              f'{row["mean_promises"]:.0f} | {row["mean_kept_promises"]:.0f} |')
PY
