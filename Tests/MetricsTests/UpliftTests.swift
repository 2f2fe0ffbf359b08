import Foundation
import Testing

@testable import Metrics

/// Hand-computed uplift curves, coefficients and uplift@k on six examples, and the edge cases.
@Suite("uplift metrics by hand")
struct UpliftTests {
    typealias U = UpliftMetrics

    // score, treated, outcome: (3, T, 1) (2, C, 0) (2, T, 1) (1, C, 1) (1, T, 0) (0, C, 1)
    static let scores: [Double] = [3, 2, 2, 1, 1, 0]
    static let treated = [true, false, true, false, true, false]
    static let outcomes: [Double] = [1, 0, 1, 1, 0, 1]

    @Test("Qini curve: Y_T − Y_C·N_T/N_C after each tie group, from (0, 0)")
    func qiniCurve() throws {
        let curve = try U.qiniCurve(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated)
        #expect(curve.map(\.examples) == [0, 1, 3, 5, 6])
        #expect(curve.map(\.value) == [0, 1, 2, 0.5, 0])
        #expect(curve.map(\.threshold) == [nil, 3, 2, 1, 0])
    }

    @Test("uplift curve: (Y_T/N_T − Y_C/N_C)·N after each tie group")
    func upliftCurve() throws {
        let curve = try U.upliftCurve(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated)
        #expect(curve.map(\.examples) == [0, 1, 3, 5, 6])
        let expected = [0, 1, 3, 5.0 / 6, 0]
        for (point, value) in zip(curve, expected) { expectClose(point.value, value, "uplift at \(point.examples)") }
    }

    @Test("perfect curves: treated responders first, control responders last")
    func perfectCurves() throws {
        let qini = try U.perfectQiniCurve(outcomes: Self.outcomes, treated: Self.treated)
        #expect(qini.map(\.examples) == [0, 2, 4, 6])
        #expect(qini.map(\.value) == [0, 2, 2, 0])
        #expect(qini.allSatisfy { $0.threshold == nil })
        // control responders (2) outnumber treated non-responders (1): they come before them
        let uplift = try U.perfectUpliftCurve(outcomes: Self.outcomes, treated: Self.treated)
        #expect(uplift.map(\.examples) == [0, 2, 3, 5, 6])
        for (point, value) in zip(uplift, [0, 2, 3, 5.0 / 3, 0]) { expectClose(point.value, value, "perfect uplift at \(point.examples)") }
        // without negative effects: (0,0) → (r, r) → (n, r), r = 2 − 3·2/3 = 0 here
        let flat = try U.perfectQiniCurve(outcomes: Self.outcomes, treated: Self.treated, negativeEffect: false)
        #expect(flat == [UpliftCurvePoint(examples: 0, value: 0), UpliftCurvePoint(examples: 0, value: 0), UpliftCurvePoint(examples: 6, value: 0)])
        // treated non-responders (2) outnumber control responders (1): they come before them
        let fewControl: [Double] = [1, 0, 0, 0, 0, 1]
        let other = try U.perfectUpliftCurve(outcomes: fewControl, treated: Self.treated)
        #expect(other.map(\.examples) == [0, 1, 3, 5, 6])
        for (point, value) in zip(other, [0, 1, 3, 5.0 / 3, 0]) { expectClose(point.value, value, "perfect uplift at \(point.examples)") }
        let responders: [Double] = [1, 0, 1, 0, 0, 1]  // r = 2 − 3·1/3 = 1
        let corner = try U.perfectQiniCurve(outcomes: responders, treated: Self.treated, negativeEffect: false)
        #expect(corner.map(\.examples) == [0, 1, 6] && corner.map(\.value) == [0, 1, 1])
    }

    @Test("coefficients: area above the random line over the perfect curve's")
    func coefficients() throws {
        // model area 6.25, perfect 8, random 0
        let qini = try U.qiniCoefficient(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated)
        #expect(qini == 6.25 / 8)
        // model area 8.75, perfect 10, random 0
        let uplift = try U.upliftCoefficient(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated)
        expectClose(uplift, 0.875, "uplift coefficient")
        // without negative effects r = 0: the perfect curve has no area
        #expect(throws: UpliftError.undefinedCoefficient) {
            try U.qiniCoefficient(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated, negativeEffect: false)
        }
    }

    @Test("uplift@k: overall and by group, ties at the cut taken last row first")
    func upliftAtK() throws {
        func at(_ top: UpliftTop, _ strategy: UpliftAtKStrategy) throws -> UpliftAtK {
            try U.upliftAtK(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated, top: top, strategy: strategy)
        }
        // order: rows 0, 2, 1, 4, 3, 5 (equal scores: the later row first)
        let half = try at(.share(0.5), .overall)  // rows 0, 2, 1
        #expect(half.treatedExamples == 2 && half.controlExamples == 1 && half.uplift == 1)
        let four = try at(.count(4), .overall)  // rows 0, 2, 1, 4: the tie {3, 4} is cut, row 4 comes first
        #expect(four.treatedExamples == 3 && four.controlExamples == 1)
        expectClose(four.uplift, 2.0 / 3, "uplift of the top 4")
        let byGroup = try at(.share(0.5), .byGroup)  // ⌊3·0.5⌋ = 1 of each group: rows 0 and 1
        #expect(byGroup.treatedExamples == 1 && byGroup.controlExamples == 1 && byGroup.uplift == 1)
        let twoEach = try at(.count(2), .byGroup)  // treated rows 0, 2; control rows 1, 3
        #expect(twoEach.treatedMean == 1 && twoEach.controlMean == 0.5)
    }

    @Test("uplift@k edge cases: k outside its range, larger than a group, a group absent from the top")
    func upliftAtKEdges() throws {
        func at(_ top: UpliftTop, _ strategy: UpliftAtKStrategy) throws -> UpliftAtK {
            try U.upliftAtK(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated, top: top, strategy: strategy)
        }
        for k in [0, 1, -0.5, 1.5, .nan, .infinity] {
            let error = #expect(throws: UpliftError.self) { try at(.share(k), .overall) }
            #expect(error?.description == UpliftError.invalidShare(k).description)
        }
        #expect(throws: UpliftError.invalidCount(6, examples: 6)) { try at(.count(6), .overall) }
        #expect(throws: UpliftError.invalidCount(0, examples: 6)) { try at(.count(0), .byGroup) }
        #expect(throws: UpliftError.topExceedsGroup(.control, top: 4, groupSize: 3)) { try at(.count(4), .byGroup) }
        #expect(throws: UpliftError.groupMissingFromTop(.control, top: 2)) { try at(.count(2), .overall) }  // rows 0, 2
        #expect(throws: UpliftError.groupMissingFromTop(.control, top: 0)) { try at(.share(0.1), .overall) }  // ⌊0.6⌋ = 0
        #expect(throws: UpliftError.groupMissingFromTop(.control, top: 0)) { try at(.share(0.3), .byGroup) }  // ⌊0.9⌋ = 0
    }

    @Test("all scores tied: one group, the random line, coefficient 0")
    func allTied() throws {
        let tied = [Double](repeating: 0.25, count: 6)
        let curve = try U.qiniCurve(scores: tied, outcomes: Self.outcomes, treated: Self.treated)
        #expect(curve.map(\.examples) == [0, 6] && curve.map(\.value) == [0, 0])
        #expect(try U.qiniCoefficient(scores: tied, outcomes: Self.outcomes, treated: Self.treated) == 0)
        #expect(try U.upliftCoefficient(scores: tied, outcomes: Self.outcomes, treated: Self.treated) == 0)
        // uplift@k takes tied rows from the last: rows 5, 4, 3
        let top = try U.upliftAtK(scores: tied, outcomes: Self.outcomes, treated: Self.treated, top: .share(0.5), strategy: .overall)
        #expect(top.treatedExamples == 1 && top.treatedMean == 0 && top.controlMean == 1)
    }

    @Test("no treated or no control examples: a clear error from every entry point")
    func missingGroup() throws {
        let everyone = [Bool](repeating: true, count: 6), nobody = [Bool](repeating: false, count: 6)
        for (flags, group) in [(everyone, TreatmentGroup.control), (nobody, .treated)] {
            let error = UpliftError.missingGroup(group)
            #expect(throws: error) { try U.qiniCurve(scores: Self.scores, outcomes: Self.outcomes, treated: flags) }
            #expect(throws: error) { try U.upliftCurve(scores: Self.scores, outcomes: Self.outcomes, treated: flags) }
            #expect(throws: error) { try U.perfectQiniCurve(outcomes: Self.outcomes, treated: flags) }
            #expect(throws: error) { try U.perfectUpliftCurve(outcomes: Self.outcomes, treated: flags) }
            #expect(throws: error) { try U.qiniCoefficient(scores: Self.scores, outcomes: Self.outcomes, treated: flags) }
            #expect(throws: error) { try U.upliftCoefficient(scores: Self.scores, outcomes: Self.outcomes, treated: flags) }
            #expect(throws: error) {
                try U.upliftAtK(scores: Self.scores, outcomes: Self.outcomes, treated: flags, top: .share(0.5), strategy: .byGroup)
            }
        }
        #expect(UpliftError.missingGroup(.control).description.contains("no control examples"))
    }

    @Test("input errors name the argument; binary-only metrics reject cash")
    func inputErrors() throws {
        #expect(throws: MetricsError.lengthMismatch(argument: "outcomes", expected: 6, actual: 5)) {
            try U.qiniCurve(scores: Self.scores, outcomes: Array(Self.outcomes.prefix(5)), treated: Self.treated)
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "treated", expected: 6, actual: 7)) {
            try U.qiniCurve(scores: Self.scores, outcomes: Self.outcomes, treated: Self.treated + [true])
        }
        #expect(throws: MetricsError.empty) { try U.qiniCurve(scores: [], outcomes: [], treated: []) }
        var scores = Self.scores, outcomes = Self.outcomes
        scores[2] = .nan
        #expect(throws: MetricsError.nonFiniteElement(argument: "scores", index: 2)) {
            try U.qiniCoefficient(scores: scores, outcomes: Self.outcomes, treated: Self.treated)
        }
        outcomes[4] = -.infinity
        #expect(throws: MetricsError.nonFiniteElement(argument: "outcomes", index: 4)) {
            try U.upliftCurve(scores: Self.scores, outcomes: outcomes, treated: Self.treated)
        }
        let cash: [Double] = [120.5, 0, 80, 35.25, 0, 10]
        #expect(throws: UpliftError.nonBinaryOutcome(index: 0)) { try U.upliftCoefficient(scores: Self.scores, outcomes: cash, treated: Self.treated) }
        #expect(throws: UpliftError.nonBinaryOutcome(index: 0)) {
            try U.qiniCoefficient(scores: Self.scores, outcomes: cash, treated: Self.treated, negativeEffect: false)
        }
        _ = try U.qiniCoefficient(scores: Self.scores, outcomes: cash, treated: Self.treated)  // real outcomes are fine here
        let harmful: [Double] = [0, 1, 0, 1, 0, 1]  // r = 0 − 3·3/3 = −3
        #expect(throws: UpliftError.negativeOverallUplift(-3)) {
            try U.perfectQiniCurve(outcomes: harmful, treated: Self.treated, negativeEffect: false)
        }
        #expect(throws: UpliftError.undefinedCoefficient) {
            try U.qiniCoefficient(scores: Self.scores, outcomes: [0, 0, 0, 0, 0, 0], treated: Self.treated)
        }
    }

    @Test("curves and coefficients do not depend on the order of the rows")
    func orderIndependence() throws {
        let fixture = try UpliftReferenceFixture.load()
        let scores = try #require(fixture.columns["coarse_score"]), cash = try #require(fixture.columns["cash"])
        let treated = fixture.treated
        let order = seededPermutation(scores.count, seed: 7)
        let shuffled = (order.map { scores[$0] }, order.map { cash[$0] }, order.map { treated[$0] })
        #expect(try U.qiniCurve(scores: scores, outcomes: cash, treated: treated)
            == U.qiniCurve(scores: shuffled.0, outcomes: shuffled.1, treated: shuffled.2))
        #expect(try U.upliftCurve(scores: scores, outcomes: cash, treated: treated)
            == U.upliftCurve(scores: shuffled.0, outcomes: shuffled.1, treated: shuffled.2))
        #expect(try U.qiniCoefficient(scores: scores, outcomes: cash, treated: treated)
            == U.qiniCoefficient(scores: shuffled.0, outcomes: shuffled.1, treated: shuffled.2))
    }
}
