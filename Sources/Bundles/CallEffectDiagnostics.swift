/// How well the training history can tell what a right-party contact does (bundle.json `call_effect`).
///
/// The treatment is a right-party contact within `treatmentDays` days after a snapshot; the propensity model is an L2
/// logistic regression of it on the account features (the features the past calling policy saw). Propensities are
/// clipped to [`propensityFloor`, 1 − `propensityFloor`] for the inverse-propensity weights; `clippedShare` says how
/// many snapshots needed it (poor overlap). Effective sample sizes are (Σw)² / Σw² of the balance × inverse-propensity
/// weights in each arm. On the holdout, `qini` is the Qini coefficient of past-due × effect against the cash collected
/// (reached vs not reached; scikit-uplift's `qini_auc_score`), nil when a group is missing.
///
/// With `design` = `randomized` the model was learnt from the queue's logged selections (selections.csv) instead: the
/// treatment is `called` (picked by rank or explore) against held out, the "propensities" are the logged selection
/// probabilities (nothing is clipped), the arm sizes and effective sample sizes are those of the logged rows, and
/// `treatmentDays` is 1 (the call is placed on the logged day). `note` says why a log was present but not used.
public struct CallEffectDiagnostics: Codable, Equatable, Sendable {
    /// `observational` (the history's right-party contacts, propensity-adjusted) or `randomized` (selections.csv);
    /// nil in bundles written before the randomised design existed (observational).
    public var design: String?
    public var note: String?
    public var treatmentDays: Int
    public var reachedSnapshots: Int
    public var unreachedSnapshots: Int
    public var propensityFloor: Double
    public var propensityMinimum: Double
    public var propensityMaximum: Double
    public var clippedShare: Double
    public var effectiveSampleSizeReached: Double
    public var effectiveSampleSizeUnreached: Double
    /// Mean effect (share of past due) over the training snapshots and the holdout Qini coefficient.
    public var meanEffect: Double
    public var holdoutQini: Double?

    public init(treatmentDays: Int, reachedSnapshots: Int, unreachedSnapshots: Int, propensityFloor: Double,
                propensityMinimum: Double, propensityMaximum: Double, clippedShare: Double,
                effectiveSampleSizeReached: Double, effectiveSampleSizeUnreached: Double, meanEffect: Double,
                holdoutQini: Double?) {
        self.treatmentDays = treatmentDays
        self.reachedSnapshots = reachedSnapshots
        self.unreachedSnapshots = unreachedSnapshots
        self.propensityFloor = propensityFloor
        self.propensityMinimum = propensityMinimum
        self.propensityMaximum = propensityMaximum
        self.clippedShare = clippedShare
        self.effectiveSampleSizeReached = effectiveSampleSizeReached
        self.effectiveSampleSizeUnreached = effectiveSampleSizeUnreached
        self.meanEffect = meanEffect
        self.holdoutQini = holdoutQini
    }

    public static let observational = "observational"
    public static let randomized = "randomized"
}
