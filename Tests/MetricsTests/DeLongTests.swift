import Foundation
import Testing

@testable import Metrics

/// ``DeLong`` against the O(m·n) numpy definition in `Fixtures/make_delong_reference.py` (to 1e-10),
/// its invariances and errors, and the fast midrank algorithm against a direct O(m·n) Swift
/// computation on 20 000 rows.
@Suite("DeLong AUC inference")
struct DeLongTests {
    static let inferenceCases = DeLongReference.shared?.delong ?? []
    static let pairedCases = DeLongReference.shared?.paired ?? []

    // MARK: reference values

    @Test("fixture loads with every case")
    func fixtureLoads() throws {
        let fixture = try DeLongReference.load()
        #expect(fixture.z975 == DeLong.z95)
        #expect(Set(fixture.delong.map(\.name)).isSuperset(of: [
            "random_ties", "heavy_ties", "separated", "small_n5", "imbalanced", "one_positive"]))
        #expect(Set(fixture.paired.map(\.name)).isSuperset(of: ["correlated", "correlated_heavy_ties", "small_n8"]))
    }

    @Test("AUC, SE and interval match the O(m·n) definition", arguments: inferenceCases)
    func inferenceMatchesReference(_ data: DeLongReference.InferenceCase) throws {
        let result = try DeLong.inference(scores: data.scores, labels: data.labels)
        let want = data.expected
        #expect(result.positives == want.positives)
        #expect(result.negatives == want.negatives)
        #expect(result.auc == want.auc, "\(data.name): AUC must be the correctly rounded ratio")
        expectAgrees(result.standardError, want.standardError, "\(data.name) SE")
        expectAgrees(result.lower95, want.lower95, "\(data.name) lower")
        expectAgrees(result.upper95, want.upper95, "\(data.name) upper")
        // The same AUC as the ranking metric, bit for bit.
        #expect(result.auc == (try ClassificationMetrics.rocAUC(scores: data.scores, labels: data.labels)))
    }

    @Test("paired test matches the covariance-matrix definition", arguments: pairedCases)
    func pairedMatchesReference(_ data: DeLongReference.PairedCase) throws {
        let result = try DeLong.pairedTest(scoresA: data.scoresA, scoresB: data.scoresB, labels: data.labels)
        let want = data.expected
        #expect(result.aucA == want.aucA)
        #expect(result.aucB == want.aucB)
        #expect(result.difference == want.difference)
        expectAgrees(result.standardError, want.standardError, "\(data.name) SE")
        expectAgrees(result.z, want.z, "\(data.name) z")
        expectAgrees(result.pValue, want.pValue, "\(data.name) p")
        expectAgrees(result.lower95, want.lower95, absolute: 1e-12, "\(data.name) lower")
        expectAgrees(result.upper95, want.upper95, absolute: 1e-12, "\(data.name) upper")
        // Each score alone agrees with the single-score inference.
        let a = try DeLong.inference(scores: data.scoresA, labels: data.labels)
        #expect(a.auc == result.aucA)
    }

    // MARK: hand-checked cases

    @Test("n = 4 by hand")
    func byHand() throws {
        // Positives 0.8, 0.4; negatives 0.4, 0.1. ψ: (0.8,0.4)=1 (0.8,0.1)=1 (0.4,0.4)=½ (0.4,0.1)=1.
        // AUC = 3.5/4; V10 = (1, ¾), V01 = (¾, 1); S10 = S01 = (¼)²/2 = 1/32; Var = 1/64 + 1/64.
        let r = try DeLong.inference(scores: [0.8, 0.4, 0.4, 0.1], labels: [true, true, false, false])
        #expect(r.auc == 0.875)
        expectClose(r.standardError, (1.0 / 32).squareRoot(), relative: 1e-15, "SE")
        #expect(r.upper95 == 1)
        expectClose(r.lower95, 0.875 - DeLong.z95 * (1.0 / 32).squareRoot(), relative: 1e-15, "lower")
        #expect(r.positives == 2 && r.negatives == 2)
    }

    @Test("perfect separation: SE 0 and the interval collapses")
    func separated() throws {
        let r = try DeLong.inference(scores: [5, 1, 4, 2, 3], labels: [true, false, true, false, false])
        #expect(r == AUCInference(auc: 1, standardError: 0, lower95: 1, upper95: 1, positives: 2, negatives: 3))
        let reversed = try DeLong.inference(scores: [1, 5, 2, 4, 3], labels: [true, false, true, false, false])
        #expect(reversed == AUCInference(auc: 0, standardError: 0, lower95: 0, upper95: 0, positives: 2, negatives: 3))
    }

    @Test("all scores tied: AUC ½ with zero variance")
    func allTied() throws {
        let r = try DeLong.inference(scores: [Double](repeating: 2, count: 6), labels: [true, false, true, false, false, true])
        #expect(r.auc == 0.5)
        #expect(r.standardError == 0)
    }

    @Test("one row per class: no variance term")
    func onePerClass() throws {
        let r = try DeLong.inference(scores: [0.3, 0.7], labels: [false, true])
        #expect(r == AUCInference(auc: 1, standardError: 0, lower95: 1, upper95: 1, positives: 1, negatives: 1))
    }

    // MARK: invariances

    @Test("row order does not matter", arguments: inferenceCases)
    func rowOrder(_ data: DeLongReference.InferenceCase) throws {
        let order = seededPermutation(data.scores.count, seed: 7)
        let original = try DeLong.inference(scores: data.scores, labels: data.labels)
        let shuffled = try DeLong.inference(scores: order.map { data.scores[$0] }, labels: order.map { data.labels[$0] })
        #expect(shuffled.auc == original.auc)
        expectClose(shuffled.standardError, original.standardError, relative: 1e-14, "SE")
        #expect(shuffled.positives == original.positives)
    }

    @Test("strictly increasing transforms of the scores change nothing", arguments: inferenceCases)
    func monotoneTransform(_ data: DeLongReference.InferenceCase) throws {
        let original = try DeLong.inference(scores: data.scores, labels: data.labels)
        let transforms: [(Double) -> Double] = [{ exp($0) }, { 3 * $0 - 7 }, { $0 * $0 * $0 + $0 }]
        for f in transforms {
            let mapped = data.scores.map(f)
            // The transform must keep every strict order and every tie in floating point.
            let ranked = data.scores.indices.sorted { data.scores[$0] < data.scores[$1] }
            for (i, j) in zip(ranked, ranked.dropFirst()) {
                try #require((data.scores[i] < data.scores[j]) == (mapped[i] < mapped[j]))
                try #require((data.scores[i] == data.scores[j]) == (mapped[i] == mapped[j]))
            }
            #expect(try DeLong.inference(scores: mapped, labels: data.labels) == original)
        }
    }

    @Test("flipping labels and negating scores keeps AUC and SE")
    func labelFlip() throws {
        let data = try #require(Self.inferenceCases.first { $0.name == "random_ties" })
        let r = try DeLong.inference(scores: data.scores, labels: data.labels)
        let flipped = try DeLong.inference(scores: data.scores.map { -$0 }, labels: data.labels.map { !$0 })
        #expect(flipped.auc == r.auc)
        expectClose(flipped.standardError, r.standardError, relative: 1e-14, "SE")
        #expect(flipped.positives == r.negatives)
    }

    @Test("paired: the same ranking twice gives z = 0, p = 1")
    func pairedIdentical() throws {
        let data = try #require(Self.inferenceCases.first { $0.name == "random_ties" })
        let same = try DeLong.pairedTest(scoresA: data.scores, scoresB: data.scores, labels: data.labels)
        let auc = try DeLong.inference(scores: data.scores, labels: data.labels).auc
        #expect(same == PairedAUCTest(aucA: auc, aucB: auc, difference: 0, standardError: 0, z: 0, pValue: 1,
                                      lower95: 0, upper95: 0))
        // A monotone transform ranks the rows alike.
        let transformed = try DeLong.pairedTest(scoresA: data.scores, scoresB: data.scores.map { exp(2 * $0) }, labels: data.labels)
        #expect(transformed == same)
    }

    @Test("paired: swapping A and B negates the difference", arguments: pairedCases)
    func pairedSwap(_ data: DeLongReference.PairedCase) throws {
        let ab = try DeLong.pairedTest(scoresA: data.scoresA, scoresB: data.scoresB, labels: data.labels)
        let ba = try DeLong.pairedTest(scoresA: data.scoresB, scoresB: data.scoresA, labels: data.labels)
        #expect(ba.difference == -ab.difference)
        #expect(ba.standardError == ab.standardError)
        #expect(ba.z == -ab.z)
        #expect(ba.pValue == ab.pValue)
        #expect(ba.lower95 == -ab.upper95 && ba.upper95 == -ab.lower95)
    }

    @Test("paired: row order and monotone transforms do not matter", arguments: pairedCases)
    func pairedInvariance(_ data: DeLongReference.PairedCase) throws {
        let original = try DeLong.pairedTest(scoresA: data.scoresA, scoresB: data.scoresB, labels: data.labels)
        let order = seededPermutation(data.labels.count, seed: 11)
        let shuffled = try DeLong.pairedTest(
            scoresA: order.map { data.scoresA[$0] }, scoresB: order.map { data.scoresB[$0] }, labels: order.map { data.labels[$0] })
        #expect(shuffled.difference == original.difference)
        expectClose(shuffled.standardError, original.standardError, relative: 1e-14, "SE")
        expectClose(shuffled.pValue, original.pValue, relative: 1e-12, "p")
        let transformed = try DeLong.pairedTest(
            scoresA: data.scoresA.map { exp($0) }, scoresB: data.scoresB.map { 2 * $0 + 1 }, labels: data.labels)
        #expect(transformed == original)
    }

    @Test("paired: a reversed score has AUC 1 − AUC")
    func pairedReversed() throws {
        let data = try #require(Self.pairedCases.first { $0.name == "correlated" })
        let r = try DeLong.pairedTest(scoresA: data.scoresA, scoresB: data.scoresA.map { -$0 }, labels: data.labels)
        expectClose(r.aucB, 1 - r.aucA, relative: 1e-15, "reversed AUC")
        // Perfectly negatively correlated components: SE(A − B) = 2·SE(A).
        let single = try DeLong.inference(scores: data.scoresA, labels: data.labels)
        expectClose(r.standardError, 2 * single.standardError, relative: 1e-12, "SE")
        #expect(r.pValue < 1e-10)
    }

    @Test("results encode and decode")
    func coding() throws {
        let data = try #require(Self.pairedCases.first)
        let r = try DeLong.pairedTest(scoresA: data.scoresA, scoresB: data.scoresB, labels: data.labels)
        #expect(try JSONDecoder().decode(PairedAUCTest.self, from: JSONEncoder().encode(r)) == r)
        let i = try DeLong.inference(scores: data.scoresA, labels: data.labels)
        #expect(try JSONDecoder().decode(AUCInference.self, from: JSONEncoder().encode(i)) == i)
    }

    // MARK: errors

    @Test("input errors, in the documented order")
    func errors() {
        let s = [0.1, 0.5, 0.9], y = [false, true, true]
        #expect(throws: MetricsError.lengthMismatch(argument: "labels", expected: 3, actual: 2)) {
            try DeLong.inference(scores: s, labels: [true, false])
        }
        #expect(throws: MetricsError.empty) { try DeLong.inference(scores: [], labels: []) }
        #expect(throws: MetricsError.nonFinite(index: 1)) { try DeLong.inference(scores: [0.1, .nan, 0.9], labels: y) }
        #expect(throws: MetricsError.nonFinite(index: 2)) { try DeLong.inference(scores: [0.1, 0.2, -.infinity], labels: y) }
        #expect(throws: MetricsError.singleClass) { try DeLong.inference(scores: s, labels: [true, true, true]) }
        #expect(throws: MetricsError.singleClass) { try DeLong.inference(scores: s, labels: [false, false, false]) }
        // Row problems come before the class check.
        #expect(throws: MetricsError.nonFinite(index: 0)) { try DeLong.inference(scores: [.nan, 1, 2], labels: [true, true, true]) }

        #expect(throws: MetricsError.lengthMismatch(argument: "scoresB", expected: 3, actual: 4)) {
            try DeLong.pairedTest(scoresA: s, scoresB: [1, 2, 3, 4], labels: y)
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "labels", expected: 3, actual: 1)) {
            try DeLong.pairedTest(scoresA: s, scoresB: s, labels: [true])
        }
        #expect(throws: MetricsError.empty) { try DeLong.pairedTest(scoresA: [], scoresB: [], labels: []) }
        #expect(throws: MetricsError.nonFinite(index: 2)) {
            try DeLong.pairedTest(scoresA: s, scoresB: [0, 1, .infinity], labels: y)
        }
        #expect(throws: MetricsError.nonFinite(index: 1)) {
            try DeLong.pairedTest(scoresA: [0, .nan, 1], scoresB: [0, 1, .nan], labels: y)
        }
        #expect(throws: MetricsError.singleClass) { try DeLong.pairedTest(scoresA: s, scoresB: s, labels: [true, true, true]) }
    }

    // MARK: the fast algorithm is exact

    /// Structural components straight from the definition, O(m·n).
    static func directComponents(_ scores: [Double], _ labels: [Bool]) -> (v10: [Double], v01: [Double], auc: Double) {
        let x = zip(scores, labels).filter { $0.1 }.map(\.0)
        let y = zip(scores, labels).filter { !$0.1 }.map(\.0)
        var v10 = [Double](repeating: 0, count: x.count)
        var v01Twice = [Int](repeating: 0, count: y.count)
        var total = 0
        for (i, a) in x.enumerated() {
            var twice = 0
            for (j, b) in y.enumerated() {
                let k = a > b ? 2 : (a == b ? 1 : 0)
                twice += k
                v01Twice[j] += k
            }
            total += twice
            v10[i] = Double(twice) / Double(2 * y.count)
        }
        let v01 = v01Twice.map { Double($0) / Double(2 * x.count) }
        return (v10, v01, Double(total) / (2 * Double(x.count) * Double(y.count)))
    }

    /// `Σ (aᵢ − ā)(bᵢ − b̄) / (k − 1)` by plain two-pass sums.
    static func sampleCovariance(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count > 1 else { return 0 }
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        return zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) } / Double(a.count - 1)
    }

    /// 20 000 rows: a noisy score rounded to 3 decimals (many ties) and a second, correlated one.
    static func largeData() -> (a: [Double], b: [Double], labels: [Bool]) {
        var rng = SplitMix64(seed: 2014)
        let n = 20_000
        var a = [Double](), b = [Double](), labels = [Bool]()
        for _ in 0..<n {
            let signal = rng.normal()
            let label = Double.random(in: 0..<1, using: &rng) < 1 / (1 + exp(-(1.2 * signal - 1)))
            labels.append(label)
            a.append(((signal + 0.5 * rng.normal()) * 1000).rounded() / 1000)
            b.append(((signal + 0.9 * rng.normal()) * 20).rounded() / 20)
        }
        return (a, b, labels)
    }

    @Test("n = 20 000: every sampled component equals its O(n) direct value exactly")
    func largeComponentsExact() throws {
        let (a, _, labels) = Self.largeData()
        let fast = DeLong.Placements(scores: a, labels: labels)
        #expect(fast.auc == (try ClassificationMetrics.rocAUC(scores: a, labels: labels)))
        let positiveRows = labels.indices.filter { labels[$0] }
        let negativeRows = labels.indices.filter { !labels[$0] }
        #expect(positiveRows.count > 1_000 && negativeRows.count > 1_000)
        // Mean of each component array is the AUC.
        expectClose(fast.positives.reduce(0, +) / Double(positiveRows.count), fast.auc, relative: 1e-12, "mean V10")
        expectClose(fast.negatives.reduce(0, +) / Double(negativeRows.count), fast.auc, relative: 1e-12, "mean V01")
        var rng = SplitMix64(seed: 99)
        for _ in 0..<300 {
            let i = Int.random(in: 0..<positiveRows.count, using: &rng)
            let x = a[positiveRows[i]]
            let twice = negativeRows.reduce(0) { $0 + (x > a[$1] ? 2 : (x == a[$1] ? 1 : 0)) }
            #expect(fast.positives[i] == Double(twice) / Double(2 * negativeRows.count), "V10 of positive \(i)")
            let j = Int.random(in: 0..<negativeRows.count, using: &rng)
            let y = a[negativeRows[j]]
            let twiceNeg = positiveRows.reduce(0) { $0 + (a[$1] > y ? 2 : (a[$1] == y ? 1 : 0)) }
            #expect(fast.negatives[j] == Double(twiceNeg) / Double(2 * positiveRows.count), "V01 of negative \(j)")
        }
    }

    @Test("n = 20 000: a 2 500-row subsample agrees with the direct O(m·n) DeLong to 1e-12")
    func largeSubsampleDirect() throws {
        let (a, b, labels) = Self.largeData()
        let rows = Array(seededPermutation(a.count, seed: 5).prefix(2_500))
        let sa = rows.map { a[$0] }, sb = rows.map { b[$0] }, sy = rows.map { labels[$0] }
        let da = Self.directComponents(sa, sy), db = Self.directComponents(sb, sy)
        let m = Double(da.v10.count), n = Double(da.v01.count)

        let fastA = DeLong.Placements(scores: sa, labels: sy)
        #expect(fastA.positives == da.v10)
        #expect(fastA.negatives == da.v01)
        #expect(fastA.auc == da.auc)

        let r = try DeLong.inference(scores: sa, labels: sy)
        let variance = Self.sampleCovariance(da.v10, da.v10) / m + Self.sampleCovariance(da.v01, da.v01) / n
        #expect(r.auc == da.auc)
        expectClose(r.standardError, variance.squareRoot(), relative: 1e-12, "SE")

        let p = try DeLong.pairedTest(scoresA: sa, scoresB: sb, labels: sy)
        let varB = Self.sampleCovariance(db.v10, db.v10) / m + Self.sampleCovariance(db.v01, db.v01) / n
        let cov = Self.sampleCovariance(da.v10, db.v10) / m + Self.sampleCovariance(da.v01, db.v01) / n
        let se = (variance + varB - 2 * cov).squareRoot()
        #expect(p.aucA == da.auc && p.aucB == db.auc)
        expectClose(p.standardError, se, relative: 1e-11, "paired SE")
        expectClose(p.z, (da.auc - db.auc) / se, relative: 1e-11, "z")
        expectClose(p.pValue, erfc(abs(p.z) / 2.0.squareRoot()), relative: 1e-15, "p")
    }

    @Test("n = 20 000: full-size inference is consistent")
    func largeFull() throws {
        let (a, b, labels) = Self.largeData()
        let r = try DeLong.inference(scores: a, labels: labels)
        #expect(r.positives + r.negatives == 20_000)
        #expect(r.standardError > 0 && r.standardError < 0.01)
        #expect(r.lower95 < r.auc && r.auc < r.upper95)
        let p = try DeLong.pairedTest(scoresA: a, scoresB: b, labels: labels)
        #expect(p.aucA == r.auc)
        #expect(p.aucA > p.aucB)  // b is the noisier view
        #expect(p.pValue < 1e-6)
    }
}
