import Foundation
import Testing

@testable import Metrics

/// The uplift metrics against scikit-uplift 0.5.1 on the committed fixture
/// (`Benchmarks/reference/uplift_sklift.py` → `Fixtures/uplift_data.csv`, `uplift_reference.json`).
///
/// Agreement is measured as `|swift − sklift| / max(|sklift|, scale)`, where `scale` is the value
/// itself for scalars and the largest `|y|` of the curve for curve points (a point near zero on a
/// curve of cash sums inherits the rounding of sums a thousand times larger), and must be ≤ 1e-12.
@Suite("scikit-uplift reference values")
struct UpliftReferenceTests {
    static let fixture = try? UpliftReferenceFixture.load()
    static let tolerance = 1e-12

    /// One Swift value next to its sklift value.
    struct Comparison {
        var what: String
        var actual: Double
        var expected: Double
        var scale: Double
        var relativeDifference: Double {
            actual == expected ? 0 : abs(actual - expected) / max(abs(expected), abs(scale))
        }
    }

    @Test("fixture loads: 1500 rows, ties in both scores, binary and cash outcomes")
    func fixtureLoads() throws {
        let fixture = try UpliftReferenceFixture.load()
        #expect(fixture.examples == 1500)
        for column in ["score", "coarse_score", "treated", "converted", "cash"] {
            #expect(fixture.columns[column]?.count == fixture.examples, "column \(column)")
        }
        let scores = try #require(fixture.columns["coarse_score"])
        #expect(Set(scores).count < 20, "coarse_score has large tie groups")
        #expect(fixture.cases.count == 4)
    }

    @Test("curves, perfect curves, coefficients and uplift@k agree with sklift to 1e-12")
    func agreement() throws {
        let fixture = try #require(Self.fixture)
        let all = try Self.comparisons(fixture)
        #expect(all.count > 1000)
        for c in all where !(c.relativeDifference <= Self.tolerance) {
            Issue.record("\(c.what): swift \(c.actual), sklift \(c.expected) (relative \(c.relativeDifference))")
        }
        let worst = all.max { $0.relativeDifference < $1.relativeDifference }
        let pointwise = all.map { $0.actual == $0.expected ? 0 : abs($0.actual - $0.expected) / abs($0.expected) }.max() ?? 0
        print("uplift vs sklift: \(all.count) values, max relative difference \(worst?.relativeDifference ?? 0) (\(worst?.what ?? "")); without the curve scale \(pointwise)")
    }

    /// Every comparison of the fixture.
    static func comparisons(_ fixture: UpliftReferenceFixture) throws -> [Comparison] {
        let treated = fixture.treated
        var all: [Comparison] = []
        for c in fixture.cases {
            let scores = try #require(fixture.columns[c.score]), outcomes = try #require(fixture.columns[c.outcome])
            let label = "\(c.score) × \(c.outcome)"
            all += try curve(UpliftMetrics.qiniCurve(scores: scores, outcomes: outcomes, treated: treated), c.qiniCurve, "\(label) qini curve")
            all += try curve(UpliftMetrics.upliftCurve(scores: scores, outcomes: outcomes, treated: treated), c.upliftCurve, "\(label) uplift curve")
            let qini = try UpliftMetrics.qiniCoefficient(scores: scores, outcomes: outcomes, treated: treated)
            all.append(Comparison(what: "\(label) qini_auc_score", actual: qini, expected: c.qiniAuc, scale: 0))
            if let expected = c.qiniAucNoNegativeEffect {
                let value = try UpliftMetrics.qiniCoefficient(scores: scores, outcomes: outcomes, treated: treated, negativeEffect: false)
                all.append(Comparison(what: "\(label) qini_auc_score(negative_effect=False)", actual: value, expected: expected, scale: 0))
            }
            if let expected = c.upliftAuc {
                let value = try UpliftMetrics.upliftCoefficient(scores: scores, outcomes: outcomes, treated: treated)
                all.append(Comparison(what: "\(label) uplift_auc_score", actual: value, expected: expected, scale: 0))
            }
            for k in c.upliftAtK {
                let top: UpliftTop = try k.share.map { .share($0) } ?? .count(#require(k.count))
                let strategy: UpliftAtKStrategy = k.strategy == "overall" ? .overall : .byGroup
                let value = try UpliftMetrics.upliftAtK(scores: scores, outcomes: outcomes, treated: treated, top: top, strategy: strategy)
                all.append(Comparison(what: "\(label) uplift_at_k(\(k.strategy), \(top))", actual: value.uplift, expected: k.uplift, scale: 0))
            }
        }
        for (name, perfect) in fixture.perfect {
            let outcomes = try #require(fixture.columns[name])
            all += try curve(UpliftMetrics.perfectQiniCurve(outcomes: outcomes, treated: treated), perfect.qini, "\(name) perfect qini")
            if let expected = perfect.qiniNoNegativeEffect {
                let points = try UpliftMetrics.perfectQiniCurve(outcomes: outcomes, treated: treated, negativeEffect: false)
                all += try curve(points, expected, "\(name) perfect qini without negative effect")
            }
            if let expected = perfect.uplift {
                all += try curve(UpliftMetrics.perfectUpliftCurve(outcomes: outcomes, treated: treated), expected, "\(name) perfect uplift")
            }
        }
        return all
    }

    /// Point-by-point comparisons of a curve (x and y), after checking the point count.
    static func curve(_ points: [UpliftCurvePoint], _ expected: UpliftReferenceFixture.Curve, _ what: String) throws -> [Comparison] {
        try #require(points.count == expected.x.count, "\(what): \(points.count) points, sklift has \(expected.x.count)")
        let scale = expected.y.map(abs).max() ?? 0
        return points.indices.flatMap { i in
            [Comparison(what: "\(what) x[\(i)]", actual: points[i].examples, expected: expected.x[i], scale: 0),
             Comparison(what: "\(what) y[\(i)]", actual: points[i].value, expected: expected.y[i], scale: scale)]
        }
    }
}
