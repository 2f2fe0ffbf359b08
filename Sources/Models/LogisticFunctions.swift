#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Numerically stable scalar helpers for the logistic model.
public enum LogisticFunctions {
    /// The logistic function `1 / (1 + e^(−η))`, without overflow for large |η|.
    @inlinable @inline(__always)
    public static func sigmoid(_ eta: Double) -> Double {
        if eta >= 0 {
            return 1 / (1 + exp(-eta))
        }
        let e = exp(eta)
        return e / (1 + e)
    }

    /// `log(1 + e^η)`, stable for any η (the log-loss of a negative example at linear predictor η).
    @inlinable @inline(__always)
    public static func softplus(_ eta: Double) -> Double {
        max(eta, 0) + log1p(exp(-abs(eta)))
    }

    /// `log(p / (1 − p))`.
    @inlinable
    public static func logit(_ probability: Double) -> Double {
        log(probability / (1 - probability))
    }
}
