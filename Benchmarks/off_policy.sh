#!/usr/bin/env bash
# Off-policy values against the simulator (Benchmarks/README.md, "Off-policy values against the simulator"): the
# queue explores and holds out for 60 calling days (logging policy queue:incremental_cash, exploration_share 0.2,
# holdout_share 0.1) while shadow policies work out what they would have called; then `arscore compare` estimates
# each shadow policy's value from the logged selections alone (SNIPS, 95% CI), beside the simulator's true value of
# the same decisions on the same days (replays on the loop's own random streams).
#
#   bash Benchmarks/off_policy.sh [OUT]        # OUT defaults to Benchmarks/work/off-policy
#
# Environment: ARSCORE (binary, default .build/release/arscore), WORLDS ("lift archetypes"), SEEDS ("1"),
# MODES ("pay_likelihood aging expected_cash"), CUSTOMERS (3000), DAYS (60), CAPACITY (75).
set -euo pipefail
cd "$(dirname "$0")/.."
ARSCORE=${ARSCORE:-.build/release/arscore}
OUT=${1:-Benchmarks/work/off-policy}
WORLDS=${WORLDS:-"lift archetypes"} SEEDS=${SEEDS:-1} MODES=${MODES:-"pay_likelihood aging expected_cash"}
CUSTOMERS=${CUSTOMERS:-3000} DAYS=${DAYS:-60} CAPACITY=${CAPACITY:-75}
mkdir -p "$OUT"
printf '{"exploration_share": 0.2, "holdout_share": 0.1}\n' > "$OUT/exploring.json"
echo "| world | seed | policy | true value (USD per candidate-day) | off-policy estimate | 95% CI | inside | ESS |"
echo "| --- | ---: | --- | ---: | ---: | --- | :---: | ---: |"
for world in $WORLDS; do
    for seed in $SEEDS; do
        work="$OUT/$world-$seed"
        rm -rf "$work"
        "$ARSCORE" simulate --world "$world" --seed "$seed" --customers "$CUSTOMERS" --days "$DAYS" --capacity "$CAPACITY" \
            --policies queue:incremental_cash --config "$OUT/exploring.json" --shadow "${MODES// /,}" \
            --work "$work" --json "$work/loop.json" --quiet > /dev/null
        for mode in $MODES; do
            python3 -c "import json,sys; p=json.load(open(sys.argv[1])); p['priority']=sys.argv[2]; json.dump(p, open(sys.argv[3],'w'))" \
                "$work/world_policy.json" "$mode" "$work/policy-$mode.json"
            "$ARSCORE" compare --data "$work/end-queue-incremental_cash-seed-$seed" --config "$work/policy-$mode.json" \
                "$work/models/seed-$seed" --format json --quiet > "$work/compare-$mode.json"
            python3 - "$work" "$mode" "$world" "$seed" <<'PY'
import json, sys
work, mode, world, seed = sys.argv[1:]
truth = json.load(open(f"{work}/loop.json"))["runs"][0]["rows"][0]["outcome"]["shadow_values"][mode]
estimate = json.load(open(f"{work}/compare-{mode}.json"))["bundles"][0]["call_effect"]["off_policy"]["estimate"]
snips = estimate["self_normalized"]
inside = "yes" if snips["lower95"] <= truth["mean_cash_usd"] <= snips["upper95"] else "no"
print(f'| {world} | {seed} | {mode} | {truth["mean_cash_usd"]:,.0f} ± {truth["standard_error_usd"]:,.0f} | '
      f'{snips["value"]:,.0f} | {snips["lower95"]:,.0f}–{snips["upper95"]:,.0f} | {inside} | {estimate["effective_sample_size"]:,.0f} |')
PY
        done
    done
done
