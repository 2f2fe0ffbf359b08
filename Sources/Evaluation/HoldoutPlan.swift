import Bundles
import CivilTime
import Features

/// How an out-of-time holdout is cut from an export: the snapshot schedule, the outcome horizon, how many of the
/// newest snapshot dates are held out, and the follow-up of the time-to-pay labels.
///
/// Snapshot dates run on `schedule` from `FeatureBuilder.defaultTrainingStart()` (90 days after the first
/// invoice). A date is *eligible* when its `horizonDays` outcome lies inside the data; the newest
/// `holdoutSnapshots` eligible dates are held out, and training uses the dates whose outcome window ends by the
/// first holdout date, so no training label looks past it. `arscore train` and `arscore compare` both cut the
/// holdout here, so a bundle's card and a comparison on the same export report the same numbers.
public struct HoldoutPlan: Sendable, Equatable {
    /// Follow-up of the time-to-pay labels unless a run says otherwise (days).
    public static let defaultFollowUpDays = 180

    /// H in "pays within H days" (days).
    public var horizonDays: Int
    /// Spacing of the snapshot dates.
    public var schedule: SnapshotSchedule
    /// Newest eligible snapshot dates held out.
    public var holdoutSnapshots: Int
    /// Follow-up of the time-to-pay labels (days); later first payments are censored.
    public var followUpDays: Int

    public init(horizonDays: Int = 30, schedule: SnapshotSchedule = .monthly, holdoutSnapshots: Int = 2,
                followUpDays: Int = HoldoutPlan.defaultFollowUpDays) {
        self.horizonDays = horizonDays
        self.schedule = schedule
        self.holdoutSnapshots = holdoutSnapshots
        self.followUpDays = followUpDays
    }

    /// The plan a bundle was trained with (its horizon and snapshot schedule), holding out `holdoutSnapshots` dates.
    /// - Throws: `HoldoutError.unknownSchedule` for a schedule this version cannot read.
    public init(trainedWith training: BundleManifest.TrainingSummary, holdoutSnapshots: Int) throws {
        guard let schedule = SnapshotSchedule(name: training.schedule) else {
            throw HoldoutError.unknownSchedule(training.schedule)
        }
        self.init(horizonDays: training.horizonDays, schedule: schedule, holdoutSnapshots: holdoutSnapshots)
    }

    /// The snapshot dates whose `horizonDays` outcome lies inside the data, oldest first.
    public func eligibleDates(_ builder: FeatureBuilder) -> [Int32] {
        eligibleDates(firstInvoiceDate: builder.firstInvoiceDate, dataEnd: builder.dataEnd)
    }

    /// The eligible dates of an export whose earliest invoice is `firstInvoiceDate` and whose data end (first day
    /// after the data) is `dataEnd` (what shards of one export agree on once their ranges are combined).
    public func eligibleDates(firstInvoiceDate: Int32, dataEnd: Int32) -> [Int32] {
        let h = Int64(horizonDays)
        let start = FeatureBuilder.defaultTrainingStart(firstInvoiceDate: firstInvoiceDate)
        return FeatureBuilder.snapshotDates(from: start, to: dataEnd, schedule: schedule)
            .filter { Int64($0) + h <= Int64(dataEnd) }
    }

    /// The held-out dates only (what a comparison needs).
    /// - Throws: `HoldoutError.historyTooShort` when fewer than `holdoutSnapshots` dates are eligible.
    public func holdoutDates(_ builder: FeatureBuilder, source: String) throws -> [Int32] {
        let dates = eligibleDates(builder)
        guard dates.count >= holdoutSnapshots else {
            throw HoldoutError.historyTooShort(detail: "\(dates.count) snapshot date(s) with a complete \(horizonDays)-day "
                + "outcome in \(source), need --holdout \(holdoutSnapshots)")
        }
        return Array(dates.suffix(holdoutSnapshots))
    }

    /// Training and holdout dates (what training needs).
    /// - Throws: `HoldoutError.historyTooShort` when the history leaves no training date before the holdout.
    public func split(_ builder: FeatureBuilder) throws -> (training: [Int32], holdout: [Int32]) {
        try split(firstInvoiceDate: builder.firstInvoiceDate, dataEnd: builder.dataEnd)
    }

    /// `split(_:)` of an export with this earliest invoice date and data end.
    public func split(firstInvoiceDate: Int32, dataEnd: Int32) throws -> (training: [Int32], holdout: [Int32]) {
        let h = Int64(horizonDays)
        let eligible = eligibleDates(firstInvoiceDate: firstInvoiceDate, dataEnd: dataEnd)
        let span = "the export runs from \(CivilDate.format(firstInvoiceDate)) to \(CivilDate.format(dataEnd - 1)); "
            + "snapshots start 90 days after the first invoice and need \(h) days of outcome after them"
        guard eligible.count > holdoutSnapshots else {
            throw HoldoutError.historyTooShort(detail: "\(eligible.count) snapshot date(s) with a complete \(h)-day outcome, "
                + "need more than --holdout \(holdoutSnapshots) (\(span))")
        }
        let holdout = Array(eligible.suffix(holdoutSnapshots))
        let training = eligible.filter { Int64($0) + h <= Int64(holdout[0]) }
        guard !training.isEmpty else {
            throw HoldoutError.historyTooShort(detail: "no snapshot date has its \(h)-day outcome before the holdout starts "
                + "on \(CivilDate.format(holdout[0])) (\(span)); use a smaller --holdout or --horizon")
        }
        return (training, holdout)
    }
}
