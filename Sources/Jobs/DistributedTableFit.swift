import FileSafety
import Foundation
import LinearAlgebra
import Models
import Tabular

/// Exact distributed training over shard tables (CSV, the tables `arscore fit` reads): the library side of
/// `arscore fit-sharded`.
///
/// Each shard table is read and checked on its own (errors name the shard's file, line and column); all
/// shards must have the same feature columns. The fit is `DistributedFit` (summed shard statistics, one
/// Newton solve on the driver), and the model file has `arscore fit`'s format, so `arscore predict` reads it;
/// its coefficients equal `arscore fit` on the concatenated table to 1e-9.
public enum DistributedTableFit {
    /// A logistic fit over shard tables; the options are `TableModeling.LogisticFitRequest`'s with
    /// `tablePath` ignored.
    @discardableResult
    public static func fitLogistic(shardPaths: [String], _ request: TableModeling.LogisticFitRequest) throws
        -> LogisticRegressionModel {
        let roles = [("--target", request.target)] + (request.weight.map { [("--weight", $0)] } ?? [])
        let inputs = try readShards(shardPaths, features: request.features, roles: roles)
        let shards = inputs.map { input in
            DistributedFit.LogisticShard(
                features: input.features, labels: Array(input.table.column(request.target)!),
                weights: request.weight.map { Array(input.table.column($0)!) })
        }
        let model: LogisticRegressionModel
        do {
            model = try DistributedFit.fit(shards: shards, featureNames: inputs[0].featureNames,
                                           options: .init(l2: request.l2))
        } catch let error as DistributedFitError {
            throw locate(error, shardPaths, inputs,
                         columns: ["target": request.target, "weight": request.weight ?? "weight"])
        }
        try AtomicFile.write(model.jsonData(), to: request.outputPath)
        return model
    }

    /// A Cox fit over shard tables; the options are `TableModeling.CoxFitRequest`'s with `tablePath` ignored.
    @discardableResult
    public static func fitCox(shardPaths: [String], _ request: TableModeling.CoxFitRequest) throws -> CoxModel {
        let roles = [("--duration", request.duration), ("--event", request.event)]
            + (request.weight.map { [("--weight", $0)] } ?? [])
        let inputs = try readShards(shardPaths, features: request.features, roles: roles)
        let shards = inputs.map { input in
            DistributedFit.CoxShard(
                features: input.features, durations: Array(input.table.column(request.duration)!),
                events: Array(input.table.column(request.event)!),
                weights: request.weight.map { Array(input.table.column($0)!) })
        }
        let model: CoxModel
        do {
            model = try DistributedFit.fit(shards: shards, featureNames: inputs[0].featureNames,
                                           options: .init(ties: request.ties, l2: request.l2))
        } catch let error as DistributedFitError {
            throw locate(error, shardPaths, inputs, columns: [
                "duration": request.duration, "event": request.event, "weight": request.weight ?? "weight"])
        }
        try AtomicFile.write(model.jsonData(), to: request.outputPath)
        return model
    }

    typealias ShardInput = (table: NumericTable, features: Matrix, featureNames: [String])

    /// Reads every shard with `arscore fit`'s reader; the shards must name the same features in the same order.
    static func readShards(_ paths: [String], features: [String]?, roles: [(option: String, column: String)])
        throws -> [ShardInput] {
        guard !paths.isEmpty else { throw ArscoreError("no shard tables given") }
        let inputs = try paths.map { try TableModeling.readFitTable(path: $0, features: features, roles: roles) }
        for (k, input) in inputs.enumerated() where input.featureNames != inputs[0].featureNames {
            throw ArscoreError("\(paths[k]): feature columns \(input.featureNames.joined(separator: ",")) differ from "
                + "\(paths[0])'s \(inputs[0].featureNames.joined(separator: ","))")
        }
        return inputs
    }

    /// A distributed-fit error with the shard's file, line and column where it concerns one row.
    static func locate(_ error: DistributedFitError, _ paths: [String], _ inputs: [ShardInput],
                       columns: [String: String]) -> Error {
        switch error {
        case .shard(let k, let fitError):
            return TableModeling.locate(fitError, path: paths[k], lines: inputs[k].table.lines, columns: columns)
        case .featureColumns(let k, _, _):
            return ArscoreError("\(paths[k]): \(error.description)")
        case .noShards, .fit:
            return ArscoreError("\(paths.joined(separator: ", ")): \(error.description)")
        }
    }
}
