import Foundation
import Testing

@testable import Metrics

/// Small cases whose answers are worked out by hand, plus invariances every metric must have.
@Suite("hand-checked cases")
struct HandCheckedTests {
    typealias M = ClassificationMetrics

    // MARK: ranking metrics

    @Test("perfect ranking: AUC 1, Gini 1, KS 1")
    func perfectRanking() throws {
        let scores = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]
        let labels = [false, false, false, true, true, true]
        #expect(try M.rocAUC(scores: scores, labels: labels) == 1)
        #expect(try M.gini(scores: scores, labels: labels) == 1)
        #expect(try M.ksStatistic(scores: scores, labels: labels) == 1)
    }

    @Test("reversed ranking: AUC 0, Gini −1, KS 1")
    func reversedRanking() throws {
        let scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]
        let labels = [false, false, false, true, true, true]
        #expect(try M.rocAUC(scores: scores, labels: labels) == 0)
        #expect(try M.gini(scores: scores, labels: labels) == -1)
        #expect(try M.ksStatistic(scores: scores, labels: labels) == 1)
    }

    @Test("all scores tied: AUC 0.5, KS 0, two-point ROC curve")
    func allTied() throws {
        let scores = [Double](repeating: 0.42, count: 7)
        let labels = [true, false, false, true, false, true, false]
        #expect(try M.rocAUC(scores: scores, labels: labels) == 0.5)
        #expect(try M.gini(scores: scores, labels: labels) == 0)
        #expect(try M.ksStatistic(scores: scores, labels: labels) == 0)
        #expect(try M.rocCurve(scores: scores, labels: labels) == [
            ROCPoint(falsePositiveRate: 0, truePositiveRate: 0, threshold: .infinity),
            ROCPoint(falsePositiveRate: 1, truePositiveRate: 1, threshold: 0.42),
        ])
    }

    @Test("scikit-learn documentation example: AUC 0.75")
    func sklearnDocExample() throws {
        // roc_curve docstring: y = [1, 1, 2, 2], scores = [0.1, 0.4, 0.35, 0.8], pos_label = 2.
        let scores = [0.1, 0.4, 0.35, 0.8]
        let labels = [false, false, true, true]
        #expect(try M.rocAUC(scores: scores, labels: labels) == 0.75)
        let curve = try M.rocCurve(scores: scores, labels: labels)
        #expect(curve.map(\.falsePositiveRate) == [0, 0, 0.5, 0.5, 1])
        #expect(curve.map(\.truePositiveRate) == [0, 0.5, 0.5, 1, 1])
        #expect(curve.map(\.threshold) == [.infinity, 0.8, 0.4, 0.35, 0.1])
        // KS: the best cut (≥ 0.35) keeps both positives and half the negatives.
        #expect(try M.ksStatistic(scores: scores, labels: labels) == 0.5)
    }

    @Test("a tie between classes counts one half")
    func tieCountsHalf() throws {
        // Pairs (pos, neg): (0.5, 0.5) tie → ½, (0.5, 0.2) → 1, (0.9, 0.5) → 1, (0.9, 0.2) → 1.
        let scores = [0.5, 0.9, 0.5, 0.2]
        let labels = [true, true, false, false]
        #expect(try M.rocAUC(scores: scores, labels: labels) == 3.5 / 4)
    }

    @Test("scores need not be probabilities")
    func arbitraryScores() throws {
        let scores = [-3.0, 1e6, 0, -1e-300]
        let labels = [false, true, true, false]
        #expect(try M.rocAUC(scores: scores, labels: labels) == 1)
        #expect(try M.ksStatistic(scores: scores, labels: labels) == 1)
    }

    @Test("weights act like repeated rows")
    func weightsEqualReplication() throws {
        let scores = [0.3, 0.3, 0.6, 0.1, 0.9, 0.6, 0.45]
        let labels = [true, false, false, false, true, true, false]
        let weights = [2.0, 1, 3, 0, 1, 2, 4]
        var repeatedScores: [Double] = []
        var repeatedLabels: [Bool] = []
        for i in scores.indices {
            for _ in 0..<Int(weights[i]) {
                repeatedScores.append(scores[i])
                repeatedLabels.append(labels[i])
            }
        }
        func both<T: Equatable>(_ f: ([Double], [Bool], [Double]?) throws -> T) throws -> (T, T) {
            (try f(scores, labels, weights), try f(repeatedScores, repeatedLabels, nil))
        }
        var pair = try both { try M.rocAUC(scores: $0, labels: $1, weights: $2) }
        #expect(isClose(pair.0, pair.1, relative: 1e-15))
        pair = try both { try M.ksStatistic(scores: $0, labels: $1, weights: $2) }
        #expect(isClose(pair.0, pair.1, relative: 1e-15))
        pair = try both { try M.logLoss(probabilities: $0, labels: $1, weights: $2) }
        #expect(isClose(pair.0, pair.1, relative: 1e-15))
        pair = try both { try M.brierScore(probabilities: $0, labels: $1, weights: $2) }
        #expect(isClose(pair.0, pair.1, relative: 1e-15))
        let curves = try both { try M.rocCurve(scores: $0, labels: $1, weights: $2) }
        #expect(curves.0 == curves.1)
        let tables = try both { try M.calibration(probabilities: $0, labels: $1, weights: $2, bins: 3) }
        #expect(tables.0.map(\.index) == tables.1.map(\.index))
        #expect(tables.0.map(\.weight) == tables.1.map(\.weight))
        #expect(tables.0.map(\.observedRate) == tables.1.map(\.observedRate))
    }

    @Test("zero-weight rows change nothing, not even the ROC thresholds")
    func zeroWeightsIgnored() throws {
        let scores = [0.2, 0.7, 0.4, 0.4, 0.9]
        let labels = [false, true, true, false, false]
        let weights = [1.5, 2.0, 0.5, 1.0, 3.0]
        let moreScores = scores + [0.55, 0.05, 0.4]
        let moreLabels = labels + [true, false, true]
        let moreWeights = weights + [0, 0, 0]
        #expect(try M.rocAUC(scores: scores, labels: labels, weights: weights)
                == M.rocAUC(scores: moreScores, labels: moreLabels, weights: moreWeights))
        #expect(try M.ksStatistic(scores: scores, labels: labels, weights: weights)
                == M.ksStatistic(scores: moreScores, labels: moreLabels, weights: moreWeights))
        #expect(try M.rocCurve(scores: scores, labels: labels, weights: weights)
                == M.rocCurve(scores: moreScores, labels: moreLabels, weights: moreWeights))
        #expect(try M.logLoss(probabilities: scores, labels: labels, weights: weights)
                == M.logLoss(probabilities: moreScores, labels: moreLabels, weights: moreWeights))
        #expect(try M.brierScore(probabilities: scores, labels: labels, weights: weights)
                == M.brierScore(probabilities: moreScores, labels: moreLabels, weights: moreWeights))
        #expect(try M.calibration(probabilities: scores, labels: labels, weights: weights, bins: 2)
                == M.calibration(probabilities: moreScores, labels: moreLabels, weights: moreWeights, bins: 2))
        // A class whose rows all weigh zero is absent.
        #expect(throws: MetricsError.singleClass) {
            try M.rocAUC(scores: [0.1, 0.2, 0.3], labels: [true, false, false], weights: [0, 1, 1])
        }
    }

    @Test("results do not depend on row order")
    func rowOrderInvariance() throws {
        let fixture = try #require(ReferenceFixture.datasets.first { $0.name == "weighted_ties" })
        let n = fixture.probabilities.count
        // A fixed permutation: i ↦ (i·7919) mod n, a bijection since 7919 is prime and n = 600.
        let order = (0..<n).map { ($0 * 7919) % n }
        #expect(Set(order).count == n)
        let p = order.map { fixture.probabilities[$0] }
        let y = order.map { fixture.labels[$0] }
        let w = try #require(fixture.weights).indices.map { fixture.weights![order[$0]] }
        let original = try BinaryClassificationSummary.evaluate(
            probabilities: fixture.probabilities, labels: fixture.labels, weights: fixture.weights)
        let shuffled = try BinaryClassificationSummary.evaluate(probabilities: p, labels: y, weights: w)
        expectClose(shuffled.auc, original.auc, relative: 1e-15, "AUC")
        expectClose(shuffled.ks, original.ks, relative: 1e-15, "KS")
        expectClose(shuffled.logLoss, original.logLoss, relative: 1e-15, "log-loss")
        expectClose(shuffled.brier, original.brier, relative: 1e-15, "Brier")
        #expect(shuffled.calibration.map(\.index) == original.calibration.map(\.index))
        #expect(shuffled.calibration.map(\.count) == original.calibration.map(\.count))
    }

    @Test("negative zero and zero are one score")
    func signedZero() throws {
        let curve = try M.rocCurve(scores: [-0.0, 0.0, 1], labels: [true, false, true])
        #expect(curve.count == 3)
        #expect(curve[2].threshold.sign == .plus)
        #expect(try M.rocAUC(scores: [-0.0, 0.0], labels: [true, false]) == 0.5)
    }

    // MARK: large inputs (correctness only; nothing is timed)

    @Test("half a million rows in two tie groups")
    func largeHeavyTies() throws {
        // Positives: half score 1, half score 0; negatives all score 0.
        // AUC = ½·1 + ½·½ = 0.75; KS = ½ (cut between 0 and 1).
        let n = 500_000
        let labels = (0..<n).map { $0 % 2 == 0 }
        let scores = (0..<n).map { $0 % 4 == 0 ? 1.0 : 0.0 }
        #expect(try M.rocAUC(scores: scores, labels: labels) == 0.75)
        #expect(try M.ksStatistic(scores: scores, labels: labels) == 0.5)
        #expect(try M.rocCurve(scores: scores, labels: labels).count == 3)
    }

    @Test("200 000 distinct scores ranked perfectly, with weights")
    func largeDistinct() throws {
        let n = 200_000
        let scores = (0..<n).map { Double(($0 * 7919) % n) }  // a permutation of 0..<n
        let labels = scores.map { $0 >= Double(n / 2) }
        let weights = (0..<n).map { 0.5 + Double($0 % 3) }
        #expect(try M.rocAUC(scores: scores, labels: labels, weights: weights) == 1)
        #expect(try M.ksStatistic(scores: scores, labels: labels, weights: weights) == 1)
        // Swap the best negative with the worst positive: exactly one discordant pair of
        // unit-weight rows out of (n/2)² pairs.
        let flipped = scores.map { $0 == Double(n / 2) ? Double(n / 2 - 1) : ($0 == Double(n / 2 - 1) ? Double(n / 2) : $0) }
        let auc = try M.rocAUC(scores: flipped, labels: labels)
        let half = Double(n / 2)
        #expect(auc == (half * half - 1) / (half * half))
    }

    // MARK: probability losses

    @Test("log-loss of a hand-computed case")
    func logLossByHand() throws {
        let p = [0.9, 0.2, 0.6]
        let y = [true, false, false]
        let expected = -(log(0.9) + log(0.8) + log(0.4)) / 3
        expectClose(try M.logLoss(probabilities: p, labels: y), expected, relative: 1e-15, "log-loss")
        let w = [1.0, 3.0, 0.0]
        let weighted = -(log(0.9) + 3 * log(0.8)) / 4
        expectClose(try M.logLoss(probabilities: p, labels: y, weights: w), weighted, relative: 1e-15, "weighted log-loss")
    }

    @Test("log-loss clips probabilities to [1e-15, 1 − 1e-15]")
    func logLossClip() throws {
        #expect(ClassificationMetrics.logLossClip == 1e-15)
        // Confidently wrong: capped at about −ln(1e-15) ≈ 34.54. For a negative the cap is
        // −ln(1 − q) with q = 1 − 1e-15 rounded to a double, as in scikit-learn.
        #expect(try M.logLoss(probabilities: [0], labels: [true]) == -log(1e-15))
        #expect(try M.logLoss(probabilities: [1e-300], labels: [true]) == -log(1e-15))
        #expect(try M.logLoss(probabilities: [1], labels: [false]) == -log(1 - (1 - 1e-15)))
        expectClose(try M.logLoss(probabilities: [1], labels: [false]), 34.539575992340879, relative: 1e-15, "cap")
        // Confidently right: a tiny positive loss, never 0 or −0.
        #expect(try M.logLoss(probabilities: [1], labels: [true]) == -log(1 - 1e-15))
        #expect(try M.logLoss(probabilities: [0], labels: [false]) == -log1p(-1e-15))
        #expect(try M.logLoss(probabilities: [0], labels: [false]) > 0)
    }

    @Test("Brier score of a hand-computed case")
    func brierByHand() throws {
        let p = [0.1, 0.9, 0.8, 0.3]
        let y = [false, true, true, false]
        // (0.01 + 0.01 + 0.04 + 0.09) / 4
        expectClose(try M.brierScore(probabilities: p, labels: y), 0.0375, relative: 1e-15, "Brier")
        #expect(try M.brierScore(probabilities: [0.5, 0.5], labels: [true, false]) == 0.25)
        #expect(try M.brierScore(probabilities: [1, 0], labels: [true, false]) == 0)
        // Weighted: (2·0.01 + 0·0.01 + 1·0.04) / 3
        expectClose(try M.brierScore(probabilities: [0.1, 0.9, 0.8], labels: [false, true, true], weights: [2, 0, 1]),
                    0.06 / 3, relative: 1e-15, "weighted Brier")
    }

    @Test("log-loss and Brier accept a single class")
    func singleClassLosses() throws {
        #expect(try M.brierScore(probabilities: [0.5, 1], labels: [true, true]) == 0.125)
        #expect(try M.logLoss(probabilities: [0.5], labels: [false]) == -log1p(-0.5))
        #expect(try M.calibration(probabilities: [0.5, 1], labels: [true, true], bins: 2).count == 2)
    }

    // MARK: calibration

    @Test("calibration keeps tied probabilities together")
    func calibrationTies() throws {
        // Ten rows, three bins. Groups (C = weight below, W = weight): 0.1 (C 0, W 5) → ⌊3·2.5/10⌋ = 0;
        // 0.2 (5, 1) → ⌊1.65⌋ = 1; 0.3 (6, 1) → ⌊1.95⌋ = 1; 0.4, 0.5, 0.6 → ⌊2.25⌋, ⌊2.55⌋, ⌊2.85⌋ = 2.
        let p = [0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
        let y = [false, false, true, false, false, false, true, true, false, true]
        let bins = try M.calibration(probabilities: p, labels: y, bins: 3)
        #expect(bins.map(\.index) == [0, 1, 2])
        #expect(bins.map(\.count) == [5, 2, 3])
        #expect(bins.map(\.weight) == [5, 2, 3])
        #expect(bins.map(\.minPredicted) == [0.1, 0.2, 0.4])
        #expect(bins.map(\.maxPredicted) == [0.1, 0.3, 0.6])
        #expect(bins.map(\.observedRate) == [0.2, 0.5, 2.0 / 3.0])
        expectClose(bins[0].meanPredicted, 0.1, relative: 1e-15, "bin 0 mean")
        expectClose(bins[1].meanPredicted, 0.25, relative: 1e-15, "bin 1 mean")
        expectClose(bins[2].meanPredicted, 0.5, relative: 1e-15, "bin 2 mean")
    }

    @Test("deciles of distinct probabilities hold n/10 rows each")
    func calibrationDeciles() throws {
        let n = 1000
        let p = (0..<n).map { Double(($0 * 7919) % n) / Double(n) }  // 0.000 … 0.999, shuffled
        let y = p.map { $0 > 0.7 }
        let bins = try M.calibration(probabilities: p, labels: y)
        #expect(bins.map(\.index) == Array(0..<10))
        #expect(bins.allSatisfy { $0.count == 100 && $0.weight == 100 })
        for bin in bins {
            #expect(bin.minPredicted == Double(bin.index * 100) / 1000)
            #expect(bin.maxPredicted == Double(bin.index * 100 + 99) / 1000)
        }
        #expect(bins.map(\.observedRate) == [0, 0, 0, 0, 0, 0, 0, 0.99, 1, 1])
    }

    @Test("one bin holds everything; more bins than rows leaves gaps")
    func calibrationBinCounts() throws {
        let p = [0.2, 0.8, 0.5, 0.5]
        let y = [false, true, true, false]
        let one = try M.calibration(probabilities: p, labels: y, bins: 1)
        #expect(one == [CalibrationBin(index: 0, count: 4, weight: 4, meanPredicted: 0.5, observedRate: 0.5,
                                       minPredicted: 0.2, maxPredicted: 0.8)])
        // Ten bins, three groups: 0.2 → ⌊10·0.5/4⌋ = 1, 0.5 → ⌊10·2/4⌋ = 5, 0.8 → ⌊10·3.5/4⌋ = 8.
        let many = try M.calibration(probabilities: p, labels: y, bins: 10)
        #expect(many.map(\.index) == [1, 5, 8])
        #expect(many.map(\.count) == [1, 2, 1])
        #expect(many.map(\.observedRate) == [0, 0.5, 1])
    }

    // MARK: summary and coding

    @Test("summary of a small data set")
    func summaryByHand() throws {
        let p = [0.1, 0.4, 0.35, 0.8]
        let y = [false, false, true, true]
        let summary = try BinaryClassificationSummary.evaluate(probabilities: p, labels: y, weights: nil, bins: 2)
        #expect(summary.count == 4)
        #expect(summary.positives == 2)
        #expect(summary.auc == 0.75)
        #expect(summary.gini == 0.5)
        #expect(summary.ks == 0.5)
        #expect(summary.calibration.map(\.count) == [2, 2])
    }

    @Test("summary and ROC points round-trip through JSON; infinity becomes null")
    func coding() throws {
        let summary = try BinaryClassificationSummary.evaluate(
            probabilities: [0.1, 0.4, 0.35, 0.8, 0.8], labels: [false, false, true, true, false], weights: [1, 2, 1, 1, 0.5])
        let decoded = try JSONDecoder().decode(BinaryClassificationSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)

        let curve = try M.rocCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
        let data = try JSONEncoder().encode(curve)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("\"threshold\":null"))
        #expect(try JSONDecoder().decode([ROCPoint].self, from: data) == curve)
    }
}
