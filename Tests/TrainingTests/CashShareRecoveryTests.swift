import Bundles
import Evaluation
import Features
import Foundation
import Testing
import Training

/// On generated data, the cash-share model predicts the holdout's collected past-due cash in money, where
/// past due × P(pay) overstates it.
@Suite("Cash share on the holdout")
struct CashShareRecoveryTests {
    /// Predicted total cash (Σ past due × share) within 15% of the collected past-due cash on the out-of-time holdout
    /// (in sample the two are equal: the unpenalised intercept's score equation; out of time the collection rate
    /// drifts, by about 11% on this export), and the deciles ordered: the top decile of predicted share collects a
    /// larger share than the bottom one.
    @Test func predictedCashMatchesCollectedCashOnTheHoldout() throws {
        let bundle = recoveryTraining.bundle
        let cash = try #require(bundle.manifest.holdoutMetrics.cashShare)
        let ratio = try #require(cash.predictedToCollected)
        print("cash share holdout: \(cash.rows) rows, predicted \(cash.predictedCash), collected \(cash.collectedCash), "
            + "ratio \(ratio), weighted log-loss \(cash.weightedLogLoss)")
        #expect(cash.shareModel == "cash_share")
        #expect(abs(ratio - 1) <= 0.15)
        let bottom = try #require(cash.deciles.first), top = try #require(cash.deciles.last)
        #expect(cash.deciles.count == 10)
        #expect(top.collectedCash / top.pastDueBalance > bottom.collectedCash / bottom.pastDueBalance)
        #expect(bundle.card.contains("Cash share calibration on the holdout"))
    }

    /// The cash-share model beats P(pay) as the share: closer in total and lower balance-weighted log-loss.
    @Test func theCashShareBeatsPPayAsTheShare() throws {
        let result = recoveryTraining
        let bundle = result.bundle
        let builder = FeatureBuilder(export: recoveryHistory.export)
        let plan = HoldoutPlan(horizonDays: bundle.manifest.training.horizonDays)
        let set = HoldoutSet(builder: builder, dates: result.holdoutDates, plan: plan)
        let model = try #require(try HoldoutEvaluation(bundle: bundle, on: set, horizonDays: plan.horizonDays).metrics.cashShare)
        var old = bundle
        old.cashShare = nil
        let fallback = try #require(try HoldoutEvaluation(bundle: old, on: set, horizonDays: plan.horizonDays).metrics.cashShare)
        print("holdout predicted/collected: cash share \(model.predictedToCollected ?? .nan), "
            + "P(pay) \(fallback.predictedToCollected ?? .nan); log-loss \(model.weightedLogLoss) vs \(fallback.weightedLogLoss)")
        #expect(fallback.shareModel == "pay_likelihood")
        #expect(model.collectedCash == fallback.collectedCash)
        #expect(abs(model.predictedToCollected! - 1) < abs(fallback.predictedToCollected! - 1))
        #expect(model.weightedLogLoss < fallback.weightedLogLoss)
    }
}
