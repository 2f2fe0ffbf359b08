import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// What training's row sampling relies on: a constant case weight c (the sampling weight 1/π) scales the Cox
/// (Efron, with ties) and logistic objectives by c, so the weighted fit with penalty l2 is the unweighted fit with
/// penalty l2 / c — the weights change the fit only against the penalty, as a full-data fit's row count would.
@Suite("Constant sampling weights")
struct SamplingWeightTests {
    static let weight = 3.7

    @Test(arguments: [CoxRegression.Ties.efron, .breslow])
    func coxWithConstantWeightsIsTheFitWithAScaledPenalty(_ ties: CoxRegression.Ties) throws {
        let (x, durations, events, _) = CoxObjectiveTests.data(rows: 200, weighted: false)
        let names = (0..<x.columns).map { "x\($0)" }
        let eventValues = events.map { $0 ? 1.0 : 0.0 }
        // The data have heavy ties: the Efron terms are exercised.
        #expect(Set(durations).count < durations.count / 2)
        let weighted = try CoxRegression.fit(
            features: x, featureNames: names, durations: durations, events: eventValues,
            weights: [Double](repeating: Self.weight, count: x.rows), options: .init(ties: ties, l2: 2))
        let plain = try CoxRegression.fit(features: x, featureNames: names, durations: durations, events: eventValues,
                                          options: .init(ties: ties, l2: 2 / Self.weight))
        for name in names {
            let a = try #require(weighted.coefficients[name]), b = try #require(plain.coefficients[name])
            #expect(abs(a - b) <= 1e-8 * max(1, abs(b)), "\(name): \(a) weighted vs \(b)")
        }
        #expect(abs(weighted.fit.logPartialLikelihood - Self.weight * plain.fit.logPartialLikelihood
            - Self.weightedShift(durations: durations, events: events, ties: ties)) < 1e-6 * abs(weighted.fit.logPartialLikelihood))
        // The Breslow baseline dH = W / S₀ does not depend on the scale of the weights.
        for (a, b) in zip(weighted.baseline.cumulativeHazard, plain.baseline.cumulativeHazard) {
            #expect(abs(a - b) <= 1e-8 * max(1, b))
        }
    }

    /// ℓ_c(β) = c·ℓ(β) − c·log(c)·(number of events): each risk-set sum carries the factor c inside its log.
    static func weightedShift(durations: [Double], events: [Bool], ties: CoxRegression.Ties) -> Double {
        -weight * log(weight) * Double(events.filter { $0 }.count)
    }

    @Test func logisticWithConstantWeightsIsTheFitWithAScaledPenalty() throws {
        var random = TestRandom(seed: 19)
        let n = 400, p = 3
        var x = Matrix(rows: n, columns: p)
        var labels = [Double]()
        for i in 0..<n {
            var eta = -0.3
            for j in 0..<p {
                x[i, j] = random.normal() * Double(j + 1)
                eta += 0.5 * x[i, j] / Double(j + 1)
            }
            labels.append(random.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0)
        }
        let names = ["a", "b", "c"]
        let weighted = try LogisticRegression.fit(features: x, featureNames: names, labels: labels,
                                                  weights: [Double](repeating: Self.weight, count: n), options: .init(l2: 5))
        let plain = try LogisticRegression.fit(features: x, featureNames: names, labels: labels,
                                               options: .init(l2: 5 / Self.weight))
        #expect(abs(weighted.intercept - plain.intercept) <= 1e-8)
        for name in names {
            #expect(abs(weighted.coefficients[name]! - plain.coefficients[name]!) <= 1e-8, "\(name)")
        }
        #expect(abs(weighted.fit.weightSum - Self.weight * Double(n)) < 1e-9)
    }
}
