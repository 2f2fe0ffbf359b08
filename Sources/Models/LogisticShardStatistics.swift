import LinearAlgebra

/// What one shard contributes to a logistic Newton step: its unpenalised log-loss, gradient and Hessian.
///
/// At standardised parameters `β` (intercept first), over the shard's rows:
/// `loss = Σᵢ wᵢ·[log(1 + e^ηᵢ) − yᵢηᵢ]`, `gradient = Zᵀ(w∘(μ − y))`, `hessian = Zᵀ·diag(w∘μ∘(1−μ))·Z`
/// (full symmetric, row-major `q × q`, `q` = kept features + 1). All three add across shards; the driver
/// adds the L2 penalty once. The sums are `LogisticObjective`'s own (the same code, `l2 = 0`), so a sum
/// over shards equals the one-machine evaluation up to the order of additions.
public struct LogisticShardStatistics: Codable, Equatable, Sendable {
    /// `Σ wᵢ·[log(1 + e^ηᵢ) − yᵢηᵢ]`.
    public var loss: Double
    /// `Zᵀ(w∘(μ − y))`, `q` values.
    public var gradient: [Double]
    /// `Zᵀ·diag(w∘μ∘(1−μ))·Z`, row-major `q × q` (empty when only the value and gradient were asked for).
    public var hessian: [Double]

    public init(loss: Double, gradient: [Double], hessian: [Double]) {
        self.loss = loss
        self.gradient = gradient
        self.hessian = hessian
    }

    /// The shard's sums at `parameters` (with the Hessian when `withHessian`).
    /// - Precondition: `parameters.count == design.columns`; labels and weights have `design.rows` values.
    public init(design: StandardizedDesign, labels: [Double], weights: [Double], parameters: [Double],
                withHessian: Bool = true) {
        let objective = LogisticObjective(design: design, labels: labels, weights: weights, l2: 0)
        var gradient = [Double](repeating: 0, count: design.columns)
        if withHessian {
            var hessian = Matrix(rows: design.columns, columns: design.columns)
            loss = objective.evaluate(at: parameters, gradient: &gradient, hessian: &hessian)
            self.hessian = hessian.storage
        } else {
            loss = objective.valueAndGradient(at: parameters, gradient: &gradient)
            hessian = []
        }
        self.gradient = gradient
    }

    /// The sums of `self` and `other`.
    /// - Precondition: the same parameter count and both with or both without a Hessian.
    public func adding(_ other: LogisticShardStatistics) -> LogisticShardStatistics {
        precondition(gradient.count == other.gradient.count && hessian.count == other.hessian.count,
                     "statistics of different shapes")
        return LogisticShardStatistics(
            loss: loss + other.loss, gradient: zip(gradient, other.gradient).map { $0 + $1 },
            hessian: zip(hessian, other.hessian).map { $0 + $1 })
    }
}
