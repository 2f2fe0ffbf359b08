import LinearAlgebra

/// A resumable `NewtonSolver` run for a stateless driver: the solver is replayed over the log of the
/// evaluations answered so far, up to the first one not in the log.
///
/// The solver is deterministic, so a replay retraces the same iterates bit for bit and asks for the same
/// points: a driver that keeps only this log (e.g. in a state file between processes) takes exactly the
/// one-machine solver's steps, halvings and stopping decisions.
public enum NewtonReplay {
    /// What an evaluation must return.
    public enum Kind: String, Codable, Sendable {
        /// The objective only (step halving).
        case value
        /// The objective and its gradient (the chord check near the optimum).
        case gradient
        /// The objective, gradient and Hessian.
        case full
    }

    /// One answered evaluation.
    public struct Evaluation: Codable, Equatable, Sendable {
        public var point: [Double]
        public var kind: Kind
        public var value: Double
        public var gradient: [Double]
        /// Row-major `p × p` (empty unless `kind` is `.full`).
        public var hessian: [Double]

        public init(point: [Double], kind: Kind, value: Double, gradient: [Double], hessian: [Double]) {
            self.point = point
            self.kind = kind
            self.value = value
            self.gradient = gradient
            self.hessian = hessian
        }
    }

    /// Where a replay ended.
    public enum Outcome {
        /// The next evaluation the solver needs.
        case needs(point: [Double], kind: Kind)
        /// The solver converged.
        case converged(NewtonResult)
        /// The solver stopped without converging.
        case failed(NewtonFailure)
    }

    /// A log entry was not what the solver asked for at that position (a log from another fit).
    public struct LogMismatch: Error, Equatable {
        /// Position in the log.
        public var index: Int
    }

    /// Replays the solver from `start` over `log`.
    /// - Throws: `LogMismatch` when an entry's point or kind differs from the solver's request.
    public static func replay(parameterCount: Int, gradientScale: Double, start: [Double], options: NewtonOptions,
                              log: [Evaluation]) throws -> Outcome {
        let objective = ReplayObjective(parameterCount: parameterCount, gradientScale: gradientScale, log: log)
        let outcome: Outcome
        do {
            outcome = .converged(try NewtonSolver.minimize(objective, start: start, options: options))
        } catch let failure as NewtonFailure {
            outcome = .failed(failure)
        }
        if let index = objective.mismatch { throw LogMismatch(index: index) }
        if let pending = objective.pending { return .needs(point: pending.point, kind: pending.kind) }
        return outcome
    }
}

/// An objective that answers from a log and records the first request beyond it (answering NaN from then on,
/// which only ends the replayed run sooner; its outcome is then discarded).
private final class ReplayObjective: NewtonObjective {
    let parameterCount: Int
    let gradientScale: Double
    let log: [NewtonReplay.Evaluation]
    var next = 0
    var pending: (point: [Double], kind: NewtonReplay.Kind)?
    var mismatch: Int?

    init(parameterCount: Int, gradientScale: Double, log: [NewtonReplay.Evaluation]) {
        self.parameterCount = parameterCount
        self.gradientScale = gradientScale
        self.log = log
    }

    /// The logged answer to a request, or nil (and the request recorded) past the log's end.
    func answer(_ point: [Double], _ kind: NewtonReplay.Kind) -> NewtonReplay.Evaluation? {
        guard pending == nil, mismatch == nil else { return nil }
        guard next < log.count else {
            pending = (point, kind)
            return nil
        }
        let entry = log[next]
        guard entry.point == point, entry.kind == kind else {
            mismatch = next
            return nil
        }
        next += 1
        return entry
    }

    func value(at parameters: [Double]) -> Double {
        answer(parameters, .value)?.value ?? .nan
    }

    func valueAndGradient(at parameters: [Double], gradient: inout [Double]) -> Double {
        guard let entry = answer(parameters, .gradient) else {
            for j in gradient.indices { gradient[j] = .nan }
            return .nan
        }
        gradient = entry.gradient
        return entry.value
    }

    func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double {
        guard let entry = answer(parameters, .full) else {
            for j in gradient.indices { gradient[j] = .nan }
            return .nan
        }
        gradient = entry.gradient
        if entry.hessian.count == parameterCount * parameterCount { hessian.storage = entry.hessian }
        return entry.value
    }
}
