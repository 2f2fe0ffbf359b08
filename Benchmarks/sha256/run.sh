#!/usr/bin/env bash
# SHA-256 on the publish path: hashes one file (default 300 MB of random bytes) with FileSafety's Swift SHA-256 and
# with swift-crypto's, alternately, 3 times each, reading 4 MiB pieces as `SHA256.hash(fileAt:)` does; prints the
# best times, MB/s, the ratio and whether the digests agree.
# Usage: bash Benchmarks/sha256/run.sh [MEGABYTES]      (the first build compiles BoringSSL: several minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${1:-300}
W=Benchmarks/work/sha-bench
mkdir -p "$W/Sources/ShaBench"
cp Benchmarks/sha256/Package.swift "$W/Package.swift"
cp Benchmarks/sha256/main.swift Sources/FileSafety/SHA256.swift Sources/FileSafety/FileSafetyError.swift "$W/Sources/ShaBench/"
(cd "$W" && swift build -c release >/dev/null)
INPUT=Benchmarks/work/sha-input-$MB.bin
[ -f "$INPUT" ] || head -c $((MB * 1000000)) /dev/urandom > "$INPUT"
"$W/.build/release/ShaBench" "$INPUT"
