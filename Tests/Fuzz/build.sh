#!/usr/bin/env bash
# Builds the libFuzzer harnesses into .build-fuzz/ (git-ignored): each module a harness needs is compiled from
# Sources/ with `swiftc -sanitize=fuzzer,address` (coverage instrumentation + AddressSanitizer, bounds checks on),
# then each harness is linked against libFuzzer (shipped with the Swift toolchain: lib/swift/clang/lib/linux/
# libclang_rt.fuzzer-x86_64.a). Needs OpenBLAS/LAPACKE for the bundle harness (`bash .ci/install-deps.sh`).
# Usage: bash Tests/Fuzz/build.sh            (from anywhere; prints the harness paths)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=.build-fuzz
mkdir -p "$OUT/modules"
SWIFTC=${SWIFTC:-swiftc}
FLAGS=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6 -I "$OUT/modules" -I Sources/COpenBLAS
       $(pkg-config --cflags-only-I openblas | sed 's/-I/-Xcc -I/g'))

# module NAME: compiles Sources/NAME/*.swift into $OUT/modules/NAME.{o,swiftmodule} unless they are up to date; once
# one module is recompiled, every later one is too (the list is in dependency order and struct layouts cross modules).
rebuilt=0
module() {
    local name=$1 object="$OUT/modules/$1.o"
    if [ "$rebuilt" = 0 ] && [ -f "$object" ] \
        && [ -z "$(find "Sources/$name" -name '*.swift' -newer "$object" | head -1)" ]; then return; fi
    rebuilt=1
    echo "compiling $name" >&2
    "$SWIFTC" "${FLAGS[@]}" -module-name "$name" -wmo -c Sources/"$name"/*.swift -o "$object" \
        -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule"
}

# harness NAME SOURCE MODULES...: links Tests/Fuzz/SOURCE with the support file and the modules' objects.
harness() {
    local name=$1 source=$2
    shift 2
    local objects=()
    for m in "$@"; do objects+=("$OUT/modules/$m.o"); done
    "$SWIFTC" "${FLAGS[@]}" -module-name "${name//-/_}" Tests/Fuzz/FuzzSupport.swift "Tests/Fuzz/$source" \
        "${objects[@]}" $(pkg-config --libs openblas) -llapacke -o "$OUT/$name" \
        2> >(grep -v "Cannot export local symbol '__asan" >&2)
    echo "$OUT/$name"
}

for m in Parallelism CivilTime CallGrid Tabular Receivables FileSafety StableJSON Metrics LinearAlgebra Models Bundles; do
    module "$m"
done
harness fuzz-csv CSVReaderFuzz.swift Parallelism Tabular
harness fuzz-export ExportLoaderFuzz.swift Parallelism CivilTime CallGrid Tabular Receivables
harness fuzz-bundle BundleLoaderFuzz.swift Parallelism FileSafety StableJSON Metrics LinearAlgebra Models Bundles
