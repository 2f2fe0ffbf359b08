import Foundation
import Testing

@testable import Metrics

/// Every metric against the values computed by scikit-learn / scipy / pandas in
/// `Fixtures/make_metrics_reference.py`, to 1e-12 relative.
@Suite("scikit-learn reference values")
struct SklearnReferenceTests {
    @Test("fixture loads and holds every kind of data set")
    func fixtureLoads() throws {
        let fixture = try ReferenceFixture.load()
        #expect(fixture.logLossClip == ClassificationMetrics.logLossClip)
        let names = Set(fixture.datasets.map(\.name))
        for required in ["random", "heavy_ties", "weighted", "weighted_ties", "imbalanced", "tiny_n2",
                         "tiny_n3_tie", "tiny_n5_weighted", "tiny_n3_single_class", "extreme_probabilities"] {
            #expect(names.contains(required), "missing data set \(required)")
        }
        for dataset in fixture.datasets {
            #expect(dataset.labels.count == dataset.probabilities.count, "\(dataset.name)")
        }
    }

    @Test("AUC and Gini match roc_auc_score", arguments: ReferenceFixture.datasets)
    func auc(_ data: ReferenceDataset) throws {
        guard let expected = data.expected.auc, let expectedGini = data.expected.gini else {
            #expect(throws: MetricsError.singleClass) {
                try ClassificationMetrics.rocAUC(scores: data.probabilities, labels: data.labels, weights: data.weights)
            }
            return
        }
        let auc = try ClassificationMetrics.rocAUC(scores: data.probabilities, labels: data.labels, weights: data.weights)
        expectClose(auc, expected, "AUC of \(data.name)")
        let gini = try ClassificationMetrics.gini(scores: data.probabilities, labels: data.labels, weights: data.weights)
        expectClose(gini, expectedGini, "Gini of \(data.name)")
    }

    @Test("KS matches ks_2samp / weighted max |TPR − FPR|", arguments: ReferenceFixture.datasets)
    func ks(_ data: ReferenceDataset) throws {
        guard let expected = data.expected.ks else {
            #expect(throws: MetricsError.singleClass) {
                try ClassificationMetrics.ksStatistic(scores: data.probabilities, labels: data.labels, weights: data.weights)
            }
            return
        }
        let ks = try ClassificationMetrics.ksStatistic(scores: data.probabilities, labels: data.labels, weights: data.weights)
        expectClose(ks, expected, "KS of \(data.name)")
    }

    @Test("log-loss matches log_loss", arguments: ReferenceFixture.datasets)
    func logLoss(_ data: ReferenceDataset) throws {
        let value = try ClassificationMetrics.logLoss(probabilities: data.probabilities, labels: data.labels, weights: data.weights)
        expectClose(value, data.expected.logLoss, "log-loss of \(data.name)")
    }

    @Test("Brier score matches brier_score_loss", arguments: ReferenceFixture.datasets)
    func brier(_ data: ReferenceDataset) throws {
        let value = try ClassificationMetrics.brierScore(probabilities: data.probabilities, labels: data.labels, weights: data.weights)
        expectClose(value, data.expected.brier, "Brier of \(data.name)")
    }

    @Test("ROC curve matches roc_curve(drop_intermediate=False)", arguments: ReferenceFixture.datasets.filter { $0.expected.rocCurve != nil })
    func rocCurve(_ data: ReferenceDataset) throws {
        let expected = try #require(data.expected.rocCurve)
        let curve = try ClassificationMetrics.rocCurve(scores: data.probabilities, labels: data.labels, weights: data.weights)
        try #require(curve.count == expected.fpr.count, "\(data.name): \(curve.count) points, expected \(expected.fpr.count)")
        for (k, point) in curve.enumerated() {
            expectClose(point.falsePositiveRate, expected.fpr[k], "\(data.name) FPR[\(k)]")
            expectClose(point.truePositiveRate, expected.tpr[k], "\(data.name) TPR[\(k)]")
            #expect(point.threshold == (expected.thresholds[k] ?? .infinity), "\(data.name) threshold[\(k)]")
        }
    }

    @Test("calibration bins match the pandas reference", arguments: ReferenceFixture.datasets)
    func calibration(_ data: ReferenceDataset) throws {
        for reference in data.expected.calibration {
            let bins = try ClassificationMetrics.calibration(
                probabilities: data.probabilities, labels: data.labels, weights: data.weights, bins: reference.bins)
            let label = "\(data.name), \(reference.bins) bins"
            try #require(bins.count == reference.table.count, "\(label): \(bins.map(\.index)) vs \(reference.table.map(\.index))")
            for (bin, want) in zip(bins, reference.table) {
                #expect(bin.index == want.index, "\(label)")
                #expect(bin.count == want.count, "\(label), bin \(want.index)")
                #expect(bin.minPredicted == want.minPredicted, "\(label), bin \(want.index)")
                #expect(bin.maxPredicted == want.maxPredicted, "\(label), bin \(want.index)")
                expectClose(bin.weight, want.weight, "\(label), bin \(want.index) weight")
                expectClose(bin.meanPredicted, want.meanPredicted, "\(label), bin \(want.index) mean predicted")
                expectClose(bin.observedRate, want.observedRate, "\(label), bin \(want.index) observed rate")
            }
        }
    }

    @Test("summary equals the individual metrics", arguments: ReferenceFixture.datasets.filter { $0.expected.auc != nil })
    func summary(_ data: ReferenceDataset) throws {
        let summary = try BinaryClassificationSummary.evaluate(
            probabilities: data.probabilities, labels: data.labels, weights: data.weights)
        #expect(summary.count == data.labels.count)
        #expect(summary.positives == data.labels.filter { $0 }.count)
        #expect(summary.auc == (try ClassificationMetrics.rocAUC(scores: data.probabilities, labels: data.labels, weights: data.weights)))
        #expect(summary.ks == (try ClassificationMetrics.ksStatistic(scores: data.probabilities, labels: data.labels, weights: data.weights)))
        #expect(summary.gini == 2 * summary.auc - 1)
        #expect(summary.logLoss == (try ClassificationMetrics.logLoss(probabilities: data.probabilities, labels: data.labels, weights: data.weights)))
        #expect(summary.brier == (try ClassificationMetrics.brierScore(probabilities: data.probabilities, labels: data.labels, weights: data.weights)))
        #expect(summary.calibration == (try ClassificationMetrics.calibration(probabilities: data.probabilities, labels: data.labels, weights: data.weights)))
        expectClose(summary.auc, try #require(data.expected.auc), "summary AUC of \(data.name)")
    }
}
