import Bundles
import Features
import LinearAlgebra
import Metrics
import Models

/// The four models of a bundle scored on a holdout set, and the holdout metrics that bundle.json, the model card and
/// `arscore compare` report.
///
/// - Pay likelihood: AUC, log-loss, Brier, KS, Gini and calibration of P(pay within H) (none when the holdout has one
///   outcome only).
/// - Time to pay: Harrell's C of the linear predictor against days to first payment; P(pay within H) from the Cox
///   model against the observed share, and its calibration.
/// - Call window: RPC probabilities from each account's history before the holdout against the held-out attempts.
/// - Promise kept: AUC and friends of P(kept) on the held-out promises (a fitted model and both outcomes only).
/// - Cash share: predicted vs collected past-due cash in money, per decile of the predicted share, and the
///   balance-weighted log-loss (`CashShareEvaluation`); P(pay) is the share for a bundle without the model.
public struct HoldoutEvaluation {
    /// P(pay within H) of every evaluated row.
    public let payProbabilities: [Double]
    /// Cox linear predictor and P(pay within H) of every evaluated row.
    public let coxLinearPredictors: [Double]
    public let coxWithinHorizon: [Double]
    /// P(kept) of every evaluated promise.
    public let promiseProbabilities: [Double]
    /// Predicted cash share of every row of `set.cashShare` (P(pay) for a bundle without a cash-share model).
    public let cashShares: [Double]
    /// The metrics as bundle.json stores them (with notes saying why one is missing).
    public let metrics: BundleManifest.HoldoutMetrics

    /// Scores `bundle` on `set` with outcome horizon `horizonDays`.
    public init(bundle: ModelBundle, on set: HoldoutSet, horizonDays: Int) throws {
        try self.init(payLikelihood: bundle.payLikelihood, timeToPay: bundle.timeToPay, callWindow: bundle.callWindow,
                      promiseKept: bundle.promiseKept, cashShare: bundle.cashShare, on: set, horizonDays: horizonDays)
    }

    /// Scores the models on `set` with outcome horizon `horizonDays` (`cashShare` nil: P(pay) is the cash share).
    public init(payLikelihood: LogisticRegressionModel, timeToPay: CoxModel, callWindow: CallWindowModel,
                promiseKept: PromiseKeptModel, cashShare: LogisticRegressionModel?, on set: HoldoutSet,
                horizonDays: Int) throws {
        var notes: [String] = []
        // One gather of the account rows serves both account models when the Cox features are among the pay features.
        let accountDesign = try set.table.matrix(columns: payLikelihood.features, rows: set.rows)
        payProbabilities = try payLikelihood.probabilities(accountDesign)
        let pay = try Self.payMetrics(payProbabilities, set: set, notes: &notes)
        let coxDesign = timeToPay.features == payLikelihood.features ? accountDesign
            : Set(timeToPay.features).isSubset(of: payLikelihood.features)
            ? try accountDesign.selectingColumns(of: payLikelihood.features, as: timeToPay.features)
            : try set.table.matrix(columns: timeToPay.features, rows: set.rows)
        coxLinearPredictors = try timeToPay.linearPredictors(coxDesign)
        coxWithinHorizon = timeToPay.eventProbabilities(linearPredictors: coxLinearPredictors, by: Double(horizonDays))
        let time = try Self.timeToPayMetrics(linear: coxLinearPredictors, within: coxWithinHorizon, set: set)
        let window = try CallWindowEvaluation.evaluate(
            model: callWindow, attempts: set.historyAttempts, contacts: set.historyContacts, customers: set.historyCustomers,
            heldOutAttempts: set.attempts)
        let promiseDesign = try set.promises.features.matrix(columns: promiseKept.features, rows: set.promiseRows)
        promiseProbabilities = set.promiseRows.isEmpty ? [] : try promiseKept.probabilities(promiseDesign)
        let promise = try Self.promiseMetrics(promiseProbabilities, model: promiseKept, set: set, notes: &notes)
        cashShares = try CashShareEvaluation.predictedShares(cashShare: cashShare, payLikelihood: payLikelihood, on: set)
        let cash = CashShareEvaluation.metrics(predicted: cashShares, labels: set.cashShare,
                                               shareModel: cashShare == nil ? "pay_likelihood" : "cash_share")
        if cash == nil { notes.append("cash_share: no holdout account has a past-due balance; no cash-share metrics") }
        metrics = .init(payLikelihood: pay, timeToPay: time, callWindow: window, promiseKept: promise, cashShare: cash,
                        notes: notes)
    }

    /// Pay-likelihood metrics, or a note when the holdout has one outcome only.
    private static func payMetrics(_ probabilities: [Double], set: HoldoutSet, notes: inout [String]) throws
        -> BinaryClassificationSummary? {
        guard Set(set.paid).count == 2 else {
            notes.append("pay_likelihood: the holdout has one outcome only; no holdout metrics")
            return nil
        }
        return try BinaryClassificationSummary.evaluate(probabilities: probabilities, labels: set.paid)
    }

    /// Concordance of the Cox model and its P(pay within H) against the observed share.
    private static func timeToPayMetrics(linear: [Double], within: [Double], set: HoldoutSet) throws
        -> BundleManifest.TimeToPayMetrics {
        let concordance = try Concordance.harrell(durations: set.durations, events: set.events, risks: linear).index
        let calibration = (try? ClassificationMetrics.calibration(probabilities: within, labels: set.paid)) ?? []
        return .init(concordance: concordance, meanPredictedWithinHorizon: within.reduce(0, +) / Double(within.count),
                     observedWithinHorizon: Double(set.paid.filter { $0 }.count) / Double(set.paid.count),
                     calibration: calibration)
    }

    /// Promise-kept metrics for a fitted model on held-out promises with both outcomes; otherwise a note.
    private static func promiseMetrics(_ probabilities: [Double], model: PromiseKeptModel, set: HoldoutSet,
                                       notes: inout [String]) throws -> BinaryClassificationSummary? {
        if Set(set.kept).count == 2, case .logistic = model {
            return try BinaryClassificationSummary.evaluate(probabilities: probabilities, labels: set.kept)
        }
        notes.append("promise_kept: \(set.promiseRows.count) holdout promises "
            + (set.promiseRows.isEmpty ? "" : "with one outcome only ") + "and "
            + (model.fallback == nil ? "a fitted model" : "a population-rate model") + "; no holdout AUC")
        return nil
    }
}
