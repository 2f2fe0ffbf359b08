import Foundation
import Metrics
import Models
import StableJSON

/// `bundle.json`: what a model bundle holds, what it was trained on, and how it did on the out-of-time holdout.
///
/// Keys are snake_case in the file. Dates are `YYYY-MM-DD` strings; `created_at` is ISO 8601 UTC. Probabilities
/// and rates are in [0, 1]; days are calendar days. See Models/README.md for the format.
public struct BundleManifest: Codable, Equatable, Sendable {
    /// Version of this file's format.
    public var formatVersion: Int = 1
    /// Bundle name (the folder under Models/) and version (the folder under the name, e.g. "v3").
    public var name: String
    public var version: String
    /// When training finished (ISO 8601 UTC).
    public var createdAt: String
    /// The arscore build that trained it.
    public var arscoreVersion: String
    public var data: DataSummary
    public var training: TrainingSummary
    /// File and settings of each model.
    public var models: ModelFiles
    public var holdoutMetrics: HoldoutMetrics
    /// Models that fell back to simpler forms, and why (empty when all were fitted). Loading a bundle without a
    /// cash-share model adds a note here (in memory) saying that P(pay) stands in for the share.
    public var fallbacks: [String]
    /// Distribution of P(pay) on the training rows, for the population stability index at scoring time.
    public var scoreDistribution: ScoreDistribution
    /// Decile bins of each pay-model feature on the training rows (feature PSI in `arscore compare`); absent in
    /// bundles written before it existed.
    public var featureDistributions: [String: ScoreDistribution]?
    /// Overlap, effective sample sizes and holdout Qini of the call-effect model; absent without one.
    public var callEffect: CallEffectDiagnostics?

    /// The training export: its fingerprint and extent.
    public struct DataSummary: Codable, Equatable, Sendable {
        /// SHA-256 over the files' names and SHA-256s (`name  sha256\n` lines, sorted by name), hex.
        public var fingerprint: String
        public var files: [FileFingerprint]
        public var customers: Int
        public var firstInvoiceDate: String
        /// The day after the newest row (exclusive end of the history).
        public var dataEnd: String
        /// Rows left out as bad (see the quarantine file of the run).
        public var quarantinedRows: Int

        public init(fingerprint: String, files: [FileFingerprint], customers: Int, firstInvoiceDate: String,
                    dataEnd: String, quarantinedRows: Int) {
            self.fingerprint = fingerprint
            self.files = files
            self.customers = customers
            self.firstInvoiceDate = firstInvoiceDate
            self.dataEnd = dataEnd
            self.quarantinedRows = quarantinedRows
        }
    }

    /// One input file: name, size in bytes, data rows read, SHA-256 (hex) of its bytes.
    public struct FileFingerprint: Codable, Equatable, Sendable {
        public var name: String
        public var bytes: Int
        public var rows: Int
        public var sha256: String

        public init(name: String, bytes: Int, rows: Int, sha256: String) {
            self.name = name
            self.bytes = bytes
            self.rows = rows
            self.sha256 = sha256
        }
    }

    /// How the training examples were built.
    public struct TrainingSummary: Codable, Equatable, Sendable {
        /// H of "pays within H days".
        public var horizonDays: Int
        /// "monthly" or "every N days".
        public var schedule: String
        /// Snapshot dates the models were fitted on, and the newer ones held out.
        public var snapshotDates: [String]
        public var holdoutDates: [String]
        /// Account snapshots (open balance > 0) in training and in the holdout.
        public var trainingRows: Int
        public var holdoutRows: Int
        /// Promise records with known outcome in training and in the holdout.
        public var trainingPromises: Int
        public var holdoutPromises: Int
        /// Call attempts before the holdout (training) and in it.
        public var trainingAttempts: Int
        public var holdoutAttempts: Int
        /// The row sampling of the training snapshots; absent when every candidate row was used.
        public var sampling: TrainingRowSampling?

        public init(horizonDays: Int, schedule: String, snapshotDates: [String], holdoutDates: [String], trainingRows: Int,
                    holdoutRows: Int, trainingPromises: Int, holdoutPromises: Int, trainingAttempts: Int, holdoutAttempts: Int,
                    sampling: TrainingRowSampling? = nil) {
            self.horizonDays = horizonDays
            self.schedule = schedule
            self.snapshotDates = snapshotDates
            self.holdoutDates = holdoutDates
            self.trainingRows = trainingRows
            self.holdoutRows = holdoutRows
            self.trainingPromises = trainingPromises
            self.holdoutPromises = holdoutPromises
            self.trainingAttempts = trainingAttempts
            self.holdoutAttempts = holdoutAttempts
            self.sampling = sampling
        }
    }

    /// The model files and their settings.
    public struct ModelFiles: Codable, Equatable, Sendable {
        public var payLikelihood: ModelEntry
        public var timeToPay: ModelEntry
        public var callWindow: ModelEntry
        public var promiseKept: ModelEntry
        /// The cash-share model (`cash_share.json`); nil in bundles trained before it existed, whose scoring uses
        /// P(pay) as the share.
        public var cashShare: ModelEntry?
        /// The call-effect model (`call_effect.json`); nil when the export had no call log or the bundle was trained
        /// before the model existed (`priority: incremental_cash` then falls back to expected cash and says so).
        public var callEffect: ModelEntry?

        public init(payLikelihood: ModelEntry, timeToPay: ModelEntry, callWindow: ModelEntry, promiseKept: ModelEntry,
                    cashShare: ModelEntry? = nil, callEffect: ModelEntry? = nil) {
            self.payLikelihood = payLikelihood
            self.timeToPay = timeToPay
            self.callWindow = callWindow
            self.promiseKept = promiseKept
            self.cashShare = cashShare
            self.callEffect = callEffect
        }
    }

    /// One model: its file (relative to the version folder), kind, penalty and how the penalty was chosen.
    public struct ModelEntry: Codable, Equatable, Sendable {
        public var file: String
        public var kind: String
        /// Features the model reads (after dropping constant ones).
        public var features: Int
        /// L2 penalty on standardised coefficients (nil for models without one).
        public var l2: Double?
        /// Validation of the penalty, when it was chosen from candidates.
        public var l2Selection: PenaltySelection?
        /// Why the model is a population-rate fallback, or nil.
        public var fallback: String?

        public init(file: String, kind: String, features: Int, l2: Double? = nil, l2Selection: PenaltySelection? = nil,
                    fallback: String? = nil) {
            self.file = file
            self.kind = kind
            self.features = features
            self.l2 = l2
            self.l2Selection = l2Selection
            self.fallback = fallback
        }
    }

    /// Candidates tried for l2 and their validation loss (the newest training snapshot, fitted on the older ones).
    public struct PenaltySelection: Codable, Equatable, Sendable {
        /// The validation snapshot date.
        public var validationDate: String
        public var candidates: [Double]
        /// Mean log-loss on the validation snapshot per candidate (nil where the fit failed).
        public var validationLogLoss: [Double?]
        public var chosen: Double

        public init(validationDate: String, candidates: [Double], validationLogLoss: [Double?], chosen: Double) {
            self.validationDate = validationDate
            self.candidates = candidates
            self.validationLogLoss = validationLogLoss
            self.chosen = chosen
        }
    }

    /// Metrics of each model on the out-of-time holdout.
    public struct HoldoutMetrics: Codable, Equatable, Sendable {
        /// Pay within H days: AUC, log-loss, Brier, KS, Gini, calibration by decile.
        public var payLikelihood: BinaryClassificationSummary?
        public var timeToPay: TimeToPayMetrics?
        public var callWindow: CallWindowMetrics?
        public var promiseKept: BinaryClassificationSummary?
        /// Share of the past-due balance collected within H, in money: predicted vs collected cash by decile of the
        /// predicted share, their ratio, the balance-weighted log-loss (absent in bundles written before it existed).
        public var cashShare: CashShareMetrics?
        /// Why a metric is missing (e.g. no promises in the holdout).
        public var notes: [String]

        public init(payLikelihood: BinaryClassificationSummary?, timeToPay: TimeToPayMetrics?, callWindow: CallWindowMetrics?,
                    promiseKept: BinaryClassificationSummary?, cashShare: CashShareMetrics? = nil, notes: [String]) {
            self.payLikelihood = payLikelihood
            self.timeToPay = timeToPay
            self.callWindow = callWindow
            self.promiseKept = promiseKept
            self.cashShare = cashShare
            self.notes = notes
        }
    }

    /// Time to first payment on the holdout.
    public struct TimeToPayMetrics: Codable, Equatable, Sendable {
        /// Harrell's C of −(linear predictor) against days to first payment (censored at the data end).
        public var concordance: Double?
        /// Mean predicted P(pay within H) and the observed share, over the holdout rows.
        public var meanPredictedWithinHorizon: Double
        public var observedWithinHorizon: Double
        /// Calibration of P(pay within H) by decile.
        public var calibration: [CalibrationBin]

        public init(concordance: Double?, meanPredictedWithinHorizon: Double, observedWithinHorizon: Double,
                    calibration: [CalibrationBin]) {
            self.concordance = concordance
            self.meanPredictedWithinHorizon = meanPredictedWithinHorizon
            self.observedWithinHorizon = observedWithinHorizon
            self.calibration = calibration
        }
    }

    /// Call windows on the holdout attempts (each scored with the history before the holdout).
    public struct CallWindowMetrics: Codable, Equatable, Sendable {
        public var attempts: Int
        /// AUC and log-loss of the predicted RPC probability of each attempt's window.
        public var auc: Double?
        public var logLoss: Double?
        /// RPC rate of holdout attempts made in the account's chosen window, and in its other windows.
        public var rpcRateInChosenWindow: Double?
        public var attemptsInChosenWindow: Int
        public var rpcRateInOtherWindows: Double?
        /// The same for issue 13's smoothed-rate baseline (`SmoothedRateWindowBaseline`) on the same attempts (absent
        /// in bundles written before it existed).
        public var baselineAuc: Double?
        public var baselineLogLoss: Double?
        public var baselineRpcRateInChosenWindow: Double?

        public init(attempts: Int, auc: Double?, logLoss: Double?, rpcRateInChosenWindow: Double?, attemptsInChosenWindow: Int,
                    rpcRateInOtherWindows: Double?, baselineAuc: Double? = nil, baselineLogLoss: Double? = nil,
                    baselineRpcRateInChosenWindow: Double? = nil) {
            self.attempts = attempts
            self.auc = auc
            self.logLoss = logLoss
            self.rpcRateInChosenWindow = rpcRateInChosenWindow
            self.attemptsInChosenWindow = attemptsInChosenWindow
            self.rpcRateInOtherWindows = rpcRateInOtherWindows
            self.baselineAuc = baselineAuc
            self.baselineLogLoss = baselineLogLoss
            self.baselineRpcRateInChosenWindow = baselineRpcRateInChosenWindow
        }
    }

    /// Quantile bins of a score on the training rows (see `Metrics.ScoreDistribution`).
    public typealias ScoreDistribution = Metrics.ScoreDistribution

    public init(name: String, version: String, createdAt: String, arscoreVersion: String, data: DataSummary,
                training: TrainingSummary, models: ModelFiles, holdoutMetrics: HoldoutMetrics, fallbacks: [String],
                scoreDistribution: ScoreDistribution, featureDistributions: [String: ScoreDistribution]? = nil) {
        self.name = name
        self.version = version
        self.createdAt = createdAt
        self.arscoreVersion = arscoreVersion
        self.data = data
        self.training = training
        self.models = models
        self.holdoutMetrics = holdoutMetrics
        self.fallbacks = fallbacks
        self.scoreDistribution = scoreDistribution
        self.featureDistributions = featureDistributions
    }

    /// The file's JSON: pretty-printed, sorted snake_case keys.
    public func jsonData() throws -> Data {
        try StableJSON.encoder().encode(self)
    }

    /// Decodes `bundle.json`; `source` names the file in errors.
    public static func load(jsonData: Data, source: String) throws -> BundleManifest {
        if let duplicate = StableJSON.firstDuplicateKey(in: jsonData) {
            throw BundleError.invalid(source, reason: duplicate.description)
        }
        do {
            return try StableJSON.decoder().decode(BundleManifest.self, from: jsonData)
        } catch let error as DecodingError {
            throw BundleError.invalid(source, reason: ModelFileError.describe(error))
        }
    }
}
