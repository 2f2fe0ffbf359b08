import Bundles
import CallGrid
import CivilTime
import Evaluation
import Features
import Foundation
import LinearAlgebra
import Metrics
import Models
import Receivables
import Scoring

/// Evaluates several bundles on the same out-of-time holdout of one export (`arscore compare`).
///
/// The holdout is cut and scored by the Evaluation module, exactly as `arscore train` cuts and scores its own: the
/// newest `plan.holdoutSnapshots` snapshot dates of the plan's schedule whose H-day outcome lies inside the data.
/// Every bundle scores the same rows (accounts with an open balance at those dates), the same held-out call attempts
/// (made from the first holdout date on, each account scored with its history at that date) and the same promises
/// (created from the first holdout date on, outcome known). On the export a bundle was trained on, with its own
/// plan, the metrics it shares with bundle.json are bundle.json's.
public struct BundleComparison {
    public var builder: FeatureBuilder
    public var exportFolder: String
    public var fingerprint: String
    /// How the holdout is cut (by default the first bundle's horizon and schedule).
    public var plan: HoldoutPlan
    /// Calls per replayed day in the backtest section (0: no backtest); days every `backtestStepDays` over the holdout.
    public var backtestCapacity: Int
    public var backtestStepDays: Int
    /// The export, for the backtest replays (its row tables may be released).
    public var export: ReceivablesExport
    /// The export's logged selections (selections.csv), for the off-policy values; nil without the file.
    public var selections: SelectionLog?
    /// The policy the bundles' queues are evaluated under off-policy (default: docs/POLICY.md's defaults).
    public var policy = QueuePolicy()

    public init(export: ReceivablesExport, builder: FeatureBuilder, fingerprint: String, plan: HoldoutPlan = HoldoutPlan(),
                backtestCapacity: Int = 0, backtestStepDays: Int = 7) {
        self.export = export
        self.builder = builder
        self.exportFolder = export.folder
        self.fingerprint = fingerprint
        self.plan = plan
        self.backtestCapacity = backtestCapacity
        self.backtestStepDays = backtestStepDays
    }

    /// The holdout dates of this export.
    public func holdoutDates() throws -> [Int32] {
        try plan.holdoutDates(builder, source: exportFolder)
    }

    /// Evaluates `bundles` (label, folder, bundle) on the holdout.
    public func evaluate(_ bundles: [(label: String, path: String, bundle: ModelBundle)],
                         progress: (String) -> Void = { _ in }) throws -> ComparisonResult {
        let dates = try holdoutDates()
        progress("building the holdout snapshots and outcomes")
        let set = HoldoutSet(builder: builder, dates: dates, plan: plan)
        guard Set(set.paid).count == 2 else {
            throw HoldoutError.singleClass(model: "pay_likelihood", detail: "the holdout has one outcome only; nothing to compare")
        }
        var evaluations: [ComparisonResult.BundleEvaluation] = []
        var payScores: [[Double]] = []
        for entry in bundles {
            let (evaluation, scores) = try evaluate(entry, on: set, progress: progress)
            evaluations.append(evaluation)
            payScores.append(scores)
        }
        progress("paired tests")
        var tests: [ComparisonResult.PairedComparison] = []
        for a in 0..<bundles.count {
            for b in (a + 1)..<max(a + 1, bundles.count) {
                tests.append(.init(a: a, b: b, test: try DeLong.pairedTest(scoresA: payScores[a], scoresB: payScores[b], labels: set.paid)))
            }
        }
        progress("call effects: Qini, uplift@k and off-policy values")
        let log = try selections.flatMap {
            try OffPolicyLog(selections: $0, builder: builder, export: export, policy: policy, horizonDays: plan.horizonDays)
        }
        let effects = CallEffectComparison(builder: builder, export: export, set: set, policy: policy,
                                           topShare: upliftTopShare(set: set, dates: dates), log: log)
        for index in evaluations.indices { evaluations[index].callEffect = try effects.evaluate(bundles[index].bundle) }
        let grid = Self.contactGrid(set.attempts)
        let data = ComparisonResult.HoldoutData(
            folder: exportFolder, fingerprint: fingerprint, horizonDays: plan.horizonDays, schedule: plan.schedule.name,
            holdoutDates: dates.map(CivilDate.format), accounts: set.rows.count,
            paidShare: Double(set.paid.filter { $0 }.count) / Double(set.rows.count), cash: set.cash.reduce(0, +),
            promises: set.promiseRows.count, attempts: set.attempts.filter { $0.window >= 0 }.count,
            contactRate: grid.rate, contactAttempts: grid.attempts)
        var result = ComparisonResult(data: data, bundles: evaluations, pairedTests: tests)
        result.selectionLog = log?.summary()
        return result
    }

    /// uplift@k's share: the daily capacity (`backtestCapacity`) as a share of the holdout rows with a past-due balance
    /// per holdout date, or 10% without a capacity; always inside (0, 1).
    func upliftTopShare(set: HoldoutSet, dates: [Int32]) -> Double {
        guard backtestCapacity > 0, set.cashShare.count > 0 else { return 0.1 }
        let share = Double(backtestCapacity * dates.count) / Double(set.cashShare.count)
        return min(0.99, max(1 / Double(set.cashShare.count), share))
    }

    /// One bundle on the holdout: the shared holdout metrics plus the comparison's own (DeLong intervals, lift,
    /// curves, survival bands, stability, backtest). Also returns P(pay) of the rows, for the paired tests.
    private func evaluate(_ entry: (label: String, path: String, bundle: ModelBundle), on set: HoldoutSet,
                          progress: (String) -> Void) throws -> (ComparisonResult.BundleEvaluation, [Double]) {
        let bundle = entry.bundle
        try AccountScorer.checkFeatures(of: bundle, source: entry.path)
        progress("\(entry.label): scoring the holdout")
        let holdout = try HoldoutEvaluation(bundle: bundle, on: set, horizonDays: plan.horizonDays)
        progress("\(entry.label): comparison metrics")
        let evaluation = ComparisonResult.BundleEvaluation(
            label: entry.label, path: entry.path, trainedAt: bundle.manifest.createdAt, notes: notes(bundle, set: set),
            pay: try payMetrics(holdout, set: set), timeToPay: try timeToPayMetrics(holdout, cox: bundle.timeToPay, set: set),
            callWindow: windowMetrics(holdout, fallback: bundle.callWindow.fallback),
            promise: try promiseMetrics(holdout, model: bundle.promiseKept, set: set),
            cashShare: holdout.metrics.cashShare,
            stability: stability(bundle, probabilities: holdout.payProbabilities, set: set),
            backtest: try backtest(bundle, from: set.start))
        return (evaluation, holdout.payProbabilities)
    }

    /// Warnings about how far a bundle's numbers on this holdout can be trusted.
    private func notes(_ bundle: ModelBundle, set: HoldoutSet) -> [String] {
        var notes: [String] = []
        // A bundle's training labels (and window histories) reach up to its own first holdout date.
        if let seen = bundle.manifest.training.holdoutDates.first.flatMap(CivilDate.parse), seen > set.start {
            notes.append("trained on outcomes up to \(CivilDate.format(seen)), inside this holdout "
                + "(from \(CivilDate.format(set.start))): its metrics here are optimistic")
        }
        let trained = bundle.manifest.training
        if SnapshotSchedule(name: trained.schedule) != plan.schedule || trained.horizonDays != plan.horizonDays {
            notes.append("trained with \(trained.schedule) snapshots and a \(trained.horizonDays)-day horizon; this holdout "
                + "uses \(plan.schedule.name) snapshots and \(plan.horizonDays) days")
        }
        return notes
    }

    /// Pay likelihood: the holdout summary plus a DeLong interval, lift, ROC and gains.
    private func payMetrics(_ holdout: HoldoutEvaluation, set: HoldoutSet) throws -> ComparisonResult.PayMetrics {
        let p = holdout.payProbabilities
        guard let summary = holdout.metrics.payLikelihood else {
            throw HoldoutError.singleClass(model: "pay_likelihood", detail: "the holdout has one outcome only; nothing to compare")
        }
        return .init(
            auc: try DeLong.inference(scores: p, labels: set.paid), ks: summary.ks, gini: summary.gini,
            logLoss: summary.logLoss, brier: summary.brier, calibration: summary.calibration,
            lift: try Lift.points(at: [0.05, 0.10, 0.20], scores: p, labels: set.paid, values: set.cash),
            roc: Self.thin(try ClassificationMetrics.rocCurve(scores: p, labels: set.paid), to: 200),
            gains: try Lift.gainsCurve(scores: p, labels: set.paid, values: set.cash, count: 50))
    }

    /// Time to pay: the holdout concordance and calibration plus survival by score band.
    private func timeToPayMetrics(_ holdout: HoldoutEvaluation, cox: CoxModel, set: HoldoutSet) throws
        -> ComparisonResult.TimeToPayMetrics {
        let shared = holdout.metrics.timeToPay
        return .init(concordance: shared?.concordance, calibration: shared?.calibration ?? [],
                     bands: try Self.survivalBands(cox: cox, linear: holdout.coxLinearPredictors, durations: set.durations,
                                                   events: set.events))
    }

    /// Call windows: the holdout metrics as bundle.json has them, plus the model's fallback.
    private func windowMetrics(_ holdout: HoldoutEvaluation, fallback: String?) -> ComparisonResult.WindowMetrics {
        let windows = holdout.metrics.callWindow
        return .init(attempts: windows?.attempts ?? 0, auc: windows?.auc, logLoss: windows?.logLoss,
                     rpcRateInChosenWindow: windows?.rpcRateInChosenWindow,
                     attemptsInChosenWindow: windows?.attemptsInChosenWindow ?? 0,
                     rpcRateInOtherWindows: windows?.rpcRateInOtherWindows, baselineAuc: windows?.baselineAuc,
                     baselineLogLoss: windows?.baselineLogLoss, fallback: fallback)
    }

    /// Promises: AUC with a DeLong interval (fitted model, both outcomes) and Brier; nil without held-out promises.
    private func promiseMetrics(_ holdout: HoldoutEvaluation, model: PromiseKeptModel, set: HoldoutSet) throws
        -> ComparisonResult.PromiseMetrics? {
        guard !set.promiseRows.isEmpty else { return nil }
        let pKept = holdout.promiseProbabilities
        return .init(
            promises: set.promiseRows.count,
            auc: Set(set.kept).count == 2 && model.fallback == nil ? try DeLong.inference(scores: pKept, labels: set.kept) : nil,
            brier: try ClassificationMetrics.brierScore(probabilities: pKept, labels: set.kept), fallback: model.fallback)
    }

    /// PSI of P(pay) and of every stored pay-model feature against the bundle's training distributions.
    private func stability(_ bundle: ModelBundle, probabilities: [Double], set: HoldoutSet)
        -> ComparisonResult.StabilityMetrics {
        let distribution = bundle.manifest.scoreDistribution
        let scorePSI = distribution.shares.count == distribution.edges.count + 1
            ? ScoreBins.populationStabilityIndex(expected: distribution.shares,
                                                 actual: ScoreBins.shares(of: probabilities, edges: distribution.edges))
            : nil
        var featurePSI: [String: Double]?
        if let stored = bundle.manifest.featureDistributions {
            var values: [String: Double] = [:]
            for (name, bins) in stored where set.table.columnIndex(name) != nil && bins.shares.count == bins.edges.count + 1 {
                let column = set.table.column(named: name)!
                let actual = ScoreBins.shares(of: set.rows.map { column[column.startIndex + $0] }, edges: bins.edges)
                values[name] = ScoreBins.populationStabilityIndex(expected: bins.shares, actual: actual)
            }
            featurePSI = values
        }
        return .init(scorePSI: scorePSI, featurePSI: featurePSI)
    }

    /// Backtest replays every `backtestStepDays` over the holdout (none when `backtestCapacity` is 0).
    private func backtest(_ bundle: ModelBundle, from start: Int32) throws -> [ComparisonResult.BacktestDay] {
        guard backtestCapacity > 0 else { return [] }
        let replay = Backtest(export: export, builder: builder, bundle: bundle, policy: QueuePolicy(), horizonDays: plan.horizonDays)
        var days: [ComparisonResult.BacktestDay] = []
        for t in stride(from: start, to: builder.dataEnd - Int32(plan.horizonDays) + 1, by: backtestStepDays) {
            let day = try replay.replay(asOf: t, capacity: backtestCapacity)
            days.append(.init(asOf: CivilDate.format(t), calls: day.calls, queueCash: day.queueCash,
                              agingCash: day.agingCash, randomCash: day.randomCash))
        }
        return days
    }

    /// Observed RPC rate and attempts of `attempts` by weekday × window (`[weekday][slot]`; nil rate without attempts).
    static func contactGrid(_ attempts: [ContactAttempt]) -> (rate: [[Double?]], attempts: [[Int]]) {
        let days = CallWindows.weekdays, slots = CallWindows.windowsPerDay
        var counts = [[Int]](repeating: [Int](repeating: 0, count: slots), count: days)
        var contacts = counts
        for attempt in attempts where attempt.window >= 0 {
            let day = CallWindows.weekday(ofWindow: Int(attempt.window)), slot = CallWindows.slot(ofWindow: Int(attempt.window))
            counts[day][slot] += 1
            if attempt.rightPartyContact { contacts[day][slot] += 1 }
        }
        let rate = (0..<days).map { day in
            (0..<slots).map { slot in counts[day][slot] > 0 ? Double(contacts[day][slot]) / Double(counts[day][slot]) : nil }
        }
        return (rate, counts)
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
