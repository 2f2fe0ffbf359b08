import LinearAlgebra

/// A smooth, convex objective that a Newton solver can minimise.
///
/// Conforming types own their scratch buffers (hence `AnyObject`), so repeated
/// evaluations during a fit allocate nothing proportional to the number of rows.
public protocol NewtonObjective: AnyObject {
    /// Number of parameters (length of the parameter vector).
    var parameterCount: Int { get }
    /// Scale for the convergence test: the solver stops when `max |gradient| ≤ tolerance · gradientScale`.
    /// For a sum of per-row losses this is the total sample weight, so the test reads as a mean gradient.
    var gradientScale: Double { get }
    /// The objective at `parameters` (may be `+∞` or NaN where undefined; the line search then backs off).
    func value(at parameters: [Double]) -> Double
    /// The objective, its gradient and its full symmetric Hessian at `parameters`.
    func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double
    /// The objective and its gradient only (cheaper where the Hessian dominates the cost).
    func valueAndGradient(at parameters: [Double], gradient: inout [Double]) -> Double
}

extension NewtonObjective {
    /// Default: a full evaluation, discarding the Hessian.
    public func valueAndGradient(at parameters: [Double], gradient: inout [Double]) -> Double {
        var hessian = Matrix(rows: parameterCount, columns: parameterCount)
        return evaluate(at: parameters, gradient: &gradient, hessian: &hessian)
    }
}
