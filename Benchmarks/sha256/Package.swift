// swift-tools-version:6.0
// The SHA-256 comparison of Benchmarks/sha256/run.sh: FileSafety's Swift SHA-256 (built with ARSCORE_SWIFT_SHA256, so
// it does not forward to swift-crypto) against swift-crypto's, in one process. run.sh copies this package into
// Benchmarks/work/sha-bench with the FileSafety sources.
import PackageDescription

let package = Package(
    name: "sha-bench",
    dependencies: [.package(url: "https://github.com/apple/swift-crypto", from: "3.12.3")],
    targets: [
        .executableTarget(
            name: "ShaBench", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: [.define("ARSCORE_SWIFT_SHA256")]),
    ]
)
