#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ClassificationMetrics {
    /// Probabilities are clipped to `[logLossClip, 1 − logLossClip]` before taking logarithms.
    ///
    /// `1e-15` caps the loss of a confidently wrong row at about `−ln(1e-15) ≈ 34.54`. It is the
    /// classic scikit-learn `eps`; scikit-learn ≥ 1.5 clips to machine epsilon (`2.2e-16`)
    /// instead, so the two agree exactly whenever every probability is inside
    /// `[1e-15, 1 − 1e-15]` and differ only for rows beyond that.
    public static let logLossClip = 1e-15

    /// Mean (weighted) log-loss (cross-entropy) of predicted probabilities; equals sklearn
    /// `log_loss` on probabilities clipped to `[1e-15, 1 − 1e-15]`.
    ///
    /// Per row, with `q = min(max(p, 1e-15), 1 − 1e-15)` (see ``logLossClip``), the loss is
    /// `−ln q` for a positive and `−ln(1 − q)` for a negative; the result is
    /// `Σ w_i·loss_i / Σ w_i` (natural log). `ln(1 − q)` is computed as `log1p(−q)`, which is
    /// at least as accurate as scikit-learn's `log(1 − q)` (they differ by at most ~1e-16 per
    /// row). One class alone is allowed.
    ///
    /// - Throws: ``MetricsError/probabilityOutOfRange(index:)`` for a probability outside
    ///   `[0, 1]`, and the input errors listed on ``MetricsError``.
    public static func logLoss(probabilities: [Double], labels: [Bool], weights: [Double]? = nil) throws -> Double {
        let classes = try validate(probabilities, kind: .probability, labels: labels, weights: weights, requireBothClasses: false)
        var total = CompensatedSum()
        for i in probabilities.indices {
            let w = weights?[i] ?? 1
            guard w != 0 else { continue }
            let q = min(max(probabilities[i], logLossClip), 1 - logLossClip)
            total.add(w * (labels[i] ? -log(q) : -log1p(-q)))
        }
        return total.value / classes.total
    }

    /// Mean (weighted) squared error of predicted probabilities against the 0/1 outcome
    /// (Brier score); equals sklearn `brier_score_loss`.
    ///
    /// `Σ w_i·(p_i − y_i)² / Σ w_i` with `y_i = 1` for a positive row. 0 is perfect, 0.25 is
    /// what a constant 0.5 forecast scores. One class alone is allowed.
    ///
    /// - Throws: ``MetricsError/probabilityOutOfRange(index:)`` for a probability outside
    ///   `[0, 1]`, and the input errors listed on ``MetricsError``.
    public static func brierScore(probabilities: [Double], labels: [Bool], weights: [Double]? = nil) throws -> Double {
        let classes = try validate(probabilities, kind: .probability, labels: labels, weights: weights, requireBothClasses: false)
        var total = CompensatedSum()
        for i in probabilities.indices {
            let w = weights?[i] ?? 1
            guard w != 0 else { continue }
            let error = probabilities[i] - (labels[i] ? 1 : 0)
            total.add(w * error * error)
        }
        return total.value / classes.total
    }
}
