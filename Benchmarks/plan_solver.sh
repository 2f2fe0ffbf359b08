#!/bin/sh
# Times CallPlanning.SlotPlanner alone on 1M candidates × 10 options (10 slots, 500 calls each, capacity 5,000):
# builds a throw-away release package from Sources/CallPlanning (no dependencies) and this folder's main file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
mkdir -p "$work/Sources/PlanBench"
cp "$here"/../Sources/CallPlanning/*.swift "$work/Sources/PlanBench/"
cp "$here/plan_solver_main.swift" "$work/Sources/PlanBench/main.swift"
cat > "$work/Package.swift" <<'PKG'
// swift-tools-version:5.9
import PackageDescription
let package = Package(name: "PlanBench", targets: [.executableTarget(name: "PlanBench", swiftSettings: [.unsafeFlags(["-Ounchecked"])])])
PKG
(cd "$work" && swift build -c release >/dev/null && .build/release/PlanBench)
rm -rf "$work"
