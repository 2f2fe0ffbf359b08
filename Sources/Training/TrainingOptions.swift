import Evaluation
import Features
import Models

/// Settings of `arscore train`.
public struct TrainingOptions: Sendable, Equatable {
    /// H in "pays within H days" (days).
    public var horizonDays: Int
    /// Spacing of the snapshot dates.
    public var schedule: SnapshotSchedule
    /// Newest snapshot dates (with fully observed outcomes) held out for out-of-time metrics.
    public var holdoutSnapshots: Int
    /// Follow-up of the time-to-pay model (days); later first payments are censored.
    public var followUpDays: Int
    /// Candidate L2 penalties of the logistic models, chosen by log-loss on the newest training snapshot.
    public var l2Candidates: [Double]
    /// L2 penalty of the Cox model (standardised coefficients).
    public var coxL2: Double
    /// Fewer known promises than this (or one outcome only) → the promise model is the population rate.
    public var minimumPromises: Int
    /// Call-window mixture settings.
    public var callWindow: CallWindowFitter.Options
    /// At most this many rows (every k-th) on each side of the l2 validation fits.
    public var selectionRows: Int
    /// Newton settings of the logistic and Cox fits (iteration limit, tolerance).
    public var newton: NewtonOptions
    /// Budget of training snapshot rows: with more candidate rows (open balance at a training date) than this, each
    /// is kept with probability π = budget / rows by `SnapshotRowSampling` and weighted 1/π in every fit, so memory
    /// and time stop growing with the customers and the history. The default keeps 1,000,000 customers with a year
    /// of history within 4 GB (Benchmarks/README.md, "Training in bounded memory").
    public var maxTrainingRows: Int
    /// Seed of the row sampling (`SnapshotRowSampling`); the same seed keeps the same rows.
    public var samplingSeed: UInt64

    /// Default `maxTrainingRows`.
    public static let defaultMaxTrainingRows = 1_000_000
    /// Default `samplingSeed`.
    public static let defaultSamplingSeed: UInt64 = 15
    /// Smallest accepted `maxTrainingRows`: fewer rows cannot support the 35 account features of the fits.
    public static let minimumTrainingRowBudget = 1_000

    public init(horizonDays: Int = 30, schedule: SnapshotSchedule = .monthly, holdoutSnapshots: Int = 2,
                followUpDays: Int = HoldoutPlan.defaultFollowUpDays, l2Candidates: [Double] = [0.1, 1, 10, 100, 1000], coxL2: Double = 1,
                minimumPromises: Int = 50, callWindow: CallWindowFitter.Options = CallWindowFitter.Options(),
                selectionRows: Int = 500_000, newton: NewtonOptions = NewtonOptions(),
                maxTrainingRows: Int = TrainingOptions.defaultMaxTrainingRows,
                samplingSeed: UInt64 = TrainingOptions.defaultSamplingSeed) {
        self.horizonDays = horizonDays
        self.schedule = schedule
        self.holdoutSnapshots = holdoutSnapshots
        self.followUpDays = followUpDays
        self.l2Candidates = l2Candidates
        self.coxL2 = coxL2
        self.minimumPromises = minimumPromises
        self.callWindow = callWindow
        self.selectionRows = selectionRows
        self.newton = newton
        self.maxTrainingRows = maxTrainingRows
        self.samplingSeed = samplingSeed
    }

    /// Checks ranges.
    public func validate() throws {
        guard horizonDays >= 1, horizonDays <= 366 else { throw TrainingError.invalidOption("horizon must be 1 to 366 days, got \(horizonDays)") }
        guard holdoutSnapshots >= 1 else { throw TrainingError.invalidOption("holdout must be at least 1 snapshot, got \(holdoutSnapshots)") }
        guard followUpDays >= horizonDays else { throw TrainingError.invalidOption("follow-up (\(followUpDays) days) must cover the horizon") }
        guard !l2Candidates.isEmpty, l2Candidates.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw TrainingError.invalidOption("l2 candidates must be finite and ≥ 0")
        }
        guard coxL2.isFinite, coxL2 >= 0 else { throw TrainingError.invalidOption("Cox l2 must be finite and ≥ 0") }
        guard maxTrainingRows >= Self.minimumTrainingRowBudget else {
            throw TrainingError.invalidOption("the training row budget (max training rows) must be at least "
                + "\(Self.minimumTrainingRowBudget), got \(maxTrainingRows)")
        }
        if case .everyDays(let step) = schedule, step < 1 {
            throw TrainingError.invalidOption("snapshot step must be at least 1 day")
        }
    }
}
