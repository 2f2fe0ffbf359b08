import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// Distributed Newton on 4 uneven shards against the one-machine fit of the concatenated rows.
struct DistributedNewtonTests {
    static let names = ["balance", "days_late", "calls", "flag"]
    /// Uneven shard sizes (sum = rows).
    static let shardSizes = [350, 1250, 600, 800]
    static var rows: Int { shardSizes.reduce(0, +) }

    /// Features with a large-valued column (balances), a discrete one and a rare flag.
    static func features(_ random: inout TestRandom) -> Matrix {
        var values: [Double] = []
        for _ in 0..<rows {
            values.append(20_000 + 5_000 * random.normal())
            values.append(Double(Int(random.uniform() * 90)))
            values.append(random.normal())
            values.append(random.uniform() < 0.1 ? 1 : 0)
        }
        return try! Matrix(rows: rows, columns: names.count, rowMajor: values)
    }

    static func weights(_ random: inout TestRandom) -> [Double] {
        (0..<rows).map { _ in 0.5 + 1.5 * random.uniform() }
    }

    /// Row ranges of the shards.
    static var shardRanges: [Range<Int>] {
        var start = 0
        return shardSizes.map { size in
            defer { start += size }
            return start..<(start + size)
        }
    }

    static func rowsOf(_ x: Matrix, _ range: Range<Int>) -> Matrix {
        x.gatheringRows(Array(range))
    }

    static func logisticData() -> (x: Matrix, labels: [Double], weights: [Double]) {
        var random = TestRandom(seed: 15)
        let x = features(&random), w = weights(&random)
        let labels = (0..<rows).map { i -> Double in
            let eta = -0.5 + 0.0001 * (x[i, 0] - 20_000) - 0.02 * x[i, 1] + 0.8 * x[i, 2] + 0.6 * x[i, 3]
            return random.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
        }
        return (x, labels, w)
    }

    /// Integer durations 1…40 so every shard has ties at event times present in the others.
    static func coxData() -> (x: Matrix, durations: [Double], events: [Double], weights: [Double]) {
        var random = TestRandom(seed: 16)
        let x = features(&random), w = weights(&random)
        var durations: [Double] = [], events: [Double] = []
        for i in 0..<rows {
            let risk = exp(0.00005 * (x[i, 0] - 20_000) + 0.01 * x[i, 1] - 0.5 * x[i, 2] + 0.4 * x[i, 3])
            let time = random.exponential() / (0.05 * risk)
            let censor = random.uniform() * 40
            durations.append(Double(min(40, max(1, Int(min(time, censor).rounded(.up))))))
            events.append(time <= censor ? 1 : 0)
        }
        return (x, durations, events, w)
    }

    static func logisticShards(_ d: (x: Matrix, labels: [Double], weights: [Double])) -> [DistributedFit.LogisticShard] {
        shardRanges.map { DistributedFit.LogisticShard(features: rowsOf(d.x, $0), labels: Array(d.labels[$0]),
                                                       weights: Array(d.weights[$0])) }
    }

    static func coxShards(_ d: (x: Matrix, durations: [Double], events: [Double], weights: [Double]))
        -> [DistributedFit.CoxShard] {
        shardRanges.map { DistributedFit.CoxShard(features: rowsOf(d.x, $0), durations: Array(d.durations[$0]),
                                                  events: Array(d.events[$0]), weights: Array(d.weights[$0])) }
    }

    static func expectClose(_ a: Double, _ b: Double, _ what: String, tolerance: Double = 1e-9) {
        #expect(abs(a - b) <= tolerance * max(1, abs(b)), "\(what): distributed \(a), one machine \(b)")
    }

    @Test func mergedMomentsEqualOneMachineStandardization() {
        let d = Self.logisticData()
        let merged = Self.shardRanges.map { ColumnMoments(features: Self.rowsOf(d.x, $0), weights: Array(d.weights[$0])) }
            .reduce(nil as ColumnMoments?) { sum, next in sum.map { $0.merged(with: next) } ?? next }!
            .standardization(featureNames: Self.names)
        let single = FeatureStandardization(features: d.x, featureNames: Self.names, weights: d.weights)
        for j in Self.names.indices {
            Self.expectClose(merged.means[j], single.means[j], "mean \(j)", tolerance: 1e-13)
            Self.expectClose(merged.standardDeviations[j], single.standardDeviations[j], "sd \(j)", tolerance: 1e-13)
        }
    }

    @Test(arguments: [0.0, 2.5])
    func logisticMatchesOneMachine(l2: Double) throws {
        let d = Self.logisticData()
        let options = LogisticRegression.Options(l2: l2)
        let single = try LogisticRegression.fit(features: d.x, featureNames: Self.names, labels: d.labels,
                                                weights: d.weights, options: options)
        let distributed = try DistributedFit.fit(shards: Self.logisticShards(d), featureNames: Self.names,
                                                 options: options)
        #expect(distributed.features == single.features)
        Self.expectClose(distributed.interceptStandardized, single.interceptStandardized, "intercept (standardised)")
        Self.expectClose(distributed.intercept, single.intercept, "intercept")
        for name in single.features {
            Self.expectClose(distributed.coefficientsStandardized[name]!, single.coefficientsStandardized[name]!, name)
            Self.expectClose(distributed.coefficients[name]!, single.coefficients[name]!, name)
            Self.expectClose(distributed.standardization[name]!.sd, single.standardization[name]!.sd, "sd \(name)")
            if l2 == 0 {
                Self.expectClose(distributed.standardErrors![name]!, single.standardErrors![name]!, "se \(name)",
                                 tolerance: 1e-7)
            }
        }
        Self.expectClose(distributed.fit.logLikelihood, single.fit.logLikelihood, "log-likelihood", tolerance: 1e-12)
        #expect(distributed.fit.rows == single.fit.rows)
        #expect(distributed.fit.iterations == single.fit.iterations)
    }

    @Test(arguments: [CoxRegression.Ties.efron, .breslow], [0.0, 1.5])
    func coxMatchesOneMachine(ties: CoxRegression.Ties, l2: Double) throws {
        let d = Self.coxData()
        let options = CoxRegression.Options(ties: ties, l2: l2)
        let single = try CoxRegression.fit(features: d.x, featureNames: Self.names, durations: d.durations,
                                           events: d.events, weights: d.weights, options: options)
        let distributed = try DistributedFit.fit(shards: Self.coxShards(d), featureNames: Self.names, options: options)
        #expect(distributed.features == single.features)
        for name in single.features {
            Self.expectClose(distributed.coefficientsStandardized[name]!, single.coefficientsStandardized[name]!, name)
            Self.expectClose(distributed.coefficients[name]!, single.coefficients[name]!, name)
            if l2 == 0 {
                Self.expectClose(distributed.standardErrors![name]!, single.standardErrors![name]!, "se \(name)",
                                 tolerance: 1e-7)
            }
        }
        Self.expectClose(distributed.fit.logPartialLikelihood, single.fit.logPartialLikelihood, "log partial likelihood",
                         tolerance: 1e-12)
        #expect(distributed.fit.events == single.fit.events)
        Self.expectClose(distributed.fit.eventWeightSum, single.fit.eventWeightSum, "event weight", tolerance: 1e-12)
        #expect(distributed.baseline.times == single.baseline.times)
        for k in single.baseline.times.indices {
            Self.expectClose(distributed.baseline.cumulativeHazard[k], single.baseline.cumulativeHazard[k],
                             "H0 at \(single.baseline.times[k])")
        }
    }

    /// The driver's evaluation from summed shard statistics equals `CoxObjective` away from the optimum too.
    @Test(arguments: [CoxRegression.Ties.efron, .breslow])
    func coxStatisticsEvaluateLikeTheObjective(ties: CoxRegression.Ties) throws {
        let d = Self.coxData()
        let standardization = FeatureStandardization(features: d.x, featureNames: Self.names, weights: d.weights)
        let kept = Array(Self.names.indices)
        let design = StandardizedDesign(features: d.x, standardization: standardization, kept: kept)
        let objective = CoxObjective(design: design, durations: d.durations, events: d.events.map { $0 == 1 },
                                     weights: d.weights, ties: ties, l2: 0.7)
        let sharded = ShardedCoxObjective(shards: Self.shardRanges.map {
            (StandardizedDesign(features: Self.rowsOf(d.x, $0), standardization: standardization, kept: kept),
             Array(d.durations[$0]), Array(d.events[$0]).map { $0 == 1 }, Array(d.weights[$0]))
        }, ties: ties, l2: 0.7)
        let beta = [0.3, -0.2, 0.5, 0.1]
        var gradient = [Double](repeating: 0, count: 4), hessian = Matrix(rows: 4, columns: 4)
        let value = objective.evaluate(at: beta, gradient: &gradient, hessian: &hessian)
        var shardedGradient = gradient, shardedHessian = hessian
        let shardedValue = sharded.evaluate(at: beta, gradient: &shardedGradient, hessian: &shardedHessian)
        Self.expectClose(shardedValue, value, "value", tolerance: 1e-12)
        for j in 0..<4 {
            Self.expectClose(shardedGradient[j], gradient[j], "gradient \(j)", tolerance: 1e-10)
            for k in 0..<4 { Self.expectClose(shardedHessian[j, k], hessian[j, k], "hessian \(j),\(k)", tolerance: 1e-10) }
        }
    }

    @Test func shardsWithDifferentColumnsAreRejected() throws {
        let d = Self.logisticData()
        var shards = Self.logisticShards(d)
        shards[2].features = Matrix(rows: shards[2].labels.count, columns: 3)
        #expect(throws: DistributedFitError.featureColumns(shard: 2, found: 3, expected: 4)) {
            try DistributedFit.fit(shards: shards, featureNames: Self.names)
        }
        #expect(throws: DistributedFitError.noShards) {
            try DistributedFit.fit(shards: [DistributedFit.LogisticShard](), featureNames: Self.names)
        }
    }

    @Test func nonFiniteCellIsNamedByShardRowAndFeature() throws {
        let d = Self.coxData()
        var shards = Self.coxShards(d)
        shards[1].features[17, 2] = .nan
        #expect(throws: DistributedFitError.shard(1, .nonFiniteFeature(row: 17, feature: "calls"))) {
            try DistributedFit.fit(shards: shards, featureNames: Self.names)
        }
        var bad = Self.coxShards(d)
        bad[3].durations[4] = -2
        #expect(throws: DistributedFitError.shard(3, .invalidDuration(row: 4, value: -2))) {
            try DistributedFit.fit(shards: bad, featureNames: Self.names)
        }
    }

    @Test func singleClassOverAllShardsIsRejected() throws {
        let d = Self.logisticData()
        var shards = Self.logisticShards(d)
        for k in shards.indices { shards[k].labels = shards[k].labels.map { _ in 0 } }
        #expect(throws: DistributedFitError.fit(.singleClass(label: 0))) {
            try DistributedFit.fit(shards: shards, featureNames: Self.names)
        }
    }
}
