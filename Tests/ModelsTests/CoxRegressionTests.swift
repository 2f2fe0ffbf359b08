import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// Behaviour of the Cox fit beyond reference agreement: input validation, diagnostics, invariances.
struct CoxRegressionTests {
    static func data(weighted: Bool = false) -> (x: Matrix, durations: [Double], events: [Double], weights: [Double]) {
        let (x, durations, events, weights) = CoxObjectiveTests.data(weighted: weighted)
        return (x, durations, events.map { $0 ? 1 : 0 }, weights)
    }

    static let names = ["a", "b", "c"]

    @Test func invalidInputsAreReported() throws {
        let d = Self.data()
        func fit(x: Matrix? = nil, names: [String] = CoxRegressionTests.names, durations: [Double]? = nil, events: [Double]? = nil,
                 weights: [Double]? = nil, options: CoxRegression.Options = .init()) throws -> CoxModel {
            try CoxRegression.fit(features: x ?? d.x, featureNames: names, durations: durations ?? d.durations,
                                  events: events ?? d.events, weights: weights, options: options)
        }
        #expect(throws: ModelFitError.shapeMismatch("2 names for 3 feature columns")) { try fit(names: ["a", "b"]) }
        #expect(throws: ModelFitError.shapeMismatch("3 durations for 120 rows")) { try fit(durations: [1, 2, 3]) }
        #expect(throws: ModelFitError.shapeMismatch("1 events for 120 rows")) { try fit(events: [1]) }
        #expect(throws: ModelFitError.shapeMismatch("2 weights for 120 rows")) { try fit(weights: [1, 1]) }
        #expect(throws: ModelFitError.invalidPenalty(-1)) { try fit(options: .init(l2: -1)) }
        #expect(throws: ModelFitError.noData) {
            try CoxRegression.fit(features: Matrix(rows: 0, columns: 1), featureNames: ["a"], durations: [], events: [])
        }
        var durations = d.durations
        durations[5] = -1
        #expect(throws: ModelFitError.invalidDuration(row: 5, value: -1)) { try fit(durations: durations) }
        durations[5] = .nan
        #expect(throws: ModelFitError.self) { try fit(durations: durations) }
        var events = d.events
        events[7] = 2
        #expect(throws: ModelFitError.invalidEvent(row: 7, value: 2)) { try fit(events: events) }
        var weights = d.weights
        weights[3] = -0.5
        #expect(throws: ModelFitError.invalidWeight(row: 3, value: -0.5)) { try fit(weights: weights) }
        #expect(throws: ModelFitError.noData) { try fit(weights: [Double](repeating: 0, count: 120)) }
        #expect(throws: ModelFitError.noEvents) { try fit(events: [Double](repeating: 0, count: 120)) }
        // Events only on rows of weight 0 are no events either.
        #expect(throws: ModelFitError.noEvents) {
            try fit(events: (0..<120).map { $0 == 0 ? 1 : 0 }, weights: (0..<120).map { $0 == 0 ? 0 : 1 })
        }
        var x = d.x
        x[9, 1] = .infinity
        #expect(throws: ModelFitError.nonFiniteFeature(row: 9, feature: "b")) { try fit(x: x) }
        let constant = Matrix(rows: 120, columns: 2, repeating: 3)
        #expect(throws: ModelFitError.noUsableFeatures(dropped: ["a", "b"])) { try fit(x: constant, names: ["a", "b"]) }
    }

    @Test func collinearFeaturesAreReportedAsSingular() throws {
        let d = Self.data()
        let x = try Matrix(rows: 120, columns: 4, rowMajor: (0..<120).flatMap { i in
            [d.x[i, 0], d.x[i, 1], d.x[i, 2], 2 * d.x[i, 0] - 3 * d.x[i, 2] + 1]
        })
        #expect(throws: ModelFitError.singularHessian(features: ["a", "b", "c", "d"])) {
            try CoxRegression.fit(features: x, featureNames: ["a", "b", "c", "d"], durations: d.durations, events: d.events)
        }
        // A penalty makes it identifiable.
        let penalised = try CoxRegression.fit(features: x, featureNames: ["a", "b", "c", "d"], durations: d.durations,
                                              events: d.events, options: .init(l2: 1))
        #expect(penalised.coefficients.values.allSatisfy { $0.isFinite })
    }

    @Test func nonConvergenceIsReported() throws {
        let d = Self.data()
        do {
            _ = try CoxRegression.fit(features: d.x, featureNames: Self.names, durations: d.durations, events: d.events,
                                      options: .init(newton: NewtonOptions(maxIterations: 1)))
            Issue.record("a single Newton step should not meet the tolerance")
        } catch ModelFitError.didNotConverge(let iterations, let gradient) {
            #expect(iterations == 1 && gradient > 0)
        }
    }

    @Test func monotoneLikelihoodOnABinaryFeature() throws {
        // Every event has flag = 1 and every row with flag = 0 is censored: the partial likelihood
        // rises forever with the flag's coefficient.
        var random = TestRandom(seed: 11)
        let n = 80
        var rows: [[Double]] = [], durations: [Double] = [], events: [Double] = []
        for i in 0..<n {
            let flag = i % 2 == 0 ? 1.0 : 0.0
            rows.append([flag, random.normal()])
            durations.append((random.uniform() * 20).rounded(.up))
            events.append(flag == 1 && random.uniform() < 0.8 ? 1 : 0)
        }
        #expect(throws: ModelFitError.monotoneLikelihood(features: ["flag"])) {
            try CoxRegression.fit(features: Matrix(rows), featureNames: ["flag", "noise"], durations: durations, events: events)
        }
        #expect(throws: ModelFitError.monotoneLikelihood(features: ["flag"])) {
            try CoxRegression.fit(features: Matrix(rows), featureNames: ["flag", "noise"], durations: durations, events: events,
                                  options: .init(ties: .breslow))
        }
    }

    @Test func rowOrderDoesNotMatter() throws {
        let d = Self.data(weighted: true)
        let model = try CoxRegression.fit(features: d.x, featureNames: Self.names, durations: d.durations,
                                          events: d.events, weights: d.weights)
        let permutation = (0..<120).map { ($0 * 37) % 120 }
        let x = try Matrix(permutation.map { Array(d.x.row($0)) })
        let permuted = try CoxRegression.fit(features: x, featureNames: Self.names, durations: permutation.map { d.durations[$0] },
                                             events: permutation.map { d.events[$0] }, weights: permutation.map { d.weights[$0] })
        for name in Self.names {
            #expect(abs(model.coefficients[name]! - permuted.coefficients[name]!) < 1e-10)
        }
        #expect(model.concordance == permuted.concordance)
        #expect(model.baseline.times == permuted.baseline.times)
    }

    @Test func rescalingAFeatureRescalesItsCoefficient() throws {
        let d = Self.data()
        let model = try CoxRegression.fit(features: d.x, featureNames: Self.names, durations: d.durations, events: d.events)
        var x = d.x
        for i in 0..<120 { x[i, 1] = 1000 * x[i, 1] + 5000 }
        let scaled = try CoxRegression.fit(features: x, featureNames: Self.names, durations: d.durations, events: d.events)
        #expect(abs(scaled.coefficients["b"]! * 1000 - model.coefficients["b"]!) < 1e-9)
        #expect(abs(scaled.coefficientsStandardized["b"]! - model.coefficientsStandardized["b"]!) < 1e-9)
        #expect(abs(scaled.standardErrors!["b"]! * 1000 - model.standardErrors!["b"]!) < 1e-9)
        #expect(abs(scaled.fit.logPartialLikelihood - model.fit.logPartialLikelihood) < 1e-9)
    }

    @Test func zeroWeightRowsAreIgnoredAndBreslowWeightsAreReplication() throws {
        let d = Self.data()
        // Weight 2 on the first 30 rows ≡ those rows twice (exact for Breslow; Efron with case weights
        // follows lifelines' convention instead, which is not replication), weight 0 on the last 10 ≡ absent.
        let weights = (0..<120).map { $0 < 30 ? 2.0 : $0 >= 110 ? 0.0 : 1.0 }
        let weighted = try CoxRegression.fit(features: d.x, featureNames: Self.names, durations: d.durations,
                                             events: d.events, weights: weights, options: .init(ties: .breslow))
        let rows = Array(0..<30) + Array(0..<110)
        let replicated = try CoxRegression.fit(
            features: Matrix(rows.map { Array(d.x.row($0)) }), featureNames: Self.names,
            durations: rows.map { d.durations[$0] }, events: rows.map { d.events[$0] }, options: .init(ties: .breslow))
        for name in Self.names {
            #expect(abs(weighted.coefficients[name]! - replicated.coefficients[name]!) < 1e-9)
        }
        #expect(abs(weighted.fit.logPartialLikelihood - replicated.fit.logPartialLikelihood) < 1e-8)
        #expect(weighted.baseline.times == replicated.baseline.times)
        for (a, b) in zip(weighted.baseline.cumulativeHazard, replicated.baseline.cumulativeHazard) {
            #expect(abs(a - b) < 1e-12 * max(1, b))
        }
    }

    @Test func penaltyShrinksCoefficients() throws {
        let d = Self.data()
        var previous = Double.infinity
        for l2 in [0.0, 1, 10, 100] {
            let model = try CoxRegression.fit(features: d.x, featureNames: Self.names, durations: d.durations,
                                              events: d.events, options: .init(l2: l2))
            let norm = model.coefficientsStandardized.values.reduce(0) { $0 + $1 * $1 }
            #expect(norm < previous)
            previous = norm
            #expect((model.standardErrors == nil) == (l2 > 0))
        }
    }

    @Test func largeDataUsesThePartitionsAndMatchesTheSmallFormula() throws {
        // Enough rows that every partition holds several cache blocks; the fit must agree with the
        // one computed on the same rows in a different order (different partition contents).
        var random = TestRandom(seed: 3)
        let n = 20_000, p = 4
        var x = Matrix(rows: n, columns: p)
        var durations = [Double](), events = [Double]()
        for i in 0..<n {
            var eta = 0.0
            for j in 0..<p {
                x[i, j] = random.normal()
                eta += [0.5, -0.3, 0.2, 0][j] * x[i, j]
            }
            durations.append((random.exponential() * 30 * exp(-eta)).rounded(.up))
            events.append(random.uniform() < 0.75 ? 1 : 0)
        }
        let names = ["x0", "x1", "x2", "x3"]
        let model = try CoxRegression.fit(features: x, featureNames: names, durations: durations, events: events)
        let reversed = try CoxRegression.fit(
            features: Matrix((0..<n).reversed().map { Array(x.row($0)) }), featureNames: names,
            durations: durations.reversed(), events: events.reversed())
        for name in names {
            #expect(abs(model.coefficients[name]! - reversed.coefficients[name]!) < 1e-10)
        }
        #expect(abs(model.coefficients["x0"]! - 0.5) < 0.05)
        #expect(abs(model.coefficients["x3"]!) < 0.05)
    }

    @Test func warmStartFromASubsampleGivesTheSameFit() throws {
        // Above `warmStartThreshold` rows the full-data Newton iterations start from a subsample's fit;
        // the answer must be the one reached from β = 0.
        var random = TestRandom(seed: 5)
        let n = CoxRegression.warmStartThreshold + 20_000, p = 3
        var x = Matrix(rows: n, columns: p)
        var durations = [Double](), events = [Double]()
        for i in 0..<n {
            var eta = 0.0
            for j in 0..<p {
                x[i, j] = random.normal() * Double(j + 1)
                eta += [0.4, -0.2, 0.05][j] * x[i, j]
            }
            durations.append((random.exponential() * 20 * exp(-eta)).rounded(.up))
            events.append(random.uniform() < 0.7 ? 1 : 0)
        }
        let names = ["a", "b", "c"]
        let model = try CoxRegression.fit(features: x, featureNames: names, durations: durations, events: events)
        let standardization = FeatureStandardization(features: x, featureNames: names, weights: nil)
        let design = StandardizedDesign(features: x, standardization: standardization, kept: [0, 1, 2])
        let weights = [Double](repeating: 1, count: n)
        let start = try #require(CoxRegression.subsampleStart(
            design: design, durations: durations, events: events, weights: weights, ties: .efron, l2: 0))
        let objective = CoxObjective(design: design, durations: durations, events: events.map { $0 == 1 },
                                     weights: weights, ties: .efron, l2: 0)
        let fromZero = try NewtonSolver.minimize(objective, start: [0, 0, 0])
        for (k, name) in names.enumerated() {
            #expect(abs(model.coefficientsStandardized[name]! - fromZero.parameters[k]) < 1e-9)
            #expect(abs(start[k] - fromZero.parameters[k]) < 0.05)
        }
        #expect(model.fit.iterations < fromZero.iterations)
    }
}
