import Foundation
import Testing

@testable import Metrics

/// Every ``MetricsError`` from every entry point, and the order in which inputs are checked.
@Suite("errors")
struct ErrorTests {
    typealias M = ClassificationMetrics

    /// Calls one entry point with (values, labels, weights).
    struct EntryPoint: Sendable, CustomTestStringConvertible {
        var name: String
        var takesProbabilities: Bool
        var needsBothClasses: Bool
        var call: @Sendable ([Double], [Bool], [Double]?) throws -> Void
        var testDescription: String { name }
    }

    static let entryPoints: [EntryPoint] = [
        EntryPoint(name: "rocAUC", takesProbabilities: false, needsBothClasses: true) {
            _ = try M.rocAUC(scores: $0, labels: $1, weights: $2)
        },
        EntryPoint(name: "gini", takesProbabilities: false, needsBothClasses: true) {
            _ = try M.gini(scores: $0, labels: $1, weights: $2)
        },
        EntryPoint(name: "ksStatistic", takesProbabilities: false, needsBothClasses: true) {
            _ = try M.ksStatistic(scores: $0, labels: $1, weights: $2)
        },
        EntryPoint(name: "rocCurve", takesProbabilities: false, needsBothClasses: true) {
            _ = try M.rocCurve(scores: $0, labels: $1, weights: $2)
        },
        EntryPoint(name: "logLoss", takesProbabilities: true, needsBothClasses: false) {
            _ = try M.logLoss(probabilities: $0, labels: $1, weights: $2)
        },
        EntryPoint(name: "brierScore", takesProbabilities: true, needsBothClasses: false) {
            _ = try M.brierScore(probabilities: $0, labels: $1, weights: $2)
        },
        EntryPoint(name: "calibration", takesProbabilities: true, needsBothClasses: false) {
            _ = try M.calibration(probabilities: $0, labels: $1, weights: $2)
        },
        EntryPoint(name: "summary", takesProbabilities: true, needsBothClasses: true) {
            _ = try BinaryClassificationSummary.evaluate(probabilities: $0, labels: $1, weights: $2)
        },
    ]

    let p = [0.2, 0.7, 0.5]
    let y = [false, true, false]

    @Test("valid input is accepted", arguments: entryPoints)
    func valid(_ f: EntryPoint) throws {
        try f.call(p, y, nil)
        try f.call(p, y, [1, 2, 0])
    }

    @Test("empty input", arguments: entryPoints)
    func empty(_ f: EntryPoint) {
        #expect(throws: MetricsError.empty) { try f.call([], [], nil) }
        #expect(throws: MetricsError.empty) { try f.call([], [], []) }
    }

    @Test("all weights zero counts as empty", arguments: entryPoints)
    func zeroTotalWeight(_ f: EntryPoint) {
        #expect(throws: MetricsError.empty) { try f.call(p, y, [0, 0, 0]) }
    }

    @Test("length mismatch names the argument", arguments: entryPoints)
    func lengthMismatch(_ f: EntryPoint) {
        #expect(throws: MetricsError.lengthMismatch(argument: "labels", expected: 3, actual: 2)) {
            try f.call(p, [true, false], nil)
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "weights", expected: 3, actual: 4)) {
            try f.call(p, y, [1, 1, 1, 1])
        }
        // Checked before emptiness.
        #expect(throws: MetricsError.lengthMismatch(argument: "labels", expected: 0, actual: 1)) {
            try f.call([], [true], nil)
        }
    }

    @Test("non-finite values and weights report their row", arguments: entryPoints)
    func nonFinite(_ f: EntryPoint) {
        #expect(throws: MetricsError.nonFinite(index: 1)) { try f.call([0.2, .nan, 0.5], y, nil) }
        #expect(throws: MetricsError.nonFinite(index: 2)) { try f.call([0.2, 0.7, .infinity], y, nil) }
        #expect(throws: MetricsError.nonFinite(index: 0)) { try f.call([-.infinity, 0.7, 0.5], y, nil) }
        #expect(throws: MetricsError.nonFinite(index: 2)) { try f.call(p, y, [1, 1, .nan]) }
        #expect(throws: MetricsError.nonFinite(index: 0)) { try f.call(p, y, [.infinity, 1, 1]) }
    }

    @Test("negative weights report their row", arguments: entryPoints)
    func negativeWeight(_ f: EntryPoint) {
        #expect(throws: MetricsError.negativeWeight(index: 1)) { try f.call(p, y, [1, -0.5, 1]) }
        // Rows are checked in order: the earlier problem wins.
        #expect(throws: MetricsError.negativeWeight(index: 0)) { try f.call([0.2, .nan, 0.5], y, [-1, 1, 1]) }
        #expect(throws: MetricsError.nonFinite(index: 0)) { try f.call([.nan, 0.7, 0.5], y, [-1, 1, 1]) }
    }

    @Test("probabilities outside [0, 1]", arguments: entryPoints)
    func probabilityRange(_ f: EntryPoint) throws {
        let bad = [0.2, 1.0000001, 0.5]
        let negative = [0.2, 0.7, -1e-300]
        if f.takesProbabilities {
            #expect(throws: MetricsError.probabilityOutOfRange(index: 1)) { try f.call(bad, y, nil) }
            #expect(throws: MetricsError.probabilityOutOfRange(index: 2)) { try f.call(negative, y, nil) }
        } else {
            // Ranking metrics take any finite score.
            try f.call(bad, y, nil)
            try f.call(negative, y, nil)
        }
        // The boundaries themselves are valid probabilities.
        try f.call([0, 1, 0.5], y, nil)
    }

    @Test("a single class", arguments: entryPoints)
    func singleClass(_ f: EntryPoint) throws {
        let cases: [([Bool], [Double]?)] = [
            ([true, true, true], nil),
            ([false, false, false], nil),
            ([true, false, false], [0, 1, 1]),  // the only positive weighs nothing
        ]
        for (labels, weights) in cases {
            if f.needsBothClasses {
                #expect(throws: MetricsError.singleClass) { try f.call(p, labels, weights) }
            } else {
                try f.call(p, labels, weights)
            }
        }
        // Row problems are reported before the class check.
        #expect(throws: MetricsError.nonFinite(index: 0)) { try f.call([.nan, 0.1, 0.2], [true, true, true], nil) }
    }

    @Test("calibration needs at least one bin")
    func binCount() throws {
        #expect(throws: MetricsError.invalidBinCount(0)) { try M.calibration(probabilities: p, labels: y, bins: 0) }
        #expect(throws: MetricsError.invalidBinCount(-3)) { try M.calibration(probabilities: [], labels: [], bins: -3) }
        #expect(throws: MetricsError.invalidBinCount(0)) {
            try BinaryClassificationSummary.evaluate(probabilities: p, labels: y, bins: 0)
        }
        #expect(try M.calibration(probabilities: p, labels: y, bins: 1).count == 1)
    }

    @Test("descriptions are readable")
    func descriptions() {
        let errors: [MetricsError] = [
            .empty, .lengthMismatch(argument: "labels", expected: 3, actual: 2), .singleClass,
            .nonFinite(index: 4), .negativeWeight(index: 5), .probabilityOutOfRange(index: 6), .invalidBinCount(0),
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
        }
        #expect(MetricsError.lengthMismatch(argument: "labels", expected: 3, actual: 2).description
                == "labels has 2 elements, expected 3")
        #expect(MetricsError.nonFinite(index: 4).description.contains("row 4"))
    }
}
