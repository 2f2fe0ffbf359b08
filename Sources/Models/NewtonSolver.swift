import LinearAlgebra

/// Settings for `NewtonSolver`.
public struct NewtonOptions: Sendable, Equatable {
    /// Largest number of Newton steps before the fit is reported as not converged.
    public var maxIterations: Int = 100
    /// Convergence: `max |gradient| ≤ gradientTolerance · objective.gradientScale`.
    public var gradientTolerance: Double = 1e-10
    /// Largest number of step halvings in the backtracking line search.
    public var maxStepHalvings: Int = 40
    /// When `max |gradient|` is within this factor of the convergence threshold, the next full step is
    /// checked with value and gradient only (no Hessian), as it almost surely converges.
    public var chordGradientFactor: Double = 1e5

    public init(maxIterations: Int = 100, gradientTolerance: Double = 1e-10, maxStepHalvings: Int = 40,
                chordGradientFactor: Double = 1e5) {
        self.maxIterations = maxIterations
        self.gradientTolerance = gradientTolerance
        self.maxStepHalvings = maxStepHalvings
        self.chordGradientFactor = chordGradientFactor
    }
}

/// The state a Newton minimisation ended in.
public struct NewtonResult: Sendable {
    /// Parameters at the last accepted iterate.
    public var parameters: [Double]
    /// Objective at `parameters`.
    public var value: Double
    /// Gradient at `parameters`.
    public var gradient: [Double]
    /// Hessian (full symmetric) at `parameters`, or at the iterate one converging Newton step before it
    /// when that step was checked without a Hessian (see `NewtonOptions.chordGradientFactor`).
    public var hessian: Matrix
    /// Newton steps taken.
    public var iterations: Int
    /// `max |gradient|` at `parameters`.
    public var gradientMaxAbs: Double
}

/// Why a Newton minimisation stopped without converging.
public enum NewtonFailure: Error, Sendable {
    /// The Hessian was not positive definite (collinear parameters or divergence).
    case singularHessian(NewtonResult, leadingMinor: Int)
    /// No step along the Newton direction decreased the objective.
    case lineSearchFailed(NewtonResult)
    /// The iteration limit was reached before the gradient test passed.
    case iterationLimit(NewtonResult)
    /// The objective or gradient became NaN/∞ at the starting point.
    case nonFiniteStart

    /// The last iterate, when there is one.
    public var lastState: NewtonResult? {
        switch self {
        case .singularHessian(let state, _), .lineSearchFailed(let state), .iterationLimit(let state): return state
        case .nonFiniteStart: return nil
        }
    }
}

/// Damped Newton's method: a Cholesky-solved Newton direction with backtracking (Armijo) line search.
///
/// The optimiser knows nothing about the model: the objective supplies value,
/// gradient and Hessian (liblinear's split between objective and solver).
public enum NewtonSolver {
    /// Minimises `objective` from `start`.
    /// - Throws: `NewtonFailure` carrying the last iterate, so callers can diagnose (e.g. separation).
    public static func minimize(
        _ objective: some NewtonObjective, start: [Double], options: NewtonOptions = NewtonOptions()
    ) throws -> NewtonResult {
        let p = objective.parameterCount
        precondition(start.count == p, "start has \(start.count) parameters, objective has \(p)")
        var run = try NewtonRun(objective, start: start, options: options)
        while true {
            if let result = try run.iterate() { return result }
        }
    }

    @inline(__always)
    static func maxAbs(_ values: [Double]) -> Double {
        values.reduce(0) { max($0, abs($1)) }
    }
}

/// One minimisation in progress: the current iterate and what the objective said there.
private struct NewtonRun<Objective: NewtonObjective> {
    let objective: Objective
    let options: NewtonOptions
    /// The convergence test: `max |gradient| ≤ threshold`.
    let threshold: Double
    var parameters: [Double]
    var value: Double
    var gradient: [Double]
    var hessian: Matrix
    var iterations = 0

    /// What became of the full Newton step.
    enum FullStep {
        /// Accepted, and the gradient test passes there.
        case converged
        /// Accepted; iterate on.
        case accepted
        /// Not acceptable: back off along the direction.
        case rejected
    }

    /// Evaluates the objective fully at `start`.
    /// - Throws: `NewtonFailure.nonFiniteStart` when the value or gradient is not finite there.
    init(_ objective: Objective, start: [Double], options: NewtonOptions) throws {
        let p = objective.parameterCount
        self.objective = objective
        self.options = options
        parameters = start
        gradient = [Double](repeating: 0, count: p)
        hessian = Matrix(rows: p, columns: p)
        value = objective.evaluate(at: parameters, gradient: &gradient, hessian: &hessian)
        guard value.isFinite, gradient.allSatisfy({ $0.isFinite }) else { throw NewtonFailure.nonFiniteStart }
        threshold = options.gradientTolerance * max(objective.gradientScale, 1e-300)
    }

    /// The current iterate as a result.
    var state: NewtonResult {
        NewtonResult(parameters: parameters, value: value, gradient: gradient, hessian: hessian,
                     iterations: iterations, gradientMaxAbs: NewtonSolver.maxAbs(gradient))
    }

    /// One Newton iteration: the result when the current iterate converged, nil when a step was taken.
    /// - Throws: `NewtonFailure` at the iteration limit, a singular Hessian or a failed line search.
    mutating func iterate() throws -> NewtonResult? {
        if NewtonSolver.maxAbs(gradient) <= threshold { return state }
        if iterations >= options.maxIterations { throw NewtonFailure.iterationLimit(state) }
        let direction = try newtonDirection()
        // Directional derivative along −direction is −gᵀH⁻¹g < 0.
        let decrease = zip(gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
        switch tryFullStep(direction, decrease: decrease) {
        case .converged: return state
        case .accepted: return nil
        case .rejected: return try backtrack(direction, decrease: decrease)
        }
    }

    /// `H⁻¹g` by Cholesky.
    /// - Throws: `NewtonFailure.singularHessian` when the Hessian is not positive definite.
    func newtonDirection() throws -> [Double] {
        do {
            return try Cholesky(hessian).solve(gradient)
        } catch LinearAlgebraError.notPositiveDefinite(let minor) {
            throw NewtonFailure.singularHessian(state, leadingMinor: minor)
        }
    }

    /// Tries the full Newton step with a complete evaluation (value, gradient, Hessian): it is accepted in
    /// almost every iteration, and then nothing is computed twice.
    ///
    /// Close to the optimum (quadratic regime) the step very likely converges: it is checked with value and
    /// gradient only, and the current Hessian kept if it does (one step away, it differs from the Hessian at
    /// the solution by far less than its own rounding matters for standard errors).
    mutating func tryFullStep(_ direction: [Double], decrease: Double) -> FullStep {
        let resolution = 1e3 * Double.ulpOfOne * max(1, abs(value))
        let fullStep = zip(parameters, direction).map { $0 - $1 }
        var trialGradient = gradient
        var trialHessian = hessian
        let nearOptimum = NewtonSolver.maxAbs(gradient) <= options.chordGradientFactor * threshold
        let fullValue = nearOptimum
            ? objective.valueAndGradient(at: fullStep, gradient: &trialGradient)
            : objective.evaluate(at: fullStep, gradient: &trialGradient, hessian: &trialHessian)
        // Armijo condition; in the quadratic regime the predicted decrease ½·gᵀH⁻¹g is below what
        // the objective (a sum over many rows) resolves in floating point, so there the step is
        // accepted unless the value clearly rises.
        let armijo = fullValue <= value - 1e-4 * decrease
        let atFloor = 0.5 * decrease <= resolution && fullValue <= value + resolution
        guard fullValue.isFinite && (armijo || atFloor) else { return .rejected }
        parameters = fullStep
        iterations += 1
        if nearOptimum {
            if NewtonSolver.maxAbs(trialGradient) <= threshold {
                value = fullValue
                gradient = trialGradient
                return .converged
            }
            // Not converged after all: evaluate fully at the new point and go on.
            value = objective.evaluate(at: parameters, gradient: &gradient, hessian: &hessian)
            return .accepted
        }
        value = fullValue
        gradient = trialGradient
        hessian = trialHessian
        return .accepted
    }

    /// Backtracking (Armijo) line search along the direction, halving the step; evaluates fully at the point
    /// accepted. Returns the current iterate when no step decreases the objective but the gradient is already
    /// tiny (the floating-point floor), nil after a step.
    /// - Throws: `NewtonFailure.lineSearchFailed` otherwise.
    mutating func backtrack(_ direction: [Double], decrease: Double) throws -> NewtonResult? {
        var stepLength = 0.5
        var accepted: [Double]? = nil
        for _ in 0..<options.maxStepHalvings {
            let candidate = zip(parameters, direction).map { $0 - stepLength * $1 }
            let candidateValue = objective.value(at: candidate)
            if candidateValue.isFinite && candidateValue <= value - 1e-4 * stepLength * decrease {
                accepted = candidate
                break
            }
            stepLength *= 0.5
        }
        guard let next = accepted else {
            // At the floating-point floor the objective cannot decrease any further: accept
            // the iterate when the gradient is already tiny relative to the scale.
            if NewtonSolver.maxAbs(gradient) <= threshold * 1e3 { return state }
            throw NewtonFailure.lineSearchFailed(state)
        }
        parameters = next
        iterations += 1
        value = objective.evaluate(at: parameters, gradient: &gradient, hessian: &hessian)
        return nil
    }
}
