/// Errors from the dense linear-algebra layer, including LAPACK's `info` codes.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Operand shapes do not fit together (the message says how).
    case dimensionMismatch(String)
    /// Cholesky failed: the leading minor of this order (1-based, LAPACK's `info > 0`) is not positive definite.
    case notPositiveDefinite(leadingMinor: Int)
    /// LAPACK rejected argument number `argument` (LAPACK's `info < 0`) of `routine`.
    case illegalArgument(routine: String, argument: Int)
    /// The input holds NaN or ±infinity where a finite value is required.
    case nonFinite(String)

    public var description: String {
        switch self {
        case .dimensionMismatch(let detail):
            return "matrix dimensions do not match: \(detail)"
        case .notPositiveDefinite(let order):
            return "matrix is not positive definite (leading minor of order \(order) is not positive)"
        case .illegalArgument(let routine, let argument):
            return "LAPACK \(routine) rejected argument \(argument)"
        case .nonFinite(let detail):
            return "non-finite value: \(detail)"
        }
    }

    /// Turns a LAPACK `info` code into a Swift error (nil when `info == 0`).
    static func fromLAPACK(routine: String, info: Int32) -> LinearAlgebraError? {
        if info == 0 { return nil }
        if info < 0 { return .illegalArgument(routine: routine, argument: Int(-info)) }
        return .notPositiveDefinite(leadingMinor: Int(info))
    }
}
