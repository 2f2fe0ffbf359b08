import Features
import LinearAlgebra
import Models
import Receivables

/// The call-effect model's randomised design: the queue's logged selections (selections.csv), where whether an
/// account was called was decided by a known draw, so the effect of placing a call is learnt without a propensity
/// model.
///
/// Examples are the logged (day, account) rows whose H-day outcome lies inside the data and whose account had a
/// past-due balance that day; features as of the day (only rows dated before it), label the collected share of that
/// balance within H (`CashShareLabels`). Treatment `called` = 1 for `priority` and `explore` rows, 0 for `holdout`
/// rows. Each row is weighted by the inverse of the probability of its logged selection before the holdout draw
/// (q for a held-out row, (1 − q) × the printed probability for a called one: `SelectionLog.unconditionalProbability`),
/// normalised within its arm to the arm's share of rows (not times the balance, as the observational fit is: with the
/// explore draws' large weights, heavy-tailed balances left effective sample sizes of 8 to 23 called rows out of 750 in
/// the closed loop; the priority multiplies the share by the balance anyway). Both arms then stand for the
/// same population (every eligible candidate of the logged days), the called arm through its picks by rank and its
/// explore draws, the other through the uniform holdout, so the weighted fit is unbiased where the model is right.
/// Without held-out rows there is no untreated arm and the history's calls are used instead (the caller says so).
struct LoggedCallEffect {
    /// Fewest usable logged rows in each arm for the randomised design.
    static let minimumArm = 30

    var table: FeatureTable
    var examples: CashShareLabels
    /// Per example: 1 when called, and the normalised weight.
    var called: [Double]
    var weights: [Double]
    /// Per example: the logged selection's probability before the holdout draw.
    var probabilities: [Double]

    /// The usable examples of `log`, or the reason there are too few.
    static func examples(_ log: SelectionLog, builder: FeatureBuilder, horizonDays: Int) -> Result<LoggedCallEffect, Reason> {
        let entries = log.entries
        guard !entries.isEmpty else { return .failure(Reason("selections.csv is empty")) }
        let table = builder.features(of: entries.map(\.customer), asOf: entries.map(\.asOf))
        let labels = builder.labels(for: table, horizonDays: horizonDays)
        let observed = entries.indices.filter { labels.horizonObserved[$0] }
        let examples = CashShareLabels(table: table, labels: labels, rows: observed)
        let holdout = Dictionary(uniqueKeysWithValues: log.days.map { ($0, log.holdoutProbability(on: $0)) })
        let called = examples.rows.map { entries[$0].called ? 1.0 : 0.0 }
        let calledCount = Int(called.reduce(0, +)), heldCount = called.count - calledCount
        guard calledCount >= minimumArm, heldCount >= minimumArm else {
            return .failure(Reason("selections.csv has \(calledCount) called and \(heldCount) held-out rows with a past-due "
                + "balance and a \(horizonDays)-day outcome inside the data, fewer than \(minimumArm) in an arm"))
        }
        let probabilities = examples.rows.map { log.unconditionalProbability(of: entries[$0], holdout: holdout[entries[$0].asOf]!) }
        return .success(LoggedCallEffect(table: table, examples: examples, called: called,
                                         weights: weights(probabilities, called: called),
                                         probabilities: probabilities))
    }

    /// Inverse-probability weights normalised per arm to the arm's share of rows (they sum to the row count).
    static func weights(_ probabilities: [Double], called: [Double]) -> [Double] {
        var inverseSums = [0.0, 0.0], counts = [0.0, 0.0]
        for i in called.indices {
            inverseSums[Int(called[i])] += 1 / probabilities[i]
            counts[Int(called[i])] += 1
        }
        return called.indices.map { i in
            let arm = Int(called[i])
            return (1 / probabilities[i]) / inverseSums[arm] * counts[arm]
        }
    }

    /// Kish's effective sample size (Σw)² / Σw² of the weights of one arm.
    func effectiveSampleSize(calledArm: Bool) -> Double {
        let arm = weights.indices.filter { (called[$0] == 1) == calledArm }.map { weights[$0] }
        let squares = arm.reduce(0) { $0 + $1 * $1 }
        return squares > 0 ? arm.reduce(0, +) * arm.reduce(0, +) / squares : 0
    }

    /// A reason the randomised design was not used.
    struct Reason: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
