import LinearAlgebra

/// Why a distributed fit rejected its shards.
public enum DistributedFitError: Error, Equatable, CustomStringConvertible {
    /// No shards were given.
    case noShards
    /// A shard's feature columns differ from shard 0's.
    case featureColumns(shard: Int, found: Int, expected: Int)
    /// A shard's input is invalid (the fit error names the row within the shard).
    case shard(Int, ModelFitError)
    /// The whole data is invalid (e.g. a single class over all shards, or no usable features).
    case fit(ModelFitError)

    public var description: String {
        switch self {
        case .noShards: return "no shards to fit"
        case .featureColumns(let shard, let found, let expected):
            return "shard \(shard) has \(found) feature columns, shard 0 has \(expected)"
        case .shard(let shard, let error): return "shard \(shard): \(error)"
        case .fit(let error): return "\(error)"
        }
    }
}

/// Exact distributed training: Newton's method on rows split over shards, each step from the shards'
/// summed sufficient statistics (`LogisticShardStatistics`, `CoxShardStatistics`), solved once.
///
/// Two kinds of pass over the shards: one moments pass (`ColumnMoments`, merged by Chan's formula, and for
/// Cox the event times) so the standardised design is the one-machine fit's, then one pass per objective
/// evaluation the solver asks for. The solver is `NewtonSolver` itself, with the one-machine start (logistic:
/// the intercept at the log-odds of the weighted positive rate; Cox: zeros), so the coefficients equal
/// `LogisticRegression.fit` / `CoxRegression.fit` on the concatenated rows up to the order of additions
/// (tested to 1e-9). The one-machine fits start from a subsample's fit above 200,000 (logistic) / 100,000 (Cox)
/// rows; the distributed fit does not, which changes the path but not the optimum.
///
/// The model is the one-machine model file, except what needs every row at once: no training metrics
/// (logistic) and no concordance (Cox), and no separation / monotone-likelihood diagnosis (a fit that runs off
/// reports `didNotConverge` or `singularHessian`).
public enum DistributedFit {
    /// One shard of a logistic fit: raw features (row-major, the same columns in every shard), 0/1 labels and
    /// optional sample weights.
    public struct LogisticShard: Sendable {
        public var features: Matrix
        public var labels: [Double]
        public var weights: [Double]?
        public init(features: Matrix, labels: [Double], weights: [Double]? = nil) {
            self.features = features
            self.labels = labels
            self.weights = weights
        }
    }

    /// One shard of a Cox fit: raw features, durations, 0/1 events and optional case weights.
    public struct CoxShard: Sendable {
        public var features: Matrix
        public var durations: [Double]
        public var events: [Double]
        public var weights: [Double]?
        public init(features: Matrix, durations: [Double], events: [Double], weights: [Double]? = nil) {
            self.features = features
            self.durations = durations
            self.events = events
            self.weights = weights
        }
    }

    /// Fits a logistic regression over `shards`.
    /// - Throws: `DistributedFitError`.
    public static func fit(shards: [LogisticShard], featureNames: [String],
                           options: LogisticRegression.Options = .init()) throws -> LogisticRegressionModel {
        guard !shards.isEmpty else { throw DistributedFitError.noShards }
        try checkColumns(shards.map(\.features))
        var weightsPerShard: [[Double]] = []
        for (k, shard) in shards.enumerated() {
            let column: FitInputValidator.RowValues = options.targets == .shares ? .shares(shard.labels) : .labels(shard.labels)
            weightsPerShard.append(try checked(k) {
                try FitInputValidator.checkRows(features: shard.features, featureNames: featureNames, columns: [column],
                                                weights: shard.weights, l2: options.l2).weights
            })
        }
        let total = weightsPerShard.joined().reduce(0, +)
        let positive = zip(shards, weightsPerShard).reduce(0) { $0 + zip($1.0.labels, $1.1).reduce(0) { $0 + $1.0 * $1.1 } }
        if positive <= 0 { throw DistributedFitError.fit(.singleClass(label: 0)) }
        if positive >= total { throw DistributedFitError.fit(.singleClass(label: 1)) }
        let standardized = try standardize(shards.map { ($0.features, $0.weights) }, featureNames: featureNames)
        let objective = ShardedLogisticObjective(shards: shards.indices.map {
            (standardized.designs[$0], shards[$0].labels, weightsPerShard[$0])
        }, l2: options.l2)
        var start = [Double](repeating: 0, count: standardized.kept.count + 1)
        start[0] = LogisticFunctions.logit(positive / total)
        let solution = try solve(objective, start: start, options: options.newton, names: standardized.keptNames)
        return LogisticRegressionModel(
            distributed: solution, standardization: standardized.standardization, kept: standardized.kept,
            dropped: standardized.dropped, rows: shards.reduce(0) { $0 + $1.labels.count }, weightSum: total,
            l2: options.l2)
    }

    /// Fits a Cox regression over `shards`.
    /// - Throws: `DistributedFitError`.
    public static func fit(shards: [CoxShard], featureNames: [String],
                           options: CoxRegression.Options = .init()) throws -> CoxModel {
        guard !shards.isEmpty else { throw DistributedFitError.noShards }
        try checkColumns(shards.map(\.features))
        var weightsPerShard: [[Double]] = []
        for (k, shard) in shards.enumerated() {
            weightsPerShard.append(try checked(k) {
                try FitInputValidator.checkRows(
                    features: shard.features, featureNames: featureNames,
                    columns: [.durations(shard.durations), .events(shard.events)], weights: shard.weights,
                    l2: options.l2).weights
            })
        }
        let hasEvent = shards.indices.contains { k in
            zip(shards[k].events, weightsPerShard[k]).contains { $0 == 1 && $1 > 0 }
        }
        guard hasEvent else { throw DistributedFitError.fit(.noEvents) }
        let standardized = try standardize(shards.map { ($0.features, $0.weights) }, featureNames: featureNames)
        let objective = ShardedCoxObjective(shards: shards.indices.map {
            (standardized.designs[$0], shards[$0].durations, shards[$0].events.map { $0 == 1 }, weightsPerShard[$0])
        }, ties: options.ties, l2: options.l2)
        let start = [Double](repeating: 0, count: standardized.kept.count)
        let solution = try solve(objective, start: start, options: options.newton, names: standardized.keptNames)
        let evaluation = objective.evaluation(at: solution.parameters)
        return CoxModel(
            distributed: solution, evaluation: evaluation, eventTimes: objective.eventTimes, ties: options.ties,
            standardization: standardized.standardization, kept: standardized.kept, dropped: standardized.dropped,
            rows: shards.reduce(0) { $0 + $1.durations.count }, weightSum: weightsPerShard.joined().reduce(0, +),
            l2: options.l2)
    }

    /// Checks one logistic shard's rows (as `LogisticRegression.fit` does) and returns its weights (all 1 when nil).
    /// - Throws: `ModelFitError` naming the row within the shard.
    public static func checkedWeights(features: Matrix, featureNames: [String], labels: [Double], weights: [Double]?)
        throws -> [Double] {
        try FitInputValidator.checkRows(features: features, featureNames: featureNames, columns: [.labels(labels)],
                                        weights: weights, l2: 0).weights
    }

    /// Checks one Cox shard's rows (as `CoxRegression.fit` does) and returns its weights (all 1 when nil).
    /// - Throws: `ModelFitError` naming the row within the shard.
    public static func checkedWeights(features: Matrix, featureNames: [String], durations: [Double],
                                      events: [Double], weights: [Double]?) throws -> [Double] {
        try FitInputValidator.checkRows(features: features, featureNames: featureNames,
                                        columns: [.durations(durations), .events(events)], weights: weights, l2: 0).weights
    }

    /// Every shard has shard 0's number of feature columns.
    static func checkColumns(_ features: [Matrix]) throws {
        for (k, matrix) in features.enumerated() where matrix.columns != features[0].columns {
            throw DistributedFitError.featureColumns(shard: k, found: matrix.columns, expected: features[0].columns)
        }
    }

    /// Runs `body`, naming shard `k` in any fit error it throws.
    static func checked<R>(_ k: Int, _ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as ModelFitError { throw DistributedFitError.shard(k, error) }
    }

    /// The global standardisation and each shard's design over it.
    struct Standardized {
        let standardization: FeatureStandardization
        let kept: [Int]
        let dropped: [String]
        let keptNames: [String]
        let designs: [StandardizedDesign]
    }

    /// The moments pass: each shard's `ColumnMoments` (a non-finite cell named by shard, row and feature),
    /// merged in shard order; constant features dropped as on one machine.
    static func standardize(_ shards: [(features: Matrix, weights: [Double]?)], featureNames: [String]) throws
        -> Standardized {
        var merged: ColumnMoments? = nil
        for (k, shard) in shards.enumerated() {
            let moments = ColumnMoments(features: shard.features, weights: shard.weights)
            if !(moments.means + moments.squaredDeviations).allSatisfy(\.isFinite) {
                let p = shard.features.columns
                if let index = shard.features.storage.firstIndex(where: { !$0.isFinite }) {
                    throw DistributedFitError.shard(k, .nonFiniteFeature(row: index / p, feature: featureNames[index % p]))
                }
            }
            merged = merged.map { $0.merged(with: moments) } ?? moments
        }
        let standardization = merged!.standardization(featureNames: featureNames)
        let p = featureNames.count
        let kept = (0..<p).filter { !standardization.isConstant($0) }
        let dropped = (0..<p).filter { standardization.isConstant($0) }.map { featureNames[$0] }
        guard !kept.isEmpty else { throw DistributedFitError.fit(.noUsableFeatures(dropped: dropped)) }
        return Standardized(
            standardization: standardization, kept: kept, dropped: dropped, keptNames: kept.map { featureNames[$0] },
            designs: shards.map { StandardizedDesign(features: $0.features, standardization: standardization, kept: kept) })
    }

    /// `NewtonSolver.minimize`, then the one-machine singularity check on an unpenalised solution.
    static func solve(_ objective: some NewtonObjective, start: [Double], options: NewtonOptions, names: [String])
        throws -> NewtonResult {
        let solution: NewtonResult
        do {
            solution = try NewtonSolver.minimize(objective, start: start, options: options)
        } catch let failure as NewtonFailure {
            if case .singularHessian = failure { throw DistributedFitError.fit(.singularHessian(features: names)) }
            let state = failure.lastState
            throw DistributedFitError.fit(.didNotConverge(iterations: state?.iterations ?? 0,
                                                          gradientMaxAbs: state?.gradientMaxAbs ?? .nan))
        }
        let penalised = (objective as? ShardedLogisticObjective)?.l2 ?? (objective as? ShardedCoxObjective)?.l2 ?? 0
        if penalised == 0 {
            let rcond = (try? Cholesky(solution.hessian).reciprocalConditionNumber()) ?? 0
            if rcond < 1e-12 { throw DistributedFitError.fit(.singularHessian(features: names)) }
        }
        return solution
    }
}
