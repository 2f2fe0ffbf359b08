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
/// - Call window: the profile mixture on every customer's per-window history before the first holdout date;
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
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        var data = data
        data.firstInvoiceDate = CivilDate.format(builder.firstInvoiceDate)
        data.dataEnd = CivilDate.format(builder.dataEnd)
        let examples = try buildExamples(builder)
        var fallbacks: [String] = []

        let (payModel, paySelection) = try fitPayLikelihood(examples)
        let cashModel = try fitCashShare(examples, l2: payModel.l2)
        var callEffect: (model: CallEffectModel, diagnostics: CallEffectDiagnostics)?
        if hasCallLog {
            progress("fitting the call-effect model")
            let effectExamples = (table: examples.table, labels: examples.labels, rows: examples.trainingRows)
            let trainer = CallEffectTrainer(builder: builder, table: effectExamples.table, labels: effectExamples.labels,
                                            l2: payModel.l2, newton: options.newton)
            do {
                switch try trainer.fit(trainingRows: effectExamples.rows,
                                       holdout: (examples.table, examples.labels, examples.holdoutRows),
                                       selections: selections) {
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
        // The holdout's attempts, window histories and promises are gathered only now, after the two large fits, so
        // they do not add to the fits' peak memory.
        let holdout = HoldoutSet(builder: builder, dates: examples.holdoutDates, table: examples.table,
                                 labels: examples.labels, rows: examples.holdoutRows)
        progress("fitting the call-window model")
        let windowModel = try CallWindowFitter.fit(attempts: holdout.historyAttempts,
                                                   contacts: holdout.historyContacts,
                                                   windowNames: CallWindows.names, options: options.callWindow.onTheWindowGrid)
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
        let trainingProbabilities = try payModel.probabilities(
            try examples.trainingMatrix.selectingColumns(of: ModelFeatures.accountNames, as: payModel.features))
        let manifest = BundleManifest(
            name: name, version: version, createdAt: createdAt, arscoreVersion: arscoreVersion, data: data,
            training: trainingSummary(examples, holdout: holdout, promisesUsed: promiseTrain.count),
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
            scoreDistribution: ScoreBins.deciles(of: trainingProbabilities, score: "p_pay"),
            featureDistributions: featureDistributions(examples.trainingMatrix, names: ModelFeatures.accountNames))
        var fullManifest = manifest
        fullManifest.callEffect = callEffect?.diagnostics
        var bundle = ModelBundle(manifest: fullManifest, payLikelihood: payModel, timeToPay: coxModel, callWindow: windowModel,
                                 promiseKept: promiseModel, cashShare: cashModel, callEffect: callEffect?.model, card: "")
        bundle.card = ModelCard.render(bundle)
        return Result(bundle: bundle, trainingDates: examples.trainingDates, holdoutDates: holdout.dates)
    }

    /// The account snapshots of a run: training rows and their design matrix, labels, and the holdout rows.
    struct Examples {
        let table: FeatureTable
        let labels: PaymentLabels
        let trainingDates: [Int32]
        let trainingRows: [Int]
        let trainingMatrix: Matrix
        let holdoutDates: [Int32]
        let holdoutRows: [Int]
    }

    /// Cuts the split, builds and labels the snapshots, and gathers the training design.
    private func buildExamples(_ builder: FeatureBuilder) throws -> Examples {
        let plan = HoldoutPlan(horizonDays: options.horizonDays, schedule: options.schedule,
                               holdoutSnapshots: options.holdoutSnapshots, followUpDays: options.followUpDays)
        let split = try plan.split(builder)
        progress("building \(split.training.count + split.holdout.count) snapshots "
                 + "(\(CivilDate.format(split.training[0])) … \(CivilDate.format(split.holdout.last!)))")
        let snapshots = builder.snapshots(asOf: split.training + split.holdout)
        progress("labelling \(snapshots.rowCount) account snapshots")
        let labels = builder.labels(for: snapshots, horizonDays: options.horizonDays, maximumDays: options.followUpDays)
        let trainingRows = HoldoutSet.rowsWithOpenBalance(snapshots, atDates: Set(split.training))
        let holdoutRows = HoldoutSet.rowsWithOpenBalance(snapshots, atDates: Set(split.holdout))
        guard !trainingRows.isEmpty, !holdoutRows.isEmpty else {
            throw HoldoutError.historyTooShort(detail: "no account has an open balance at the "
                + (trainingRows.isEmpty ? "training" : "holdout") + " snapshot dates")
        }
        progress("assembling the design matrices")
        let trainingMatrix = try snapshots.matrix(columns: ModelFeatures.accountNames, rows: trainingRows)
        return Examples(table: snapshots, labels: labels, trainingDates: split.training, trainingRows: trainingRows,
                        trainingMatrix: trainingMatrix, holdoutDates: split.holdout, holdoutRows: holdoutRows)
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
            design: { try examples.table.matrix(columns: names, rows: $0) },
            validation: inner.isEmpty ? nil : (inner, validation, CivilDate.format(validationDate)))
    }

    /// Cash share: fractional logistic on the training rows with a past-due balance, weighted by balance / mean
    /// balance, with the pay model's l2.
    private func fitCashShare(_ examples: Examples, l2: Double) throws -> LogisticRegressionModel {
        let labels = CashShareLabels(table: examples.table, labels: examples.labels, rows: examples.trainingRows)
        progress("fitting the cash-share model on \(labels.count) snapshots with a past-due balance")
        guard labels.count > 0 else {
            throw TrainingError.singleClass(model: "cash_share", detail: "no training snapshot has a past-due balance; "
                + "the cash-share model needs some")
        }
        let meanBalance = labels.balances.reduce(0, +) / Double(labels.count)
        let names = ModelFeatures.accountNames
        do {
            return try LogisticRegression.fit(
                features: try examples.table.matrix(columns: names, rows: labels.rows), featureNames: names,
                labels: labels.shares, weights: labels.balances.map { $0 / meanBalance },
                options: .init(l2: l2, newton: options.newton, targets: .shares))
        } catch let error as ModelFitError {
            throw TrainingError.fitFailed(model: "cash_share", reason: error.description)
        }
    }

    /// Time to pay: Cox (Efron) on days to the first payment, censored at the first holdout date.
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
                events: events, options: CoxRegression.Options(ties: .efron, l2: options.coxL2, newton: options.newton))
        } catch let error as ModelFitError {
            throw TrainingError.fitFailed(model: "time_to_pay", reason: error.description)
        }
    }

    /// The training block of bundle.json.
    private func trainingSummary(_ examples: Examples, holdout: HoldoutSet, promisesUsed: Int)
        -> BundleManifest.TrainingSummary {
        return .init(horizonDays: options.horizonDays, schedule: options.schedule.name,
                     snapshotDates: examples.trainingDates.map(CivilDate.format), holdoutDates: holdout.dates.map(CivilDate.format),
                     trainingRows: examples.trainingRows.count, holdoutRows: holdout.rows.count,
                     trainingPromises: promisesUsed, holdoutPromises: holdout.promiseRows.count,
                     trainingAttempts: Int(holdout.historyAttempts.storage.reduce(0, +)), holdoutAttempts: holdout.attempts.count)
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

    /// Fits on `rows` (whose design is `matrix`); with `validation`, first picks l2 from the candidates by the
    /// validation log-loss of fits on the inner rows (each side subsampled to at most `selectionRows` rows).
    private func fitLogistic(model: String, names: [String], labels: [Double], rows: [Int], matrix: Matrix,
                             design: ([Int]) throws -> Matrix, validation: (inner: [Int], rows: [Int], date: String)?) throws
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
                                                    options: .init(l2: chosen, newton: options.newton))
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
