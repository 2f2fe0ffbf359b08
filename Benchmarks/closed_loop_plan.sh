#!/usr/bin/env bash
# The closed-loop plan table of Benchmarks/README.md ("Today's plan against the weekly list"): the default queue
# (`queue:pay_likelihood`) with calls.csv as today's plan (`plan: today`) and as each account's best
# window of the week (`plan: week`; `plan: today` is the default) on both synthetic worlds, same seeds, as cash caused by calls, its ratio to aging's
# and the plan's ratio to the weekly list's, per seed. In the loop both lists are called by the simulated team
# (each customer inside its own 08:00–18:00 on weekdays, as the aging baseline; ClosedLoopSimulation.simulatedTeam).
#
#   bash Benchmarks/closed_loop_plan.sh [OUT]        # OUT defaults to Benchmarks/work/closed-loop-plan
#
# Environment: ARSCORE (binary, default .build/release/arscore), CUSTOMERS (3000), DAYS (60), CAPACITY (75),
# RUNS (3: seeds 1, 2, 3), WORLDS ("lift archetypes"), POLICY (queue:pay_likelihood).
set -euo pipefail
cd "$(dirname "$0")/.."
ARSCORE=${ARSCORE:-.build/release/arscore}
OUT=${1:-Benchmarks/work/closed-loop-plan}
CUSTOMERS=${CUSTOMERS:-3000} DAYS=${DAYS:-60} CAPACITY=${CAPACITY:-75} RUNS=${RUNS:-3}
WORLDS=${WORLDS:-"lift archetypes"} POLICY=${POLICY:-queue:pay_likelihood}
mkdir -p "$OUT"
for plan in week today; do printf '{"plan": "%s"}\n' "$plan" > "$OUT/plan-$plan.json"; done
for world in $WORLDS; do
    for plan in week today; do
        echo "--- world $world, plan $plan" >&2
        "$ARSCORE" simulate --world "$world" --customers "$CUSTOMERS" --days "$DAYS" --capacity "$CAPACITY" --runs "$RUNS" \
            --quiet --policies "none,aging,$POLICY" --config "$OUT/plan-$plan.json" --json "$OUT/$world-$plan.json" > /dev/null
    done
done
python3 - "$OUT" "$POLICY" $WORLDS <<'PY'
import json, sys
out, policy, worlds = sys.argv[1], sys.argv[2], sys.argv[3:]
def load(path):
    summary = json.load(open(path))
    per_run = [{row["outcome"]["policy"]: row for row in run["rows"]} for run in summary["runs"]]
    return {row["policy"]: row for row in summary["rows"]}, per_run
print("| world | calls.csv | cash caused per run (USD) | ± s.e. | × aging | per-run × aging | × weekly list | per-run × weekly | calls | RPCs | seeds |")
print("| --- | --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | --- |")
for world in worlds:
    week, week_runs = load(f"{out}/{world}-week.json")
    today, today_runs = load(f"{out}/{world}-today.json")
    seeds = ", ".join(str(run["configuration"]["seed"]) for run in json.load(open(f"{out}/{world}-week.json"))["runs"])
    per_run = [t[policy]["cash_caused_usd"] / w[policy]["cash_caused_usd"] for t, w in zip(today_runs, week_runs)]
    total = sum(t[policy]["cash_caused_usd"] for t in today_runs) / sum(w[policy]["cash_caused_usd"] for w in week_runs)
    for label, table, ratio, spread in (("weekly list (plan: week)", week, "1.00", "1.00–1.00"),
                                        ("today's plan (plan: today)", today, f"{total:.2f}", f"{min(per_run):.2f}–{max(per_run):.2f}")):
        row = table[policy]
        print(f'| {world} | {policy}, {label} | {row["mean_cash_caused_usd"]:,.0f} | {row["standard_error_usd"] or 0:,.0f} | '
              f'{row["ratio_to_aging"]:.2f} | {row["lowest_run_ratio"]:.2f}–{row["highest_run_ratio"]:.2f} | {ratio} | {spread} | '
              f'{row["mean_calls"]:.0f} | {row["mean_right_party_contacts"]:.0f} | {seeds} |')
PY
