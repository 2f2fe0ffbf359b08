/// One step of a Kaplan–Meier curve: the estimated survival just after `time`.
public struct SurvivalPoint: Codable, Equatable, Sendable {
    /// The time of the step (0 for the first point, otherwise an event time), in the durations' unit.
    public var time: Double
    /// Estimated `S(time)`: the probability of no event up to and including `time`.
    public var survival: Double
    /// Rows still at risk just before `time` (duration ≥ `time`).
    public var atRisk: Int

    /// Creates a point from its fields (normally use ``KaplanMeier/curve(durations:events:)``).
    public init(time: Double, survival: Double, atRisk: Int) {
        self.time = time
        self.survival = survival
        self.atRisk = atRisk
    }
}

/// An argument problem specific to survival curves (other input problems are ``MetricsError`` values).
public enum SurvivalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Row `index` has a negative duration (durations are measured from time 0).
    case negativeDuration(index: Int)

    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case let .negativeDuration(index):
            return "row \(index) has a negative duration"
        }
    }
}

/// The Kaplan–Meier (product-limit) estimate of a survival function from right-censored durations,
/// e.g. days until an invoice is paid, with unpaid invoices censored at their current age.
///
/// Conventions (as lifelines' `KaplanMeierFitter`, whose values the tests reproduce):
/// - `durations` are finite and non-negative, in any unit; `events[i] == true` means the event
///   happened at `durations[i]`, `false` that row `i` was censored there. Rows are unweighted.
/// - At an event time `t`, `atRisk` counts the rows with duration `≥ t` — so rows censored at `t`
///   are still at risk: events at a time are counted before the censorings at that time — and
///   `S(t) = Π_{event times u ≤ t} (1 − d_u / atRisk_u)`, where `d_u` is the number of events at `u`.
///   Each factor is computed as `(atRisk − d)/atRisk`.
/// - The curve starts with a point at time 0 holding all `n` rows at risk, with survival 1, or
///   `1 − d₀/n` when `d₀` events happen at time 0 (as lifelines, whose timeline starts at 0).
/// - Then one point per distinct positive event time, ascending. Censoring-only times add no point
///   (the estimate does not change there), so a curve with no events is the single point `(0, 1, n)`.
/// - After the last event time the estimate stays at its last value (0 if the longest duration
///   was an event).
///
/// Errors, in this order: ``MetricsError/lengthMismatch(argument:expected:actual:)`` (`events`),
/// ``MetricsError/empty`` for no rows, then row by row ``MetricsError/nonFinite(index:)`` for a NaN
/// or infinite duration and ``SurvivalError/negativeDuration(index:)``.
public enum KaplanMeier {
    /// Product-limit estimate: one point per distinct event time (ascending) plus time 0 with
    /// survival 1; events at a time are counted before censorings at that time (standard
    /// convention, as lifelines).
    ///
    /// - Throws: ``MetricsError`` for mismatched lengths, no rows or a non-finite duration,
    ///   ``SurvivalError/negativeDuration(index:)`` for a negative one.
    public static func curve(durations: [Double], events: [Bool]) throws -> [SurvivalPoint] {
        let n = durations.count
        guard events.count == n else {
            throw MetricsError.lengthMismatch(argument: "events", expected: n, actual: events.count)
        }
        guard n > 0 else { throw MetricsError.empty }
        for i in 0..<n {
            guard durations[i].isFinite else { throw MetricsError.nonFinite(index: i) }
            guard durations[i] >= 0 else { throw SurvivalError.negativeDuration(index: i) }
        }

        let order = RadixSort.ascendingOrder(durations)
        var curve = [SurvivalPoint(time: 0, survival: 1, atRisk: n)]
        var survival = 1.0
        var removed = 0
        var start = 0
        while start < n {
            let time = durations[order[start]] + 0.0
            var end = start, deaths = 0
            while end < n, durations[order[end]] == time {
                if events[order[end]] { deaths += 1 }
                end += 1
            }
            let atRisk = n - removed
            if deaths > 0 {
                survival = survival * Double(atRisk - deaths) / Double(atRisk)
                if time == 0 {
                    curve[0].survival = survival
                } else {
                    curve.append(SurvivalPoint(time: time, survival: survival, atRisk: atRisk))
                }
            }
            removed += end - start
            start = end
        }
        return curve
    }

    /// `S(t)` from a curve (step function, right-continuous): the survival of the last point with
    /// `point.time ≤ time`; 1 before the first point (or for an empty curve), the last point's
    /// survival after the last event time; NaN for a NaN `time`.
    ///
    /// - Parameter curve: points in ascending time, as returned by ``curve(durations:events:)``.
    public static func survival(at time: Double, in curve: [SurvivalPoint]) -> Double {
        guard !time.isNaN else { return .nan }
        // First index whose time exceeds `time`; the point before it applies.
        var low = 0, high = curve.count
        while low < high {
            let mid = (low + high) / 2
            if curve[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? 1 : curve[low - 1].survival
    }
}
