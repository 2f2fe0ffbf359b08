/// A running sum with Neumaier (improved Kahan–Babuška) compensation.
///
/// The error of the result does not grow with the number of terms (it is bounded by about
/// two units in the last place of the sum of absolute values), so sums over millions of
/// weights or per-row losses stay accurate to full double precision in practice.
struct CompensatedSum {
    private var sum = 0.0
    private var compensation = 0.0

    init() {}

    /// Adds `x` to the running sum.
    @inline(__always)
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    /// The compensated total.
    var value: Double { sum + compensation }
}
