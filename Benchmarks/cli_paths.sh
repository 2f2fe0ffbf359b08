#!/usr/bin/env bash
# The two fast CLI paths end to end (process start, CSV in, results out) beside the script a data team would write:
#   arscore predict  vs  pandas.read_csv + LogisticRegression.predict_proba + to_csv   (2,000,000 × 32)
#   arscore fit cox  vs  pandas.read_csv + lifelines CoxPHFitter().fit                  (200,000 × 10)
# Both sides run alternately RUNS times; the best wall time of each is kept and the ratios printed, together with the
# peer's time after its imports (a stricter ratio). Outputs are checked to agree: the largest |Δp| over all rows and
# the largest |Δβ| of the Cox coefficients.
#
# Usage: bash Benchmarks/cli_paths.sh [RUNS]        (default 3; needs pandas, scikit-learn, lifelines: see README)
# Inputs are generated once with a fixed seed into Benchmarks/work/cli (git-ignored) and kept for reuse.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
PREDICT_ROWS=${PREDICT_ROWS:-2000000}
COX_ROWS=${COX_ROWS:-200000}
W=Benchmarks/work/cli
ARSCORE=.build/release/arscore
mkdir -p "$W"
swift build -c release --product arscore >/dev/null

if [ ! -f "$W/predict_table.csv" ] || [ "$(cat "$W/predict.rows" 2>/dev/null)" != "$PREDICT_ROWS" ]; then
    python3 Benchmarks/reference/cli_paths_data.py predict --rows "$PREDICT_ROWS" --cols 32 --out "$W"
    echo "$PREDICT_ROWS" > "$W/predict.rows"
fi
if [ ! -f "$W/cox_table.csv" ] || [ "$(cat "$W/cox.rows" 2>/dev/null)" != "$COX_ROWS" ]; then
    python3 Benchmarks/reference/cli_paths_data.py cox --rows "$COX_ROWS" --cols 10 --out "$W"
    echo "$COX_ROWS" > "$W/cox.rows"
fi
FEATURES32=$(seq -s, -f 'x%g' 0 31)
FEATURES10=$(seq -s, -f 'x%g' 0 9)
"$ARSCORE" fit logistic --table "$W/predict_train.csv" --target y --features "$FEATURES32" --out "$W/model.json" --quiet

# seconds COMMAND...: runs COMMAND, prints its wall time in seconds; its stdout goes to $W/last.out.
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" > "$W/last.out"
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
min() { printf '%s\n' "$@" | sort -g | head -1; }
after_imports() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds_after_imports"])' "$W/last.out"; }

ours=(); peer=(); peer_inner=()
for _ in $(seq "$RUNS"); do
    ours+=("$(seconds "$ARSCORE" predict --model "$W/model.json" --table "$W/predict_table.csv" --keep id \
        --out "$W/p_arscore.csv" --quiet)")
    peer+=("$(seconds python3 Benchmarks/reference/predict_pandas_sklearn.py --model "$W/model.json" \
        --table "$W/predict_table.csv" --out "$W/p_peer.csv")")
    peer_inner+=("$(after_imports)")
done
predict_diff=$(python3 - "$W" <<'PY'
import sys, pandas as pd
w = sys.argv[1]
a, b = pd.read_csv(f"{w}/p_arscore.csv"), pd.read_csv(f"{w}/p_peer.csv")
assert len(a) == len(b) and (a["id"] == b["id"]).all(), "row count or id order differ"
print(f"{(a['p'] - b['p']).abs().max():.3g}")
PY
)
a=$(min "${ours[@]}"); p=$(min "${peer[@]}"); pi=$(min "${peer_inner[@]}")
echo "== arscore predict vs pandas + scikit-learn predict_proba: $PREDICT_ROWS × 32, end to end, best of $RUNS"
echo "arscore predict:           $a s   (runs: ${ours[*]})"
echo "pandas + scikit-learn:     $p s   (runs: ${peer[*]}); after its imports $pi s"
echo "max |Δp| over all rows: $predict_diff; ids in the same order"
printf 'ratio peer / arscore: %.1f× (target ≥ 5×); peer after imports / arscore: %.1f×\n' \
    "$(echo "$p / $a" | bc -l)" "$(echo "$pi / $a" | bc -l)"

ours=(); peer=(); peer_inner=()
for _ in $(seq "$RUNS"); do
    ours+=("$(seconds "$ARSCORE" fit cox --table "$W/cox_table.csv" --duration duration --event event \
        --features "$FEATURES10" --out "$W/cox_arscore.json" --quiet)")
    peer+=("$(seconds python3 Benchmarks/reference/fit_cox_pandas_lifelines.py --table "$W/cox_table.csv" \
        --out "$W/cox_peer.json")")
    peer_inner+=("$(after_imports)")
done
cox_diff=$(python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
ours, peer = json.load(open(f"{w}/cox_arscore.json")), json.load(open(f"{w}/cox_peer.json"))
beta = max(abs(ours["coefficients"][k] - v) for k, v in peer["coefficients"].items())
se = max(abs(ours["standard_errors"][k] - v) / v for k, v in peer["standard_errors"].items())
print(f"max |Δβ| {beta:.3g}, max relative Δse {se:.3g}")
PY
)
a=$(min "${ours[@]}"); p=$(min "${peer[@]}"); pi=$(min "${peer_inner[@]}")
echo "== arscore fit cox vs pandas + lifelines CoxPHFitter: $COX_ROWS × 10, Efron, end to end, best of $RUNS"
echo "arscore fit cox:           $a s   (runs: ${ours[*]})"
echo "pandas + lifelines:        $p s   (runs: ${peer[*]}); after its imports $pi s"
echo "coefficients: $cox_diff"
printf 'ratio peer / arscore: %.1f× (target ≥ 6×); peer after imports / arscore: %.1f×\n' \
    "$(echo "$p / $a" | bc -l)" "$(echo "$pi / $a" | bc -l)"
