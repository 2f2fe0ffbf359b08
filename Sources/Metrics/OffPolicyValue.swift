/// One off-policy estimate of a policy's value with its standard error and 95% interval.
public struct PolicyValueEstimate: Codable, Equatable, Sendable {
    /// The estimated mean outcome per example under the evaluated policy (e.g. cash per account).
    public var value: Double
    /// The estimate's standard error (see ``OffPolicyValue`` for the variance formula).
    public var standardError: Double
    /// `value − 1.959963984540054·standardError`.
    public var lower95: Double
    /// `value + 1.959963984540054·standardError`.
    public var upper95: Double

    /// Creates an estimate and its normal 95% interval from a value and a standard error.
    public init(value: Double, standardError: Double) {
        self.value = value
        self.standardError = standardError
        self.lower95 = value - DeLong.z95 * standardError
        self.upper95 = value + DeLong.z95 * standardError
    }
}

/// The value of an evaluated policy estimated from examples logged under another policy.
public struct OffPolicyEstimate: Codable, Equatable, Sendable {
    /// Self-normalised inverse propensity scoring: `Σ wᵢyᵢ / Σ wᵢ`.
    public var selfNormalized: PolicyValueEstimate
    /// Plain inverse propensity scoring: `Σ wᵢyᵢ / n`.
    public var inversePropensity: PolicyValueEstimate
    /// Number of logged examples `n`.
    public var examples: Int
    /// `Σ wᵢ` (its expectation is `n` when the logging propensities are right).
    public var weightSum: Double
    /// Kish's effective sample size `(Σ wᵢ)² / Σ wᵢ²`, in examples (`n` when every weight is equal).
    public var effectiveSampleSize: Double
}

/// Off-policy evaluation by inverse propensity scoring: the mean outcome a new policy would get,
/// from examples logged under an old one (e.g. cash per account if accounts were called by the new
/// rule, from a history of calls made by the old one).
///
/// Per logged example `i`: the outcome `yᵢ` (any finite real, e.g. cash), the logging propensity
/// `π_log(aᵢ|xᵢ)` of the action actually taken (in `(0, 1]`) and the evaluated policy's
/// probability `π_new(aᵢ|xᵢ)` of that same action (in `[0, 1]`; 1 or 0 for a deterministic
/// policy that would or would not take it). The importance weight is `wᵢ = π_new / π_log`.
///
/// - SNIPS: `V = Σ wᵢyᵢ / Σ wᵢ`. Standard error by the delta method for a ratio estimator,
///   `Var ≈ (1/n)·mean(wᵢ²(yᵢ − V)²) / mean(wᵢ)² = Σ wᵢ²(yᵢ − V)² / (Σ wᵢ)²`.
/// - IPS: `V = Σ wᵢyᵢ / n`, `Var = (1/n)·mean((wᵢyᵢ − V)²)` (the plug-in variance, divisor `n`).
/// - Both intervals are normal: `V ± 1.959963984540054·SE` (95%, ``DeLong/z95``), not a bootstrap.
/// - Sums are compensated, taken in input order.
///
/// Inputs are checked in this order: lengths of the propensity arrays against `outcomes`
/// (``MetricsError/lengthMismatch(argument:expected:actual:)``); no examples
/// (``MetricsError/empty``); element by element, in index order, a non-finite outcome or propensity
/// (``MetricsError/nonFiniteElement(argument:index:)``), a logging propensity outside `(0, 1]` or an
/// evaluated one outside `[0, 1]` (``MetricsError/outOfRange(argument:index:value:allowed:)``);
/// finally, all weights zero (the evaluated policy takes none of the logged actions: SNIPS is 0/0,
/// ``MetricsError/empty``).
public enum OffPolicyValue {
    /// SNIPS and IPS estimates from the evaluated policy's probability of each logged action
    /// (`targetPropensities[i] = π_new(aᵢ|xᵢ)`); see ``OffPolicyValue``.
    public static func estimate(
        outcomes: [Double], loggingPropensities: [Double], targetPropensities: [Double]
    ) throws -> OffPolicyEstimate {
        let weights = try importanceWeights(
            outcomes: outcomes, loggingPropensities: loggingPropensities, targetPropensities: targetPropensities)
        return try estimate(outcomes: outcomes, weights: weights)
    }

    /// SNIPS and IPS estimates of a deterministic policy: `targetTakesLoggedAction[i]` says whether
    /// it would take the logged action (weight `1/π_log`) or not (weight 0). SNIPS is then the
    /// propensity-weighted mean outcome of the matching examples; see ``OffPolicyValue``.
    public static func estimate(
        outcomes: [Double], loggingPropensities: [Double], targetTakesLoggedAction: [Bool]
    ) throws -> OffPolicyEstimate {
        try estimate(
            outcomes: outcomes, loggingPropensities: loggingPropensities,
            targetPropensities: targetTakesLoggedAction.map { $0 ? 1 : 0 })
    }

    /// The probability of each logged action under a policy that calls with probability
    /// `callProbabilities[i]`: `p` where the example was called, `1 − p` where it was not.
    ///
    /// - Throws: ``MetricsError/lengthMismatch(argument:expected:actual:)`` (`callProbabilities`
    ///   against `called`), ``MetricsError/nonFiniteElement(argument:index:)`` and
    ///   ``MetricsError/outOfRange(argument:index:value:allowed:)`` for a probability outside `[0, 1]`.
    public static func propensitiesOfLoggedActions(called: [Bool], callProbabilities: [Double]) throws -> [Double] {
        guard callProbabilities.count == called.count else {
            throw MetricsError.lengthMismatch(argument: "callProbabilities", expected: called.count, actual: callProbabilities.count)
        }
        return try called.indices.map { i in
            let p = callProbabilities[i]
            guard p.isFinite else { throw MetricsError.nonFiniteElement(argument: "callProbabilities", index: i) }
            guard p >= 0, p <= 1 else {
                throw MetricsError.outOfRange(argument: "callProbabilities", index: i, value: p, allowed: "[0, 1]")
            }
            return called[i] ? p : 1 - p
        }
    }

    /// `π_new / π_log` per example after the checks documented on ``OffPolicyValue`` (all but the
    /// zero total weight).
    static func importanceWeights(
        outcomes: [Double], loggingPropensities: [Double], targetPropensities: [Double]
    ) throws -> [Double] {
        let n = outcomes.count
        guard loggingPropensities.count == n else {
            throw MetricsError.lengthMismatch(argument: "loggingPropensities", expected: n, actual: loggingPropensities.count)
        }
        guard targetPropensities.count == n else {
            throw MetricsError.lengthMismatch(argument: "targetPropensities", expected: n, actual: targetPropensities.count)
        }
        guard n > 0 else { throw MetricsError.empty }
        return try (0..<n).map { i in
            let logging = loggingPropensities[i], target = targetPropensities[i]
            guard outcomes[i].isFinite else { throw MetricsError.nonFiniteElement(argument: "outcomes", index: i) }
            guard logging.isFinite else { throw MetricsError.nonFiniteElement(argument: "loggingPropensities", index: i) }
            guard logging > 0, logging <= 1 else {
                throw MetricsError.outOfRange(argument: "loggingPropensities", index: i, value: logging, allowed: "(0, 1]")
            }
            guard target.isFinite else { throw MetricsError.nonFiniteElement(argument: "targetPropensities", index: i) }
            guard target >= 0, target <= 1 else {
                throw MetricsError.outOfRange(argument: "targetPropensities", index: i, value: target, allowed: "[0, 1]")
            }
            return target / logging
        }
    }

    /// Both estimates from validated outcomes and weights.
    static func estimate(outcomes: [Double], weights: [Double]) throws -> OffPolicyEstimate {
        let n = outcomes.count
        var weightSum = CompensatedSum(), squaredWeightSum = CompensatedSum(), weightedOutcomes = CompensatedSum()
        for i in 0..<n {
            weightSum.add(weights[i])
            squaredWeightSum.add(weights[i] * weights[i])
            weightedOutcomes.add(weights[i] * outcomes[i])
        }
        let totalWeight = weightSum.value
        guard totalWeight > 0 else { throw MetricsError.empty }
        let snips = weightedOutcomes.value / totalWeight
        let ips = weightedOutcomes.value / Double(n)
        var snipsSquares = CompensatedSum(), ipsSquares = CompensatedSum()
        for i in 0..<n {
            let residual = weights[i] * (outcomes[i] - snips)
            snipsSquares.add(residual * residual)
            let deviation = weights[i] * outcomes[i] - ips
            ipsSquares.add(deviation * deviation)
        }
        return OffPolicyEstimate(
            selfNormalized: PolicyValueEstimate(value: snips, standardError: snipsSquares.value.squareRoot() / totalWeight),
            inversePropensity: PolicyValueEstimate(value: ips, standardError: ipsSquares.value.squareRoot() / Double(n)),
            examples: n,
            weightSum: totalWeight,
            effectiveSampleSize: totalWeight * totalWeight / squaredWeightSum.value)
    }
}
