import LinearAlgebra

/// The logistic objective of rows split over shards: each evaluation sums the shards'
/// `LogisticShardStatistics` (the driver's sum) and adds the L2 penalty once, so `NewtonSolver` runs on it
/// exactly as on the one-machine `LogisticObjective` (same convergence test, step halving and stopping).
///
/// In a cluster each shard's statistics come from another process; here they are computed in turn.
public final class ShardedLogisticObjective: NewtonObjective {
    /// One standardised design (global moments), labels and weights per shard.
    let shards: [(design: StandardizedDesign, labels: [Double], weights: [Double])]
    /// Ridge strength on the non-intercept coefficients.
    public let l2: Double
    public let gradientScale: Double
    public let parameterCount: Int

    init(shards: [(design: StandardizedDesign, labels: [Double], weights: [Double])], l2: Double) {
        self.shards = shards
        self.l2 = l2
        self.gradientScale = shards.reduce(0) { $0 + $1.weights.reduce(0, +) }
        self.parameterCount = shards[0].design.columns
    }

    /// The shards' summed statistics at `parameters`.
    func statistics(at parameters: [Double], withHessian: Bool) -> LogisticShardStatistics {
        shards.map {
            LogisticShardStatistics(design: $0.design, labels: $0.labels, weights: $0.weights, parameters: parameters,
                                    withHessian: withHessian)
        }.dropFirst().reduce(into: LogisticShardStatistics(
            design: shards[0].design, labels: shards[0].labels, weights: shards[0].weights, parameters: parameters,
            withHessian: withHessian)) { $0 = $0.adding($1) }
    }

    /// The L2 penalty on the non-intercept parameters.
    func penalty(_ parameters: [Double]) -> Double {
        guard l2 > 0 else { return 0 }
        return 0.5 * l2 * parameters.dropFirst().reduce(0) { $0 + $1 * $1 }
    }

    public func value(at parameters: [Double]) -> Double {
        statistics(at: parameters, withHessian: false).loss + penalty(parameters)
    }

    public func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double {
        let sums = statistics(at: parameters, withHessian: true)
        Self.penalise(sums, parameters, l2: l2, gradient: &gradient, hessian: &hessian)
        return sums.loss + penalty(parameters)
    }

    public func valueAndGradient(at parameters: [Double], gradient: inout [Double]) -> Double {
        let sums = statistics(at: parameters, withHessian: false)
        var unused = Matrix(rows: 0, columns: 0)
        Self.penalise(sums, parameters, l2: l2, gradient: &gradient, hessian: &unused)
        return sums.loss + penalty(parameters)
    }

    /// The driver's step: the summed gradient (and Hessian, when shipped) plus the penalty's (intercept unpenalised).
    static func penalise(_ sums: LogisticShardStatistics, _ parameters: [Double], l2: Double,
                         gradient: inout [Double], hessian: inout Matrix) {
        let q = parameters.count
        gradient = sums.gradient
        if l2 > 0 { for j in 1..<q { gradient[j] += l2 * parameters[j] } }
        guard !sums.hessian.isEmpty else { return }
        hessian = Matrix(rows: q, columns: q)
        hessian.storage = sums.hessian
        if l2 > 0 { for j in 1..<q { hessian[j, j] += l2 } }
    }
}

/// The Cox objective of rows split over shards: each evaluation sums the shards' `CoxShardStatistics`
/// over the global event times and evaluates them on the driver (`CoxStatisticsEvaluation`).
public final class ShardedCoxObjective: NewtonObjective {
    /// One standardised design (global moments), durations, events and weights per shard.
    let shards: [(design: StandardizedDesign, durations: [Double], events: [Bool], weights: [Double])]
    /// The distinct event times of all shards, ascending.
    public let eventTimes: [Double]
    public let ties: CoxRegression.Ties
    public let l2: Double
    /// `1e-150 ×` the smallest positive weight of any shard (as `CoxObjective`).
    let domainFloor: Double
    public let gradientScale: Double
    public let parameterCount: Int

    init(shards: [(design: StandardizedDesign, durations: [Double], events: [Bool], weights: [Double])],
         ties: CoxRegression.Ties, l2: Double) {
        self.shards = shards
        self.ties = ties
        self.l2 = l2
        self.parameterCount = shards[0].design.kept.count
        self.eventTimes = CoxShardStatistics.mergedEventTimes(shards.map {
            CoxShardStatistics.eventTimes(durations: $0.durations, events: $0.events, weights: $0.weights)
        })
        let smallestWeight = shards.flatMap { $0.weights.filter { $0 > 0 } }.min() ?? 1
        self.domainFloor = 1e-150 * smallestWeight
        self.gradientScale = shards.reduce(0) { total, shard in
            total + zip(shard.events, shard.weights).reduce(0) { $0 + ($1.0 && $1.1 > 0 ? $1.1 : 0) }
        }
    }

    /// The shards' summed statistics at `parameters`.
    func statistics(at parameters: [Double]) -> CoxShardStatistics {
        let perShard = shards.map {
            CoxShardStatistics(design: $0.design, durations: $0.durations, events: $0.events, weights: $0.weights,
                               eventTimes: eventTimes, parameters: parameters)
        }
        return perShard.dropFirst().reduce(perShard[0]) { $0.adding($1) }
    }

    /// The driver's evaluation at `parameters`.
    func evaluation(at parameters: [Double]) -> CoxStatisticsEvaluation {
        CoxStatisticsEvaluation(statistics(at: parameters), parameters: parameters, ties: ties, l2: l2,
                                domainFloor: domainFloor)
    }

    public func value(at parameters: [Double]) -> Double { evaluation(at: parameters).value }

    public func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double {
        let result = evaluation(at: parameters)
        gradient = result.gradient
        hessian = result.hessian
        return result.value
    }
}
