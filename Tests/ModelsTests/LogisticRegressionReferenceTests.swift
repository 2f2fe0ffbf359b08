import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// Agreement with statsmodels (l2 = 0) and scikit-learn (l2 > 0) on committed fixtures.
/// Reference values come from Fixtures/make_logistic_reference.py.
struct LogisticRegressionReferenceTests {
    nonisolated(unsafe) static let reference: [String: Any] = (try? Fixture.json("logistic_reference.json")) ?? [:]

    struct Case {
        let model: LogisticRegressionModel
        let expected: [String: Any]
    }

    static func fit(_ dataset: String, fitKey: String, l2: Double) throws -> Case {
        let entry = try #require(reference[dataset] as? [String: Any])
        let expected = try #require(entry[fitKey] as? [String: Any])
        let table = try Fixture.table("\(dataset).csv")
        let featureNames = table.header.filter { $0 != "y" && $0 != "w" }
        let features = try Fixture.matrix(table, columns: featureNames)
        let labels = try Fixture.column(table, "y")
        let weights = (entry["weighted"] as? Bool == true) ? try Fixture.column(table, "w") : nil
        let model = try LogisticRegression.fit(
            features: features, featureNames: featureNames, labels: labels, weights: weights,
            options: .init(l2: l2))
        return Case(model: model, expected: expected)
    }

    static func expectClose(_ actual: Double?, _ expected: Any?, tolerance: Double, _ what: String) {
        guard let actual, let expected = expected as? Double else {
            Issue.record("missing value for \(what)")
            return
        }
        #expect(abs(actual - expected) <= tolerance, "\(what): \(actual) vs reference \(expected)")
    }

    @Test(arguments: ["logistic_basic", "logistic_weighted", "logistic_ties_constant", "logistic_nearly_separable"])
    func maximumLikelihoodMatchesStatsmodels(dataset: String) throws {
        let result = try Self.fit(dataset, fitKey: "l2_0", l2: 0)
        let model = result.model, expected = result.expected
        let coefficients = try #require(expected["coefficients"] as? [String: Double])
        #expect(Set(model.features) == Set(coefficients.keys))
        Self.expectClose(model.intercept, expected["intercept"], tolerance: 1e-6, "\(dataset) intercept")
        for (name, value) in coefficients {
            Self.expectClose(model.coefficients[name], value, tolerance: 1e-6, "\(dataset) \(name)")
        }
        Self.expectClose(model.fit.logLikelihood, expected["log_likelihood"], tolerance: 1e-8, "\(dataset) log-likelihood")
        let errors = try #require(expected["standard_errors"] as? [String: Double])
        for (name, value) in errors {
            Self.expectClose(model.standardErrors?[name], value, tolerance: 1e-6 * max(1, value), "\(dataset) se \(name)")
        }
        Self.expectClose(model.standardErrors?[LogisticRegressionModel.interceptKey],
                         expected["intercept_standard_error"], tolerance: 1e-6, "\(dataset) se intercept")
        #expect(model.fit.converged)
        #expect(model.l2 == 0)
    }

    @Test(arguments: [("logistic_basic", "l2_1", 1.0), ("logistic_basic", "l2_10", 10.0),
                      ("logistic_weighted", "l2_1", 1.0), ("logistic_weighted", "l2_10", 10.0),
                      ("logistic_ties_constant", "l2_1", 1.0)])
    func penalisedFitMatchesScikitLearnOnStandardisedData(dataset: String, fitKey: String, l2: Double) throws {
        let result = try Self.fit(dataset, fitKey: fitKey, l2: l2)
        let model = result.model, expected = result.expected
        Self.expectClose(model.interceptStandardized, expected["intercept_standardized"], tolerance: 1e-7, "\(dataset) b0")
        let standardized = try #require(expected["coefficients_standardized"] as? [String: Double])
        for (name, value) in standardized {
            Self.expectClose(model.coefficientsStandardized[name], value, tolerance: 1e-7, "\(dataset) std \(name)")
        }
        let original = try #require(expected["coefficients"] as? [String: Double])
        for (name, value) in original {
            Self.expectClose(model.coefficients[name], value, tolerance: 1e-7 * max(1, abs(value)), "\(dataset) \(name)")
        }
        Self.expectClose(model.fit.objective, expected["objective"], tolerance: 1e-7, "\(dataset) objective")
        #expect(model.standardErrors == nil)
    }

    @Test func standardizationUsesWeightedPopulationMoments() throws {
        let entry = try #require(Self.reference["logistic_weighted"] as? [String: Any])
        let standardization = try #require(entry["standardization"] as? [String: [String: Double]])
        let model = try Self.fit("logistic_weighted", fitKey: "l2_0", l2: 0).model
        for (name, mean) in try #require(standardization["mean"]) {
            Self.expectClose(model.standardization[name]?.mean, mean, tolerance: 1e-10 * max(1, abs(mean)), "mean \(name)")
        }
        for (name, sd) in try #require(standardization["sd"]) {
            Self.expectClose(model.standardization[name]?.sd, sd, tolerance: 1e-10 * max(1, sd), "sd \(name)")
        }
    }

    @Test func constantColumnIsDroppedAndReported() throws {
        let model = try Self.fit("logistic_ties_constant", fitKey: "l2_0", l2: 0).model
        #expect(model.droppedConstantFeatures == ["const"])
        #expect(!model.features.contains("const"))
    }

    @Test func predictionsMatchReferenceProbabilities() throws {
        let entry = try #require(Self.reference["logistic_basic"] as? [String: Any])
        let expected = try #require(entry["predictions_l2_0"] as? [Double])
        let model = try Self.fit("logistic_basic", fitKey: "l2_0", l2: 0).model
        let table = try Fixture.table("logistic_basic.csv")
        let features = try Fixture.matrix(table, columns: model.features)
        let probabilities = try model.probabilities(features)
        for (index, value) in expected.enumerated() {
            #expect(abs(probabilities[index] - value) < 1e-9)
        }
    }

    @Test func perfectSeparationIsReportedWithAdvice() throws {
        let table = try Fixture.table("logistic_separable.csv")
        let names = table.header.filter { $0 != "y" }
        let features = try Fixture.matrix(table, columns: names)
        let labels = try Fixture.column(table, "y")
        do {
            _ = try LogisticRegression.fit(features: features, featureNames: names, labels: labels)
            Issue.record("separable data must not fit at l2 = 0")
        } catch let error as ModelFitError {
            guard case .perfectSeparation(let separating) = error else {
                Issue.record("expected perfect separation, got \(error)")
                return
            }
            #expect(separating.contains("x1"))
            #expect(error.description.contains("--l2"))
        }
        // With a penalty the same data fits.
        let penalised = try LogisticRegression.fit(features: features, featureNames: names, labels: labels,
                                                   options: .init(l2: 1))
        #expect(penalised.coefficients["x1"]! > 0)
    }
}
