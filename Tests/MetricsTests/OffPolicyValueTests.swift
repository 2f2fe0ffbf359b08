import Foundation
import Testing

@testable import Metrics

/// SNIPS and IPS by hand, in closed form, on a seeded synthetic bandit, and their input errors.
@Suite("off-policy value")
struct OffPolicyValueTests {
    @Test("four examples by hand: weights 2, 2, 0, 0.5")
    func byHand() throws {
        let estimate = try OffPolicyValue.estimate(
            outcomes: [10, 0, 5, 20], loggingPropensities: [0.5, 0.25, 1, 0.8], targetPropensities: [1, 0.5, 0, 0.4])
        #expect(estimate.examples == 4)
        #expect(estimate.weightSum == 4.5)
        expectClose(estimate.effectiveSampleSize, 4.5 * 4.5 / 8.25, "ESS")
        // Σ w y = 20 + 0 + 0 + 10 = 30
        expectClose(estimate.selfNormalized.value, 30 / 4.5, "SNIPS")
        expectClose(estimate.inversePropensity.value, 7.5, "IPS")
        // w (y − V) = 20/3, −40/3, 0, 20/3
        expectClose(estimate.selfNormalized.standardError, (2400.0 / 9).squareRoot() / 4.5, "SNIPS SE")
        // w y − IPS = 12.5, −7.5, −7.5, 2.5
        expectClose(estimate.inversePropensity.standardError, 275.0.squareRoot() / 4, "IPS SE")
        let snips = estimate.selfNormalized
        expectClose(snips.lower95, snips.value - 1.959963984540054 * snips.standardError, "SNIPS lower")
        expectClose(snips.upper95, snips.value + 1.959963984540054 * snips.standardError, "SNIPS upper")
    }

    @Test("uniform propensities: SNIPS is the mean outcome of the matching examples")
    func uniformPropensities() throws {
        var rng = SplitMix64(seed: 11)
        let n = 400
        let outcomes = (0..<n).map { _ in (Double.random(in: 0..<500, using: &rng) * 100).rounded() / 100 }
        let matches = (0..<n).map { _ in Bool.random(using: &rng) }
        let estimate = try OffPolicyValue.estimate(
            outcomes: outcomes, loggingPropensities: [Double](repeating: 0.5, count: n), targetTakesLoggedAction: matches)
        let matching = outcomes.indices.filter { matches[$0] }.map { outcomes[$0] }
        let m = Double(matching.count)
        let mean = matching.reduce(0, +) / m
        let variance = matching.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / m
        expectClose(estimate.selfNormalized.value, mean, relative: 1e-13, "SNIPS = matching mean")
        expectClose(estimate.selfNormalized.standardError, (variance / m).squareRoot(), relative: 1e-12, "SE = sd/√m")
        expectClose(estimate.effectiveSampleSize, m, "ESS = matching examples")
        expectClose(estimate.inversePropensity.value, 2 * matching.reduce(0, +) / Double(n), "IPS")
    }

    @Test("a deterministic policy equals its 0/1 probabilities; call probabilities map to the logged action")
    func policyForms() throws {
        let called = [true, false, true, false]
        let probabilities = try OffPolicyValue.propensitiesOfLoggedActions(called: called, callProbabilities: [0.3, 0.3, 1, 0])
        #expect(probabilities == [0.3, 0.7, 1, 1])
        let outcomes: [Double] = [50, 0, 20, 5], logging = [0.6, 0.4, 0.9, 0.5]
        let deterministic = try OffPolicyValue.estimate(outcomes: outcomes, loggingPropensities: logging, targetTakesLoggedAction: [true, false, true, true])
        let probabilistic = try OffPolicyValue.estimate(outcomes: outcomes, loggingPropensities: logging, targetPropensities: [1, 0, 1, 1])
        #expect(deterministic == probabilistic)
    }

    @Test("a 95% interval covers the true value in ≥ 90 of 100 seeded bandits")
    func coverage() throws {
        // x ~ U(0,1); the old policy calls with probability 0.2 + 0.6x; cash if called 100x + 20,
        // else 60x, plus N(0, 30²) noise. The new policy calls iff x > 0.5: true value
        // ∫₀^½ 60x dx + ∫_½¹ (100x + 20) dx = 7.5 + 47.5 = 55.
        let trueValue = 55.0
        var snipsCovers = 0, ipsCovers = 0
        for seed in 0..<100 {
            var rng = SplitMix64(seed: UInt64(1000 + seed))
            var outcomes: [Double] = [], logging: [Double] = [], agrees: [Bool] = []
            for _ in 0..<1000 {
                let x = Double.random(in: 0..<1, using: &rng)
                let callProbability = 0.2 + 0.6 * x
                let called = Double.random(in: 0..<1, using: &rng) < callProbability
                outcomes.append((called ? 100 * x + 20 : 60 * x) + 30 * rng.normal())
                logging.append(called ? callProbability : 1 - callProbability)
                agrees.append(called == (x > 0.5))
            }
            let estimate = try OffPolicyValue.estimate(outcomes: outcomes, loggingPropensities: logging, targetTakesLoggedAction: agrees)
            if estimate.selfNormalized.lower95 <= trueValue, trueValue <= estimate.selfNormalized.upper95 { snipsCovers += 1 }
            if estimate.inversePropensity.lower95 <= trueValue, trueValue <= estimate.inversePropensity.upper95 { ipsCovers += 1 }
        }
        print("off-policy 95% intervals covering the true value in 100 bandits: SNIPS \(snipsCovers), IPS \(ipsCovers)")
        #expect(snipsCovers >= 90, "SNIPS covered \(snipsCovers) of 100")
        #expect(ipsCovers >= 90, "IPS covered \(ipsCovers) of 100")
    }

    @Test("input errors name the argument and the index")
    func inputErrors() throws {
        func estimate(_ y: [Double], _ logging: [Double], _ target: [Double]) throws {
            _ = try OffPolicyValue.estimate(outcomes: y, loggingPropensities: logging, targetPropensities: target)
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "loggingPropensities", expected: 2, actual: 1)) { try estimate([1, 2], [0.5], [1, 1]) }
        #expect(throws: MetricsError.lengthMismatch(argument: "targetPropensities", expected: 2, actual: 3)) { try estimate([1, 2], [0.5, 0.5], [1, 1, 1]) }
        #expect(throws: MetricsError.empty) { try estimate([], [], []) }
        #expect(throws: MetricsError.outOfRange(argument: "loggingPropensities", index: 1, value: 0, allowed: "(0, 1]")) {
            try estimate([1, 2], [0.5, 0], [1, 1])
        }
        #expect(throws: MetricsError.outOfRange(argument: "loggingPropensities", index: 0, value: 1.5, allowed: "(0, 1]")) {
            try estimate([1, 2], [1.5, 0.5], [1, 1])
        }
        #expect(throws: MetricsError.nonFiniteElement(argument: "loggingPropensities", index: 1)) { try estimate([1, 2], [0.5, .nan], [1, 1]) }
        #expect(throws: MetricsError.outOfRange(argument: "targetPropensities", index: 1, value: -0.1, allowed: "[0, 1]")) {
            try estimate([1, 2], [0.5, 0.5], [1, -0.1])
        }
        #expect(throws: MetricsError.nonFiniteElement(argument: "targetPropensities", index: 0)) { try estimate([1, 2], [0.5, 0.5], [.infinity, 1]) }
        #expect(throws: MetricsError.nonFiniteElement(argument: "outcomes", index: 1)) { try estimate([1, .nan], [0.5, 0], [1, 1]) }
        #expect(throws: MetricsError.empty) { try estimate([1, 2], [0.5, 0.5], [0, 0]) }  // the policy takes no logged action
        #expect(throws: MetricsError.outOfRange(argument: "callProbabilities", index: 0, value: 2, allowed: "[0, 1]")) {
            try OffPolicyValue.propensitiesOfLoggedActions(called: [true], callProbabilities: [2])
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "callProbabilities", expected: 1, actual: 0)) {
            try OffPolicyValue.propensitiesOfLoggedActions(called: [true], callProbabilities: [])
        }
        #expect(MetricsError.outOfRange(argument: "loggingPropensities", index: 3, value: 0, allowed: "(0, 1]").description
            == "loggingPropensities[3] is 0.0, outside (0, 1]")
    }
}
