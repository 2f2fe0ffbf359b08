import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// Scoring (step-function survival, restricted mean time), the model file and its validation.
struct CoxModelTests {
    /// β = 0.5 on x, reference mean 2; H₀ jumps at t = 2, 5, 9.
    static func handModel() -> CoxModel {
        CoxModel(features: ["x"], coefficients: ["x": 0.5], means: ["x": 2],
                 baseline: .init(times: [2, 5, 9], cumulativeHazard: [0.1, 0.3, 0.7]))
    }

    @Test func survivalIsARightContinuousStepFunction() throws {
        let model = Self.handModel()
        let lp = try model.linearPredictors(Matrix([[2.0], [4.0]]))
        #expect(lp == [0, 1])
        #expect(model.baselineCumulativeHazard(at: -1) == 0)
        #expect(model.baselineCumulativeHazard(at: 1.999) == 0)
        #expect(model.baselineCumulativeHazard(at: 2) == 0.1)
        #expect(model.baselineCumulativeHazard(at: 4.9) == 0.1)
        #expect(model.baselineCumulativeHazard(at: 5) == 0.3)
        #expect(model.baselineCumulativeHazard(at: 100) == 0.7)
        #expect(model.survivalProbability(linearPredictor: 1, at: 6) == exp(-0.3 * exp(1)))
        #expect(abs(model.eventProbability(linearPredictor: 1, by: 6) - (1 - exp(-0.3 * exp(1)))) < 1e-15)
        #expect(model.eventProbability(linearPredictor: 3, by: 1) == 0)
        #expect(model.eventProbabilities(linearPredictors: [0, 1], by: 9)
                == [0, 1].map { model.eventProbability(linearPredictor: $0, by: 9) })
    }

    @Test func restrictedMeanTimeIsTheExactIntegral() {
        let model = Self.handModel()
        let lp = 0.3, r = exp(lp)
        func s(_ h: Double) -> Double { exp(-h * r) }
        // ∫₀^τ S: 1 on [0,2), S(0.1) on [2,5), S(0.3) on [5,9), S(0.7) after.
        #expect(model.restrictedMeanTime(linearPredictor: lp, horizon: 1.5) == 1.5)
        #expect(abs(model.restrictedMeanTime(linearPredictor: lp, horizon: 4) - (2 + 2 * s(0.1))) < 1e-14)
        let full = 2 + 3 * s(0.1) + 4 * s(0.3) + 3 * s(0.7)
        #expect(abs(model.restrictedMeanTime(linearPredictor: lp, horizon: 12) - full) < 1e-14)
        #expect(abs(model.restrictedMeanTime(linearPredictor: lp, horizon: 9) - (2 + 3 * s(0.1) + 4 * s(0.3))) < 1e-14)
        #expect(model.restrictedMeanTime(linearPredictor: lp, horizon: 0) == 0)
        #expect(model.restrictedMeanTimes(linearPredictors: [0, lp], horizon: 12)
                == [0, lp].map { model.restrictedMeanTime(linearPredictor: $0, horizon: 12) })
        // Midpoint-rule integration of the step function agrees.
        var numeric = 0.0
        let steps = 120_000, dt = 12.0 / Double(steps)
        for k in 0..<steps { numeric += model.survivalProbability(linearPredictor: lp, at: (Double(k) + 0.5) * dt) * dt }
        #expect(abs(numeric - full) < 1e-9)
    }

    static func fittedModel() throws -> CoxModel {
        let (x, durations, events, weights) = CoxObjectiveTests.data(weighted: true)
        var features = x
        features = try Matrix(rows: x.rows, columns: 4, rowMajor: (0..<x.rows).flatMap { i in x.row(i) + [7.0] })
        return try CoxRegression.fit(features: features, featureNames: ["a", "b", "c", "const"], durations: durations,
                                     events: events.map { $0 ? 1 : 0 }, weights: weights)
    }

    @Test func modelFileRoundTripsWithSortedKeys() throws {
        let model = try Self.fittedModel()
        let data = try model.jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"kind\" : \"cox\""))
        #expect(text.contains("\"ties\" : \"efron\""))
        #expect(text.contains("\"cumulative_hazard\""))
        #expect(text.contains("\"dropped_constant_features\" : [\n    \"const\"\n  ]"))
        // Keys at the top level appear in sorted order.
        let topKeys = ["baseline", "coefficients", "coefficients_standardized", "concordance", "dropped_constant_features",
                       "features", "fit", "format_version", "kind", "l2", "standard_errors", "standardization", "ties"]
        let positions = topKeys.map { text.range(of: "\n  \"\($0)\" :")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        let loaded = try CoxModel.load(jsonData: data, source: "m.json")
        #expect(loaded == model)
        #expect(try loaded.jsonData() == data)
        #expect(model.features == ["a", "b", "c"])
        #expect(model.fit.converged && model.fit.rows == 120)
        #expect(model.standardErrors?.count == 3)
        #expect(model.concordance.map { $0 > 0.5 && $0 < 1 } == true)
    }

    static func mutated(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(JSONSerialization.jsonObject(with: try fittedModel().jsonData()) as? [String: Any])
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test func loadRejectsInvalidFiles() throws {
        func expectMalformed(_ fragment: String, _ edit: (inout [String: Any]) -> Void) throws {
            do {
                _ = try CoxModel.load(jsonData: try Self.mutated(edit), source: "m.json")
                Issue.record("accepted a file with \(fragment)")
            } catch let error as ModelFileError {
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
        #expect(throws: ModelFileError.wrongKind(source: "m.json", expected: "cox", found: "logistic")) {
            try CoxModel.load(jsonData: try Self.mutated { $0["kind"] = "logistic" }, source: "m.json")
        }
        #expect(throws: ModelFileError.unsupportedVersion(source: "m.json", version: 2)) {
            try CoxModel.load(jsonData: try Self.mutated { $0["format_version"] = 2 }, source: "m.json")
        }
        try expectMalformed("\"ties\"") { $0["ties"] = "exact" }
        try expectMalformed("missing key \"baseline\"") { $0["baseline"] = nil }
        try expectMalformed("no coefficient for feature \"b\"") { object in
            var coefficients = object["coefficients"] as! [String: Any]
            coefficients["b"] = nil
            object["coefficients"] = coefficients
        }
        try expectMalformed("distinct") { $0["features"] = ["a", "a", "c"] }
        try expectMalformed("strictly increasing") { object in
            var baseline = object["baseline"] as! [String: Any]
            var times = baseline["times"] as! [Double]
            times[1] = times[0]
            baseline["times"] = times
            object["baseline"] = baseline
        }
        try expectMalformed("non-decreasing") { object in
            var baseline = object["baseline"] as! [String: Any]
            var hazard = baseline["cumulative_hazard"] as! [Double]
            hazard[2] = hazard[1] / 2
            baseline["cumulative_hazard"] = hazard
            object["baseline"] = baseline
        }
        try expectMalformed("as many") { object in
            var baseline = object["baseline"] as! [String: Any]
            baseline["cumulative_hazard"] = Array((baseline["cumulative_hazard"] as! [Double]).dropLast())
            object["baseline"] = baseline
        }
        try expectMalformed("\"baseline.reference\"") { object in
            var baseline = object["baseline"] as! [String: Any]
            baseline["reference"] = "zero"
            object["baseline"] = baseline
        }
        try expectMalformed("positive sd") { object in
            var standardization = object["standardization"] as! [String: Any]
            standardization["a"] = ["mean": 1.0, "sd": 0.0]
            object["standardization"] = standardization
        }
        #expect(throws: ModelFileError.self) { try CoxModel.load(jsonData: Data("{".utf8), source: "m.json") }
    }

    @Test func linearPredictorsNeedTheModelsColumns() throws {
        #expect(throws: LinearAlgebraError.self) { try Self.handModel().linearPredictors(Matrix(rows: 2, columns: 3)) }
    }
}
