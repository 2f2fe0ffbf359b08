import LinearAlgebra

/// The checks the fits make on their inputs, written once, each throwing the `ModelFitError` the fits document.
///
/// The logistic and Cox fits share the shape, penalty, row-value and weight checks (`checkRows`) and the
/// standardisation with its feature checks (`standardize`); the call-window fitter has its own shapes and
/// counts (`checkCallWindowInputs`). The checks run in a fixed order, so when several inputs are wrong the
/// error reported is always the same one.
enum FitInputValidator {
    /// A per-row input of a fit besides the features and weights.
    enum RowValues {
        /// Targets, each 0 or 1.
        case labels([Double])
        /// Fractional targets (shares, e.g. of a balance collected), each finite and in [0, 1].
        case shares([Double])
        /// Times to the event or to censoring, finite and non-negative.
        case durations([Double])
        /// Event indicators, each 0 or 1.
        case events([Double])

        /// The values.
        var values: [Double] {
            switch self {
            case .labels(let values), .shares(let values), .durations(let values), .events(let values): return values
            }
        }

        /// What the values are called in a shape error.
        var name: String {
            switch self {
            case .labels: return "labels"
            case .shares: return "shares"
            case .durations: return "durations"
            case .events: return "events"
            }
        }

        /// The error for the first invalid value, or nil when all are valid.
        func firstInvalid() -> ModelFitError? {
            switch self {
            case .labels(let labels):
                for (row, label) in labels.enumerated() where label != 0 && label != 1 {
                    return .invalidLabel(row: row, value: label)
                }
            case .shares(let shares):
                for (row, share) in shares.enumerated() where !(share.isFinite && share >= 0 && share <= 1) {
                    return .invalidShare(row: row, value: share)
                }
            case .durations(let durations):
                for (row, duration) in durations.enumerated() where !(duration.isFinite && duration >= 0) {
                    return .invalidDuration(row: row, value: duration)
                }
            case .events(let events):
                for (row, event) in events.enumerated() where event != 0 && event != 1 {
                    return .invalidEvent(row: row, value: event)
                }
            }
            return nil
        }
    }

    /// Checks a regression fit's inputs and returns its case weights (all 1 when `weights` is nil) and their total.
    ///
    /// In this order: one name per feature column; one value per row in each of `columns`, then in `weights`; a
    /// finite, non-negative `l2`; at least one row; the values of each of `columns`, then the weights (finite,
    /// non-negative); a positive total weight.
    /// - Throws: `ModelFitError.shapeMismatch`, `.invalidPenalty`, `.noData`, `.invalidLabel`, `.invalidShare`,
    ///   `.invalidDuration`, `.invalidEvent` or `.invalidWeight`.
    static func checkRows(
        features: Matrix, featureNames: [String], columns: [RowValues], weights: [Double]?, l2: Double
    ) throws -> (weights: [Double], total: Double) {
        let n = features.rows
        try checkShapes(features: features, featureNames: featureNames, columns: columns, weights: weights)
        guard l2.isFinite, l2 >= 0 else { throw ModelFitError.invalidPenalty(l2) }
        guard n > 0 else { throw ModelFitError.noData }
        for column in columns {
            if let error = column.firstInvalid() { throw error }
        }
        if let weights { try checkWeights(weights) }
        let caseWeights = weights ?? [Double](repeating: 1, count: n)
        let total = caseWeights.reduce(0, +)
        guard total > 0 else { throw ModelFitError.noData }
        return (caseWeights, total)
    }

    /// One name per feature column and one value per row in each of `columns` and in `weights`.
    static func checkShapes(features: Matrix, featureNames: [String], columns: [RowValues], weights: [Double]?) throws {
        let n = features.rows
        guard featureNames.count == features.columns else {
            throw ModelFitError.shapeMismatch("\(featureNames.count) names for \(features.columns) feature columns")
        }
        for column in columns where column.values.count != n {
            throw ModelFitError.shapeMismatch("\(column.values.count) \(column.name) for \(n) rows")
        }
        if let weights, weights.count != n {
            throw ModelFitError.shapeMismatch("\(weights.count) weights for \(n) rows")
        }
    }

    /// Every weight finite and non-negative.
    static func checkWeights(_ weights: [Double]) throws {
        for (row, weight) in weights.enumerated() where !(weight.isFinite && weight >= 0) {
            throw ModelFitError.invalidWeight(row: row, value: weight)
        }
    }

    /// The standardised features of a fit: their moments, the columns kept and dropped, and the design.
    struct Standardized {
        let standardization: FeatureStandardization
        /// Indices of the non-constant columns, in column order.
        let kept: [Int]
        /// Names of the constant columns.
        let dropped: [String]
        /// Names of the kept columns.
        let keptNames: [String]
        let design: StandardizedDesign
    }

    /// Standardises the features (with the sample weights as given) and drops the constant ones.
    /// - Throws: `ModelFitError.nonFiniteFeature` for the first NaN or infinite value, `.noUsableFeatures` when
    ///   every feature is constant.
    static func standardize(features: Matrix, featureNames: [String], weights: [Double]?) throws -> Standardized {
        let p = features.columns
        let standardization = FeatureStandardization(features: features, featureNames: featureNames, weights: weights)
        // A NaN or infinite value makes its column's moments non-finite; only then search for it.
        if !(standardization.means + standardization.standardDeviations).allSatisfy({ $0.isFinite }) {
            for (index, value) in features.storage.enumerated() where !value.isFinite {
                throw ModelFitError.nonFiniteFeature(row: index / p, feature: featureNames[index % p])
            }
        }
        let kept = (0..<p).filter { !standardization.isConstant($0) }
        let dropped = (0..<p).filter { standardization.isConstant($0) }.map { featureNames[$0] }
        guard !kept.isEmpty else { throw ModelFitError.noUsableFeatures(dropped: dropped) }
        return Standardized(
            standardization: standardization, kept: kept, dropped: dropped, keptNames: kept.map { featureNames[$0] },
            design: StandardizedDesign(features: features, standardization: standardization, kept: kept))
    }

    /// Checks a call-window fit's inputs: `w` columns in both count matrices of equal rows, options in range, and
    /// finite counts with 0 ≤ contacts ≤ attempts.
    /// - Throws: `ModelFitError.shapeMismatch`, `.invalidOption` or `.invalidCount`.
    static func checkCallWindowInputs(
        attempts: Matrix, contacts: Matrix, windows w: Int, options: CallWindowFitter.Options
    ) throws {
        guard attempts.columns == w, contacts.columns == w, contacts.rows == attempts.rows else {
            throw ModelFitError.shapeMismatch(
                "\(w) windows; attempts \(attempts.rows)×\(attempts.columns), contacts \(contacts.rows)×\(contacts.columns)")
        }
        guard options.profiles >= 1, options.starts >= 1, options.maximumIterations >= 1, options.maximumAccounts >= 1,
              options.profilePriorAttempts > 0, !options.reachLevels.isEmpty,
              options.reachLevels.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw ModelFitError.invalidOption("call-window fits need ≥ 1 profile, start, iteration and account, α > 0 and reach levels in (0, 1]")
        }
        if let problem = options.layout?.problem(windows: w) {
            throw ModelFitError.invalidOption("call-window layout: \(problem)")
        }
        for i in attempts.storage.indices {
            let n = attempts.storage[i], r = contacts.storage[i]
            guard n.isFinite, r.isFinite, n >= 0, r >= 0, r <= n else {
                throw ModelFitError.invalidCount(row: i / w, window: i % w, attempts: n, contacts: r)
            }
        }
    }
}
