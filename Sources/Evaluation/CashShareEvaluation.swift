import Bundles
import Features
import Foundation
import Models

/// Holdout metrics of the cash share in money: predicted cash `B × predicted share` against collected cash
/// `B × collected share` over the holdout rows with a past-due balance B > 0, overall and per decile of the
/// predicted share, and the balance-weighted log-loss.
public enum CashShareEvaluation {
    /// The predicted share of each of `set.cashShare.rows`: the cash-share model's, or P(pay) from `payLikelihood`
    /// when `cashShare` is nil (a bundle trained before the model existed).
    public static func predictedShares(cashShare: LogisticRegressionModel?, payLikelihood: LogisticRegressionModel,
                                       on set: HoldoutSet) throws -> [Double] {
        let model = cashShare ?? payLikelihood
        guard set.cashShare.count > 0 else { return [] }
        return try model.probabilities(try set.table.matrix(columns: model.features, rows: set.cashShare.rows))
    }

    /// The metrics of `predicted` (aligned with `labels.rows`) against `labels`; nil when no row has a past-due
    /// balance. `shareModel` names the model that predicted (`cash_share` or `pay_likelihood`).
    public static func metrics(predicted: [Double], labels: CashShareLabels, shareModel: String)
        -> BundleManifest.CashShareMetrics? {
        let n = labels.count
        guard n > 0, predicted.count == n else { return nil }
        let balances = labels.balances, shares = labels.shares
        var balance = 0.0, predictedCash = 0.0, collectedCash = 0.0, loss = 0.0
        for i in 0..<n {
            let b = balances[i], p = min(max(predicted[i], 1e-15), 1 - 1e-15), s = shares[i]
            balance += b
            predictedCash += b * predicted[i]
            collectedCash += b * s
            loss -= b * (s * log(p) + (1 - s) * log1p(-p))
        }
        return .init(shareModel: shareModel, rows: n, pastDueBalance: balance, predictedCash: predictedCash,
                     collectedCash: collectedCash, predictedToCollected: collectedCash > 0 ? predictedCash / collectedCash : nil,
                     weightedLogLoss: balance > 0 ? loss / balance : 0,
                     deciles: deciles(predicted: predicted, labels: labels))
    }

    /// Ten bins of equal row count (fewer when there are fewer rows) by ascending predicted share, ties by row order.
    static func deciles(predicted: [Double], labels: CashShareLabels) -> [BundleManifest.CashShareBin] {
        let n = predicted.count, binCount = min(10, n)
        let order = (0..<n).sorted { (predicted[$0], $0) < (predicted[$1], $1) }
        return (0..<binCount).map { k in
            let members = order[(n * k / binCount)..<(n * (k + 1) / binCount)]
            var balance = 0.0, predictedCash = 0.0, collectedCash = 0.0
            for i in members {
                balance += labels.balances[i]
                predictedCash += labels.balances[i] * predicted[i]
                collectedCash += labels.balances[i] * labels.shares[i]
            }
            return .init(index: k, rows: members.count, minimumPredicted: predicted[members.first!],
                         maximumPredicted: predicted[members.last!], pastDueBalance: balance,
                         predictedCash: predictedCash, collectedCash: collectedCash)
        }
    }
}
