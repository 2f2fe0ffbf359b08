import Bundles
import Features
import Foundation
import LinearAlgebra
import Metrics
import Models
import Receivables

/// Trains the four models of a bundle from one export: snapshots over the history, an out-of-time holdout, fits,
/// holdout metrics and the model card.
///
/// Split: snapshot dates whose H-day outcome lies inside the data are "eligible"; the newest `holdoutSnapshots`
/// of them are held out, and training uses the dates whose outcome window ends by the first holdout date, so no
/// training label looks past it. Account rows are those with an open balance > 0 at the snapshot.
/// - Pay likelihood: L2 logistic on `ModelFeatures.account`, l2 chosen by validation log-loss on the newest
///   training snapshot (fitted on the older ones), then refitted on all training rows.
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
    /// - Throws: `TrainingError` for a short history, a single-class target or a failed fit.
    public func train(export: consuming ReceivablesExport, data: BundleManifest.DataSummary, name: String, version: String,
                      createdAt: String, arscoreVersion: String) throws -> Result {
        try options.validate()
        let h = options.horizonDays
        let hasPromises = export.hasPromises, hasCallLog = export.hasCallLog
        progress("indexing \(export.customers.count) customers")
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        var data = data
        data.firstInvoiceDate = CivilDate.format(builder.firstInvoiceDate)
        data.dataEnd = CivilDate.format(builder.dataEnd)
        let split = try chooseSplit(builder)
        let holdoutStart = split.holdout[0]
        progress("building \(split.training.count + split.holdout.count) snapshots "
                 + "(\(CivilDate.format(split.training[0])) … \(CivilDate.format(split.holdout.last!)))")
        let snapshots = builder.snapshots(asOf: split.training + split.holdout)
        progress("labelling \(snapshots.rowCount) account snapshots")
        let labels = builder.labels(for: snapshots, horizonDays: h, maximumDays: options.followUpDays)
        let openBalance = snapshots.column(.openBalance)
        let base = openBalance.startIndex
        var trainingRows: [Int] = [], holdoutRows: [Int] = []
        let holdoutSet = Set(split.holdout)
        for row in 0..<snapshots.rowCount where openBalance[base + row] > 0 {
            if holdoutSet.contains(snapshots.asOf[row]) { holdoutRows.append(row) } else { trainingRows.append(row) }
        }
        guard !trainingRows.isEmpty, !holdoutRows.isEmpty else {
            throw TrainingError.historyTooShort(detail: "no account has an open balance at the "
                + (trainingRows.isEmpty ? "training" : "holdout") + " snapshot dates")
        }
        let accountNames = ModelFeatures.accountNames
        progress("assembling the design matrices")
        let design = { (rows: [Int]) throws -> Matrix in try snapshots.matrix(columns: accountNames, rows: rows) }
        let trainingMatrix = try design(trainingRows)
        let holdoutMatrix = try design(holdoutRows)
        var notes: [String] = []
        var fallbacks: [String] = []

        // Pay likelihood.
        progress("fitting the pay-likelihood model on \(trainingRows.count) snapshots")
        let paid = labels.paidWithinHorizon
        try requireBothClasses(paid, rows: trainingRows, model: "pay_likelihood",
                               what: "paid within \(h) days at the training snapshots")
        let validationDate = split.training.last!
        let innerDates = Set(split.training.filter { Int64($0) + Int64(h) <= Int64(validationDate) })
        let inner = trainingRows.filter { innerDates.contains(snapshots.asOf[$0]) }
        let validation = trainingRows.filter { snapshots.asOf[$0] == validationDate }
        let (payModel, paySelection) = try fitLogistic(
            model: "pay_likelihood", names: accountNames, labels: paid, rows: trainingRows, matrix: trainingMatrix,
            design: design, validation: inner.isEmpty ? nil : (inner, validation, CivilDate.format(validationDate)))
        let payProbabilities = try payModel.probabilities(try holdoutMatrix.selectingColumns(of: accountNames, as: payModel.features))
        let paidHoldout = holdoutRows.map { paid[$0] == 1 }
        var payMetrics: BinaryClassificationSummary?
        if Set(paidHoldout).count == 2 {
            payMetrics = try BinaryClassificationSummary.evaluate(probabilities: payProbabilities, labels: paidHoldout)
        } else {
            notes.append("pay_likelihood: the holdout has one outcome only; no holdout metrics")
        }
        let trainingProbabilities = try payModel.probabilities(
            try trainingMatrix.selectingColumns(of: accountNames, as: payModel.features))

        // Time to pay.
        progress("fitting the time-to-pay (Cox) model")
        var durations: [Double] = [], events: [Double] = []
        durations.reserveCapacity(trainingRows.count)
        events.reserveCapacity(trainingRows.count)
        for row in trainingRows {
            // Censor at the first holdout date: a training label never looks past it.
            let limit = Double(Int64(holdoutStart) - Int64(snapshots.asOf[row]))
            let days = labels.daysToFirstPayment[row], event = labels.paymentObserved[row]
            if event == 1 && days - 1 < limit {
                durations.append(days)
                events.append(1)
            } else {
                durations.append(min(days, limit))
                events.append(0)
            }
        }
        let coxModel: CoxModel
        do {
            coxModel = try CoxRegression.fit(
                features: trainingMatrix, featureNames: accountNames, durations: durations,
                events: events, options: CoxRegression.Options(ties: .efron, l2: options.coxL2, newton: options.newton))
        } catch let error as ModelFitError {
            throw TrainingError.fitFailed(model: "time_to_pay", reason: error.description)
        }
        let holdoutLinear = try coxModel.linearPredictors(try holdoutMatrix.selectingColumns(of: accountNames, as: coxModel.features))
        let coxWithin = coxModel.eventProbabilities(linearPredictors: holdoutLinear, by: Double(h))
        let holdoutDurations = holdoutRows.map { labels.daysToFirstPayment[$0] }
        let holdoutEvents = holdoutRows.map { labels.paymentObserved[$0] == 1 }
        let concordance = try Concordance.harrell(durations: holdoutDurations, events: holdoutEvents, risks: holdoutLinear).index
        let coxCalibration = (try? ClassificationMetrics.calibration(probabilities: coxWithin, labels: paidHoldout)) ?? []
        let timeToPayMetrics = BundleManifest.TimeToPayMetrics(
            concordance: concordance, meanPredictedWithinHorizon: coxWithin.reduce(0, +) / Double(coxWithin.count),
            observedWithinHorizon: Double(paidHoldout.filter { $0 }.count) / Double(paidHoldout.count),
            calibration: coxCalibration)

        // Call windows.
        progress("fitting the call-window model")
        let historyRows = (0..<snapshots.rowCount).filter { snapshots.asOf[$0] == holdoutStart }
        let history = snapshots.windowCountMatrices(rows: historyRows)
        let windowModel = try CallWindowFitter.fit(attempts: history.attempts, contacts: history.contacts,
                                                   windowNames: CallWindows.names, options: options.callWindow)
        if let reason = windowModel.fallback {
            fallbacks.append("call_window: \(reason); every account gets the population contact rate")
        }
        progress("evaluating the call-window model on the holdout attempts")
        let holdoutAttempts = builder.contactAttempts(from: holdoutStart, to: builder.dataEnd)
        let customerOfRow = historyRows.map { snapshots.customers[$0] }
        let windowMetrics = try CallWindowEvaluation.evaluate(
            model: windowModel, attempts: history.attempts, contacts: history.contacts, customers: customerOfRow,
            heldOutAttempts: holdoutAttempts)
        let trainingAttempts = Int(history.attempts.storage.reduce(0, +))

        // Promise kept.
        progress("fitting the promise-kept model")
        let promises = builder.promiseRecords()
        let grace = Int64(promises.graceDays)
        let promiseTrain = (0..<promises.count).filter { Int64(promises.promisedDate[$0]) + grace < Int64(holdoutStart) }
        let promiseHoldout = (0..<promises.count).filter { promises.createdDate[$0] >= holdoutStart && promises.known[$0] }
        let promiseModel = try fitPromiseModel(promises, trainingRows: promiseTrain, hasPromiseFile: hasPromises)
        if let reason = promiseModel.fallback { fallbacks.append("promise_kept: \(reason)") }
        var promiseMetrics: BinaryClassificationSummary?
        let keptHoldout = promiseHoldout.map { promises.kept[$0] == 1 }
        if Set(keptHoldout).count == 2, case .logistic = promiseModel {
            let matrix = try promises.features.matrix(columns: promiseModel.features, rows: promiseHoldout)
            promiseMetrics = try BinaryClassificationSummary.evaluate(
                probabilities: try promiseModel.probabilities(matrix), labels: keptHoldout)
        } else {
            notes.append("promise_kept: \(promiseHoldout.count) holdout promises "
                + (promiseHoldout.isEmpty ? "" : "with one outcome only ") + "and "
                + (promiseModel.fallback == nil ? "a fitted model" : "a population-rate model") + "; no holdout AUC")
        }
        if !hasCallLog { fallbacks.append("call features: the export has no calls.csv; contact features are all 0") }

        progress("writing the model card")
        let manifest = BundleManifest(
            name: name, version: version, createdAt: createdAt, arscoreVersion: arscoreVersion, data: data,
            training: .init(horizonDays: h, schedule: options.scheduleDescription,
                            snapshotDates: split.training.map(CivilDate.format), holdoutDates: split.holdout.map(CivilDate.format),
                            trainingRows: trainingRows.count, holdoutRows: holdoutRows.count,
                            trainingPromises: promiseTrain.count, holdoutPromises: promiseHoldout.count,
                            trainingAttempts: trainingAttempts, holdoutAttempts: holdoutAttempts.count),
            models: .init(
                payLikelihood: .init(file: ModelBundle.FileName.payLikelihood, kind: "logistic", features: payModel.features.count,
                                     l2: payModel.l2, l2Selection: paySelection),
                timeToPay: .init(file: ModelBundle.FileName.timeToPay, kind: "cox", features: coxModel.features.count, l2: coxModel.l2),
                callWindow: .init(file: ModelBundle.FileName.callWindow, kind: "call_window", features: CallWindows.count,
                                  fallback: windowModel.fallback),
                promiseKept: promiseEntry(promiseModel)),
            holdoutMetrics: .init(payLikelihood: payMetrics, timeToPay: timeToPayMetrics, callWindow: windowMetrics,
                                  promiseKept: promiseMetrics, notes: notes),
            fallbacks: fallbacks,
            scoreDistribution: ScoreBins.deciles(of: trainingProbabilities, score: "p_pay"),
            featureDistributions: featureDistributions(trainingMatrix, names: accountNames))
        var bundle = ModelBundle(manifest: manifest, payLikelihood: payModel, timeToPay: coxModel, callWindow: windowModel,
                                 promiseKept: promiseModel, card: "")
        bundle.card = ModelCard.render(bundle)
        return Result(bundle: bundle, trainingDates: split.training, holdoutDates: split.holdout)
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

    // MARK: - Split

    private func chooseSplit(_ builder: FeatureBuilder) throws -> (training: [Int32], holdout: [Int32]) {
        let h = Int64(options.horizonDays)
        let start = builder.defaultTrainingStart()
        let all = FeatureBuilder.snapshotDates(from: start, to: builder.dataEnd, schedule: options.schedule)
        let eligible = all.filter { Int64($0) + h <= Int64(builder.dataEnd) }
        let span = "the export runs from \(CivilDate.format(builder.firstInvoiceDate)) to \(CivilDate.format(builder.dataEnd - 1)); "
            + "snapshots start 90 days after the first invoice and need \(h) days of outcome after them"
        guard eligible.count > options.holdoutSnapshots else {
            throw TrainingError.historyTooShort(detail: "\(eligible.count) snapshot date(s) with a complete \(h)-day outcome, "
                + "need more than --holdout \(options.holdoutSnapshots) (\(span))")
        }
        let holdout = Array(eligible.suffix(options.holdoutSnapshots))
        let training = eligible.filter { Int64($0) + h <= Int64(holdout[0]) }
        guard !training.isEmpty else {
            throw TrainingError.historyTooShort(detail: "no snapshot date has its \(h)-day outcome before the holdout starts "
                + "on \(CivilDate.format(holdout[0])) (\(span)); use a smaller --holdout or --horizon")
        }
        return (training, holdout)
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

extension Matrix {
    /// The columns named `wanted`, from a matrix whose columns are named `names`.
    func selectingColumns(of names: [String], as wanted: [String]) throws -> Matrix {
        if names == wanted { return self }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let picks = try wanted.map { name -> Int in
            guard let column = index[name] else { throw TrainingError.unknownFeature(name) }
            return column
        }
        var values = [Double](repeating: 0, count: rows * picks.count)
        for row in 0..<rows {
            for (j, column) in picks.enumerated() { values[row * picks.count + j] = storage[row * columns + column] }
        }
        return try Matrix(rows: rows, columns: picks.count, rowMajor: values)
    }
}
