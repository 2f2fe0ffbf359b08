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

/// Trains the models of a bundle from one export: snapshots over the history, an out-of-time holdout, fits,
/// holdout metrics and the model card.
///
/// Split: snapshot dates whose H-day outcome lies inside the data are "eligible"; the newest `holdoutSnapshots`
/// of them are held out, and training uses the dates whose outcome window ends by the first holdout date, so no
/// training label looks past it. Account rows are those with an open balance > 0 at the snapshot.
/// - Pay likelihood: L2 logistic on `ModelFeatures.account`, l2 chosen by validation log-loss on the newest
///   training snapshot (fitted on the older ones), then refitted on all training rows.
/// - Cash share: fractional logistic regression of the share of the past-due balance collected within H
///   (`CashShareLabels`) on `ModelFeatures.account`, over the training rows with a past-due balance, weighted by
///   that balance divided by its mean (so the weights sum to the row count and l2 means what it means for the pay
///   model, whose l2 it uses).
/// - Time to pay: Cox (Efron) on days to the first payment, censored at the first holdout date (and at the
///   follow-up limit).
/// - Call window: the profile mixture on every customer's per-window history before the first holdout date (EM on
///   the accounts first in `AccountSampleOrder`, so the fit does not depend on the export's row order);
///   evaluated on the attempts made in the holdout period.
/// - Promise kept: L2 logistic on promises whose outcome was known before the first holdout date (newest quarter
///   validates l2); evaluated on promises created in the holdout period with a known outcome. With too few
///   promises it is the population rate, and the bundle says so.
public struct BundleTrainer {
    public var options: TrainingOptions
    /// Receives one line per stage ("fitting the pay-likelihood model", ...).
    public var progress: (String) -> Void

    public init(options: TrainingOptions = TrainingOptions(), progress: @escaping (String) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
    }

    /// Everything a run produces before it is written: the bundle and the split it used.
    public struct Result: Sendable {
        public var bundle: ModelBundle
        public var trainingDates: [Int32]
        public var holdoutDates: [Int32]
    }

    /// Trains on `export`. `data` (fingerprint and file summary) goes into bundle.json as given.
    ///
    /// The export is consumed: its invoice, payment and call tables are released as soon as they are indexed (pass
    /// it with `consume`, or a copy, so a large export is not held twice while the snapshots are built).
    /// - Throws: `TrainingError` or `HoldoutError` for a short history, a single-class target or a failed fit.
    public func train(export: consuming ReceivablesExport, data: BundleManifest.DataSummary, name: String, version: String,
                      createdAt: String, arscoreVersion: String) throws -> Result {
        try options.validate()
        let hasPromises = export.hasPromises, hasCallLog = export.hasCallLog
        let customerIDs = export.customers.ids
        let selections = try SelectionLog.load(folder: export.folder, customerIndex: { customerIDs.find($0) })
        progress("indexing \(export.customers.count) customers")
        let customerHashes = Self.customerIDHashes(customerIDs)
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        var data = data
        data.firstInvoiceDate = CivilDate.format(builder.firstInvoiceDate)
        data.dataEnd = CivilDate.format(builder.dataEnd)
        let split = try HoldoutPlan(horizonDays: options.horizonDays, schedule: options.schedule,
                                    holdoutSnapshots: options.holdoutSnapshots, followUpDays: options.followUpDays).split(builder)
        guard builder.snapshotRowCount(asOf: split.holdout) > 0 else {
            throw HoldoutError.historyTooShort(detail: "no account has an open balance at the holdout snapshot dates")
        }
        var fallbacks: [String] = []
        // The training snapshots live only inside `fitOnTrainingSnapshots`: they are released before the holdout is
        // built, so the training fits and the holdout evaluation do not add up in memory.
        let fits = try fitOnTrainingSnapshots(builder, split: split, customerHashes: customerHashes, selections: selections,
                                              hasCallLog: hasCallLog, fallbacks: &fallbacks)
        let payModel = fits.payModel, paySelection = fits.paySelection, cashModel = fits.cashModel, coxModel = fits.coxModel
        progress("building the \(split.holdout.count) holdout snapshots")
        let examples = try buildHoldoutExamples(builder, dates: split.holdout)
        var callEffect = fits.callEffect
        if let model = callEffect?.model {
            callEffect?.diagnostics.holdoutQini = try CallEffectTrainer.holdoutQini(
                model, (examples.holdoutTable, examples.holdoutLabels, examples.holdoutRows), builder: builder)
        }
        // The holdout's attempts, window histories and promises are gathered only now, after the two large fits, so
        // they do not add to the fits' peak memory.
        let holdout = HoldoutSet(builder: builder, dates: examples.holdoutDates, table: examples.holdoutTable,
                                 labels: examples.holdoutLabels, rows: examples.holdoutRows)
        progress("fitting the call-window model")
        let windowSampleOrder = CallWindowSampleRows.order(historyCustomers: holdout.historyCustomers,
                                                           customerHashes: customerHashes, ids: customerIDs,
                                                           seed: options.callWindow.seed)
        let windowModel = try CallWindowFitter.fit(attempts: holdout.historyAttempts,
                                                   contacts: holdout.historyContacts,
                                                   windowNames: CallWindows.names, options: options.callWindow.onTheWindowGrid,
                                                   sampleOrder: windowSampleOrder)
        if let reason = windowModel.fallback {
            fallbacks.append("call_window: \(reason); every account gets the population contact rate")
        }
        progress("fitting the promise-kept model")
        let promises = holdout.promises
        let grace = Int64(promises.graceDays)
        let promiseTrain = (0..<promises.count).filter { Int64(promises.promisedDate[$0]) + grace < Int64(holdout.start) }
        let promiseModel = try fitPromiseModel(promises, trainingRows: promiseTrain, hasPromiseFile: hasPromises)
        if let reason = promiseModel.fallback { fallbacks.append("promise_kept: \(reason)") }
        if !hasCallLog { fallbacks.append("call features: the export has no calls.csv; contact features are all 0") }

        progress("evaluating the models on the holdout")
        let evaluation = try HoldoutEvaluation(payLikelihood: payModel, timeToPay: coxModel, callWindow: windowModel,
                                               promiseKept: promiseModel, cashShare: cashModel, on: holdout,
                                               horizonDays: options.horizonDays)
        progress("writing the model card")
        let manifest = BundleManifest(
            name: name, version: version, createdAt: createdAt, arscoreVersion: arscoreVersion, data: data,
            training: trainingSummary(fits, holdout: holdout, promisesUsed: promiseTrain.count),
            models: .init(
                payLikelihood: .init(file: ModelBundle.FileName.payLikelihood, kind: "logistic", features: payModel.features.count,
                                     l2: payModel.l2, l2Selection: paySelection),
                timeToPay: .init(file: ModelBundle.FileName.timeToPay, kind: "cox", features: coxModel.features.count, l2: coxModel.l2),
                callWindow: .init(file: ModelBundle.FileName.callWindow, kind: "call_window", features: CallWindows.count,
                                  fallback: windowModel.fallback),
                promiseKept: promiseEntry(promiseModel),
                cashShare: .init(file: ModelBundle.FileName.cashShare, kind: "logistic", features: cashModel.features.count,
                                 l2: cashModel.l2),
                callEffect: callEffect.map {
                    .init(file: ModelBundle.FileName.callEffect, kind: "logistic", features: $0.model.outcome.features.count,
                          l2: $0.model.outcome.l2)
                }),
            holdoutMetrics: evaluation.metrics,
            fallbacks: fallbacks,
            scoreDistribution: fits.scoreDistribution, featureDistributions: fits.featureDistributions)
        var fullManifest = manifest
        fullManifest.callEffect = callEffect?.diagnostics
        var bundle = ModelBundle(manifest: fullManifest, payLikelihood: payModel, timeToPay: coxModel, callWindow: windowModel,
                                 promiseKept: promiseModel, cashShare: cashModel, callEffect: callEffect?.model, card: "")
        bundle.card = ModelCard.render(bundle)
        return Result(bundle: bundle, trainingDates: fits.trainingDates, holdoutDates: holdout.dates)
    }

    /// The columns of the training and holdout snapshot tables: the account model features, and the open and
    /// past-due balances that pick the model rows (the other `Feature` columns are computed but not stored).
    static let snapshotColumns: [Feature] = {
        var columns = ModelFeatures.account
        for feature in [Feature.openBalance, .pastDueBalance] where !columns.contains(feature) { columns.append(feature) }
        return columns
    }()

    /// The training snapshots of a run: the table (sampled to the row budget, without per-window call counts) with its
    /// labels, the rows with an open balance and their design matrix, and the sampling that chose them.
    struct Examples {
        let table: FeatureTable
        let labels: PaymentLabels
        let trainingDates: [Int32]
        let trainingRows: [Int]
        let trainingMatrix: Matrix
        let holdoutDates: [Int32]
        /// The row sampling of the training snapshots, and the candidate rows it chose from.
        let sampling: SnapshotRowSampling
        let rowsSeen: Int

        /// The weight 1/π of every training row in the fits, or nil when every row was kept (weight 1, and the
        /// fits run exactly as without sampling).
        var rowWeight: Double? { sampling.keepsEveryRow ? nil : sampling.rowWeight }

        /// `count` copies of `rowWeight`, or nil when every row was kept.
        func rowWeights(count: Int) -> [Double]? {
            rowWeight.map { [Double](repeating: $0, count: count) }
        }
    }

    /// The complete (never sampled) holdout snapshots with their labels and the rows with an open balance.
    struct HoldoutExamples {
        let holdoutTable: FeatureTable
        let holdoutLabels: PaymentLabels
        let holdoutDates: [Int32]
        let holdoutRows: [Int]
    }

    /// What the training snapshots give, kept after they are released: the fitted models and the training block's
    /// figures and distributions.
    struct TrainingFits {
        let payModel: LogisticRegressionModel
        let paySelection: BundleManifest.PenaltySelection?
        let cashModel: LogisticRegressionModel
        /// The call-effect model and its diagnostics (without the holdout Qini, added once the holdout is built).
        let callEffect: (model: CallEffectModel, diagnostics: CallEffectDiagnostics)?
        let coxModel: CoxModel
        let trainingDates: [Int32]
        let trainingRows: Int
        let sampling: TrainingRowSampling?
        let scoreDistribution: BundleManifest.ScoreDistribution
        let featureDistributions: [String: BundleManifest.ScoreDistribution]
    }

    /// Builds the training snapshots, fits the pay-likelihood, cash-share, call-effect and time-to-pay models on them
    /// and summarises them; the snapshots are released when it returns.
    private func fitOnTrainingSnapshots(_ builder: FeatureBuilder, split: (training: [Int32], holdout: [Int32]),
                                        customerHashes: [UInt64], selections: SelectionLog?, hasCallLog: Bool,
                                        fallbacks: inout [String]) throws -> TrainingFits {
        let examples = try buildExamples(builder, split: split, customerHashes: customerHashes)
        let (payModel, paySelection) = try fitPayLikelihood(examples)
        let cashModel = try fitCashShare(examples, l2: payModel.l2)
        var callEffect: (model: CallEffectModel, diagnostics: CallEffectDiagnostics)?
        if hasCallLog {
            progress("fitting the call-effect model")
            let trainer = CallEffectTrainer(builder: builder, table: examples.table, labels: examples.labels,
                                            l2: payModel.l2, newton: options.newton, rowWeight: examples.rowWeight)
            do {
                switch try trainer.fit(trainingRows: examples.trainingRows, holdout: nil, selections: selections) {
                case .fitted(let model, let diagnostics): callEffect = (model, diagnostics)
                case .fallback(let reason): fallbacks.append(reason)
                }
            } catch let error as ModelFitError {
                throw TrainingError.fitFailed(model: "call_effect", reason: error.description)
            }
        } else {
            fallbacks.append("call_effect: the export has no calls.csv, so no call effect can be learnt; "
                + "incremental_cash falls back to expected cash")
        }
        let coxModel = try fitTimeToPay(examples)
        let trainingProbabilities = try payModel.probabilities(
            try examples.trainingMatrix.selectingColumns(of: ModelFeatures.accountNames, as: payModel.features))
        return TrainingFits(
            payModel: payModel, paySelection: paySelection, cashModel: cashModel, callEffect: callEffect, coxModel: coxModel,
            trainingDates: examples.trainingDates, trainingRows: examples.trainingRows.count,
            sampling: examples.sampling.keepsEveryRow ? nil : .init(
                rowBudget: options.maxTrainingRows, keepProbability: examples.sampling.keepProbability,
                rowsSeen: examples.rowsSeen, rowsKept: examples.table.rowCount, rowWeight: examples.sampling.rowWeight,
                seed: examples.sampling.seed),
            scoreDistribution: ScoreBins.deciles(of: trainingProbabilities, score: "p_pay"),
            featureDistributions: featureDistributions(examples.trainingMatrix, names: ModelFeatures.accountNames))
    }

    /// Sizes the row sampling from a count of the training rows, builds and labels the (sampled) training snapshots and
    /// gathers the training design.
    private func buildExamples(_ builder: FeatureBuilder, split: (training: [Int32], holdout: [Int32]),
                               customerHashes: [UInt64]) throws -> Examples {
        let rowsSeen = builder.snapshotRowCount(asOf: split.training)
        let sampling = SnapshotRowSampling(seed: options.samplingSeed, rowBudget: options.maxTrainingRows, totalRows: rowsSeen)
        progress("building \(split.training.count) training snapshots "
                 + "(\(CivilDate.format(split.training[0])) … \(CivilDate.format(split.training.last!)))"
                 + (sampling.keepsEveryRow ? "" : String(format: "; keeping a share π = %.4f of the %d rows "
                     + "(budget %d, seed %llu)", sampling.keepProbability, rowsSeen, options.maxTrainingRows, sampling.seed)))
        let training = Self.sampledSnapshots(builder, dates: split.training, sampling: sampling, customerHashes: customerHashes)
        progress("labelling \(training.rowCount) training snapshots")
        let labels = builder.labels(for: training, horizonDays: options.horizonDays, maximumDays: options.followUpDays)
        let trainingRows = HoldoutSet.rowsWithOpenBalance(training, atDates: Set(split.training))
        guard !trainingRows.isEmpty else {
            throw HoldoutError.historyTooShort(detail: "no account has an open balance at the training snapshot dates")
        }
        progress("assembling the design matrices")
        let trainingMatrix = try training.matrix(columns: ModelFeatures.accountNames, rows: trainingRows)
        return Examples(table: training, labels: labels, trainingDates: split.training, trainingRows: trainingRows,
                        trainingMatrix: trainingMatrix, holdoutDates: split.holdout, sampling: sampling, rowsSeen: rowsSeen)
    }

    /// The complete holdout snapshots at `dates` (with their per-window call counts, the call-window model's history)
    /// and their labels.
    private func buildHoldoutExamples(_ builder: FeatureBuilder, dates: [Int32]) throws -> HoldoutExamples {
        let table = builder.snapshots(asOf: dates, columns: Self.snapshotColumns, windowCounts: true, keeping: { _, _ in true })
        let labels = builder.labels(for: table, horizonDays: options.horizonDays, maximumDays: options.followUpDays)
        let rows = HoldoutSet.rowsWithOpenBalance(table, atDates: Set(dates))
        guard !rows.isEmpty else {
            throw HoldoutError.historyTooShort(detail: "no account has an open balance at the holdout snapshot dates")
        }
        return HoldoutExamples(holdoutTable: table, holdoutLabels: labels, holdoutDates: dates, holdoutRows: rows)
    }

    /// The training snapshots at `dates`, restricted to the rows `sampling` keeps (all of them at π = 1).
    static func sampledSnapshots(_ builder: FeatureBuilder, dates: [Int32], sampling: SnapshotRowSampling,
                                 customerHashes: [UInt64]) -> FeatureTable {
        if sampling.keepsEveryRow {
            return builder.snapshots(asOf: dates, columns: snapshotColumns, windowCounts: false, keeping: { _, _ in true })
        }
        return builder.snapshots(asOf: dates, columns: snapshotColumns, windowCounts: false) { date, customer in
            sampling.keeps(snapshotDate: date, customerHash: customerHashes[customer])
        }
    }

    /// The sampling hash of every customer's id, in customer order (`SnapshotRowSampling.customerIDHash`).
    static func customerIDHashes(_ ids: IDIndex) -> [UInt64] {
        (0..<ids.count).map { customer in ids.withIDBytes(customer) { SnapshotRowSampling.customerIDHash($0) } }
    }

    /// Pay likelihood: l2 chosen on the newest training snapshot (fitted on the older ones), then refitted on all.
    private func fitPayLikelihood(_ examples: Examples) throws -> (LogisticRegressionModel, BundleManifest.PenaltySelection?) {
        progress("fitting the pay-likelihood model on \(examples.trainingRows.count) snapshots")
        let h = options.horizonDays, asOf = examples.table.asOf
        let paid = examples.labels.paidWithinHorizon
        try requireBothClasses(paid, rows: examples.trainingRows, model: "pay_likelihood",
                               what: "paid within \(h) days at the training snapshots")
        let validationDate = examples.trainingDates.last!
        let innerDates = Set(examples.trainingDates.filter { Int64($0) + Int64(h) <= Int64(validationDate) })
        let inner = examples.trainingRows.filter { innerDates.contains(asOf[$0]) }
        let validation = examples.trainingRows.filter { asOf[$0] == validationDate }
        let names = ModelFeatures.accountNames
        return try fitLogistic(
            model: "pay_likelihood", names: names, labels: paid, rows: examples.trainingRows, matrix: examples.trainingMatrix,
            weights: examples.rowWeights(count: examples.trainingRows.count),
            design: { try examples.table.matrix(columns: names, rows: $0) },
            validation: inner.isEmpty ? nil : (inner, validation, CivilDate.format(validationDate)))
    }

    /// Cash share: fractional logistic on the training rows with a past-due balance, weighted by balance / mean
    /// balance (times the sampling weight 1/π), with the pay model's l2.
    private func fitCashShare(_ examples: Examples, l2: Double) throws -> LogisticRegressionModel {
        let labels = CashShareLabels(table: examples.table, labels: examples.labels, rows: examples.trainingRows)
        progress("fitting the cash-share model on \(labels.count) snapshots with a past-due balance")
        guard labels.count > 0 else {
            throw TrainingError.singleClass(model: "cash_share", detail: "no training snapshot has a past-due balance; "
                + "the cash-share model needs some")
        }
        let meanBalance = labels.balances.reduce(0, +) / Double(labels.count)
        let names = ModelFeatures.accountNames
        let weights = examples.rowWeight.map { rowWeight in labels.balances.map { $0 / meanBalance * rowWeight } }
            ?? labels.balances.map { $0 / meanBalance }
        do {
            return try LogisticRegression.fit(
                features: try examples.table.matrix(columns: names, rows: labels.rows), featureNames: names,
                labels: labels.shares, weights: weights,
                options: .init(l2: l2, newton: options.newton, targets: .shares))
        } catch let error as ModelFitError {
            throw TrainingError.fitFailed(model: "cash_share", reason: error.description)
        }
    }

    /// Time to pay: Cox (Efron) on days to the first payment, censored at the first holdout date; each row weighted by
    /// the sampling weight 1/π (Efron's tied terms then share the mean event weight, `CoxObjective`).
    private func fitTimeToPay(_ examples: Examples) throws -> CoxModel {
        progress("fitting the time-to-pay (Cox) model")
        let rows = examples.trainingRows, labels = examples.labels
        var durations: [Double] = [], events: [Double] = []
        durations.reserveCapacity(rows.count)
        events.reserveCapacity(rows.count)
        for row in rows {
            // Censor at the first holdout date: a training label never looks past it.
            let limit = Double(Int64(examples.holdoutDates[0]) - Int64(examples.table.asOf[row]))
            let days = labels.daysToFirstPayment[row], event = labels.paymentObserved[row]
            if event == 1 && days - 1 < limit {
                durations.append(days)
                events.append(1)
            } else {
                durations.append(min(days, limit))
                events.append(0)
            }
        }
        do {
            return try CoxRegression.fit(
                features: examples.trainingMatrix, featureNames: ModelFeatures.accountNames, durations: durations,
                events: events, weights: examples.rowWeights(count: rows.count), options: CoxRegression.Options(ties: .efron, l2: options.coxL2, newton: options.newton))
        } catch let error as ModelFitError {
            throw TrainingError.fitFailed(model: "time_to_pay", reason: error.description)
        }
    }

    /// The training block of bundle.json.
    private func trainingSummary(_ fits: TrainingFits, holdout: HoldoutSet, promisesUsed: Int)
        -> BundleManifest.TrainingSummary {
        return .init(horizonDays: options.horizonDays, schedule: options.schedule.name,
                     snapshotDates: fits.trainingDates.map(CivilDate.format), holdoutDates: holdout.dates.map(CivilDate.format),
                     trainingRows: fits.trainingRows, holdoutRows: holdout.rows.count,
                     trainingPromises: promisesUsed, holdoutPromises: holdout.promiseRows.count,
                     trainingAttempts: Int(holdout.historyAttempts.storage.reduce(0, +)), holdoutAttempts: holdout.attempts.count,
                     sampling: fits.sampling)
    }

    /// Decile bins of every column on (at most 200,000 evenly spaced) training rows.
    private func featureDistributions(_ matrix: Matrix, names: [String]) -> [String: BundleManifest.ScoreDistribution] {
        let rows = Self.everyKth(Array(0..<matrix.rows), atMost: 200_000)
        var result: [String: BundleManifest.ScoreDistribution] = [:]
        for (j, name) in names.enumerated() {
            result[name] = ScoreBins.deciles(of: rows.map { matrix.storage[$0 * matrix.columns + j] }, score: name)
        }
        return result
    }

    private func requireBothClasses(_ labels: [Double], rows: [Int], model: String, what: String) throws {
        let positives = rows.reduce(0) { $0 + (labels[$1] == 1 ? 1 : 0) }
        if positives == 0 || positives == rows.count {
            throw TrainingError.singleClass(model: model, detail: "every one of the \(rows.count) training rows is "
                + (positives == 0 ? "not " : "") + what + "; both outcomes are needed to fit the model")
        }
    }

    // MARK: - Logistic fits with a validated penalty

    /// Fits on `rows` (whose design is `matrix`, weighted by `weights`: the sampling weights, nil for 1); with
    /// `validation`, first picks l2 from the candidates by the validation log-loss of fits on the inner rows (each
    /// side subsampled to at most `selectionRows` rows, unweighted: a sampling weight is the same on every row and the
    /// selection fits are a fixed-size subsample either way).
    private func fitLogistic(model: String, names: [String], labels: [Double], rows: [Int], matrix: Matrix,
                             weights: [Double]? = nil, design: ([Int]) throws -> Matrix, validation: (inner: [Int], rows: [Int], date: String)?) throws
        -> (LogisticRegressionModel, BundleManifest.PenaltySelection?) {
        var chosen = 1.0
        var selection: BundleManifest.PenaltySelection?
        if let validation, !validation.rows.isEmpty,
           Set(validation.rows.map { labels[$0] }).count == 2, Set(validation.inner.map { labels[$0] }).count == 2 {
            let innerRows = Self.everyKth(validation.inner, atMost: options.selectionRows)
            let validationRows = Self.everyKth(validation.rows, atMost: options.selectionRows)
            let innerMatrix = try design(innerRows)
            let innerLabels = innerRows.map { labels[$0] }
            let validationMatrix = try design(validationRows)
            let validationLabels = validationRows.map { labels[$0] == 1 }
            var losses: [Double?] = []
            for l2 in options.l2Candidates {
                let fitted = try? LogisticRegression.fit(features: innerMatrix, featureNames: names, labels: innerLabels,
                                                         options: .init(l2: l2, newton: options.newton, computeTrainingMetrics: false))
                let loss = try fitted.flatMap { fitted -> Double? in
                    let p = try fitted.probabilities(try validationMatrix.selectingColumns(of: names, as: fitted.features))
                    return try ClassificationMetrics.logLoss(probabilities: p, labels: validationLabels)
                }
                losses.append(loss)
            }
            if let best = losses.indices.filter({ losses[$0] != nil }).min(by: { losses[$0]! < losses[$1]! }) {
                chosen = options.l2Candidates[best]
            }
            selection = .init(validationDate: validation.date, candidates: options.l2Candidates,
                              validationLogLoss: losses, chosen: chosen)
        }
        do {
            let fitted = try LogisticRegression.fit(features: matrix, featureNames: names, labels: rows.map { labels[$0] },
                                                    weights: weights, options: .init(l2: chosen, newton: options.newton))
            return (fitted, selection)
        } catch let error as ModelFitError {
            throw TrainingError.fitFailed(model: model, reason: error.description)
        }
    }

    /// Every k-th of `rows` so that at most `limit` remain (all when there are fewer).
    static func everyKth(_ rows: [Int], atMost limit: Int) -> [Int] {
        guard rows.count > limit, limit > 0 else { return rows }
        let step = (rows.count + limit - 1) / limit
        return stride(from: 0, to: rows.count, by: step).map { rows[$0] }
    }

    private func fitPromiseModel(_ promises: PromiseRecords, trainingRows: [Int], hasPromiseFile: Bool) throws -> PromiseKeptModel {
        let kept = trainingRows.reduce(0) { $0 + (promises.kept[$1] == 1 ? 1 : 0) }
        let n = trainingRows.count
        guard n >= options.minimumPromises, kept > 0, kept < n else {
            let reason: String
            if !hasPromiseFile {
                reason = "the export has no promises.csv"
            } else if n == 0 {
                reason = "no promise with a known outcome before the holdout"
            } else if n < options.minimumPromises {
                reason = "only \(n) promises with a known outcome before the holdout (need \(options.minimumPromises))"
            } else {
                reason = "all \(n) promises before the holdout were " + (kept == 0 ? "broken" : "kept")
            }
            let rate = n == 0 ? 0.5 : (Double(kept) + 1) / (Double(n) + 2)
            return .populationRate(.init(rate: rate, promises: n,
                                         reason: reason + (n == 0 ? "; P(kept) is a neutral 0.5" : "; P(kept) is the population rate")))
        }
        let names = ModelFeatures.promiseNames
        let design = { (rows: [Int]) throws -> Matrix in try promises.features.matrix(columns: names, rows: rows) }
        // The newest quarter (by creation date) validates l2.
        let ordered = trainingRows.sorted { (promises.createdDate[$0], $0) < (promises.createdDate[$1], $1) }
        let cut = ordered.count * 3 / 4
        let inner = Array(ordered[..<cut]), validation = Array(ordered[cut...])
        let date = validation.first.map { CivilDate.format(promises.createdDate[$0]) } ?? ""
        let (model, _) = try fitLogistic(model: "promise_kept", names: names, labels: promises.kept, rows: trainingRows,
                                         matrix: try design(trainingRows), design: design,
                                         validation: (inner, validation, "created from " + date))
        return .logistic(model)
    }

    private func promiseEntry(_ model: PromiseKeptModel) -> BundleManifest.ModelEntry {
        switch model {
        case .logistic(let logistic):
            return .init(file: ModelBundle.FileName.promiseKept, kind: "logistic", features: logistic.features.count, l2: logistic.l2)
        case .populationRate(let rate):
            return .init(file: ModelBundle.FileName.promiseKept, kind: "population_rate", features: 0, fallback: rate.reason)
        }
    }
}
