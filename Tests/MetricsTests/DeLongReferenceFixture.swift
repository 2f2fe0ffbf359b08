import Foundation
import Testing

@testable import Metrics

/// The reference values written by `Fixtures/make_delong_reference.py` (numpy O(m·n) DeLong,
/// lifelines Kaplan–Meier, numpy-sorted lift), decoded from `Fixtures/delong_reference.json`.
struct DeLongReference: Decodable {
    var seed: Int
    var z975: Double
    var delong: [InferenceCase]
    var paired: [PairedCase]
    var kaplanMeier: [KaplanMeierCase]
    var lift: [LiftCase]

    struct InferenceCase: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var note: String
        var scores: [Double]
        var labels: [Bool]
        var expected: AUCInference
        var testDescription: String { name }
    }

    struct PairedCase: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var note: String
        var scoresA: [Double]
        var scoresB: [Double]
        var labels: [Bool]
        var expected: PairedAUCTest
        var testDescription: String { name }
    }

    struct KaplanMeierCase: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var note: String
        var durations: [Double]
        var events: [Bool]
        var curve: [SurvivalPoint]
        var queries: [Double]
        var survivalAt: [Double]
        var testDescription: String { name }
    }

    struct LiftCase: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var note: String
        var scores: [Double]
        var labels: [Bool]
        var values: [Double]?
        var shares: [Double]
        var points: [LiftPoint]
        var gainsCount: Int
        var gains: [LiftPoint]
        var testDescription: String { name }
    }

    /// Loads and decodes the fixture from the test bundle.
    static func load() throws -> DeLongReference {
        guard let url = Bundle.module.url(
            forResource: "delong_reference", withExtension: "json", subdirectory: "Fixtures")
        else {
            throw CocoaError(.fileNoSuchFile)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(DeLongReference.self, from: Data(contentsOf: url))
    }

    /// The fixture, or nil if it cannot be read (the `fixtureLoads` tests then fail).
    static let shared: DeLongReference? = try? load()
}

/// Agreement with a reference value: within `relative` of it, or within `absolute` (for values
/// that are differences near zero, such as the bounds of an interval around a small difference).
func expectAgrees(
    _ actual: Double, _ expected: Double, relative: Double = 1e-10, absolute: Double = 0,
    _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let ok = isClose(actual, expected, relative: relative) || abs(actual - expected) <= absolute
    #expect(ok, "\(what()): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

/// A small, fast, seeded generator (SplitMix64) so large test inputs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

/// A seeded permutation of `0..<n`.
func seededPermutation(_ n: Int, seed: UInt64) -> [Int] {
    var rng = SplitMix64(seed: seed)
    return Array(0..<n).shuffled(using: &rng)
}
