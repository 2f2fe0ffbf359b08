#if canImport(Glibc)
import Glibc
#endif
import LinearAlgebra
import Parallelism

/// The penalised logistic log-loss over a design matrix, with its gradient and Hessian.
///
/// Objective (to minimise): `Σᵢ wᵢ·[log(1 + e^ηᵢ) − yᵢ·ηᵢ] + (l2/2)·Σ_{j≥1} βⱼ²`, with `η = Z·β`.
/// Column 0 of `Z` is the intercept and is not penalised. Gradient `Zᵀ·(w∘(μ − y)) + l2·β₋₀`;
/// Hessian `Zᵀ·diag(w∘μ∘(1−μ))·Z + l2·I₋₀`.
///
/// Evaluation streams over blocks of rows: each block is standardised from the raw features
/// (`StandardizedDesign.fillBlock`), and its linear predictor (DGEMV), residuals and `√d`-scaled
/// rows stay in cache and feed DGEMV (gradient) and DSYRK (Hessian) at once, so the raw table
/// is read once per evaluation. Rows are split into a fixed number of partitions
/// whose partial sums are added in a fixed order, so results do not depend on the core count.
public final class LogisticObjective: NewtonObjective {
    /// Standardised design (intercept column first), produced block by block.
    public let design: StandardizedDesign
    /// Labels in [0, 1]: 0/1 outcomes, or shares for a fractional fit (the same Bernoulli quasi-log-likelihood).
    public let labels: [Double]
    /// Sample weights (≥ 0).
    public let weights: [Double]
    /// Ridge strength on the non-intercept coefficients.
    public let l2: Double
    public let gradientScale: Double
    public var parameterCount: Int { design.columns }

    /// Rows per cache block.
    static let blockRows = 1024
    /// Fixed number of row partitions (independent of the machine, for reproducible sums).
    static let partitionCount = 8

    private let partitions: [Range<Int>]
    private let scratch: [PartitionScratch]

    /// Per-partition buffers, allocated once (stable addresses, no closures to reach them) and reused across
    /// evaluations.
    private final class PartitionScratch: @unchecked Sendable {
        /// Standardised rows of the current block, `blockRows × q`.
        let block: UnsafeMutableBufferPointer<Double>
        /// Linear predictors of the current block.
        let eta: UnsafeMutableBufferPointer<Double>
        /// `wᵢ·(μᵢ − yᵢ)` of the current block.
        let residual: UnsafeMutableBufferPointer<Double>
        /// The block's rows scaled by `√(wᵢ·μᵢ·(1 − μᵢ))`.
        let scaled: UnsafeMutableBufferPointer<Double>
        /// The partition's gradient and Hessian (upper triangle) sums.
        let gradient: UnsafeMutableBufferPointer<Double>
        let hessian: UnsafeMutableBufferPointer<Double>
        var loss = 0.0

        init(blockRows: Int, q: Int) {
            block = .allocate(filledWith: 0, count: blockRows * q)
            eta = .allocate(filledWith: 0, count: blockRows)
            residual = .allocate(filledWith: 0, count: blockRows)
            scaled = .allocate(filledWith: 0, count: blockRows * q)
            gradient = .allocate(filledWith: 0, count: q)
            hessian = .allocate(filledWith: 0, count: q * q)
        }

        deinit {
            for buffer in [block, eta, residual, scaled, gradient, hessian] { buffer.deallocate() }
        }
    }

    /// Read-only views of one evaluation's inputs, valid inside `withInputs`.
    private struct Inputs: @unchecked Sendable {
        /// Raw features, row-major `rows × features.columns`.
        let raw: UnsafeBufferPointer<Double>
        let labels: UnsafeBufferPointer<Double>
        let weights: UnsafeBufferPointer<Double>
        /// The parameters being evaluated.
        let beta: UnsafeBufferPointer<Double>
    }

    /// - Precondition: `labels.count == weights.count == design.rows`.
    public init(design: StandardizedDesign, labels: [Double], weights: [Double], l2: Double) {
        precondition(labels.count == design.rows && weights.count == design.rows)
        self.design = design
        self.labels = labels
        self.weights = weights
        self.l2 = l2
        self.gradientScale = weights.reduce(0, +)
        let n = design.rows
        let count = Self.partitionCount
        self.partitions = (0..<count).map { k in (n * k / count)..<(n * (k + 1) / count) }
        self.scratch = (0..<count).map { _ in PartitionScratch(blockRows: Self.blockRows, q: design.columns) }
    }

    private func penalty(_ parameters: [Double]) -> Double {
        guard l2 > 0 else { return 0 }
        var sum = 0.0
        for j in 1..<max(1, parameters.count) { sum += parameters[j] * parameters[j] }
        return 0.5 * l2 * sum
    }

    /// Runs `body` once per partition on all cores, with OpenBLAS single-threaded inside.
    private func forEachPartition(_ body: @escaping @Sendable (Int) -> Void) {
        BLAS.withSingleThreaded {
            Parallel.perform(partitions.count, body)
        }
    }

    /// Calls `body` with views of the raw features, labels, weights and `parameters`.
    private func withInputs<R>(_ parameters: [Double], _ body: (Inputs) -> R) -> R {
        withUnsafeBuffers(design.features.storage, labels, weights, parameters) { raw, labels, weights, beta in
            body(Inputs(raw: raw, labels: labels, weights: weights, beta: beta))
        }
    }

    public func value(at parameters: [Double]) -> Double {
        nonisolated(unsafe) let context = self
        withInputs(parameters) { inputs in
            forEachPartition { k in context.scratch[k].loss = context.partitionLoss(k, inputs) }
        }
        return scratch.reduce(0) { $0 + $1.loss } + penalty(parameters)
    }

    /// The log-loss of partition `k`'s rows, block by block (no gradient).
    private func partitionLoss(_ k: Int, _ inputs: Inputs) -> Double {
        let partition = partitions[k], work = scratch[k], q = design.columns
        let y = inputs.labels, w = inputs.weights, eta = work.eta
        var loss = 0.0
        var start = partition.lowerBound
        while start < partition.upperBound {
            let count = min(Self.blockRows, partition.upperBound - start)
            design.fillBlock(start: start, count: count, raw: inputs.raw.baseAddress!, into: work.block.baseAddress!)
            BLAS.gemv(rows: count, columns: q, work.block.baseAddress!, inputs.beta.baseAddress!, into: eta.baseAddress!)
            for i in 0..<count where w[start + i] != 0 {
                loss += w[start + i] * (LogisticFunctions.softplus(eta[i]) - y[start + i] * eta[i])
            }
            start += count
        }
        return loss
    }

    public func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double {
        withUnsafeMutablePointer(to: &hessian) { accumulate(at: parameters, gradient: &gradient, hessian: $0) }
    }

    public func valueAndGradient(at parameters: [Double], gradient: inout [Double]) -> Double {
        accumulate(at: parameters, gradient: &gradient, hessian: nil)
    }

    /// One pass over the rows: value and gradient, and the Hessian when `hessian` is given.
    private func accumulate(at parameters: [Double], gradient: inout [Double], hessian: UnsafeMutablePointer<Matrix>?) -> Double {
        let withHessian = hessian != nil
        nonisolated(unsafe) let context = self
        withInputs(parameters) { inputs in
            forEachPartition { k in context.accumulatePartition(k, inputs, withHessian: withHessian) }
        }
        return reduce(parameters, gradient: &gradient, hessian: hessian)
    }

    /// Partition `k`'s loss, gradient and (when `withHessian`) Hessian sums, into its scratch.
    private func accumulatePartition(_ k: Int, _ inputs: Inputs, withHessian: Bool) {
        let partition = partitions[k], work = scratch[k], q = design.columns
        var loss = 0.0
        for j in 0..<q { work.gradient[j] = 0 }
        if withHessian { for j in 0..<(q * q) { work.hessian[j] = 0 } }
        var start = partition.lowerBound
        while start < partition.upperBound {
            let count = min(Self.blockRows, partition.upperBound - start)
            accumulateBlock(start: start, count: count, inputs, work, withHessian: withHessian, loss: &loss)
            start += count
        }
        work.loss = loss
    }

    /// Rows `start ..< start + count`, standardised into the cache-resident block: their linear predictor
    /// (DGEMV), loss and residuals, then the gradient (DGEMV) and Hessian (DSYRK on √d-scaled rows) sums.
    @inline(__always)
    private func accumulateBlock(
        start: Int, count: Int, _ inputs: Inputs, _ work: PartitionScratch, withHessian: Bool, loss: inout Double
    ) {
        let q = design.columns, block = work.block.baseAddress!
        let eta = work.eta, r = work.residual, s = work.scaled, w = inputs.weights, y = inputs.labels
        design.fillBlock(start: start, count: count, raw: inputs.raw.baseAddress!, into: block)
        BLAS.gemv(rows: count, columns: q, block, inputs.beta.baseAddress!, into: eta.baseAddress!)
        for i in 0..<count {
            let e = eta[i], wi = w[start + i], yi = y[start + i]
            // One exp serves both σ(η) and log(1 + e^η).
            let t = exp(-abs(e))
            let mu = e >= 0 ? 1 / (1 + t) : t / (1 + t)
            if wi != 0 { loss += wi * (max(e, 0) + log1p(t) - yi * e) }
            r[i] = wi * (mu - yi)
            if withHessian {
                let root = (wi * mu * (1 - mu)).squareRoot()
                let row = i * q
                for j in 0..<q { s[row + j] = root * block[row + j] }
            }
        }
        BLAS.gemv(rows: count, columns: q, block, transpose: true, r.baseAddress!, beta: 1,
                  into: work.gradient.baseAddress!)
        if withHessian {
            BLAS.gramUpper(s.baseAddress!, rows: count, columns: q, into: work.hessian.baseAddress!, beta: 1)
        }
    }

    /// Adds the partitions' sums in a fixed order, plus the penalty's gradient and Hessian; returns the objective.
    private func reduce(_ parameters: [Double], gradient: inout [Double], hessian: UnsafeMutablePointer<Matrix>?) -> Double {
        let q = design.columns
        var loss = 0.0
        for j in 0..<q { gradient[j] = 0 }
        for work in scratch {
            loss += work.loss
            for j in 0..<q { gradient[j] += work.gradient[j] }
        }
        if l2 > 0 { for j in 1..<q { gradient[j] += l2 * parameters[j] } }
        if let hessian {
            for j in hessian.pointee.storage.indices { hessian.pointee.storage[j] = 0 }
            for work in scratch {
                for j in 0..<(q * q) { hessian.pointee.storage[j] += work.hessian[j] }
            }
            hessian.pointee.symmetrizeFromUpper()
            if l2 > 0 { for j in 1..<q { hessian.pointee[j, j] += l2 } }
        }
        return loss + penalty(parameters)
    }
}
