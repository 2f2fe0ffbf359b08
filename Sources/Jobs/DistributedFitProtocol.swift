import FileSafety
import Foundation
import LinearAlgebra
import Models

/// The stateless step protocol of exact distributed training, for a driver (e.g. Spark) that runs one
/// process per shard per pass: `arscore fit-shard` (shard side) and `arscore fit-combine` (driver side).
///
/// 1. Each shard, without a state: its moments (and Cox event times) → a statistics file.
/// 2. The driver combines them into a state: the standardisation, the start and the first request.
/// 3. Each shard, with the state: its statistics at the requested point → a statistics file naming the state.
/// 4. The driver sums them, appends the evaluation to the state's log and replays `NewtonSolver` over the log
///    (`NewtonReplay`): either the next request (back to 3) or convergence (the model file).
/// Files are JSON; doubles are written in Swift's shortest round-trip form, so every number reads back
/// bit for bit (non-finite values as the strings "inf", "-inf", "nan").
public enum DistributedFitProtocol {
    /// Which model a protocol file belongs to.
    public enum ModelKind: String, Codable, Sendable { case logistic, cox }

    /// What a shard sends to the driver.
    public struct ShardStatistics: Codable, Sendable {
        public var format = "arscore-shard-statistics"
        public var model: ModelKind
        /// The state answered (nil for the moments pass).
        public var stateID: String?
        public var featureNames: [String]
        public var rows: Int
        public var weightSum: Double
        public var moments: ColumnMoments?
        /// Logistic: `Σ w·y`. Cox: nil.
        public var positiveWeight: Double?
        /// Cox: the shard's event times and smallest positive weight.
        public var eventTimes: [Double]?
        public var smallestWeight: Double?
        public var eventWeight: Double?
        public var logistic: LogisticShardStatistics?
        public var cox: CoxShardStatistics?
    }

    /// The driver's state between passes.
    public struct State: Codable, Sendable {
        public var format = "arscore-distributed-fit-state"
        public var model: ModelKind
        /// Identifies this state: shard statistics must name it.
        public var stateID: String
        public var featureNames: [String]
        public var standardization: FeatureStandardization
        public var kept: [Int]
        public var dropped: [String]
        public var l2: Double
        public var ties: CoxRegression.Ties?
        public var start: [Double]
        public var gradientScale: Double
        public var eventTimes: [Double]?
        public var domainFloor: Double?
        public var rows: Int
        public var weightSum: Double
        /// The evaluations answered so far.
        public var log: [NewtonReplay.Evaluation]
        /// The evaluation the shards must compute next (nil once converged).
        public var requestPoint: [Double]?
        public var requestKind: NewtonReplay.Kind?
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf",
                                                                        negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Reads a protocol file, naming it in any error.
    public static func read<T: Decodable>(_ type: T.Type, path: String) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ArscoreError("\(path): \(TableModeling.systemReason(error))")
        }
        do { return try decoder().decode(type, from: data) } catch {
            throw ArscoreError("\(path): not an arscore distributed-fit file (\(error))")
        }
    }

    /// Writes a protocol file atomically.
    public static func write(_ value: some Encodable, path: String) throws {
        try AtomicFile.write(try encoder().encode(value), to: path)
    }

    // MARK: - Shard side

    /// What a shard table holds for the protocol: its features and role columns.
    public struct ShardTable {
        public var model: ModelKind
        public var path: String
        public var features: [String]?
        public var weight: String?
        /// Logistic.
        public var target: String?
        /// Cox.
        public var duration: String?
        public var event: String?

        public init(model: ModelKind, path: String, features: [String]?, weight: String?, target: String? = nil,
                    duration: String? = nil, event: String? = nil) {
            self.model = model
            self.path = path
            self.features = features
            self.weight = weight
            self.target = target
            self.duration = duration
            self.event = event
        }
    }

    /// The shard's statistics: its moments without a state, else its sums at the state's request.
    /// - Throws: `ArscoreError` naming the shard file (and line and column for a bad cell), or the state file
    ///   when the state is converged, of another model or of other features.
    public static func shardStatistics(_ shard: ShardTable, state: State?, statePath: String = "state") throws
        -> ShardStatistics {
        let (input, weights, column) = try readShard(shard)
        var result = ShardStatistics(model: shard.model, featureNames: input.featureNames, rows: input.table.rowCount,
                                     weightSum: weights.reduce(0, +))
        guard let state else {
            result.moments = ColumnMoments(features: input.features, weights: shard.weight == nil ? nil : weights)
            if let bad = input.features.storage.firstIndex(where: { !$0.isFinite }) {
                let p = input.features.columns
                throw TableModeling.locate(.nonFiniteFeature(row: bad / p, feature: input.featureNames[bad % p]),
                                           path: shard.path, lines: input.table.lines, columns: [:])
            }
            if shard.model == .logistic {
                result.positiveWeight = zip(column.labels, weights).reduce(0) { $0 + $1.0 * $1.1 }
            } else {
                result.eventTimes = CoxShardStatistics.eventTimes(durations: column.durations,
                                                                  events: column.events, weights: weights)
                result.smallestWeight = weights.filter { $0 > 0 }.min()
                result.eventWeight = zip(column.events, weights).reduce(0) { $0 + ($1.0 ? $1.1 : 0) }
            }
            return result
        }
        try check(state, model: shard.model, features: input.featureNames, source: statePath)
        guard let point = state.requestPoint, let kind = state.requestKind else {
            throw ArscoreError("\(statePath): the fit has converged; there is no step to compute")
        }
        result.stateID = state.stateID
        let design = StandardizedDesign(features: input.features, standardization: state.standardization,
                                        kept: state.kept)
        if shard.model == .logistic {
            result.logistic = LogisticShardStatistics(design: design, labels: column.labels, weights: weights,
                                                      parameters: point, withHessian: kind == .full)
        } else {
            result.cox = CoxShardStatistics(design: design, durations: column.durations, events: column.events,
                                            weights: weights, eventTimes: state.eventTimes ?? [], parameters: point)
        }
        return result
    }

    /// The shard's table read and checked as `arscore fit` does.
    static func readShard(_ shard: ShardTable) throws
        -> (input: DistributedTableFit.ShardInput, weights: [Double],
            column: (labels: [Double], durations: [Double], events: [Bool])) {
        let roles: [(option: String, column: String)]
        switch shard.model {
        case .logistic: roles = [("--target", shard.target ?? "")]
        case .cox: roles = [("--duration", shard.duration ?? ""), ("--event", shard.event ?? "")]
        }
        let allRoles = roles + (shard.weight.map { [("--weight", $0)] } ?? [])
        let input = try DistributedTableFit.readShards([shard.path], features: shard.features, roles: allRoles)[0]
        let table = input.table
        let weightColumn = shard.weight.map { Array(table.column($0)!) }
        let columns: [String: String] = ["target": shard.target ?? "", "duration": shard.duration ?? "",
                                         "event": shard.event ?? "", "weight": shard.weight ?? "weight"]
        do {
            if shard.model == .logistic {
                let labels = Array(table.column(shard.target!)!)
                let weights = try DistributedFit.checkedWeights(
                    features: input.features, featureNames: input.featureNames, labels: labels, weights: weightColumn)
                return (input, weights, (labels, [], []))
            }
            let durations = Array(table.column(shard.duration!)!), events = Array(table.column(shard.event!)!)
            let weights = try DistributedFit.checkedWeights(
                features: input.features, featureNames: input.featureNames, durations: durations, events: events,
                weights: weightColumn)
            return (input, weights, ([], durations, events.map { $0 == 1 }))
        } catch let error as ModelFitError {
            throw TableModeling.locate(error, path: shard.path, lines: table.lines, columns: columns)
        }
    }

    /// The state is of `model` and `features`.
    static func check(_ state: State, model: ModelKind, features: [String], source: String) throws {
        guard state.model == model else {
            throw ArscoreError("\(source): a \(state.model.rawValue) state, not \(model.rawValue)")
        }
        guard state.featureNames == features else {
            throw ArscoreError("\(source): the state's features \(state.featureNames.joined(separator: ",")) differ "
                + "from the shard's \(features.joined(separator: ","))")
        }
    }
}
