#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import LinearAlgebra

/// The driver's side of a distributed Cox step: the exact penalised negative log partial likelihood, its
/// gradient and Hessian from the shards' summed `CoxShardStatistics`.
///
/// Walking the event times in descending order, the risk-set sums `S₀, S₁, S₂` are suffix sums of the
/// buckets, and each time contributes as in `CoxObjective` (same formulas, same Efron sums
/// `CoxObjective.efronTerms`): Breslow or a single event `W·log S₀`, gradient `(W/S₀)·S₁`, Hessian
/// `(W/S₀)·S₂ − (W/S₀²)·S₁S₁ᵀ`; Efron with `d > 1` tied events, with `m = W/d`, `A = m·Σ1/D_k`,
/// `B = m·Σc_k/D_k`: `m·Σ log D_k`, gradient `A·S₁ − B·T₁`, Hessian
/// `A·S₂ − B·T₂ − (αS₁S₁ᵀ − β(S₁T₁ᵀ + T₁S₁ᵀ) + γT₁T₁ᵀ)`. As on one machine, a risk-set denominator
/// below `domainFloor` gives +∞ and a non-finite linear predictor NaN.
public struct CoxStatisticsEvaluation {
    /// Penalised objective `−ℓ(β) + (l2/2)·‖β‖²`.
    public var value: Double
    /// Its gradient, `p` values.
    public var gradient: [Double]
    /// Its Hessian, `p × p`.
    public var hessian: Matrix
    /// Breslow's baseline increments `W_t / Σ_{tᵢ ≥ t} wᵢe^{ηᵢ}` per event time (ascending), for the model.
    public var baselineIncrements: [Double]
    /// Number of events (of non-zero weight) and their total weight.
    public var events: Int
    public var eventWeight: Double

    /// Evaluates at `parameters` from the summed statistics.
    public init(_ statistics: CoxShardStatistics, parameters beta: [Double], ties: CoxRegression.Ties, l2: Double,
                domainFloor: Double) {
        let p = statistics.parameterCount, size = CoxShardStatistics.blockSize(p)
        let times = statistics.eventCounts.count
        gradient = [Double](repeating: .nan, count: p)
        hessian = Matrix(rows: p, columns: p)
        baselineIncrements = []
        events = statistics.eventCounts.reduce(0, +)
        eventWeight = statistics.eventWeights.reduce(0, +)
        guard statistics.finite else {
            value = .nan
            return
        }
        var sums = RiskSetSums(p: p)
        var logLikelihood = zip(beta, statistics.eventFeatureSum).reduce(0) { $0 + $1.0 * $1.1 }
        var grad = statistics.eventFeatureSum.map { -$0 }
        var packed = [Double](repeating: 0, count: p * (p + 1) / 2)
        var smallest = Double.infinity, increments = [Double](repeating: 0, count: times)
        for k in stride(from: times - 1, through: 0, by: -1) {
            sums.add(statistics.bucket, at: k * size)
            let d = statistics.eventCounts[k], weight = statistics.eventWeights[k]
            guard d > 0 else { continue }
            increments[k] = exp(log(weight) - log(sums.s0) - statistics.shift)
            if ties == .breslow || d == 1 {
                smallest = min(smallest, sums.s0)
                logLikelihood -= weight * log(sums.s0)
                sums.addSingleTerm(weight: weight, gradient: &grad, hessian: &packed)
            } else {
                let tied = RiskSetSums(statistics.ties, at: k * size, p: p)
                smallest = min(smallest, sums.s0 - Double(d - 1) / Double(d) * tied.s0)
                let terms = CoxObjective.efronTerms(events: d, s0: sums.s0, t0: tied.s0)
                let mean = weight / Double(d)
                logLikelihood -= mean * terms.logSum
                sums.addEfron(tied, mean: mean, terms: terms, gradient: &grad, hessian: &packed)
            }
        }
        baselineIncrements = increments.filter { $0 > 0 }
        guard smallest >= domainFloor else {
            value = .infinity
            return
        }
        logLikelihood -= eventWeight * statistics.shift
        var index = 0
        for j in 0..<p {
            for k in j..<p {
                hessian[j, k] = packed[index]
                hessian[k, j] = packed[index]
                index += 1
            }
        }
        let penalty = l2 > 0 ? 0.5 * l2 * beta.reduce(0) { $0 + $1 * $1 } : 0
        if l2 > 0 {
            for j in 0..<p {
                grad[j] += l2 * beta[j]
                hessian[j, j] += l2
            }
        }
        gradient = grad
        value = -logLikelihood + penalty
    }
}

/// Running `S₀, S₁, S₂` (packed upper) of a risk set, or one block of tie sums.
private struct RiskSetSums {
    var s0 = 0.0
    var s1: [Double]
    var s2: [Double]

    init(p: Int) {
        s1 = [Double](repeating: 0, count: p)
        s2 = [Double](repeating: 0, count: p * (p + 1) / 2)
    }

    /// The block of sums at `offset` in `sums`.
    init(_ sums: [Double], at offset: Int, p: Int) {
        self.init(p: p)
        add(sums, at: offset)
    }

    /// Adds the block at `offset`.
    mutating func add(_ sums: [Double], at offset: Int) {
        s0 += sums[offset]
        for j in s1.indices { s1[j] += sums[offset + 1 + j] }
        let base = offset + 1 + s1.count
        for j in s2.indices { s2[j] += sums[base + j] }
    }

    /// One term (Breslow, or a single event) of weight W: gradient `(W/S₀)S₁`, Hessian `(W/S₀)S₂ − (W/S₀²)S₁S₁ᵀ`.
    func addSingleTerm(weight: Double, gradient: inout [Double], hessian: inout [Double]) {
        let a = weight / s0, alpha = weight / (s0 * s0), p = s1.count
        for j in 0..<p { gradient[j] += a * s1[j] }
        var index = 0
        for j in 0..<p {
            for k in j..<p {
                hessian[index] += a * s2[index] - alpha * s1[j] * s1[k]
                index += 1
            }
        }
    }

    /// Efron's terms of a tied group with tie sums `tied`, mean event weight `mean`.
    func addEfron(_ tied: RiskSetSums, mean: Double, terms: CoxObjective.EfronTerms, gradient: inout [Double],
                  hessian: inout [Double]) {
        let a = mean * terms.a, b = mean * terms.b
        let alpha = mean * terms.aa, beta = mean * terms.ab, gamma = mean * terms.bb
        let p = s1.count, t1 = tied.s1
        for j in 0..<p { gradient[j] += a * s1[j] - b * t1[j] }
        var index = 0
        for j in 0..<p {
            for k in j..<p {
                let rankOne = alpha * s1[j] * s1[k] - beta * (s1[j] * t1[k] + t1[j] * s1[k]) + gamma * t1[j] * t1[k]
                hessian[index] += a * s2[index] - b * tied.s2[index] - rankOne
                index += 1
            }
        }
    }
}
