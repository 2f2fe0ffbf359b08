#!/usr/bin/env bash
# Sharded scoring through Spark against one machine, end to end (processes, files in and out): the wall time of a
# one-machine `arscore score`, of each stage of the sharded path run by hand (partition, each shard's
# `score --shard-result` with its peak memory, merge), and of the Spark driver in local mode on the same shards;
# every published file is compared with the one-machine one (manifest without created_at).
# Usage: Benchmarks/spark_scoring.sh [CUSTOMERS=200000] [SHARDS=4] [MASTER=local[2]]
# The export (arscore generate --months 12 --seed 3) and a bundle trained on it are made under Benchmarks/work on
# the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${1:-200000}; shards=${2:-4}; master=${3:-local[2]}; as_of=2026-11-02
arscore=$(realpath "${ARSCORE:-.build/release/arscore}")
export_dir=$PWD/Benchmarks/work/export-$customers
model=$PWD/Benchmarks/work/models/export-$customers
work=$(mktemp -d "$PWD/Benchmarks/work/.spark-scoring-XXXX")
trap 'rm -rf "$work"' EXIT

[ -d "$export_dir" ] || "$arscore" generate --out "$export_dir" --customers "$customers" --months 12 --seed 3 --quiet
ls "$model"/*/bundle.json >/dev/null 2>&1 || "$arscore" train --data "$export_dir" --out "$model" --quiet

measure() {  # label, command...: prints "label seconds peak_GiB"
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r seconds kib <"$work/time"
    awk -v l="$label" -v s="$seconds" -v k="$kib" 'BEGIN { printf "%-34s %8.2f s  peak %5.2f GiB\n", l, s, k / 1048576 }'
}

same_outputs() {  # two day folders: byte-identical files, manifests equal but for created_at
    local a=$1 b=$2
    diff -r -x manifest.json "$a" "$b" >/dev/null || { echo "DIFFERENT files: $a vs $b"; diff -rq -x manifest.json "$a" "$b"; return 1; }
    python3 - "$a/manifest.json" "$b/manifest.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for m in (a, b): m.pop("created_at", None)
sys.exit(0 if a == b else "DIFFERENT manifests")
PY
    echo "identical: every queue file byte for byte, manifest but for created_at"
}

echo "== $customers customers, $shards shards, as of $as_of"
measure "one machine: arscore score" "$arscore" score --data "$export_dir" --model "$model" --out "$work/one" \
    --as-of "$as_of" --quiet
measure "partition ($shards shards)" "$arscore" partition --data "$export_dir" --shards "$shards" --out "$work/shards" --quiet
for shard in "$work"/shards/shard-*; do
    name=$(basename "$shard")
    measure "score --shard-result $name" "$arscore" score --data "$shard" --model "$model" --as-of "$as_of" \
        --shard-result "$work/results/$name" --quiet
done
measure "merge" "$arscore" merge --out "$work/merged" --quiet "$work"/results/shard-*
same_outputs "$work/one/$as_of" "$work/merged/$as_of"

measure "Spark $master: whole job" env ARSCORE_BIN="$arscore" PYTHONPATH="$PWD/Sources/spark" \
    python3 -m arscore_spark score --master "$master" --data "$export_dir" --model "$model" --out "$work/spark" \
    --as-of "$as_of" --shards "$shards" --work "$work/spark-work"
same_outputs "$work/one/$as_of" "$work/spark/$as_of"
