// swift-tools-version:6.0
import PackageDescription

/// Release builds of the hot loops (CSV parsing, scoring) run without bounds checks.
let fastLoops: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

// The module graph runs one way (docs/ARCHITECTURE.md): shared basics → Tabular → Receivables → Features → Models →
// Bundles → {Evaluation → Training, Scoring} → Reports → Jobs → ArscoreCLI → arscore.
let package = Package(
    name: "arscore",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "arscore", targets: ["arscore"]),
        .library(name: "Jobs", targets: ["Jobs"]),
        .library(name: "ArscoreCLI", targets: ["ArscoreCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // dates, instants, time zones
        .target(name: "CivilTime", dependencies: [], swiftSettings: fastLoops),
        // call outcomes and the weekday × window grid
        .target(name: "CallGrid", dependencies: ["CivilTime"], swiftSettings: fastLoops),
        .target(name: "CallPlanning", dependencies: [], swiftSettings: fastLoops),
        // deterministic parallel partitions and loops
        .target(name: "Parallelism", dependencies: [], swiftSettings: fastLoops),
        // atomic files and folders, SHA-256 (swift-crypto's, 8.9× the Swift one): one write path, one error type
        .target(name: "FileSafety", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // the JSON encoder settings of every file arscore writes
        .target(name: "StableJSON", dependencies: []),
        // row-major Matrix, BLAS and LAPACK
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"], swiftSettings: fastLoops),
        // AUC, losses, calibration, concordance, DeLong, lift, Kaplan–Meier, PSI, uplift (Qini, uplift@k), off-policy value
        .target(name: "Metrics", dependencies: []),
        // streaming CSV reading and writing, cell neutralising
        .target(name: "Tabular", dependencies: ["Parallelism"], swiftSettings: fastLoops),
        // export folder → validated tables; the quarantine file
        .target(name: "Receivables", dependencies: ["CallGrid", "CivilTime", "Parallelism", "Tabular"], swiftSettings: fastLoops),
        // snapshot features, labels, design matrices
        .target(name: "Features", dependencies: ["CallGrid", "CivilTime", "LinearAlgebra", "Parallelism", "Receivables"], swiftSettings: fastLoops),
        // Newton solver, logistic, Cox and call-window models (no CSV, no collections)
        .target(name: "Models", dependencies: ["LinearAlgebra", "Metrics", "Parallelism", "StableJSON"], swiftSettings: fastLoops),
        // the model bundle: bundle.json and its model files
        .target(name: "Bundles", dependencies: ["FileSafety", "LinearAlgebra", "Metrics", "Models", "StableJSON"]),
        // the out-of-time holdout: one cut, one scoring, used by train and compare
        .target(name: "Evaluation", dependencies: ["Bundles", "CallGrid", "CivilTime", "Features", "LinearAlgebra", "Metrics", "Models"]),
        // snapshots → the four models → a bundle and its card
        .target(name: "Training", dependencies: ["Bundles", "CallGrid", "CivilTime", "Evaluation", "Features", "FileSafety", "LinearAlgebra", "Metrics", "Models", "Parallelism", "Receivables"], swiftSettings: fastLoops),
        // collection KPIs per period and group: DSO, CEI, contact and promise rates, roll rates
        .target(name: "KPIs", dependencies: ["CallGrid", "CivilTime", "Features", "Parallelism", "Receivables", "StableJSON", "Tabular"], swiftSettings: fastLoops),
        // queue publishing: manifest, verified atomic folders, window clock
        .target(name: "Queues", dependencies: ["CallGrid", "CivilTime", "FileSafety"]),
        // nightly scoring, policy, routing, reason codes, backtest
        .target(name: "Scoring", dependencies: ["Bundles", "CallGrid", "CallPlanning", "CivilTime", "Features", "LinearAlgebra", "Metrics", "Models", "Queues", "Receivables", "Tabular"], swiftSettings: fastLoops),
        // bundle comparison tables and the HTML report
        .target(name: "Reports", dependencies: ["Bundles", "CallGrid", "CivilTime", "Evaluation", "Features", "KPIs", "LinearAlgebra", "Metrics", "Models", "Receivables", "Scoring", "StableJSON", "Tabular"]),
        // the synthetic history generator
        .target(name: "Simulation", dependencies: ["CallGrid", "CivilTime", "Parallelism"], swiftSettings: fastLoops),
        // one library call per command (train, score, compare, backtest, features, fit/predict)
        .target(name: "Jobs", dependencies: ["Bundles", "CallGrid", "CivilTime", "Evaluation", "Features", "FileSafety", "KPIs", "LinearAlgebra", "Models", "Queues", "Receivables", "Reports", "Scoring", "Simulation", "StableJSON", "Tabular", "Training"]),
        // the command tree: parses, calls Jobs, prints
        .target(
            name: "ArscoreCLI",
            dependencies: ["CivilTime", "Features", "FileSafety", "Jobs", "KPIs", "Models", "Queues", "Reports", "Scoring", "Simulation", "Tabular", "Training", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(name: "arscore", dependencies: ["ArscoreCLI"]),
        .executableTarget(
            name: "arscore-bench",
            dependencies: ["Bundles", "CallGrid", "CivilTime", "Evaluation", "Features", "Jobs", "KPIs", "LinearAlgebra", "Metrics", "Models", "Parallelism", "Receivables", "Scoring", "Tabular", "Training"],
            path: "Benchmarks/Sources/arscore-bench",
            swiftSettings: fastLoops
        ),
        // helpers the test targets share: temporary folders, generated histories, hand-built exports, CSV, day numbers
        .target(name: "TestSupport", dependencies: ["Receivables", "Simulation"], path: "Tests/TestSupport"),
        .testTarget(name: "ArchitectureTests", dependencies: []),
        .testTarget(name: "ArscoreCLITests", dependencies: ["ArscoreCLI", "CivilTime", "FileSafety", "Jobs", "KPIs", "LinearAlgebra", "Models", "Receivables", "Reports", "Scoring", "Simulation", "Tabular", "TestSupport"]),
        .testTarget(name: "CallPlanningTests", dependencies: ["CallPlanning"]),
        .testTarget(name: "CivilTimeTests", dependencies: ["CivilTime"]),
        .testTarget(name: "FeaturesTests", dependencies: ["CallGrid", "CivilTime", "Features", "Receivables", "TestSupport"]),
        .testTarget(name: "FileSafetyTests", dependencies: ["FileSafety"]),
        .testTarget(name: "KPIsTests", dependencies: ["Features", "KPIs", "Receivables"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelsTests", dependencies: ["LinearAlgebra", "Metrics", "Models"], resources: [.copy("Fixtures")]),
        .testTarget(name: "QueuesTests", dependencies: ["CivilTime", "FileSafety", "Queues", "Tabular"]),
        .testTarget(name: "ReceivablesTests", dependencies: ["CallGrid", "CivilTime", "Receivables", "Simulation", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Bundles", "Evaluation", "Features", "Metrics", "Receivables", "Reports", "TestSupport", "Training"]),
        .testTarget(name: "ScoringTests", dependencies: ["Bundles", "Features", "Receivables", "Scoring", "TestSupport", "Training"]),
        .testTarget(name: "SimulationTests", dependencies: ["CallGrid", "CivilTime", "FileSafety", "Receivables", "Simulation", "TestSupport"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "TrainingTests", dependencies: ["Bundles", "CallGrid", "Evaluation", "Features", "LinearAlgebra", "Metrics", "Models", "Receivables", "TestSupport", "Training"]),
    ]
)
