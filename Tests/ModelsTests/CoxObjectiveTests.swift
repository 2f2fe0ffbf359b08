import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// The Cox objective's value, gradient and Hessian against finite differences and a direct O(n²) evaluation.
struct CoxObjectiveTests {
    /// Small data with heavy ties (integer durations), events and censored rows tied, and optional weights.
    static func data(rows n: Int = 120, p: Int = 3, seed: UInt64 = 7, weighted: Bool) -> (Matrix, [Double], [Bool], [Double]) {
        var random = TestRandom(seed: seed)
        var x = Matrix(rows: n, columns: p)
        var durations = [Double](), events = [Bool](), weights = [Double]()
        for i in 0..<n {
            var eta = 0.0
            for j in 0..<p {
                let value = random.normal() * Double(j + 1) + Double(j)
                x[i, j] = value
                eta += 0.3 * (value - Double(j)) / Double(j + 1) * (j % 2 == 0 ? 1 : -1)
            }
            durations.append((random.exponential() * 6 * exp(-eta)).rounded(.up))
            events.append(random.uniform() < 0.7)
            weights.append(weighted ? 0.2 + 2.5 * random.uniform() : 1)
        }
        return (x, durations, events, weights)
    }

    static func objective(ties: CoxRegression.Ties, l2: Double, weighted: Bool) -> (CoxObjective, Matrix, [Double], [Bool], [Double]) {
        let (x, durations, events, weights) = data(weighted: weighted)
        let names = (0..<x.columns).map { "x\($0)" }
        let standardization = FeatureStandardization(features: x, featureNames: names, weights: weights)
        let design = StandardizedDesign(features: x, standardization: standardization, kept: Array(0..<x.columns))
        let objective = CoxObjective(design: design, durations: durations, events: events, weights: weights, ties: ties, l2: l2)
        return (objective, x, durations, events, weights)
    }

    /// The objective written out directly: for every event time, loop over all rows for the risk set.
    static func direct(_ objective: CoxObjective, beta: [Double]) -> Double {
        let n = objective.rows, p = objective.parameterCount
        let eta = (0..<n).map { k in (0..<p).reduce(0.0) { $0 + objective.z[k * p + $1] * beta[$1] } }
        var loglik = 0.0
        for time in Set(objective.durations) {
            let events = (0..<n).filter { objective.durations[$0] == time && objective.isEvent[$0] }
            guard !events.isEmpty else { continue }
            let risk = (0..<n).filter { objective.durations[$0] >= time }
            let s0 = risk.reduce(0.0) { $0 + objective.weights[$1] * exp(eta[$1]) }
            let t0 = events.reduce(0.0) { $0 + objective.weights[$1] * exp(eta[$1]) }
            let w = events.reduce(0.0) { $0 + objective.weights[$1] }
            for i in events { loglik += objective.weights[i] * eta[i] }
            let d = events.count
            if objective.ties == .breslow {
                loglik -= w * log(s0)
            } else {
                for k in 0..<d { loglik -= w / Double(d) * log(s0 - Double(k) / Double(d) * t0) }
            }
        }
        return -loglik + 0.5 * objective.l2 * beta.reduce(0) { $0 + $1 * $1 }
    }

    @Test(arguments: [(CoxRegression.Ties.efron, false), (.efron, true), (.breslow, false), (.breslow, true)])
    func valueGradientAndHessianAreConsistent(ties: CoxRegression.Ties, weighted: Bool) {
        let (objective, _, _, _, _) = Self.objective(ties: ties, l2: 0.7, weighted: weighted)
        let p = objective.parameterCount
        let beta = [0.4, -0.3, 0.25]
        var gradient = [Double](repeating: 0, count: p)
        var hessian = Matrix(rows: p, columns: p)
        let value = objective.evaluate(at: beta, gradient: &gradient, hessian: &hessian)
        #expect(abs(value - objective.value(at: beta)) <= 1e-10 * abs(value))
        #expect(abs(value - Self.direct(objective, beta: beta)) <= 1e-10 * abs(value))
        let h = 1e-5
        for j in 0..<p {
            var plus = beta, minus = beta
            plus[j] += h
            minus[j] -= h
            let numeric = (objective.value(at: plus) - objective.value(at: minus)) / (2 * h)
            #expect(abs(numeric - gradient[j]) <= 1e-6 * max(1, abs(gradient[j])), "gradient \(j): \(gradient[j]) vs \(numeric)")
            var gPlus = [Double](repeating: 0, count: p), gMinus = gPlus
            var scratch = Matrix(rows: p, columns: p)
            _ = objective.evaluate(at: plus, gradient: &gPlus, hessian: &scratch)
            _ = objective.evaluate(at: minus, gradient: &gMinus, hessian: &scratch)
            for k in 0..<p {
                let numericH = (gPlus[k] - gMinus[k]) / (2 * h)
                #expect(abs(numericH - hessian[j, k]) <= 1e-6 * max(1, abs(hessian[j, k])),
                        "hessian \(j),\(k): \(hessian[j, k]) vs \(numericH)")
            }
        }
    }

    @Test func largeLinearPredictorsDoNotOverflow() {
        let (objective, _, _, _, _) = Self.objective(ties: .efron, l2: 0, weighted: false)
        // Shifting every η by a constant leaves the partial likelihood unchanged; large β scale η up to ~1000.
        let beta = [300.0, -200.0, 100.0]
        let value = objective.value(at: beta)
        #expect(value.isFinite || value == .infinity)
        var gradient = [Double](repeating: 0, count: 3)
        var hessian = Matrix(rows: 3, columns: 3)
        let evaluated = objective.evaluate(at: beta, gradient: &gradient, hessian: &hessian)
        #expect(evaluated == value)
        if evaluated.isFinite {
            #expect(gradient.allSatisfy(\.isFinite) && hessian.storage.allSatisfy(\.isFinite))
        }
        // Moderate and large (|η| up to ~100) values: finite and equal to the direct formula.
        for moderate in [[3.0, -2.0, 1.5], [20.0, -15.0, 10.0]] {
            let direct = Self.direct(objective, beta: moderate)
            #expect(abs(objective.value(at: moderate) - direct) <= 1e-9 * abs(direct))
            var g = [Double](repeating: 0, count: 3)
            var h = Matrix(rows: 3, columns: 3)
            #expect(abs(objective.evaluate(at: moderate, gradient: &g, hessian: &h) - direct) <= 1e-9 * abs(direct))
        }
    }

    @Test func degeneratePartitionsGiveTheDirectValues() {
        // Fewer rows than partitions; one giant group of equal durations; a single feature.
        let cases: [(durations: [Double], events: [Bool], p: Int)] = [
            ([3, 1, 2, 2, 5], [true, true, false, true, true], 2),
            ([Double](repeating: 4, count: 50), (0..<50).map { $0 % 3 != 0 }, 2),
            ((0..<40).map { Double($0 % 7) }, (0..<40).map { $0 % 2 == 0 }, 1),
        ]
        var random = TestRandom(seed: 99)
        for (durations, events, p) in cases {
            let n = durations.count
            var x = Matrix(rows: n, columns: p)
            for i in 0..<n { for j in 0..<p { x[i, j] = random.normal() } }
            let names = (0..<p).map { "x\($0)" }
            let standardization = FeatureStandardization(features: x, featureNames: names, weights: nil)
            let design = StandardizedDesign(features: x, standardization: standardization, kept: Array(0..<p))
            for ties in CoxRegression.Ties.allCases {
                let objective = CoxObjective(design: design, durations: durations, events: events,
                                             weights: [Double](repeating: 1, count: n), ties: ties, l2: 0)
                let beta = (0..<p).map { 0.3 - 0.5 * Double($0) }
                var gradient = [Double](repeating: 0, count: p)
                var hessian = Matrix(rows: p, columns: p)
                let value = objective.evaluate(at: beta, gradient: &gradient, hessian: &hessian)
                let direct = Self.direct(objective, beta: beta)
                #expect(abs(value - direct) <= 1e-10 * max(1, abs(direct)), "\(ties) n=\(n)")
                let h = 1e-6
                for j in 0..<p {
                    var plus = beta, minus = beta
                    plus[j] += h
                    minus[j] -= h
                    let numeric = (Self.direct(objective, beta: plus) - Self.direct(objective, beta: minus)) / (2 * h)
                    #expect(abs(numeric - gradient[j]) <= 1e-6 * max(1, abs(numeric)), "\(ties) n=\(n) gradient \(j)")
                }
            }
        }
    }

    @Test func evaluationIsDeterministic() {
        let (objective, _, _, _, _) = Self.objective(ties: .efron, l2: 0, weighted: true)
        let beta = [0.1, 0.2, -0.3]
        var g1 = [Double](repeating: 0, count: 3), g2 = g1
        var h1 = Matrix(rows: 3, columns: 3), h2 = h1
        let v1 = objective.evaluate(at: beta, gradient: &g1, hessian: &h1)
        let v2 = objective.evaluate(at: beta, gradient: &g2, hessian: &h2)
        #expect(v1 == v2 && g1 == g2 && h1 == h2)
    }

    @Test func breslowBaselineIsTheDirectEstimator() {
        let (objective, _, _, _, _) = Self.objective(ties: .efron, l2: 0, weighted: true)
        let beta = [0.2, -0.1, 0.3]
        let (times, hazard) = objective.breslowBaseline(at: beta)
        let n = objective.rows, p = objective.parameterCount
        let eta = (0..<n).map { k in (0..<p).reduce(0.0) { $0 + objective.z[k * p + $1] * beta[$1] } }
        let eventTimes = Set((0..<n).filter { objective.isEvent[$0] }.map { objective.durations[$0] }).sorted()
        #expect(times == eventTimes)
        var cumulative = 0.0
        for (k, time) in eventTimes.enumerated() {
            let w = (0..<n).filter { objective.durations[$0] == time && objective.isEvent[$0] }.reduce(0.0) { $0 + objective.weights[$1] }
            let s0 = (0..<n).filter { objective.durations[$0] >= time }.reduce(0.0) { $0 + objective.weights[$1] * exp(eta[$1]) }
            cumulative += w / s0
            #expect(abs(hazard[k] - cumulative) <= 1e-12 * cumulative)
        }
    }
}

/// Deterministic test data (SplitMix64).
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0 }
    mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
    mutating func exponential() -> Double { -log(uniform()) }
}
