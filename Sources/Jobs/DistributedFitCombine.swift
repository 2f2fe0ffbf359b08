import FileSafety
import Foundation
import LinearAlgebra
import Models

/// The driver side of `DistributedFitProtocol`: moments → first state, and state + step statistics → next
/// state or the model file.
public enum DistributedFitCombine {
    /// Where a combine step ended.
    public enum Result {
        /// Another pass: the shards must answer this state.
        case next(DistributedFitProtocol.State)
        /// Converged: the final state (no request) and the model file's JSON.
        case converged(DistributedFitProtocol.State, modelJSON: Data)
    }


    /// The first state from the shards' moments files (`sources` name them in errors).
    public static func start(_ stats: [DistributedFitProtocol.ShardStatistics], sources: [String], model: DistributedFitProtocol.ModelKind,
                             l2: Double, ties: CoxRegression.Ties = .efron,
                             options: NewtonOptions = NewtonOptions()) throws -> DistributedFitProtocol.State {
        guard !stats.isEmpty else { throw ArscoreError("no shard statistics given") }
        var merged: ColumnMoments? = nil
        for (k, shard) in stats.enumerated() {
            try checkShard(shard, source: sources[k], model: model, features: stats[0].featureNames)
            guard shard.stateID == nil, let moments = shard.moments else {
                throw ArscoreError("\(sources[k]): step statistics, not a moments pass (combine them with --state)")
            }
            merged = merged.map { $0.merged(with: moments) } ?? moments
        }
        let names = stats[0].featureNames
        let standardization = merged!.standardization(featureNames: names)
        let kept = names.indices.filter { !standardization.isConstant($0) }
        let dropped = names.indices.filter { standardization.isConstant($0) }.map { names[$0] }
        guard !kept.isEmpty else { throw ArscoreError(ModelFitError.noUsableFeatures(dropped: dropped).description) }
        let total = stats.reduce(0) { $0 + $1.weightSum }
        var state = DistributedFitProtocol.State(
            model: model, stateID: "", featureNames: names, standardization: standardization, kept: kept,
            dropped: dropped, l2: l2, ties: model == .cox ? ties : nil, start: [], gradientScale: total,
            rows: stats.reduce(0) { $0 + $1.rows }, weightSum: total, log: [])
        if model == .logistic {
            let positive = stats.reduce(0) { $0 + ($1.positiveWeight ?? 0) }
            if positive <= 0 { throw ArscoreError(ModelFitError.singleClass(label: 0).description) }
            if positive >= total { throw ArscoreError(ModelFitError.singleClass(label: 1).description) }
            state.start = [LogisticFunctions.logit(positive / total)] + kept.map { _ in 0 }
        } else {
            let eventWeight = stats.reduce(0) { $0 + ($1.eventWeight ?? 0) }
            guard eventWeight > 0 else { throw ArscoreError(ModelFitError.noEvents.description) }
            state.gradientScale = eventWeight
            state.eventTimes = CoxShardStatistics.mergedEventTimes(stats.map { $0.eventTimes ?? [] })
            state.domainFloor = 1e-150 * (stats.compactMap(\.smallestWeight).min() ?? 1)
            state.start = kept.map { _ in 0 }
        }
        guard case .next(let first) = try advance(state, options: options, atSolution: nil) else {
            throw ArscoreError("the solver asked for no evaluation at the start")
        }
        return first
    }

    /// Adds the shards' statistics for `state`'s request and replays the solver.
    /// - Throws: `ArscoreError` naming a statistics file of another model, features or state.
    public static func step(_ state: DistributedFitProtocol.State, _ stats: [DistributedFitProtocol.ShardStatistics], sources: [String],
                            options: NewtonOptions = NewtonOptions()) throws -> Result {
        guard !stats.isEmpty else { throw ArscoreError("no shard statistics given") }
        guard let point = state.requestPoint, let kind = state.requestKind else {
            throw ArscoreError("the state has converged; there is no step to combine")
        }
        for (k, shard) in stats.enumerated() {
            try checkShard(shard, source: sources[k], model: state.model, features: state.featureNames)
            guard shard.stateID == state.stateID else {
                throw ArscoreError("\(sources[k]): statistics for state \(shard.stateID ?? "(moments pass)"), "
                    + "not \(state.stateID) (from another step or fit)")
            }
        }
        var next = state
        if state.model == .logistic {
            let parts = try stats.enumerated().map { k, shard -> LogisticShardStatistics in
                guard let sums = shard.logistic else { throw ArscoreError("\(sources[k]): no logistic statistics") }
                return sums
            }
            let sums = parts.dropFirst().reduce(parts[0]) { $0.adding($1) }
            let evaluation = DistributedFit.logisticEvaluation(sums, at: point, l2: state.l2)
            next.log.append(.init(point: point, kind: kind, value: evaluation.value, gradient: evaluation.gradient,
                                  hessian: kind == .full ? evaluation.hessian : []))
            return try advance(next, options: options, atSolution: nil)
        }
        let parts = try stats.enumerated().map { k, shard -> CoxShardStatistics in
            guard let sums = shard.cox, sums.eventCounts.count == (state.eventTimes ?? []).count else {
                throw ArscoreError("\(sources[k]): no Cox statistics over the state's event times")
            }
            return sums
        }
        let sums = parts.dropFirst().reduce(parts[0]) { $0.adding($1) }
        let evaluation = CoxStatisticsEvaluation(sums, parameters: point, ties: state.ties ?? .efron, l2: state.l2,
                                                 domainFloor: state.domainFloor ?? 0)
        next.log.append(.init(point: point, kind: kind, value: evaluation.value, gradient: evaluation.gradient,
                              hessian: kind == .full ? evaluation.hessian.storage : []))
        return try advance(next, options: options, atSolution: evaluation)
    }

    /// Replays the solver over the state's log: the next request, or the model at convergence.
    static func advance(_ state: DistributedFitProtocol.State, options: NewtonOptions, atSolution cox: CoxStatisticsEvaluation?)
        throws -> Result {
        let count = state.start.count
        let outcome: NewtonReplay.Outcome
        do {
            outcome = try NewtonReplay.replay(parameterCount: count, gradientScale: state.gradientScale,
                                              start: state.start, options: options, log: state.log)
        } catch let mismatch as NewtonReplay.LogMismatch {
            throw ArscoreError("the state's log does not replay (entry \(mismatch.index + 1)): a state from another fit")
        }
        var next = state
        switch outcome {
        case .needs(let point, let kind):
            next.requestPoint = point
            next.requestKind = kind
            next.stateID = stateID(next)
            return .next(next)
        case .failed(let failure):
            let names = state.kept.map { state.featureNames[$0] }
            if case .singularHessian = failure {
                throw ArscoreError(ModelFitError.singularHessian(features: names).description)
            }
            throw ArscoreError(ModelFitError.didNotConverge(
                iterations: failure.lastState?.iterations ?? 0, gradientMaxAbs: failure.lastState?.gradientMaxAbs ?? .nan)
                .description)
        case .converged(let solution):
            if state.l2 == 0 && DistributedFit.isSingular(solution) {
                throw ArscoreError(ModelFitError.singularHessian(features: state.kept.map { state.featureNames[$0] })
                    .description)
            }
            next.requestPoint = nil
            next.requestKind = nil
            next.stateID = stateID(next)
            return .converged(next, modelJSON: try modelJSON(state, solution, cox: cox))
        }
    }

    /// The model file of the converged solution.
    static func modelJSON(_ state: DistributedFitProtocol.State, _ solution: NewtonResult, cox: CoxStatisticsEvaluation?) throws
        -> Data {
        switch state.model {
        case .logistic:
            return try DistributedFit.logisticModel(
                solution, standardization: state.standardization, kept: state.kept, dropped: state.dropped,
                rows: state.rows, weightSum: state.weightSum, l2: state.l2).jsonData()
        case .cox:
            guard let cox, state.log.last?.point == solution.parameters else {
                throw ArscoreError("the Cox fit converged away from the last evaluation; no baseline to write")
            }
            return try DistributedFit.coxModel(
                solution, evaluation: cox, eventTimes: state.eventTimes ?? [], ties: state.ties ?? .efron,
                standardization: state.standardization, kept: state.kept, dropped: state.dropped, rows: state.rows,
                weightSum: state.weightSum, l2: state.l2).jsonData()
        }
    }

    /// A shard file is of `model` and `features`.
    static func checkShard(_ shard: DistributedFitProtocol.ShardStatistics, source: String, model: DistributedFitProtocol.ModelKind,
                           features: [String]) throws {
        guard shard.format == "arscore-shard-statistics" else {
            throw ArscoreError("\(source): not an arscore shard statistics file")
        }
        guard shard.model == model else {
            throw ArscoreError("\(source): \(shard.model.rawValue) statistics, not \(model.rawValue)")
        }
        guard shard.featureNames == features else {
            throw ArscoreError("\(source): features \(shard.featureNames.joined(separator: ",")) differ from "
                + features.joined(separator: ","))
        }
    }

    /// SHA-256 (hex, first 16 digits) of the state's log and request: what the shards' files must name.
    static func stateID(_ state: DistributedFitProtocol.State) -> String {
        var copy = state
        copy.stateID = ""
        var hash = SHA256()
        hash.update((try? DistributedFitProtocol.encoder().encode(copy)) ?? Data())
        return hash.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
