import Bundles
import Evaluation
import Features
import Foundation
import Metrics
import Receivables
@testable import Reports
import TestSupport
import Testing
import Training

/// A generated export with two bundles trained on it (shared by the comparison tests).
final class ComparisonFixture: @unchecked Sendable {
    let history: GeneratedHistory
    var export: ReceivablesExport { history.export }
    let builder: FeatureBuilder
    let older: ModelBundle
    let newer: ModelBundle

    init() throws {
        history = try GeneratedHistory(customers: 1500, months: 12, seed: 12, end: "2026-11-01")
        let export = history.export
        builder = FeatureBuilder(export: export)
        let data = try ExportFingerprint.summarise(export)
        // "older": trained on the history up to the holdout (holdout 2); "newer": a 1-snapshot holdout, so it has
        // seen the first of compare's two holdout dates.
        older = try BundleTrainer(options: TrainingOptions(holdoutSnapshots: 2)).train(
            export: export, data: data, name: "cmp", version: "v1", createdAt: "2026-11-20T00:00:00Z", arscoreVersion: "test").bundle
        newer = try BundleTrainer(options: TrainingOptions(holdoutSnapshots: 1)).train(
            export: export, data: data, name: "cmp", version: "v2", createdAt: "2026-11-21T00:00:00Z", arscoreVersion: "test").bundle
    }
}

let comparisonFixture: ComparisonFixture = {
    do { return try ComparisonFixture() } catch { fatalError("cannot build the comparison fixture: \(error)") }
}()

@Suite("Bundle comparison")
struct BundleComparisonTests {
    @Test func everyBundleIsEvaluatedOnTheSameHoldout() throws {
        let f = comparisonFixture
        let comparison = BundleComparison(export: f.export, builder: f.builder, fingerprint: "abc", backtestCapacity: 10,
                                          backtestStepDays: 10)
        let result = try comparison.evaluate([("cmp/v1", "a", f.older), ("cmp/v2", "b", f.newer)])
        #expect(result.bundles.count == 2)
        #expect(result.data.holdoutDates == ["2026-09-01", "2026-10-01"])
        // The pay AUC with its DeLong interval, on exactly the holdout rows: recomputed here without the code under
        // test (σ of the original-scale coefficients read cell by cell, and the AUC as the share of concordant pairs).
        let table = f.builder.snapshots(asOf: try comparison.holdoutDates())
        let labels = f.builder.labels(for: table, horizonDays: 30)
        let rows = (0..<table.rowCount).filter { table.value(row: $0, .openBalance) > 0 }
        #expect(result.data.accounts == rows.count)
        let model = f.older.payLikelihood
        let p = rows.map { row -> Double in
            let z = model.intercept + model.features.reduce(0.0) { sum, name in
                sum + model.coefficients[name]! * table.value(row: row, column: table.columnIndex(name)!)
            }
            return 1 / (1 + exp(-z))
        }
        let auc = Self.concordantPairShare(scores: p, labels: rows.map { labels.paidWithinHorizon[$0] == 1 })
        let first = result.bundles[0].pay.auc
        #expect(abs(first.auc - auc) < 1e-9)
        #expect(first.lower95 < first.auc && first.auc < first.upper95)
        // The older bundle's own holdout is this holdout: identical AUC to its bundle.json.
        #expect(abs(first.auc - (f.older.manifest.holdoutMetrics.payLikelihood?.auc ?? -1)) < 1e-12)
        // The newer bundle saw part of this holdout and says so.
        #expect(result.bundles[0].notes.isEmpty)
        #expect(result.bundles[1].notes.contains { $0.contains("optimistic") })
        // One paired test, consistent with the two AUCs.
        #expect(result.pairedTests.count == 1)
        let test = result.pairedTests[0].test
        #expect(abs(test.difference - (result.bundles[0].pay.auc.auc - result.bundles[1].pay.auc.auc)) < 1e-12)
        #expect(test.pValue >= 0 && test.pValue <= 1)
        // Lift, survival bands, windows, promises, stability and backtest are filled.
        #expect(result.bundles[0].pay.lift.map(\.share) == [0.05, 0.10, 0.20])
        #expect(result.bundles[0].timeToPay.bands.count == 3)
        // Window metrics cover the held-out attempts of accounts with a snapshot at the first holdout date (the rule
        // training uses), a subset of all held-out attempts in the grid.
        #expect(result.bundles[0].callWindow.attempts == f.older.manifest.holdoutMetrics.callWindow?.attempts)
        #expect(result.bundles[0].callWindow.attempts > 0 && result.bundles[0].callWindow.attempts <= result.data.attempts)
        #expect(result.bundles[0].promise != nil)
        #expect(result.bundles[0].stability.featurePSI?.count == f.older.payLikelihood.features.count)
        #expect(!result.bundles[0].backtest.isEmpty)
        #expect(result.data.contactAttempts.flatMap { $0 }.reduce(0, +) == result.data.attempts)
    }

    @Test func aBundleAgainstItselfIsNotSignificantAndTheFormatsRoundTrip() throws {
        let f = comparisonFixture
        let comparison = BundleComparison(export: f.export, builder: f.builder, fingerprint: "abc")
        let result = try comparison.evaluate([("x", "a", f.older), ("y", "b", f.older)])
        let test = result.pairedTests[0].test
        #expect(test.difference == 0 && test.pValue == 1)
        #expect(ComparisonTable.text(result).contains("not significant"))
        let json = try result.jsonData()
        let decoded = try ComparisonResult.load(jsonData: json)
        #expect(decoded.data == result.data)
        #expect(decoded.pairedTests == result.pairedTests)
        #expect(decoded.bundles[0].pay.roc == result.bundles[0].pay.roc)
        #expect(decoded.bundles[0].pay.lift == result.bundles[0].pay.lift)
        #expect(decoded.bundles[0].timeToPay == result.bundles[0].timeToPay)
        #expect(decoded.bundles[0].stability == result.bundles[0].stability)
        #expect(decoded == result)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"paired_tests\"") && text.contains("\"format_version\" : 1"))
        let csv = String(decoding: ComparisonTable.csv(result), as: UTF8.self)
        #expect(csv.hasPrefix("metric,x,y\n"))
        // Text table: a header with both labels and one line per metric.
        let lines = ComparisonTable.text(result).split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("metric") && $0.contains("x") && $0.contains("y") })
        #expect(lines.contains { $0.hasPrefix("pay AUC ") })
    }

    @Test func tooShortAnExportForTheHoldoutIsAClearError() throws {
        let f = comparisonFixture
        let comparison = BundleComparison(export: f.export, builder: f.builder, fingerprint: "abc",
                                          plan: HoldoutPlan(holdoutSnapshots: 40))
        #expect(throws: HoldoutError.self) { try comparison.evaluate([("x", "a", f.older)]) }
    }

    /// What compare reports for a bundle on the export it was trained on, with the bundle's own plan.
    private static func compareOnItsOwnExport(_ bundle: ModelBundle, holdout: Int) throws -> Reports.ComparisonResult.BundleEvaluation {
        let f = comparisonFixture
        let plan = try HoldoutPlan(trainedWith: bundle.manifest.training, holdoutSnapshots: holdout)
        let comparison = BundleComparison(export: f.export, builder: f.builder, fingerprint: "", plan: plan)
        let result = try comparison.evaluate([("x", "a", bundle)])
        #expect(result.data.holdoutDates == bundle.manifest.training.holdoutDates)
        #expect(result.data.accounts == bundle.manifest.training.holdoutRows)
        return result.bundles[0]
    }

    /// Every metric compare shares with bundle.json equals the card's, for monthly and every-N-days bundles.
    @Test(arguments: [SnapshotSchedule.monthly, .everyDays(21)])
    func compareReportsTheBundlesOwnHoldoutMetrics(schedule: SnapshotSchedule) throws {
        let f = comparisonFixture
        let bundle = schedule == .monthly ? f.older : try BundleTrainer(options: TrainingOptions(schedule: schedule)).train(
            export: f.export, data: try ExportFingerprint.summarise(f.export), name: "cmp", version: "v3",
            createdAt: "2026-11-22T00:00:00Z", arscoreVersion: "test").bundle
        #expect(bundle.manifest.training.schedule == schedule.name)
        let compared = try Self.compareOnItsOwnExport(bundle, holdout: 2)
        let card = bundle.manifest.holdoutMetrics
        let pay = try #require(card.payLikelihood)
        #expect(compared.pay.auc.auc == pay.auc)
        #expect(compared.pay.logLoss == pay.logLoss && compared.pay.brier == pay.brier)
        #expect(compared.pay.ks == pay.ks && compared.pay.gini == pay.gini)
        #expect(compared.pay.calibration == pay.calibration)
        #expect(compared.timeToPay.concordance == card.timeToPay?.concordance)
        #expect(compared.timeToPay.calibration == card.timeToPay?.calibration)
        let window = try #require(card.callWindow)
        // The window probabilities come from a GEMM whose OpenBLAS thread count other tests change while this one runs;
        // a last-bit difference can break a tie in the contact AUC (seen in parallel test runs: a flipped tied pair
        // moves it by about 1e-7). So the window metrics are compared to tolerances far below any real difference
        // between two evaluation paths, not bit for bit.
        #expect(compared.callWindow.attempts == window.attempts)
        #expect((compared.callWindow.auc == nil) == (window.auc == nil))
        #expect(abs((compared.callWindow.auc ?? 0) - (window.auc ?? 0)) <= 1e-5)
        #expect(abs((compared.callWindow.logLoss ?? 0) - (window.logLoss ?? 0)) <= 1e-9 * max(1, abs(window.logLoss ?? 0)))
        #expect(compared.callWindow.rpcRateInChosenWindow == window.rpcRateInChosenWindow)
        #expect(compared.callWindow.attemptsInChosenWindow == window.attemptsInChosenWindow)
        #expect(compared.callWindow.rpcRateInOtherWindows == window.rpcRateInOtherWindows)
        if let promise = card.promiseKept {
            #expect(compared.promise?.auc?.auc == promise.auc)
            #expect(compared.promise?.brier == promise.brier)
        }
        #expect(compared.notes.isEmpty)
    }

    /// The AUC as the share of (positive, negative) pairs ranked correctly, ties counting one half: O(n·m), by hand.
    static func concordantPairShare(scores: [Double], labels: [Bool]) -> Double {
        let positives = zip(scores, labels).filter { $0.1 }.map(\.0), negatives = zip(scores, labels).filter { !$0.1 }.map(\.0)
        var wins = 0.0
        for p in positives { for n in negatives { wins += p > n ? 1 : (p == n ? 0.5 : 0) } }
        return wins / Double(positives.count * negatives.count)
    }
}
