import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// Agreement with lifelines (Efron), statsmodels (Breslow) and a direct scipy minimisation (l2 > 0)
/// on committed fixtures. Reference values come from Fixtures/make_cox_reference.py.
struct CoxReferenceTests {
    nonisolated(unsafe) static let reference: [String: Any] = (try? Fixture.json("cox_reference.json")) ?? [:]

    struct Case {
        let model: CoxModel
        let entry: [String: Any]
        let expected: [String: Any]
        let features: Matrix
        let durations: [Double]
        let events: [Double]
    }

    static func fit(_ dataset: String, fitKey: String, ties: CoxRegression.Ties, l2: Double) throws -> Case {
        let entry = try #require(reference[dataset] as? [String: Any])
        let expected = try #require(entry[fitKey] as? [String: Any])
        let table = try Fixture.table("\(dataset).csv")
        let featureNames = table.header.filter { !["duration", "event", "w"].contains($0) }
        let features = try Fixture.matrix(table, columns: featureNames)
        let durations = try Fixture.column(table, "duration")
        let events = try Fixture.column(table, "event")
        let weights = (entry["weighted"] as? Bool == true) ? try Fixture.column(table, "w") : nil
        let model = try CoxRegression.fit(
            features: features, featureNames: featureNames, durations: durations, events: events, weights: weights,
            options: .init(ties: ties, l2: l2))
        return Case(model: model, entry: entry, expected: expected, features: features, durations: durations, events: events)
    }

    static func expectClose(_ actual: Double?, _ expected: Any?, tolerance: Double, _ what: String) {
        guard let actual, let expected = expected as? Double else {
            Issue.record("missing value for \(what)")
            return
        }
        #expect(abs(actual - expected) <= tolerance, "\(what): \(actual) vs reference \(expected) (|Δ| \(abs(actual - expected)))")
    }

    static let datasets = ["cox_no_ties", "cox_ties", "cox_weighted", "cox_constant"]

    @Test(arguments: datasets)
    func efronMatchesLifelines(dataset: String) throws {
        let result = try Self.fit(dataset, fitKey: "efron", ties: .efron, l2: 0)
        let model = result.model, expected = result.expected
        let coefficients = try #require(expected["coefficients"] as? [String: Double])
        #expect(Set(model.features) == Set(coefficients.keys))
        for (name, value) in coefficients {
            Self.expectClose(model.coefficients[name], value, tolerance: 1e-6, "\(dataset) β \(name)")
            // Far tighter in practice; kept as a regression guard on the numerics.
            Self.expectClose(model.coefficients[name], value, tolerance: 1e-9 * max(1, abs(value)), "\(dataset) β \(name) (tight)")
        }
        Self.expectClose(model.fit.logPartialLikelihood, expected["log_likelihood"], tolerance: 1e-8,
                         "\(dataset) log partial likelihood")
        let errors = try #require(expected["standard_errors"] as? [String: Double])
        for (name, value) in errors {
            Self.expectClose(model.standardErrors?[name], value, tolerance: 1e-7 * max(1, value), "\(dataset) se \(name)")
        }
        let concordance = try #require(expected["concordance"] as? Double)
        #expect(model.concordance == concordance, "\(dataset) concordance \(String(describing: model.concordance)) vs \(concordance)")
        #expect(model.fit.converged)
        #expect(model.ties == .efron)
        let dropped = try #require(result.entry["dropped"] as? [String])
        #expect(model.droppedConstantFeatures == dropped)
    }

    @Test(arguments: datasets)
    func baselineMatchesLifelinesShiftedToTheWeightedMean(dataset: String) throws {
        let result = try Self.fit(dataset, fitKey: "efron", ties: .efron, l2: 0)
        let model = result.model, expected = result.expected
        let times = try #require(expected["baseline_event_times"] as? [Double])
        let lifelines = try #require(expected["baseline_cumulative_hazard_lifelines"] as? [Double])
        let lifelinesMeans = try #require(expected["lifelines_reference_means"] as? [String: Double])
        #expect(model.baseline.times == times)
        #expect(model.baseline.reference == "mean")
        // lifelines refers its baseline to the unweighted means; ours to the weighted ones:
        // H_ours(t) = H_lifelines(t) · exp(Σ βⱼ (meanⱼ − lifelinesMeanⱼ)).
        var logShift = 0.0
        for name in model.features {
            logShift += model.coefficients[name]! * (model.standardization[name]!.mean - lifelinesMeans[name]!)
        }
        for (k, value) in lifelines.enumerated() {
            let shifted = value * exp(logShift)
            Self.expectClose(model.baseline.cumulativeHazard[k], shifted, tolerance: 1e-8 * max(1, shifted),
                             "\(dataset) H₀(\(times[k]))")
        }
    }

    @Test(arguments: datasets)
    func predictionsMatchLifelines(dataset: String) throws {
        let result = try Self.fit(dataset, fitKey: "efron", ties: .efron, l2: 0)
        let model = result.model, expected = result.expected
        let times = try #require(expected["survival_times"] as? [Double])
        let survival = try #require(expected["survival_first_5_rows"] as? [[Double]])
        let partialHazards = try #require(expected["log_partial_hazard_first_5_rows"] as? [Double])
        let table = try Fixture.table("\(dataset).csv")
        let all = try Fixture.matrix(table, columns: model.features)
        let rows = try Matrix(rows: 5, columns: model.features.count, rowMajor: Array(all.storage.prefix(5 * model.features.count)))
        let lp = try model.linearPredictors(rows)
        let lifelinesMeans = try #require(expected["lifelines_reference_means"] as? [String: Double])
        // lifelines centres at its unweighted means; convert before comparing.
        var offset = 0.0
        for name in model.features {
            offset += model.coefficients[name]! * (model.standardization[name]!.mean - lifelinesMeans[name]!)
        }
        for r in 0..<5 {
            Self.expectClose(lp[r] + offset, partialHazards[r], tolerance: 1e-8, "\(dataset) lp row \(r)")
            for (k, time) in times.enumerated() {
                let s = model.survivalProbability(linearPredictor: lp[r], at: time)
                Self.expectClose(s, survival[r][k], tolerance: 1e-8, "\(dataset) S(\(time)) row \(r)")
                Self.expectClose(model.eventProbability(linearPredictor: lp[r], by: time), 1 - survival[r][k],
                                 tolerance: 1e-8, "\(dataset) P(event by \(time)) row \(r)")
            }
        }
    }

    @Test(arguments: datasets)
    func breslowMatchesStatsmodels(dataset: String) throws {
        let result = try Self.fit(dataset, fitKey: "breslow", ties: .breslow, l2: 0)
        let model = result.model, expected = result.expected
        let coefficients = try #require(expected["coefficients"] as? [String: Double])
        for (name, value) in coefficients {
            Self.expectClose(model.coefficients[name], value, tolerance: 1e-6, "\(dataset) breslow β \(name)")
        }
        Self.expectClose(model.fit.logPartialLikelihood, expected["log_likelihood"], tolerance: 1e-8,
                         "\(dataset) breslow log partial likelihood")
        let errors = try #require(expected["standard_errors"] as? [String: Double])
        for (name, value) in errors {
            Self.expectClose(model.standardErrors?[name], value, tolerance: 1e-7 * max(1, value), "\(dataset) breslow se \(name)")
        }
        #expect(model.ties == .breslow)
    }

    @Test(arguments: [("l2_1", CoxRegression.Ties.efron), ("l2_10", .efron), ("breslow_l2_1", .breslow)])
    func penalisedFitMatchesDirectMinimisation(fitKey: String, ties: CoxRegression.Ties) throws {
        for dataset in Self.datasets {
            let entry = try #require(Self.reference[dataset] as? [String: Any])
            let l2 = try #require((entry[fitKey] as? [String: Any])?["l2"] as? Double)
            let result = try Self.fit(dataset, fitKey: fitKey, ties: ties, l2: l2)
            let model = result.model, expected = result.expected
            let standardized = try #require(expected["coefficients_standardized"] as? [String: Double])
            for (name, value) in standardized {
                Self.expectClose(model.coefficientsStandardized[name], value, tolerance: 1e-7, "\(dataset) \(fitKey) std \(name)")
            }
            let original = try #require(expected["coefficients"] as? [String: Double])
            for (name, value) in original {
                Self.expectClose(model.coefficients[name], value, tolerance: 1e-7 * max(1, abs(value)), "\(dataset) \(fitKey) \(name)")
            }
            Self.expectClose(model.fit.objective, expected["objective"], tolerance: 1e-8, "\(dataset) \(fitKey) objective")
            #expect(model.standardErrors == nil)
            #expect(model.l2 == l2)
        }
    }

    @Test func standardizationUsesWeightedPopulationMoments() throws {
        let result = try Self.fit("cox_weighted", fitKey: "efron", ties: .efron, l2: 0)
        let expected = try #require(result.entry["standardization"] as? [String: [String: Double]])
        for (name, moments) in expected {
            Self.expectClose(result.model.standardization[name]?.mean, moments["mean"], tolerance: 1e-12, "mean \(name)")
            Self.expectClose(result.model.standardization[name]?.sd, moments["sd"], tolerance: 1e-12, "sd \(name)")
        }
    }

    @Test func monotoneLikelihoodIsReported() throws {
        let table = try Fixture.table("cox_monotone.csv")
        let features = try Fixture.matrix(table, columns: ["x1", "x2"])
        #expect(throws: ModelFitError.monotoneLikelihood(features: ["x1"])) {
            try CoxRegression.fit(features: features, featureNames: ["x1", "x2"],
                                  durations: try Fixture.column(table, "duration"),
                                  events: try Fixture.column(table, "event"))
        }
        // A penalty makes the estimate exist.
        let penalised = try CoxRegression.fit(features: features, featureNames: ["x1", "x2"],
                                              durations: try Fixture.column(table, "duration"),
                                              events: try Fixture.column(table, "event"), options: .init(l2: 1))
        #expect(penalised.coefficientsStandardized["x1"]! > 1)
    }
}
