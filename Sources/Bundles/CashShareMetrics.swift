extension BundleManifest {
    /// The cash-share model on the holdout, in money: for the holdout rows with a past-due balance B > 0, the
    /// predicted cash `B × predicted share` against the collected cash `B × collected share` (see
    /// `Features.CashShareLabels`), overall and per decile of the predicted share. Amounts are in the export's
    /// currency units (not converted between currencies).
    public struct CashShareMetrics: Codable, Equatable, Sendable {
        /// Which model gave the predicted share: `cash_share`, or `pay_likelihood` for a bundle without a
        /// cash-share model (P(pay) stands in for the share).
        public var shareModel: String
        /// Holdout rows with a past-due balance > 0.
        public var rows: Int
        /// Σ B over those rows.
        public var pastDueBalance: Double
        /// Σ B × predicted share and Σ B × collected share.
        public var predictedCash: Double
        public var collectedCash: Double
        /// predictedCash / collectedCash (nil when nothing was collected); 1 is calibrated in total.
        public var predictedToCollected: Double?
        /// Balance-weighted mean log-loss `Σ B·[−s log p − (1−s) log(1−p)] / Σ B` (natural log, p clipped to
        /// [1e-15, 1 − 1e-15]).
        public var weightedLogLoss: Double
        /// Deciles of the predicted share (equal row counts, ascending; ties by row order).
        public var deciles: [CashShareBin]

        public init(shareModel: String, rows: Int, pastDueBalance: Double, predictedCash: Double, collectedCash: Double,
                    predictedToCollected: Double?, weightedLogLoss: Double, deciles: [CashShareBin]) {
            self.shareModel = shareModel
            self.rows = rows
            self.pastDueBalance = pastDueBalance
            self.predictedCash = predictedCash
            self.collectedCash = collectedCash
            self.predictedToCollected = predictedToCollected
            self.weightedLogLoss = weightedLogLoss
            self.deciles = deciles
        }
    }

    /// One decile of the predicted cash share: its rows, balance, and predicted vs collected cash (currency units).
    public struct CashShareBin: Codable, Equatable, Sendable {
        /// 0 = lowest predicted shares.
        public var index: Int
        public var rows: Int
        /// Smallest and largest predicted share in the bin.
        public var minimumPredicted: Double
        public var maximumPredicted: Double
        /// Σ B, Σ B × predicted share, Σ B × collected share.
        public var pastDueBalance: Double
        public var predictedCash: Double
        public var collectedCash: Double

        public init(index: Int, rows: Int, minimumPredicted: Double, maximumPredicted: Double, pastDueBalance: Double,
                    predictedCash: Double, collectedCash: Double) {
            self.index = index
            self.rows = rows
            self.minimumPredicted = minimumPredicted
            self.maximumPredicted = maximumPredicted
            self.pastDueBalance = pastDueBalance
            self.predictedCash = predictedCash
            self.collectedCash = collectedCash
        }
    }
}
