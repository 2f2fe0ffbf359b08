import Metrics

extension ComparisonResult {
    /// How a bundle's call values rank the cash calls add, on the holdout, and what its policy would collect, from the
    /// logged selections.
    ///
    /// The call value is the bundle's `incremental_cash` priority (past due × call effect × P(contact), or past due ×
    /// effect for an effect learnt per call placed; a bundle without a call-effect model falls back to expected cash,
    /// as its queue would). The Qini curve and coefficient and uplift@k are scikit-uplift's, on the holdout snapshots
    /// with a past-due balance: outcome the past-due cash collected within the horizon, treated = reached (a
    /// right-party contact in the 7 days after the snapshot). That treatment was not randomised, so these rank
    /// accounts against the history's own confounding; the off-policy value (`offPolicy`) uses the randomised log.
    public struct CallEffectMetrics: Codable, Equatable, Sendable {
        /// `call_effect (observational)`, `call_effect (randomized)` or `expected cash (no call-effect model)`.
        public var value: String
        /// Holdout rows with a past-due balance, and those reached.
        public var examples: Int
        public var reached: Int
        /// Qini coefficient (nil when undefined, e.g. an arm is missing) and the Qini curve (at most 200 points).
        public var qini: Double?
        public var qiniCurve: [UpliftCurvePoint]
        /// The share of rows uplift@k takes (the capacity share) and its value (nil when the top lacks an arm).
        public var topShare: Double
        public var upliftAtTop: UpliftAtK?
        /// The off-policy value of the bundle's policy from selections.csv; nil without a usable log.
        public var offPolicy: OffPolicyMetrics?
    }

    /// The off-policy value of a bundle's deterministic policy (its priority, the day's logged number of calls, no
    /// exploration or holdout), from the logged selections: SNIPS with a delta-method 95% interval (and IPS).
    public struct OffPolicyMetrics: Codable, Equatable, Sendable {
        /// Cash per eligible call candidate and day within the horizon (the policy's `exchange_rates` currency when
        /// given, otherwise as written).
        public var estimate: OffPolicyEstimate
        /// Logged rows where the policy takes the logged action (they carry the weight), of all logged rows.
        public var matchingRows: Int
    }

    /// The logged selections the off-policy values are estimated from.
    public struct SelectionLogSummary: Codable, Equatable, Sendable {
        /// Logged days used (those whose horizon lies inside the data, the newest `maximumDays`), first and last.
        public var days: Int
        public var firstDay: String
        public var lastDay: String
        /// Logged rows used, called (priority or explore) and held out.
        public var rows: Int
        public var called: Int
        public var heldOut: Int
    }
}
