import LinearAlgebra

/// The penalised logistic log-loss over a design matrix, with its gradient and Hessian.
///
/// Objective (to minimise): `Σᵢ wᵢ·[log(1 + e^ηᵢ) − yᵢ·ηᵢ] + (l2/2)·Σ_{j≥1} βⱼ²`, with `η = Z·β`.
/// Column 0 of `Z` is the intercept and is not penalised. Gradient `Zᵀ·(w∘(μ − y)) + l2·β₋₀`;
/// Hessian `Zᵀ·diag(w∘μ∘(1−μ))·Z + l2·I₋₀`, formed as one DSYRK on `√d`-scaled rows.
public final class LogisticObjective: NewtonObjective {
    /// Design matrix, row-major n × q (intercept column first).
    public let design: Matrix
    /// Labels in {0, 1}.
    public let labels: [Double]
    /// Sample weights (≥ 0).
    public let weights: [Double]
    /// Ridge strength on the non-intercept coefficients.
    public let l2: Double
    public let gradientScale: Double
    public var parameterCount: Int { design.columns }

    private var linearPredictor: [Double]
    private var residuals: [Double]
    private var scaledDesign: [Double]

    /// - Precondition: `labels.count == weights.count == design.rows`.
    public init(design: Matrix, labels: [Double], weights: [Double], l2: Double) {
        precondition(labels.count == design.rows && weights.count == design.rows)
        self.design = design
        self.labels = labels
        self.weights = weights
        self.l2 = l2
        self.gradientScale = weights.reduce(0, +)
        self.linearPredictor = [Double](repeating: 0, count: design.rows)
        self.residuals = [Double](repeating: 0, count: design.rows)
        self.scaledDesign = []
    }

    /// `η = Z·β` for the current parameters into `linearPredictor`.
    private func computeLinearPredictor(_ parameters: [Double]) {
        // Shapes are fixed at construction, so gemv cannot fail here.
        try! BLAS.gemv(design, parameters, into: &linearPredictor)
    }

    private func penalty(_ parameters: [Double]) -> Double {
        guard l2 > 0 else { return 0 }
        var sum = 0.0
        for j in 1..<max(1, parameters.count) { sum += parameters[j] * parameters[j] }
        return 0.5 * l2 * sum
    }

    public func value(at parameters: [Double]) -> Double {
        computeLinearPredictor(parameters)
        var loss = 0.0
        linearPredictor.withUnsafeBufferPointer { eta in
            labels.withUnsafeBufferPointer { y in
                weights.withUnsafeBufferPointer { w in
                    for i in 0..<eta.count where w[i] != 0 {
                        loss += w[i] * (LogisticFunctions.softplus(eta[i]) - y[i] * eta[i])
                    }
                }
            }
        }
        return loss + penalty(parameters)
    }

    public func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double {
        computeLinearPredictor(parameters)
        let n = design.rows, q = design.columns
        if scaledDesign.count != n * q { scaledDesign = [Double](repeating: 0, count: n * q) }
        var loss = 0.0
        linearPredictor.withUnsafeBufferPointer { eta in
            labels.withUnsafeBufferPointer { y in
                weights.withUnsafeBufferPointer { w in
                    residuals.withUnsafeMutableBufferPointer { r in
                        design.storage.withUnsafeBufferPointer { z in
                            scaledDesign.withUnsafeMutableBufferPointer { s in
                                for i in 0..<n {
                                    let mu = LogisticFunctions.sigmoid(eta[i])
                                    let wi = w[i]
                                    if wi != 0 { loss += wi * (LogisticFunctions.softplus(eta[i]) - y[i] * eta[i]) }
                                    r[i] = wi * (mu - y[i])
                                    let root = (wi * mu * (1 - mu)).squareRoot()
                                    let row = i * q
                                    for j in 0..<q { s[row + j] = root * z[row + j] }
                                }
                            }
                        }
                    }
                }
            }
        }
        try! BLAS.gemv(design, transpose: true, residuals, into: &gradient)
        scaledDesign.withUnsafeBufferPointer { s in
            hessian.storage.withUnsafeMutableBufferPointer { h in
                BLAS.gramUpper(s.baseAddress!, rows: n, columns: q, into: h.baseAddress!)
            }
        }
        hessian.symmetrizeFromUpper()
        if l2 > 0 {
            for j in 1..<q {
                gradient[j] += l2 * parameters[j]
                hessian[j, j] += l2
            }
        }
        return loss + penalty(parameters)
    }
}
