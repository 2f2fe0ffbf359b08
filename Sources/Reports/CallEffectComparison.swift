import Bundles
import Evaluation
import Features
import Metrics
import Receivables
import Scoring

/// compare's call-effect section for one bundle (`ComparisonResult.CallEffectMetrics`): the Qini curve and coefficient
/// and uplift@k of its call values on the holdout, and the off-policy value of its policy from the logged selections.
struct CallEffectComparison {
    var builder: FeatureBuilder
    var export: ReceivablesExport
    var set: HoldoutSet
    var policy: QueuePolicy
    /// The share of holdout rows uplift@k takes.
    var topShare: Double
    var log: OffPolicyLog?

    func evaluate(_ bundle: ModelBundle) throws -> ComparisonResult.CallEffectMetrics {
        let examples = set.cashShare
        let scored = try AccountScorer.score(set.table, bundle: bundle, expectedDaysHorizon: policy.expectedDaysHorizon)
        let values = examples.rows.indices.map { i in
            let row = examples.rows[i]
            return QueuePriority.incrementalCash.value(of: .init(
                pastDue: examples.balances[i], maxDaysPastDue: 0, pPay: scored.pPay[row], cashShare: scored.cashShare[row],
                pContact: scored.pContact[row], callEffect: scored.callEffect?[row], callEffectIsPerCall: scored.callEffectIsPerCall))
        }
        let cash = zip(examples.shares, examples.balances).map { $0 * $1 }
        let reached = builder.reachedLabels(examples.rows, of: set.table, withinDays: FeatureBuilder.reachedWithinDays).map { $0 == 1 }
        let curve = (try? UpliftMetrics.qiniCurve(scores: values, outcomes: cash, treated: reached)) ?? []
        return .init(
            value: Self.valueName(bundle), examples: examples.count, reached: reached.filter { $0 }.count,
            qini: try? UpliftMetrics.qiniCoefficient(scores: values, outcomes: cash, treated: reached),
            qiniCurve: BundleComparison.thin(curve, to: 200), topShare: topShare,
            upliftAtTop: try? UpliftMetrics.upliftAtK(scores: values, outcomes: cash, treated: reached, top: .share(topShare),
                                                      strategy: .overall),
            offPolicy: try log?.value(of: bundle, policy: policy, builder: builder, export: export))
    }

    /// What the bundle's call value is made of.
    static func valueName(_ bundle: ModelBundle) -> String {
        guard let model = bundle.callEffect else { return "expected cash (no call-effect model)" }
        return model.effectIsPerCall ? "call_effect (randomized, per call)" : "call_effect (observational, per contact)"
    }
}
