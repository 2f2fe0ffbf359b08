import Receivables

/// How snapshot dates are spaced.
public enum SnapshotSchedule: Sendable, Equatable {
    /// The first day of every month.
    case monthly
    /// Every `n` days from the start date.
    case everyDays(Int)

    /// Parses `monthly` or `every-N-days` (N ≥ 1), the spelling of `arscore train --snapshots` and of bundle.json;
    /// `every N days` (the bundle spelling before 2026-12) is read too. Nil for anything else.
    public init?(name: String) {
        if name == "monthly" {
            self = .monthly
            return
        }
        let parts = name.split(whereSeparator: { $0 == "-" || $0 == " " })
        guard parts.count == 3, parts[0] == "every", parts[2] == "days", let step = Int(parts[1]), step >= 1 else {
            return nil
        }
        self = .everyDays(step)
    }

    /// `monthly` or `every-N-days`: the spelling `init(name:)` reads.
    public var name: String {
        switch self {
        case .monthly: return "monthly"
        case .everyDays(let step): return "every-\(step)-days"
        }
    }
}

/// Training examples: snapshots at many dates stacked, with their payment labels.
///
/// Row i is customer `features.customers[i]` as of `features.asOf[i]`; `labels` is aligned with the rows.
/// Rows whose label window runs past the data end are kept but flagged (`labels.horizonObserved` false);
/// `droppingUnobservedLabels()` removes them.
public struct TrainingSet: Sendable {
    /// The snapshot dates, ascending.
    public var snapshotDates: [Int32]
    /// Stacked snapshot features (date by date, customers in order within a date).
    public var features: FeatureTable
    /// Labels of every row.
    public var labels: PaymentLabels

    public var rowCount: Int { features.rowCount }

    /// Only the rows whose label horizon lies inside the data.
    public func droppingUnobservedLabels() -> TrainingSet {
        let keep = labels.horizonObserved.indices.filter { labels.horizonObserved[$0] }
        return TrainingSet(snapshotDates: snapshotDates, features: features.selectingRows(keep),
                           labels: labels.selectingRows(keep))
    }

    /// The rows whose as-of date satisfies `include` (e.g. an out-of-time holdout: the newest dates).
    public func selectingDates(_ include: (Int32) -> Bool) -> TrainingSet {
        let keep = features.asOf.indices.filter { include(features.asOf[$0]) }
        return TrainingSet(snapshotDates: snapshotDates.filter(include), features: features.selectingRows(keep),
                           labels: labels.selectingRows(keep))
    }
}

extension FeatureBuilder {
    /// The snapshot dates of `schedule` in `from ..< to`.
    public static func snapshotDates(from: Int32, to: Int32, schedule: SnapshotSchedule) -> [Int32] {
        switch schedule {
        case .monthly: return monthlySnapshotDates(from: from, to: to)
        case .everyDays(let step): return snapshotDates(from: from, to: to, stepDays: step)
        }
    }

    /// Default first snapshot date: the first of the month at least `warmUpDays` after the first invoice,
    /// so that every snapshot sees some history.
    public func defaultTrainingStart(warmUpDays: Int = 90) -> Int32 {
        Self.defaultTrainingStart(firstInvoiceDate: firstInvoiceDate, warmUpDays: warmUpDays)
    }

    /// `defaultTrainingStart(warmUpDays:)` of an export whose earliest invoice is dated `firstInvoiceDate`.
    public static func defaultTrainingStart(firstInvoiceDate: Int32, warmUpDays: Int = 90) -> Int32 {
        let from = firstInvoiceDate &+ Int32(clamping: warmUpDays)
        return monthlySnapshotDates(from: from, to: from &+ 32).first ?? from
    }

    /// Snapshots at every date of `schedule` in `from ..< to` (defaults: `defaultTrainingStart()` to `dataEnd`)
    /// with their payment labels (horizon `horizonDays`, time to first payment followed up for `maximumDays`).
    public func trainingSet(from: Int32? = nil, to: Int32? = nil, schedule: SnapshotSchedule = .monthly,
                            horizonDays: Int = 30, maximumDays: Int = 365) -> TrainingSet {
        let dates = Self.snapshotDates(from: from ?? defaultTrainingStart(), to: to ?? dataEnd, schedule: schedule)
        let features = snapshots(asOf: dates)
        return TrainingSet(snapshotDates: dates, features: features,
                           labels: labels(for: features, horizonDays: horizonDays, maximumDays: maximumDays))
    }
}
