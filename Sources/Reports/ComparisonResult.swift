import Bundles
import Foundation
import Metrics
import StableJSON

/// `arscore compare`: every bundle evaluated on the same out-of-time holdout of one export.
///
/// The JSON form (`--format json`) is stable for scripts: snake_case keys, sorted; probabilities and rates in
/// [0, 1]; days are calendar days; money in the invoice currency. docs/COMPARE.md documents every key.
public struct ComparisonResult: Codable, Equatable, Sendable {
    public var formatVersion: Int = 1
    public var data: HoldoutData
    /// One entry per bundle, in the order given on the command line.
    public var bundles: [BundleEvaluation]
    /// The paired DeLong test of the pay model's AUC for every pair of bundles (i < j).
    public var pairedTests: [PairedComparison]
    /// The export's logged selections (selections.csv) the off-policy values use; nil without a usable log.
    public var selectionLog: SelectionLogSummary? = nil

    public init(data: HoldoutData, bundles: [BundleEvaluation], pairedTests: [PairedComparison]) {
        self.data = data
        self.bundles = bundles
        self.pairedTests = pairedTests
    }

    /// What all bundles were evaluated on.
    public struct HoldoutData: Codable, Equatable, Sendable {
        public var folder: String
        public var fingerprint: String
        public var horizonDays: Int
        /// Snapshot schedule the holdout dates follow (`monthly` or `every-N-days`): the first bundle's.
        public var schedule: String
        public var holdoutDates: [String]
        /// Account snapshots (open balance > 0) and the share that paid within the horizon.
        public var accounts: Int
        public var paidShare: Double
        /// Cash paid within the horizon by those accounts.
        public var cash: Double
        public var promises: Int
        public var attempts: Int
        /// Observed right-party-contact rate and attempts of the holdout attempts, by local weekday (Mon…Fri) × window
        /// start hour (08, 10, 12, 14, 16): `contactRate[weekday][slot]` (nil where there were no attempts).
        public var contactRate: [[Double?]]
        public var contactAttempts: [[Int]]

        public init(folder: String, fingerprint: String, horizonDays: Int, schedule: String, holdoutDates: [String], accounts: Int,
                    paidShare: Double, cash: Double, promises: Int, attempts: Int, contactRate: [[Double?]],
                    contactAttempts: [[Int]]) {
            self.folder = folder
            self.fingerprint = fingerprint
            self.schedule = schedule
            self.horizonDays = horizonDays
            self.holdoutDates = holdoutDates
            self.accounts = accounts
            self.paidShare = paidShare
            self.cash = cash
            self.promises = promises
            self.attempts = attempts
            self.contactRate = contactRate
            self.contactAttempts = contactAttempts
        }
    }

    /// One bundle's metrics on the holdout.
    public struct BundleEvaluation: Codable, Equatable, Sendable {
        /// Display label ("name/version") and the folder it was read from.
        public var label: String
        public var path: String
        public var trainedAt: String
        /// Warnings, e.g. the bundle was trained on data from the holdout period.
        public var notes: [String]
        public var pay: PayMetrics
        public var timeToPay: TimeToPayMetrics
        public var callWindow: WindowMetrics
        public var promise: PromiseMetrics?
        /// Cash share in money on the holdout (the card's metrics: predicted vs collected past-due cash, per decile);
        /// nil when no holdout account has a past-due balance.
        public var cashShare: CashShareMetrics?
        public var stability: StabilityMetrics
        /// Backtest over the holdout days (queue vs aging heuristic vs random), when run.
        public var backtest: [BacktestDay]
        /// How the bundle's call values rank what calls add (Qini, uplift@k) and its policy's off-policy value.
        public var callEffect: CallEffectMetrics? = nil

        public init(label: String, path: String, trainedAt: String, notes: [String], pay: PayMetrics, timeToPay: TimeToPayMetrics,
                    callWindow: WindowMetrics, promise: PromiseMetrics?, cashShare: CashShareMetrics? = nil,
                    stability: StabilityMetrics, backtest: [BacktestDay]) {
            self.label = label
            self.path = path
            self.trainedAt = trainedAt
            self.notes = notes
            self.pay = pay
            self.timeToPay = timeToPay
            self.callWindow = callWindow
            self.promise = promise
            self.cashShare = cashShare
            self.stability = stability
            self.backtest = backtest
        }
    }

    /// The cash-share holdout metrics, as bundle.json stores them.
    public typealias CashShareMetrics = BundleManifest.CashShareMetrics

    /// Pay likelihood: P(pay within H days).
    public struct PayMetrics: Codable, Equatable, Sendable {
        public var auc: AUCInference
        public var ks: Double
        public var gini: Double
        public var logLoss: Double
        public var brier: Double
        public var calibration: [CalibrationBin]
        /// Lift and cash captured at the top 5%, 10%, 20% by P(pay).
        public var lift: [LiftPoint]
        /// ROC curve (at most 200 points) and cumulative gains curve (50 points) for plotting.
        public var roc: [ROCPoint]
        public var gains: [LiftPoint]

        public init(auc: AUCInference, ks: Double, gini: Double, logLoss: Double, brier: Double, calibration: [CalibrationBin],
                    lift: [LiftPoint], roc: [ROCPoint], gains: [LiftPoint]) {
            self.auc = auc
            self.ks = ks
            self.gini = gini
            self.logLoss = logLoss
            self.brier = brier
            self.calibration = calibration
            self.lift = lift
            self.roc = roc
            self.gains = gains
        }
    }

    /// Time to the first payment.
    public struct TimeToPayMetrics: Codable, Equatable, Sendable {
        /// Harrell's C of the Cox linear predictor against days to the first payment (censored at the data end).
        public var concordance: Double?
        /// Calibration of P(pay within H) from the Cox model against paying within H.
        public var calibration: [CalibrationBin]
        /// Survival (not yet paid) by score band: thirds of the holdout by linear predictor.
        public var bands: [SurvivalBand]

        public init(concordance: Double?, calibration: [CalibrationBin], bands: [SurvivalBand]) {
            self.concordance = concordance
            self.calibration = calibration
            self.bands = bands
        }
    }

    /// Observed (Kaplan–Meier) and mean predicted survival of one score band, days 0 … 90.
    public struct SurvivalBand: Codable, Equatable, Sendable {
        public var label: String
        public var accounts: Int
        public var observed: [SurvivalPoint]
        /// Mean predicted S(t) over the band at t = 0, 1, …, 90.
        public var predicted: [Double]

        public init(label: String, accounts: Int, observed: [SurvivalPoint], predicted: [Double]) {
            self.label = label
            self.accounts = accounts
            self.observed = observed
            self.predicted = predicted
        }
    }

    /// Call windows on the held-out attempts.
    public struct WindowMetrics: Codable, Equatable, Sendable {
        public var attempts: Int
        public var auc: Double?
        public var logLoss: Double?
        public var rpcRateInChosenWindow: Double?
        public var attemptsInChosenWindow: Int
        public var rpcRateInOtherWindows: Double?
        /// Issue 13's smoothed-rate baseline on the same attempts.
        public var baselineAuc: Double?
        public var baselineLogLoss: Double?
        /// Why the window model is a fallback, if it is.
        public var fallback: String?

        public init(attempts: Int, auc: Double?, logLoss: Double?, rpcRateInChosenWindow: Double?, attemptsInChosenWindow: Int,
                    rpcRateInOtherWindows: Double?, baselineAuc: Double? = nil, baselineLogLoss: Double? = nil,
                    fallback: String?) {
            self.baselineAuc = baselineAuc
            self.baselineLogLoss = baselineLogLoss
            self.attempts = attempts
            self.auc = auc
            self.logLoss = logLoss
            self.rpcRateInChosenWindow = rpcRateInChosenWindow
            self.attemptsInChosenWindow = attemptsInChosenWindow
            self.rpcRateInOtherWindows = rpcRateInOtherWindows
            self.fallback = fallback
        }
    }

    /// Promises created in the holdout period with a known outcome.
    public struct PromiseMetrics: Codable, Equatable, Sendable {
        public var promises: Int
        public var auc: AUCInference?
        public var brier: Double
        public var fallback: String?

        public init(promises: Int, auc: AUCInference?, brier: Double, fallback: String?) {
            self.promises = promises
            self.auc = auc
            self.brier = brier
            self.fallback = fallback
        }
    }

    /// Population stability between the bundle's training data and the holdout.
    public struct StabilityMetrics: Codable, Equatable, Sendable {
        /// PSI of P(pay).
        public var scorePSI: Double?
        /// PSI of each pay-model feature (nil when the bundle predates stored feature distributions).
        public var featurePSI: [String: Double]?

        public init(scorePSI: Double?, featurePSI: [String: Double]?) {
            self.scorePSI = scorePSI
            self.featurePSI = featurePSI
        }

        /// Spelled so the snake_case strategies map them to `score_psi` / `feature_psi` and back.
        enum CodingKeys: String, CodingKey {
            case scorePSI = "scorePsi"
            case featurePSI = "featurePsi"
        }
    }

    /// One replayed calling day.
    public struct BacktestDay: Codable, Equatable, Sendable {
        public var asOf: String
        public var calls: Int
        public var queueCash: Double
        public var agingCash: Double
        public var randomCash: Double

        public init(asOf: String, calls: Int, queueCash: Double, agingCash: Double, randomCash: Double) {
            self.asOf = asOf
            self.calls = calls
            self.queueCash = queueCash
            self.agingCash = agingCash
            self.randomCash = randomCash
        }
    }

    /// Paired DeLong test of pay AUC between bundles `a` and `b` (indices into `bundles`).
    public struct PairedComparison: Codable, Equatable, Sendable {
        public var a: Int
        public var b: Int
        public var test: PairedAUCTest

        public init(a: Int, b: Int, test: PairedAUCTest) {
            self.a = a
            self.b = b
            self.test = test
        }
    }

    /// The JSON form: pretty-printed, sorted snake_case keys.
    public func jsonData() throws -> Data {
        try StableJSON.encoder(allowingNonFinite: true).encode(self)
    }

    /// Reads the JSON form back.
    public static func load(jsonData: Data) throws -> ComparisonResult {
        try StableJSON.decoder(allowingNonFinite: true).decode(ComparisonResult.self, from: jsonData)
    }
}
