/// Binary-classification metrics for scored accounts-receivable customers, checked against
/// scikit-learn.
///
/// Conventions shared by every function:
/// - `labels[i] == true` marks a positive row (the event the score predicts).
/// - `weights` is optional; `nil` means every row has weight 1. Weights must be finite and
///   non-negative. Rows with weight zero are ignored, and weighted means divide by the total
///   weight (not by the row count).
/// - Scores may be any finite numbers (higher means "more likely positive");
///   probabilities must lie in `[0, 1]`.
/// - Inputs are validated before anything is computed; see ``MetricsError`` for the order of
///   the checks. Nothing is silently dropped except zero-weight rows.
/// - Sums use compensated (Neumaier) summation, so results do not drift with the row count.
/// - Ranking metrics sort once (O(n log n)) and then walk groups of equal score linearly, so
///   heavy ties cost nothing extra. Ten million rows are fine.
public enum ClassificationMetrics {}
