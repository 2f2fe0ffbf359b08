import Foundation
import Testing

@testable import Metrics

/// ``Lift`` against the numpy-sorted reference of `Fixtures/make_delong_reference.py` (to 1e-10),
/// the tie-at-the-cut rule by hand, invariances and errors.
@Suite("lift and gains")
struct LiftTests {
    static let cases = DeLongReference.shared?.lift ?? []

    static func expectPoint(_ got: LiftPoint, _ want: LiftPoint, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.share == want.share, "\(label) share", sourceLocation: sourceLocation)
        #expect(got.rows == want.rows, "\(label) rows", sourceLocation: sourceLocation)
        expectAgrees(got.positiveRate, want.positiveRate, "\(label) positive rate", sourceLocation: sourceLocation)
        expectAgrees(got.lift, want.lift, "\(label) lift", sourceLocation: sourceLocation)
        expectAgrees(got.capturedPositives, want.capturedPositives, "\(label) captured positives", sourceLocation: sourceLocation)
        #expect((got.value == nil) == (want.value == nil), "\(label) value presence", sourceLocation: sourceLocation)
        #expect((got.capturedValue == nil) == (want.capturedValue == nil), "\(label) captured value presence", sourceLocation: sourceLocation)
        if let g = got.value, let w = want.value {
            expectAgrees(g, w, "\(label) value", sourceLocation: sourceLocation)
        }
        if let g = got.capturedValue, let w = want.capturedValue {
            expectAgrees(g, w, "\(label) captured value", sourceLocation: sourceLocation)
        }
    }

    @Test("fixture loads with every case")
    func fixtureLoads() throws {
        let fixture = try DeLongReference.load()
        #expect(Set(fixture.lift.map(\.name)).isSuperset(of: ["random_values", "heavy_ties", "small_n7"]))
    }

    @Test("points match the numpy reference", arguments: cases)
    func pointsMatchReference(_ data: DeLongReference.LiftCase) throws {
        let points = try Lift.points(at: data.shares, scores: data.scores, labels: data.labels, values: data.values)
        try #require(points.count == data.points.count)
        for (k, (got, want)) in zip(points, data.points).enumerated() {
            Self.expectPoint(got, want, "\(data.name) point \(k)")
        }
    }

    @Test("gains curve matches the numpy reference", arguments: cases)
    func gainsMatchReference(_ data: DeLongReference.LiftCase) throws {
        let curve = try Lift.gainsCurve(scores: data.scores, labels: data.labels, values: data.values, count: data.gainsCount)
        try #require(curve.count == data.gains.count)
        for (k, (got, want)) in zip(curve, data.gains).enumerated() {
            Self.expectPoint(got, want, "\(data.name) gains \(k)")
        }
    }

    // MARK: hand-checked

    @Test("a tie group straddling the cut counts pro rata")
    func tieAtCut() throws {
        // Sorted: 0.9(+,100) 0.7(−,50) | 0.5(+,30) 0.5(+,0) 0.5(−,60) | 0.2(−,10) 0.1(+,5); P = 4, n = 7.
        let scores = [0.5, 0.1, 0.9, 0.5, 0.7, 0.2, 0.5]
        let labels = [true, true, true, false, false, false, true]
        let values = [30.0, 5, 100, 60, 50, 10, 0]
        let points = try Lift.points(at: [0.4, 5.0 / 7, 2.0 / 7], scores: scores, labels: labels, values: values)
        // 40% of 7 = 2.8 → 3 rows: the two above plus ⅓ of the group (⅔ positive, 30 in value).
        #expect(points[0].rows == 3)
        expectClose(points[0].positiveRate, (1 + 2.0 / 3) / 3, relative: 1e-15, "rate")
        expectClose(points[0].capturedPositives, (1 + 2.0 / 3) / 4, relative: 1e-15, "captured")
        expectClose(points[0].lift, (1 + 2.0 / 3) / 3 / (4.0 / 7), relative: 1e-15, "lift")
        #expect(points[0].value == 180)
        expectClose(points[0].capturedValue!, 180.0 / 255, relative: 1e-15, "captured value")
        // 5/7 of 7 is exactly 5 rows: the whole group, no split.
        #expect(points[1].rows == 5)
        #expect(points[1].positiveRate == 3.0 / 5)
        #expect(points[1].capturedPositives == 0.75)
        #expect(points[1].value == 240)
        // 2/7 → 2 rows, exactly at the group boundary.
        #expect(points[2].rows == 2)
        #expect(points[2].capturedPositives == 0.25)
        #expect(points[2].value == 150)
    }

    @Test("row counts: ⌈share·n⌉ without floating-point surprises")
    func rowCounts() {
        #expect(Lift.topRows(share: 0.1, of: 30) == 3)
        #expect(Lift.topRows(share: 0.3, of: 10) == 3)  // 0.3·10 = 3.0000000000000004
        #expect(Lift.topRows(share: 0.7, of: 10) == 7)
        #expect(Lift.topRows(share: 0.07, of: 100) == 7)  // 7.000000000000001
        #expect(Lift.topRows(share: 0.29, of: 100) == 29)
        #expect(Lift.topRows(share: 0.101, of: 30) == 4)
        #expect(Lift.topRows(share: 1e-9, of: 10) == 1)
        #expect(Lift.topRows(share: 1, of: 12_345) == 12_345)
        #expect(Lift.topRows(share: 0.05, of: 10_000_000) == 500_000)
    }

    @Test("the whole population: lift 1 and everything captured")
    func fullShare() throws {
        let data = try #require(Self.cases.first { $0.values != nil })
        let p = try #require(try Lift.points(at: [1], scores: data.scores, labels: data.labels, values: data.values).first)
        #expect(p.rows == data.scores.count)
        #expect(p.lift == 1)
        #expect(p.capturedPositives == 1)
        #expect(p.capturedValue == 1)
        #expect(p.positiveRate == Double(data.labels.filter { $0 }.count) / Double(data.labels.count))
    }

    @Test("all scores tied: lift 1 at every share")
    func allTied() throws {
        let labels = [true, false, false, true, false, false, false, true, false, false]
        let curve = try Lift.gainsCurve(scores: [Double](repeating: 0.3, count: 10), labels: labels, count: 10)
        for (i, p) in curve.enumerated() {
            expectClose(p.lift, 1, relative: 1e-15, "lift \(i)")
            expectClose(p.capturedPositives, Double(i + 1) / 10, relative: 1e-15, "captured \(i)")
            #expect(p.value == nil && p.capturedValue == nil)
        }
    }

    @Test("values all zero: captured value 0")
    func zeroValues() throws {
        let p = try Lift.points(at: [0.5, 1], scores: [1, 2, 3, 4], labels: [true, false, true, false], values: [0, 0, 0, 0])
        #expect(p.map(\.capturedValue) == [0, 0])
        #expect(p.map(\.value) == [0, 0])
    }

    @Test("gains curve: evenly spaced, monotone, ends at 1; equals points at the same shares", arguments: cases)
    func gainsShape(_ data: DeLongReference.LiftCase) throws {
        let curve = try Lift.gainsCurve(scores: data.scores, labels: data.labels, values: data.values)
        #expect(curve.count == 50)
        #expect(curve.map(\.share) == (1...50).map { Double($0) / 50 })
        for (a, b) in zip(curve, curve.dropFirst()) {
            #expect(a.rows <= b.rows)
            #expect(a.capturedPositives <= b.capturedPositives)
            if let va = a.capturedValue, let vb = b.capturedValue { #expect(va <= vb) }
        }
        #expect(curve.last?.capturedPositives == 1)
        #expect(curve.last?.rows == data.scores.count)
        let points = try Lift.points(at: curve.map(\.share), scores: data.scores, labels: data.labels, values: data.values)
        #expect(points == curve)
    }

    // MARK: invariances

    @Test("row order does not matter (bit for bit)", arguments: cases)
    func rowOrder(_ data: DeLongReference.LiftCase) throws {
        let order = seededPermutation(data.scores.count, seed: 3)
        let original = try Lift.points(at: data.shares, scores: data.scores, labels: data.labels, values: data.values)
        let shuffled = try Lift.points(
            at: data.shares, scores: order.map { data.scores[$0] }, labels: order.map { data.labels[$0] },
            values: data.values.map { v in order.map { v[$0] } })
        #expect(shuffled == original)
        let reversed = try Lift.points(
            at: data.shares, scores: data.scores.reversed(), labels: data.labels.reversed(), values: data.values?.reversed())
        #expect(reversed == original)
    }

    @Test("strictly increasing transforms of the scores change nothing", arguments: cases)
    func monotoneTransform(_ data: DeLongReference.LiftCase) throws {
        let original = try Lift.gainsCurve(scores: data.scores, labels: data.labels, values: data.values, count: 25)
        let transformed = try Lift.gainsCurve(scores: data.scores.map { exp(3 * $0) }, labels: data.labels, values: data.values, count: 25)
        #expect(transformed == original)
    }

    @Test("shares may come in any order and repeat")
    func shareOrder() throws {
        let data = try #require(Self.cases.first)
        let forward = try Lift.points(at: [0.1, 0.2, 0.5], scores: data.scores, labels: data.labels, values: data.values)
        let backward = try Lift.points(at: [0.5, 0.2, 0.1, 0.2], scores: data.scores, labels: data.labels, values: data.values)
        #expect(backward == [forward[2], forward[1], forward[0], forward[1]])
        #expect(try Lift.points(at: [], scores: data.scores, labels: data.labels).isEmpty)
    }

    @Test("points encode and decode")
    func coding() throws {
        let data = try #require(Self.cases.first { $0.values != nil })
        let points = try Lift.points(at: data.shares, scores: data.scores, labels: data.labels, values: data.values)
        #expect(try JSONDecoder().decode([LiftPoint].self, from: JSONEncoder().encode(points)) == points)
    }

    // MARK: errors

    @Test("errors, in the documented order")
    func errors() {
        let s = [0.1, 0.5, 0.9], y = [false, true, true]
        for bad in [0.0, -0.1, 1.5, -.infinity, .infinity] {
            #expect(throws: LiftError.invalidShare(index: 1, share: bad)) {
                try Lift.points(at: [0.5, bad], scores: s, labels: y)
            }
        }
        let nanError = #expect(throws: LiftError.self) { try Lift.points(at: [0.5, 0.2, .nan], scores: s, labels: y) }
        if case let .invalidShare(index, share)? = nanError {
            #expect(index == 2 && share.isNaN)
        } else {
            Issue.record("expected invalidShare for NaN, got \(String(describing: nanError))")
        }
        // The share is checked before the data.
        #expect(throws: LiftError.invalidShare(index: 0, share: 2)) { try Lift.points(at: [2], scores: [], labels: []) }
        #expect(throws: LiftError.invalidCount(0)) { try Lift.gainsCurve(scores: s, labels: y, count: 0) }
        #expect(throws: MetricsError.lengthMismatch(argument: "labels", expected: 3, actual: 2)) {
            try Lift.points(at: [0.5], scores: s, labels: [true, false])
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "values", expected: 3, actual: 4)) {
            try Lift.gainsCurve(scores: s, labels: y, values: [1, 2, 3, 4])
        }
        #expect(throws: MetricsError.empty) { try Lift.points(at: [0.5], scores: [], labels: []) }
        #expect(throws: MetricsError.nonFinite(index: 1)) { try Lift.points(at: [0.5], scores: [0, .nan, 1], labels: y) }
        #expect(throws: MetricsError.nonFinite(index: 2)) {
            try Lift.points(at: [0.5], scores: s, labels: y, values: [1, 2, .infinity])
        }
        #expect(throws: LiftError.negativeValue(index: 0)) {
            try Lift.points(at: [0.5], scores: s, labels: y, values: [-1, 2, .nan])
        }
        #expect(throws: MetricsError.singleClass) { try Lift.points(at: [0.5], scores: s, labels: [true, true, true]) }
        #expect(throws: MetricsError.singleClass) { try Lift.gainsCurve(scores: s, labels: [false, false, false]) }
        #expect(LiftError.invalidShare(index: 2, share: 1.5).description.contains("1.5"))
        #expect(!LiftError.invalidCount(0).description.isEmpty)
        #expect(LiftError.negativeValue(index: 3).description.contains("row 3"))
    }
}
