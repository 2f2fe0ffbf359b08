// swift-tools-version:6.0
import PackageDescription

/// Release builds of the hot loops (CSV parsing, scoring) run without bounds checks.
let fastLoops: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "arscore",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "arscore", targets: ["arscore"]),
        .library(name: "ArscoreCLI", targets: ["ArscoreCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"], swiftSettings: fastLoops),
        .target(name: "Tabular", swiftSettings: fastLoops),
        .target(name: "Metrics"),
        .target(name: "Simulation", swiftSettings: fastLoops),
        .target(name: "Receivables", dependencies: ["Tabular"], swiftSettings: fastLoops),
        .target(name: "Features", dependencies: ["Receivables"], swiftSettings: fastLoops),
        .target(name: "StableJSON"),
        .target(name: "Models", dependencies: ["LinearAlgebra", "Metrics", "StableJSON"], swiftSettings: fastLoops),
        .target(name: "Queues", dependencies: ["Tabular", "Receivables"]),
        .target(name: "Bundles", dependencies: ["Models", "Metrics", "LinearAlgebra", "Tabular", "StableJSON"]),
        .target(
            name: "Training",
            dependencies: ["Bundles", "Features", "Models", "Metrics", "LinearAlgebra", "Receivables", "Tabular"],
            swiftSettings: fastLoops
        ),
        .target(
            name: "Scoring",
            dependencies: ["Bundles", "Features", "Models", "Queues", "Receivables", "Tabular", "Training", "LinearAlgebra"],
            swiftSettings: fastLoops
        ),
        .target(
            name: "Reports",
            dependencies: ["Scoring", "Training", "Bundles", "Features", "Metrics", "Models", "Receivables", "Queues",
                           "LinearAlgebra", "Tabular", "StableJSON"]
        ),
        .target(
            name: "ArscoreCLI",
            dependencies: [
                "Tabular", "Models", "Metrics", "LinearAlgebra", "Receivables", "Features", "Simulation", "Bundles", "Training", "Queues", "Scoring", "Reports", "StableJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "arscore", dependencies: ["ArscoreCLI"]),
        .executableTarget(
            name: "arscore-bench",
            dependencies: ["Tabular", "Models", "LinearAlgebra", "Metrics", "Receivables", "Features", "Bundles", "Training",
                           "Scoring", "ArscoreCLI"],
            path: "Benchmarks/Sources/arscore-bench",
            swiftSettings: fastLoops
        ),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "LinearAlgebra", "Metrics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "ReceivablesTests", dependencies: ["Receivables", "Simulation", "Tabular"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "Receivables", "Simulation", "Tabular"]),
        .testTarget(name: "QueuesTests", dependencies: ["Queues", "Tabular", "Receivables"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Bundles", "Features", "Receivables", "Simulation", "Models", "Metrics", "LinearAlgebra", "Tabular"]
        ),
        .target(name: "QueueTestFixtures", path: "Tests/QueueTestFixtures"),
        .testTarget(
            name: "ScoringTests",
            dependencies: ["Scoring", "Training", "Bundles", "Features", "Receivables", "Simulation", "Queues", "Models", "Tabular",
                           "QueueTestFixtures"]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Metrics", "Training", "Bundles", "Features", "Receivables", "Simulation"]
        ),
        .testTarget(name: "ArscoreCLITests", dependencies: ["ArscoreCLI", "Models", "Tabular", "QueueTestFixtures"]),
    ]
)
