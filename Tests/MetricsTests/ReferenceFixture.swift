import Foundation
import Testing

@testable import Metrics

/// The reference values written by `Fixtures/make_metrics_reference.py` (scikit-learn / scipy /
/// pandas), decoded from `Fixtures/metrics_reference.json`.
struct ReferenceFixture: Decodable {
    var seed: Int
    var logLossClip: Double
    var datasets: [ReferenceDataset]

    /// Loads and decodes the fixture from the test bundle.
    static func load() throws -> ReferenceFixture {
        guard let url = Bundle.module.url(
            forResource: "metrics_reference", withExtension: "json", subdirectory: "Fixtures")
        else {
            throw CocoaError(.fileNoSuchFile)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }

    /// The data sets, or none if the fixture cannot be read (``FixtureTests`` then fails).
    static let datasets: [ReferenceDataset] = (try? load())?.datasets ?? []
}

/// One data set and what scikit-learn says about it.
struct ReferenceDataset: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var note: String
    var probabilities: [Double]
    var labels: [Bool]
    var weights: [Double]?
    var expected: Expected

    struct Expected: Decodable, Sendable {
        /// `nil` when only one class is present (the metric is undefined).
        var auc: Double?
        var gini: Double?
        var ks: Double?
        /// `nil` for a single class or when not stored (large data sets).
        var rocCurve: Curve?
        var logLoss: Double
        var brier: Double
        var calibration: [CalibrationReference]
    }

    struct Curve: Decodable, Sendable {
        var fpr: [Double]
        var tpr: [Double]
        /// `nil` stands for `+infinity`.
        var thresholds: [Double?]
    }

    struct CalibrationReference: Decodable, Sendable {
        var bins: Int
        var table: [CalibrationBin]
    }

    var testDescription: String { name }
}

/// `true` when `actual` and `expected` agree to `relative` relative error (exact match for zero).
func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-12) -> Bool {
    actual == expected || abs(actual - expected) <= relative * max(abs(actual), abs(expected))
}

/// Records an expectation failure unless `actual` is within `relative` of `expected`.
func expectClose(
    _ actual: Double, _ expected: Double, relative: Double = 1e-12, _ what: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        isClose(actual, expected, relative: relative),
        "\(what()): got \(actual), expected \(expected)",
        sourceLocation: sourceLocation)
}
