import Bundles
import CivilTime
import Features
import LinearAlgebra
import Metrics
import Models
import Receivables

/// Fits the call-effect model (`CallEffectModel`) from the history: snapshots whose account was reached (a right-party
/// contact in the `treatmentDays` days after T) against those that were not, adjusted for what drove the past calling.
///
/// 1. Examples: the cash-share rows (past-due balance B > 0 at T) of the training snapshots, label share = collected
///    past-due cash within H / B. (Weekly snapshots were tried for more reached examples: in the closed loop they
///    made the lift world's ranking worse and unstable, 0.75× aging against 1.27× with the training snapshots.)
/// 2. Propensity e(x) = P(reached | x): L2 logistic regression on the account features, clipped to
///    [`propensityFloor`, 1 − `propensityFloor`].
/// 3. Outcome: fractional logistic regression of the share on x, `reached` and `reached × z` (z = `interactions`),
///    weighted by B / mean(B) × the stabilised inverse-propensity weight (p̄ / e for reached rows, (1 − p̄) / (1 − e)
///    otherwise, p̄ the reached share), with the pay model's l2: the interactions are shrunk where the data cannot tell.
///    With sampled training snapshots (`rowWeight`), the propensity and outcome weights are multiplied by 1/π.
/// 4. Diagnostics (bundle.json `call_effect`): arm sizes, propensity range, clipped share, effective sample sizes,
///    mean effect, and the holdout Qini coefficient of B × effect against the collected cash.
struct CallEffectTrainer {
    static let treatmentDays = FeatureBuilder.reachedWithinDays
    static let propensityFloor = 0.02
    /// Fewest snapshots in each arm for a fit.
    static let minimumArm = 50
    /// The account features whose effect on the call's lift is modelled (the rest shift only the baseline).
    static let interactions: [Feature] = [
        .log1pPastDueBalance, .log1pMaxDaysPastDue, .share91Plus, .averageDaysLate, .sharePaidLate, .paymentsCount90d,
        .log1pDaysSinceLastPayment, .hasPaidBefore, .promisesKept, .promisesBroken, .promiseKeptRatio, .rpcRate90d,
        .refused90d, .log1pPaymentAmount90d, .tenureDays,
    ]

    let builder: FeatureBuilder
    let table: FeatureTable
    let labels: PaymentLabels
    let l2: Double
    let newton: NewtonOptions
    /// The sampling weight 1/π of every training snapshot row (`SnapshotRowSampling`), or nil when every row was kept:
    /// it multiplies the propensity and outcome weights of the observational design.
    var rowWeight: Double? = nil

    /// The fitted model and its diagnostics, or the reason there is none.
    enum Outcome {
        case fitted(CallEffectModel, CallEffectDiagnostics)
        case fallback(String)
    }

    /// The holdout rows the Qini coefficient is computed on: a snapshot table, its labels and the evaluated rows.
    typealias Holdout = (table: FeatureTable, labels: PaymentLabels, rows: [Int])

    /// Fits on the logged selections when they hold both arms (the randomised design, `LoggedCallEffect`), otherwise on
    /// the history's right-party contacts with a propensity model (saying why a log that is present was not used).
    /// With `holdout` nil the diagnostics have no Qini yet (training adds it with `holdoutQini(_:_:builder:)` once the
    /// training snapshots are released and the holdout is built).
    func fit(trainingRows: [Int], holdout: Holdout?,
             selections: SelectionLog? = nil) throws -> Outcome {
        var note: String?
        if let selections {
            switch LoggedCallEffect.examples(selections, builder: builder, horizonDays: labels.horizonDays) {
            case .success(let logged): return try fitRandomized(logged, holdout: holdout)
            case .failure(let reason): note = reason.text + "; the effect is learnt from the history's calls instead"
            }
        }
        return try fitObservational(trainingRows: trainingRows, holdout: holdout, note: note)
    }

    /// The randomised design: `called` against held out, weighted by the logged selection probabilities.
    func fitRandomized(_ logged: LoggedCallEffect, holdout: Holdout?) throws
        -> Outcome {
        let names = ModelFeatures.accountNames
        let account = try logged.table.matrix(columns: names, rows: logged.examples.rows)
        let model = try fitOutcome(account, treatment: .called, treated: logged.called, shares: logged.examples.shares,
                                   weights: logged.weights)
        let calledCount = Int(logged.called.reduce(0, +))
        var diagnostics = CallEffectDiagnostics(
            treatmentDays: 1, reachedSnapshots: calledCount, unreachedSnapshots: logged.called.count - calledCount,
            propensityFloor: 0, propensityMinimum: logged.probabilities.min() ?? 0,
            propensityMaximum: logged.probabilities.max() ?? 0, clippedShare: 0,
            effectiveSampleSizeReached: logged.effectiveSampleSize(calledArm: true),
            effectiveSampleSizeUnreached: logged.effectiveSampleSize(calledArm: false),
            meanEffect: try meanEffect(model, account),
            holdoutQini: try holdout.flatMap { try Self.holdoutQini(model, $0, builder: builder) })
        diagnostics.design = CallEffectDiagnostics.randomized
        return .fitted(model, diagnostics)
    }

    /// The observational design: reached against not reached, adjusted by a propensity model.
    func fitObservational(trainingRows: [Int], holdout: Holdout?,
                          note: String?) throws -> Outcome {
        let examples = CashShareLabels(table: table, labels: labels, rows: trainingRows)
        let reached = reachedLabels(examples.rows)
        let reachedCount = Int(reached.reduce(0, +))
        guard reachedCount >= Self.minimumArm, examples.count - reachedCount >= Self.minimumArm else {
            return .fallback("call_effect: \(reachedCount) reached and \(examples.count - reachedCount) unreached training "
                + "snapshots, fewer than \(Self.minimumArm) in an arm; incremental_cash falls back to expected cash"
                + (note.map { " (\($0))" } ?? ""))
        }
        let names = ModelFeatures.accountNames
        let account = try table.matrix(columns: names, rows: examples.rows)
        let propensity = try LogisticRegression.fit(features: account, featureNames: names, labels: reached,
                                                    weights: rowWeight.map { [Double](repeating: $0, count: reached.count) },
                                                    options: .init(l2: l2, newton: newton, computeTrainingMetrics: false))
        // The fit drops constant columns: score with the features it kept.
        let raw = try propensity.probabilities(propensity.features == names ? account
                                                   : try table.matrix(columns: propensity.features, rows: examples.rows))
        let weights = inversePropensityWeights(raw, reached: reached, balances: examples.balances)
        let model = try fitOutcome(account, treatment: .reached, treated: reached, shares: examples.shares,
                                   weights: rowWeight.map { rowWeight in weights.weights.map { $0 * rowWeight } } ?? weights.weights)
        var diagnostics = CallEffectDiagnostics(
            treatmentDays: Self.treatmentDays, reachedSnapshots: reachedCount, unreachedSnapshots: examples.count - reachedCount,
            propensityFloor: Self.propensityFloor, propensityMinimum: raw.min() ?? 0, propensityMaximum: raw.max() ?? 0,
            clippedShare: weights.clippedShare, effectiveSampleSizeReached: weights.essReached,
            effectiveSampleSizeUnreached: weights.essUnreached,
            meanEffect: try meanEffect(model, account),
            holdoutQini: try holdout.flatMap { try Self.holdoutQini(model, $0, builder: builder) })
        diagnostics.design = CallEffectDiagnostics.observational
        diagnostics.note = note
        return .fitted(model, diagnostics)
    }

    /// The weighted fractional logistic fit of the share on the account features, the treatment and its interactions
    /// with `interactions` (those constant here are left out: they would be collinear with the treatment).
    func fitOutcome(_ account: Matrix, treatment: CallEffectModel.Treatment, treated: [Double], shares: [Double],
                    weights: [Double]) throws -> CallEffectModel {
        let names = ModelFeatures.accountNames
        let interactions = Self.interactions.filter { feature in
            let column = names.firstIndex(of: feature.name)!
            let values = (0..<account.rows).map { account.storage[$0 * account.columns + column] }
            return values.min() != values.max()
        }
        let outcomeNames = names + [treatment.feature] + interactions.map { treatment.interactionPrefix + $0.name }
        let design = try treatmentDesign(account, names: names, reached: treated, interactions: interactions)
        let outcome = try LogisticRegression.fit(features: design, featureNames: outcomeNames, labels: shares,
                                                 weights: weights, options: .init(l2: l2, newton: newton, targets: .shares))
        return try CallEffectModel(outcome: outcome, source: "call_effect")
    }

    /// The mean effect over the rows of `account` (the fit's examples).
    func meanEffect(_ model: CallEffectModel, _ account: Matrix) throws -> Double {
        let effects = try model.effects(try account.selectingColumns(of: ModelFeatures.accountNames, as: model.accountFeatures))
        return effects.reduce(0, +) / Double(max(1, effects.count))
    }

    /// 1 when the snapshot's customer had a right-party contact in [T, T + treatmentDays), else 0.
    func reachedLabels(_ rows: [Int]) -> [Double] { Self.reachedLabels(rows, of: table, builder: builder) }

    static func reachedLabels(_ rows: [Int], of table: FeatureTable, builder: FeatureBuilder) -> [Double] {
        builder.reachedLabels(rows, of: table, withinDays: treatmentDays)
    }

    /// Balance × stabilised inverse-propensity weights (normalised to mean balance 1), with the arms' effective sizes.
    func inversePropensityWeights(_ propensity: [Double], reached: [Double], balances: [Double])
        -> (weights: [Double], clippedShare: Double, essReached: Double, essUnreached: Double) {
        let floor = Self.propensityFloor
        let share = reached.reduce(0, +) / Double(reached.count)
        let meanBalance = balances.reduce(0, +) / Double(balances.count)
        var clipped = 0
        var sums = [(0.0, 0.0), (0.0, 0.0)]
        let weights = propensity.indices.map { i -> Double in
            let e = min(1 - floor, max(floor, propensity[i]))
            if e != propensity[i] { clipped += 1 }
            let arm = reached[i] == 1 ? 1 : 0
            let w = balances[i] / meanBalance * (arm == 1 ? share / e : (1 - share) / (1 - e))
            sums[arm].0 += w
            sums[arm].1 += w * w
            return w
        }
        let ess = { (arm: Int) in sums[arm].1 > 0 ? sums[arm].0 * sums[arm].0 / sums[arm].1 : 0 }
        return (weights, Double(clipped) / Double(max(1, propensity.count)), ess(1), ess(0))
    }

    /// The outcome model's design: the account features, the treatment and its interactions.
    func treatmentDesign(_ account: Matrix, names: [String], reached: [Double], interactions: [Feature]) throws -> Matrix {
        let interactionColumns = interactions.map { names.firstIndex(of: $0.name)! }
        let width = account.columns + 1 + interactionColumns.count
        var storage = [Double](repeating: 0, count: account.rows * width)
        for row in 0..<account.rows {
            let base = row * account.columns, out = row * width, t = reached[row]
            for column in 0..<account.columns { storage[out + column] = account.storage[base + column] }
            storage[out + account.columns] = t
            for (k, column) in interactionColumns.enumerated() { storage[out + account.columns + 1 + k] = t * account.storage[base + column] }
        }
        return try Matrix(rows: account.rows, columns: width, rowMajor: storage)
    }

    /// Qini coefficient on the holdout rows with a past-due balance: score B × effect, outcome the collected past-due
    /// cash, treated = reached; nil when an arm is missing or the coefficient is undefined.
    static func holdoutQini(_ model: CallEffectModel, _ holdout: Holdout, builder: FeatureBuilder) throws -> Double? {
        let examples = CashShareLabels(table: holdout.table, labels: holdout.labels, rows: holdout.rows)
        guard examples.count > 0 else { return nil }
        let reached = Self.reachedLabels(examples.rows, of: holdout.table, builder: builder).map { $0 == 1 }
        let effects = try model.effects(try holdout.table.matrix(columns: model.accountFeatures, rows: examples.rows))
        let scores = zip(effects, examples.balances).map { $0 * $1 }
        let cash = zip(examples.shares, examples.balances).map { $0 * $1 }
        return try? UpliftMetrics.qiniCoefficient(scores: scores, outcomes: cash, treated: reached)
    }
}
