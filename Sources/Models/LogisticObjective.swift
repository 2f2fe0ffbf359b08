import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import LinearAlgebra

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
    /// Labels in {0, 1}.
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

    /// Per-partition buffers, reused across evaluations.
    private final class PartitionScratch: @unchecked Sendable {
        var block: [Double]
        var eta: [Double]
        var residual: [Double]
        var scaled: [Double]
        var gradient: [Double]
        var hessian: [Double]
        var loss = 0.0

        init(blockRows: Int, q: Int) {
            block = [Double](repeating: 0, count: blockRows * q)
            eta = [Double](repeating: 0, count: blockRows)
            residual = [Double](repeating: 0, count: blockRows)
            scaled = [Double](repeating: 0, count: blockRows * q)
            gradient = [Double](repeating: 0, count: q)
            hessian = [Double](repeating: 0, count: q * q)
        }
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
            DispatchQueue.concurrentPerform(iterations: partitions.count, execute: body)
        }
    }

    public func value(at parameters: [Double]) -> Double {
        let q = design.columns
        nonisolated(unsafe) let context = self
        forEachPartition { k in
            let partition = context.partitions[k], work = context.scratch[k]
            var loss = 0.0
            context.design.features.storage.withUnsafeBufferPointer { raw in
                context.labels.withUnsafeBufferPointer { y in
                    context.weights.withUnsafeBufferPointer { w in
                        parameters.withUnsafeBufferPointer { beta in
                            work.eta.withUnsafeMutableBufferPointer { eta in
                              work.block.withUnsafeMutableBufferPointer { z in
                                var start = partition.lowerBound
                                while start < partition.upperBound {
                                    let count = min(Self.blockRows, partition.upperBound - start)
                                    context.design.fillBlock(start: start, count: count, raw: raw.baseAddress!,
                                                             into: z.baseAddress!)
                                    BLAS.gemv(rows: count, columns: q, z.baseAddress!,
                                              beta.baseAddress!, into: eta.baseAddress!)
                                    for i in 0..<count where w[start + i] != 0 {
                                        loss += w[start + i] * (LogisticFunctions.softplus(eta[i]) - y[start + i] * eta[i])
                                    }
                                    start += count
                                }
                              }
                            }
                        }
                    }
                }
            }
            work.loss = loss
        }
        return scratch.reduce(0) { $0 + $1.loss } + penalty(parameters)
    }

    public func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double {
        withUnsafeMutablePointer(to: &hessian) { accumulate(at: parameters, gradient: &gradient, hessian: $0) }
    }

    public func valueAndGradient(at parameters: [Double], gradient: inout [Double]) -> Double {
        accumulate(at: parameters, gradient: &gradient, hessian: nil)
    }

    /// One pass over the rows: value and gradient, and the Hessian when `hessian` is given.
    private func accumulate(at parameters: [Double], gradient: inout [Double], hessian: UnsafeMutablePointer<Matrix>?) -> Double {
        let q = design.columns
        let withHessian = hessian != nil
        nonisolated(unsafe) let context = self
        forEachPartition { k in
            let partition = context.partitions[k], work = context.scratch[k]
            var loss = 0.0
            for j in work.gradient.indices { work.gradient[j] = 0 }
            if withHessian { for j in work.hessian.indices { work.hessian[j] = 0 } }
            context.design.features.storage.withUnsafeBufferPointer { raw in
                context.labels.withUnsafeBufferPointer { y in
                    context.weights.withUnsafeBufferPointer { w in
                        parameters.withUnsafeBufferPointer { beta in
                            work.eta.withUnsafeMutableBufferPointer { eta in
                              work.block.withUnsafeMutableBufferPointer { z in
                                work.residual.withUnsafeMutableBufferPointer { r in
                                    work.scaled.withUnsafeMutableBufferPointer { s in
                                        work.gradient.withUnsafeMutableBufferPointer { g in
                                            work.hessian.withUnsafeMutableBufferPointer { h in
                                                var start = partition.lowerBound
                                                while start < partition.upperBound {
                                                    let count = min(Self.blockRows, partition.upperBound - start)
                                                    let block = z.baseAddress!
                                                    context.design.fillBlock(start: start, count: count,
                                                                             raw: raw.baseAddress!, into: block)
                                                    BLAS.gemv(rows: count, columns: q, block, beta.baseAddress!,
                                                              into: eta.baseAddress!)
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
                                                    BLAS.gemv(rows: count, columns: q, block, transpose: true,
                                                              r.baseAddress!, beta: 1, into: g.baseAddress!)
                                                    if withHessian {
                                                        BLAS.gramUpper(s.baseAddress!, rows: count, columns: q,
                                                                       into: h.baseAddress!, beta: 1)
                                                    }
                                                    start += count
                                                }
                                            }
                                        }
                                    }
                                }
                              }
                            }
                        }
                    }
                }
            }
            work.loss = loss
        }
        // Fixed-order reduction of the partial sums.
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
