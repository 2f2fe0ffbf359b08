import Bundles
import Features
import Foundation
import LinearAlgebra
import Metrics
import Models
import Receivables
import Scoring
import Training

/// Evaluates several bundles on the same out-of-time holdout of one export (`arscore compare`).
///
/// The holdout is chosen as `arscore train` chooses it: the newest `holdoutSnapshots` snapshot dates whose
/// H-day outcome lies inside the data. Every bundle scores the same rows (accounts with an open balance at those
/// dates), the same held-out call attempts (made from the first holdout date on, each scored with the history
/// before it) and the same promises (created from the first holdout date on, outcome known).
public struct BundleComparison {
    public var builder: FeatureBuilder
    public var exportFolder: String
    public var fingerprint: String
    public var horizonDays: Int
    public var holdoutSnapshots: Int
    /// Calls per replayed day in the backtest section (0: no backtest); days every `backtestStepDays` over the holdout.
    public var backtestCapacity: Int
    public var backtestStepDays: Int
    /// The export, for the backtest replays (its row tables may be released).
    public var export: ReceivablesExport

    public init(export: ReceivablesExport, builder: FeatureBuilder, fingerprint: String, horizonDays: Int = 30,
                holdoutSnapshots: Int = 2, backtestCapacity: Int = 0, backtestStepDays: Int = 7) {
        self.export = export
        self.builder = builder
        self.exportFolder = export.folder
        self.fingerprint = fingerprint
        self.horizonDays = horizonDays
        self.holdoutSnapshots = holdoutSnapshots
        self.backtestCapacity = backtestCapacity
        self.backtestStepDays = backtestStepDays
    }

    /// The holdout dates of this export.
    public func holdoutDates() throws -> [Int32] {
        let h = Int64(horizonDays)
        let dates = FeatureBuilder.snapshotDates(from: builder.defaultTrainingStart(), to: builder.dataEnd, schedule: .monthly)
            .filter { Int64($0) + h <= Int64(builder.dataEnd) }
        guard dates.count >= holdoutSnapshots else {
            throw TrainingError.historyTooShort(detail: "\(dates.count) snapshot date(s) with a complete \(horizonDays)-day "
                + "outcome in \(exportFolder), need --holdout \(holdoutSnapshots)")
        }
        return Array(dates.suffix(holdoutSnapshots))
    }

    /// Evaluates `bundles` (label, folder, bundle) on the holdout.
    public func evaluate(_ bundles: [(label: String, path: String, bundle: ModelBundle)],
                         progress: (String) -> Void = { _ in }) throws -> ComparisonResult {
        let dates = try holdoutDates()
        let start = dates[0]
        progress("building the holdout snapshots and outcomes")
        let table = builder.snapshots(asOf: dates)
        let labels = builder.labels(for: table, horizonDays: horizonDays)
        let openBalance = table.column(.openBalance)
        let rows = (0..<table.rowCount).filter { openBalance[openBalance.startIndex + $0] > 0 }
        let paid = rows.map { labels.paidWithinHorizon[$0] == 1 }
        let cash = rows.map { labels.cashWithinHorizon[$0] }
        let durations = rows.map { labels.daysToFirstPayment[$0] }
        let events = rows.map { labels.paymentObserved[$0] == 1 }
        guard Set(paid).count == 2 else {
            throw TrainingError.singleClass(model: "pay_likelihood", detail: "the holdout has one outcome only; nothing to compare")
        }

        // Held-out attempts and each customer's history before them.
        progress("collecting the held-out attempts and promises")
        let historyCustomers = (0..<Int32(builder.customerCount)).map { $0 }
        let history = builder.features(of: historyCustomers, asOf: start).windowCountMatrices()
        let attempts = builder.contactAttempts(from: start, to: builder.dataEnd)
        var rate = [[Double?]](repeating: [Double?](repeating: nil, count: 5), count: 5)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 5)
        var contacts = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 5)
        for attempt in attempts where attempt.window >= 0 {
            let day = Int(attempt.window) / 5, slot = Int(attempt.window) % 5
            counts[day][slot] += 1
            if attempt.rightPartyContact { contacts[day][slot] += 1 }
        }
        for day in 0..<5 { for slot in 0..<5 where counts[day][slot] > 0 { rate[day][slot] = Double(contacts[day][slot]) / Double(counts[day][slot]) } }

        // Promises created in the holdout period, outcome known.
        let records = builder.promiseRecords()
        let promiseRows = (0..<records.count).filter { records.createdDate[$0] >= start && records.known[$0] }
        let kept = promiseRows.map { records.kept[$0] == 1 }

        var evaluations: [ComparisonResult.BundleEvaluation] = []
        var payScores: [[Double]] = []
        for entry in bundles {
            let bundle = entry.bundle
            try AccountScorer.checkFeatures(of: bundle, source: entry.path)
            progress("\(entry.label): pay likelihood")
            var notes: [String] = []
            // A bundle's training labels (and window histories) reach up to its own first holdout date.
            if let seen = bundle.manifest.training.holdoutDates.first.flatMap(CivilDate.parse), seen > start {
                notes.append("trained on outcomes up to \(CivilDate.format(seen)), inside this holdout "
                    + "(from \(CivilDate.format(start))): its metrics here are optimistic")
            }
            // Pay likelihood.
            let pay = bundle.payLikelihood
            let p = try pay.probabilities(try table.matrix(columns: pay.features, rows: rows))
            payScores.append(p)
            let summary = try BinaryClassificationSummary.evaluate(probabilities: p, labels: paid)
            let payMetrics = ComparisonResult.PayMetrics(
                auc: try DeLong.inference(scores: p, labels: paid), ks: summary.ks, gini: summary.gini,
                logLoss: summary.logLoss, brier: summary.brier, calibration: summary.calibration,
                lift: try Lift.points(at: [0.05, 0.10, 0.20], scores: p, labels: paid, values: cash),
                roc: Self.thin(try ClassificationMetrics.rocCurve(scores: p, labels: paid), to: 200),
                gains: try Lift.gainsCurve(scores: p, labels: paid, values: cash, count: 50))

            // Time to pay.
            progress("\(entry.label): time to pay")
            let cox = bundle.timeToPay
            let lp = try cox.linearPredictors(try table.matrix(columns: cox.features, rows: rows))
            let within = cox.eventProbabilities(linearPredictors: lp, by: Double(horizonDays))
            let concordance = try Concordance.harrell(durations: durations, events: events, risks: lp).index
            let timeMetrics = ComparisonResult.TimeToPayMetrics(
                concordance: concordance,
                calibration: (try? ClassificationMetrics.calibration(probabilities: within, labels: paid)) ?? [],
                bands: try Self.survivalBands(cox: cox, linear: lp, durations: durations, events: events))

            // Call windows.
            progress("\(entry.label): call windows")
            let windows = try CallWindowEvaluation.evaluate(model: bundle.callWindow, attempts: history.attempts,
                                                            contacts: history.contacts, customers: historyCustomers,
                                                            heldOutAttempts: attempts)
            let windowMetrics = ComparisonResult.WindowMetrics(
                attempts: windows.attempts, auc: windows.auc, logLoss: windows.logLoss,
                rpcRateInChosenWindow: windows.rpcRateInChosenWindow, attemptsInChosenWindow: windows.attemptsInChosenWindow,
                rpcRateInOtherWindows: windows.rpcRateInOtherWindows, fallback: bundle.callWindow.fallback)

            // Promises.
            progress("\(entry.label): promises and stability")
            var promiseMetrics: ComparisonResult.PromiseMetrics?
            if !promiseRows.isEmpty {
                let model = bundle.promiseKept
                let design = try records.features.matrix(columns: model.features, rows: promiseRows)
                let pKept = try model.probabilities(design)
                promiseMetrics = .init(
                    promises: promiseRows.count,
                    auc: Set(kept).count == 2 && model.fallback == nil ? try DeLong.inference(scores: pKept, labels: kept) : nil,
                    brier: try ClassificationMetrics.brierScore(probabilities: pKept, labels: kept), fallback: model.fallback)
            }

            // Stability against the bundle's training data.
            let distribution = bundle.manifest.scoreDistribution
            let scorePSI = distribution.shares.count == distribution.edges.count + 1
                ? ScoreBins.populationStabilityIndex(expected: distribution.shares, actual: ScoreBins.shares(of: p, edges: distribution.edges))
                : nil
            var featurePSI: [String: Double]?
            if let stored = bundle.manifest.featureDistributions {
                var values: [String: Double] = [:]
                for (name, bins) in stored where table.columnIndex(name) != nil && bins.shares.count == bins.edges.count + 1 {
                    let column = table.column(named: name)!
                    let actual = ScoreBins.shares(of: rows.map { column[column.startIndex + $0] }, edges: bins.edges)
                    values[name] = ScoreBins.populationStabilityIndex(expected: bins.shares, actual: actual)
                }
                featurePSI = values
            }

            // Backtest over the holdout days.
            var days: [ComparisonResult.BacktestDay] = []
            if backtestCapacity > 0 {
                let replay = Backtest(export: export, builder: builder, bundle: bundle, policy: QueuePolicy(), horizonDays: horizonDays)
                for t in stride(from: start, to: builder.dataEnd - Int32(horizonDays) + 1, by: backtestStepDays) {
                    let day = try replay.replay(asOf: t, capacity: backtestCapacity)
                    days.append(.init(asOf: CivilDate.format(t), calls: day.calls, queueCash: day.queueCash,
                                      agingCash: day.agingCash, randomCash: day.randomCash))
                }
            }

            evaluations.append(.init(label: entry.label, path: entry.path, trainedAt: bundle.manifest.createdAt, notes: notes,
                                     pay: payMetrics, timeToPay: timeMetrics, callWindow: windowMetrics, promise: promiseMetrics,
                                     stability: .init(scorePSI: scorePSI, featurePSI: featurePSI), backtest: days))
        }

        progress("paired tests")
        var tests: [ComparisonResult.PairedComparison] = []
        for a in 0..<bundles.count {
            for b in (a + 1)..<max(a + 1, bundles.count) {
                tests.append(.init(a: a, b: b, test: try DeLong.pairedTest(scoresA: payScores[a], scoresB: payScores[b], labels: paid)))
            }
        }
        let data = ComparisonResult.HoldoutData(
            folder: exportFolder, fingerprint: fingerprint, horizonDays: horizonDays, holdoutDates: dates.map(CivilDate.format),
            accounts: rows.count, paidShare: Double(paid.filter { $0 }.count) / Double(rows.count), cash: cash.reduce(0, +),
            promises: promiseRows.count, attempts: attempts.filter { $0.window >= 0 }.count, contactRate: rate, contactAttempts: counts)
        return ComparisonResult(data: data, bundles: evaluations, pairedTests: tests)
    }

    /// Thirds of the rows by linear predictor (low / medium / high hazard of paying), observed KM and mean
    /// predicted survival at days 0 … 90 (the mean over at most 50,000 evenly spaced accounts of the band).
    static func survivalBands(cox: CoxModel, linear: [Double], durations: [Double], events: [Bool]) throws
        -> [ComparisonResult.SurvivalBand] {
        let order = linear.indices.sorted { (linear[$0], $0) < (linear[$1], $1) }
        let names = ["slowest third (lowest score)", "middle third", "fastest third (highest score)"]
        let baseline = (0...90).map { cox.baselineCumulativeHazard(at: Double($0)) }
        var bands: [ComparisonResult.SurvivalBand] = []
        for band in 0..<3 {
            let members = Array(order[(band * order.count / 3)..<((band + 1) * order.count / 3)])
            guard !members.isEmpty else { continue }
            let observed = try KaplanMeier.curve(durations: members.map { durations[$0] }, events: members.map { events[$0] })
                .filter { $0.time <= 90 }
            let step = max(1, (members.count + 49_999) / 50_000)
            let scales = stride(from: 0, to: members.count, by: step).map { exp(linear[members[$0]]) }
            let predicted = baseline.map { hazard in scales.reduce(0) { $0 + exp(-hazard * $1) } / Double(scales.count) }
            bands.append(.init(label: names[band], accounts: members.count, observed: observed, predicted: predicted))
        }
        return bands
    }

    /// At most `count` points of a curve, evenly spaced by index, keeping the first and last.
    static func thin<T>(_ points: [T], to count: Int) -> [T] {
        guard points.count > count, count >= 2 else { return points }
        return (0..<count).map { points[$0 * (points.count - 1) / (count - 1)] }
    }
}
