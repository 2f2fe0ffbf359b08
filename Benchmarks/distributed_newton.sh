#!/usr/bin/env bash
# Distributed Newton (issue 15 item 4): 4 shard tables through the fit-shard / fit-combine protocol (each shard a
# separate process per pass, as on Spark) and through fit-sharded (one process), against one `arscore fit` on the
# concatenated table. Prints passes, bytes of statistics per pass, wall times and the largest coefficient gap.
# Then the call-window model: `arscore train` on a generated export of WINDOW_CUSTOMERS customers against
# `fit-sharded call_window` and the two-pass protocol over its 4 `arscore partition` shards (0 skips it).
# Usage: Benchmarks/distributed_newton.sh [ROWS] [FEATURES] [WINDOW_CUSTOMERS]
#        (default 1,000,000 × 20 and 20,000 customers; needs a release build)
set -euo pipefail
ROWS=${1:-1000000}
FEATURES=${2:-20}
WINDOW_CUSTOMERS=${3:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${ARSCORE_BIN:-$ROOT/.build/release/arscore}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$ROWS" "$FEATURES" "$WORK" <<'PY'
import sys, numpy as np
rows, p, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(15)
x = rng.normal(size=(rows, p)); x[:, 0] = 20000 + 5000 * x[:, 0]
beta = rng.normal(scale=0.3, size=p) / np.r_[5000, np.ones(p - 1)]
eta = -0.5 + (x - x.mean(0)) @ beta
y = (rng.random(rows) < 1 / (1 + np.exp(-eta))).astype(int)
duration = np.minimum(365, np.ceil(rng.exponential(60 / np.exp(eta)))).astype(int)
event = (rng.random(rows) < 0.7).astype(int)
w = 0.5 + rng.random(rows)
names = ["f%02d" % j for j in range(p)]
header = ",".join(names + ["y", "duration", "event", "w"])
table = np.column_stack([x, y, duration, event, w])
cuts = [0, rows // 10, rows // 2, (7 * rows) // 10, rows]
fmt = ["%.17g"] * p + ["%d", "%d", "%d", "%.17g"]
np.savetxt(work + "/whole.csv", table, fmt=fmt, delimiter=",", header=header, comments="")
for k in range(4):
    np.savetxt(work + "/shard%d.csv" % k, table[cuts[k]:cuts[k + 1]], fmt=fmt, delimiter=",", header=header, comments="")
PY
FEATURE_LIST=$(head -1 "$WORK/whole.csv" | cut -d, -f1-"$FEATURES")
now() { date +%s.%N; }
for MODEL in logistic cox; do
  if [ "$MODEL" = logistic ]; then ROLES=(--target y); else ROLES=(--duration duration --event event); fi
  T0=$(now); "$BIN" fit "$MODEL" --table "$WORK/whole.csv" "${ROLES[@]}" --features "$FEATURE_LIST" --weight w \
      --out "$WORK/one-$MODEL.json" --quiet; T1=$(now)
  "$BIN" fit-sharded "$MODEL" --tables "$WORK"/shard{0,1,2,3}.csv "${ROLES[@]}" --features "$FEATURE_LIST" \
      --weight w --out "$WORK/sharded-$MODEL.json" --quiet; T2=$(now)
  PASS=0; STATE=""; BYTES=0
  while :; do
    for K in 0 1 2 3; do
      "$BIN" fit-shard "$MODEL" --table "$WORK/shard$K.csv" "${ROLES[@]}" --features "$FEATURE_LIST" --weight w \
          ${STATE:+--state "$STATE"} --out "$WORK/s$PASS-$K.json" &
    done
    wait
    [ "$PASS" -gt 0 ] && BYTES=$(stat -c %s "$WORK/s$PASS-0.json")
    NEXT="$WORK/state$PASS.json"
    if [ -z "$STATE" ]; then
      VERDICT=$("$BIN" fit-combine "$MODEL" --stats "$WORK"/s$PASS-{0,1,2,3}.json --out "$NEXT")
    else
      VERDICT=$("$BIN" fit-combine "$MODEL" --stats "$WORK"/s$PASS-{0,1,2,3}.json --state "$STATE" --out "$NEXT" \
          --model-out "$WORK/protocol-$MODEL.json")
    fi
    STATE=$NEXT; PASS=$((PASS + 1))
    [ "$VERDICT" = converged ] && break
  done
  T3=$(now)
  GAP=$(python3 -c "
import json,sys
a=json.load(open('$WORK/one-$MODEL.json'))['coefficients']
for other in ('sharded','protocol'):
    b=json.load(open('$WORK/'+other+'-$MODEL.json'))['coefficients']
    print(other, max(abs(a[k]-b[k])/max(1,abs(a[k])) for k in a), end='  ')
")
  printf '%s: one-machine fit %.2f s | fit-sharded %.2f s | protocol %d passes %.2f s, %d bytes per shard step file | max relative gap: %s\n' \
    "$MODEL" "$(echo "$T1 - $T0" | bc)" "$(echo "$T2 - $T1" | bc)" "$PASS" "$(echo "$T3 - $T2" | bc)" "$BYTES" "$GAP"
done
[ "$WINDOW_CUSTOMERS" -gt 0 ] || exit 0
"$BIN" generate --out "$WORK/export" --customers "$WINDOW_CUSTOMERS" --months 12 --seed 15 --quiet
T0=$(now); "$BIN" train --data "$WORK/export" --out "$WORK/models" --quiet; T1=$(now)
"$BIN" partition --data "$WORK/export" --shards 4 --out "$WORK/shards" > /dev/null
SHARDS=("$WORK"/shards/shard-000{0,1,2,3})
T2=$(now); "$BIN" fit-sharded call_window --data "${SHARDS[@]}" --out "$WORK/window-sharded.json" --quiet; T3=$(now)
for K in 0 1 2 3; do "$BIN" fit-shard call_window --data "${SHARDS[$K]}" --out "$WORK/wr-$K.json" & done; wait
END=$("$BIN" fit-combine call_window --stats "$WORK"/wr-{0,1,2,3}.json --out "$WORK/end.json" | cut -d' ' -f2)
for K in 0 1 2 3; do
  "$BIN" fit-shard call_window --data "${SHARDS[$K]}" --history-end "$END" --out "$WORK/ws-$K.json" &
done; wait
"$BIN" fit-combine call_window --stats "$WORK"/ws-{0,1,2,3}.json --out "$WORK/window-protocol.json" > /dev/null; T4=$(now)
GAP=$(python3 -c "
import json
def numbers(v):
    if isinstance(v, dict): return [x for k in sorted(v) for x in numbers(v[k])]
    if isinstance(v, list): return [x for e in v for x in numbers(e)]
    return [v] if isinstance(v, (int, float)) and not isinstance(v, bool) else []
one = numbers(json.load(open('$WORK/models/v1/call_window.json')))
for other in ('sharded', 'protocol'):
    b = numbers(json.load(open('$WORK/window-' + other + '.json')))
    print(other, max(abs(x - y) for x, y in zip(one, b)) if len(b) == len(one) else 'different shape', end='  ')
")
IDENTICAL=$(cmp -s "$WORK/models/v1/call_window.json" "$WORK/window-protocol.json" && echo yes || echo no)
printf 'call_window (%d customers): train (all models) %.2f s | fit-sharded %.2f s | protocol 2 passes %.2f s, %d bytes per shard statistics file | byte-identical: %s | max difference: %s\n' \
  "$WINDOW_CUSTOMERS" "$(echo "$T1 - $T0" | bc)" "$(echo "$T3 - $T2" | bc)" "$(echo "$T4 - $T3" | bc)" \
  "$(stat -c %s "$WORK/ws-0.json")" "$IDENTICAL" "$GAP"
