import Foundation
import LinearAlgebra
import Testing
@testable import Models

/// The fractional logistic fit (the cash-share model's core) against statsmodels
/// `GLM(y, X, family=Binomial(), freq_weights=w)` on Fixtures/cash_share.csv: fractional shares with exact 0s and 1s,
/// balances as weights. Reference values come from Benchmarks/reference/cash_share_statsmodels.py; arscore
/// standardises internally, so the original-scale coefficients are compared.
struct CashShareReferenceTests {
    nonisolated(unsafe) static let reference: [String: Any] = (try? Fixture.json("cash_share_reference.json")) ?? [:]

    static func fit() throws -> LogisticRegressionModel {
        let table = try Fixture.table("cash_share.csv")
        let names = ["x1", "x2", "x3"]
        return try LogisticRegression.fit(
            features: try Fixture.matrix(table, columns: names), featureNames: names,
            labels: try Fixture.column(table, "y"), weights: try Fixture.column(table, "w"),
            options: .init(l2: 0, newton: NewtonOptions(), targets: .shares))
    }

    static func relativeError(_ actual: Double?, _ expected: Any?) -> Double {
        guard let actual, let expected = expected as? Double else { return .infinity }
        return abs(actual - expected) / max(abs(expected), 1e-300)
    }

    @Test func coefficientsAndLikelihoodMatchStatsmodels() throws {
        let model = try Self.fit()
        let coefficients = try #require(Self.reference["coefficients"] as? [String: Double])
        #expect(model.fit.converged)
        #expect(Set(model.features) == Set(coefficients.keys))
        #expect(Self.relativeError(model.intercept, Self.reference["intercept"]) < 1e-8, "intercept \(model.intercept)")
        for (name, value) in coefficients {
            let error = Self.relativeError(model.coefficients[name], value)
            #expect(error < 1e-8, "\(name): \(model.coefficients[name] ?? .nan) vs statsmodels \(value) (relative \(error))")
        }
        #expect(Self.relativeError(model.fit.logLikelihood, Self.reference["log_likelihood"]) < 1e-10,
                "log-likelihood \(model.fit.logLikelihood)")
        // statsmodels' llf adds a constant for fractional y; with it the two agree as well.
        let constant = try #require(Self.reference["llf_constant"] as? Double)
        #expect(Self.relativeError(model.fit.logLikelihood + constant, Self.reference["statsmodels_llf"]) < 1e-10)
    }

    /// Standard errors to 1e-5 relative: near the optimum the solver keeps the Hessian of the iterate one chord step
    /// before the solution (NewtonSolver's `tryFullStep`), which moves them by about 1e-6 here.
    @Test func standardErrorsAndPredictionsMatchStatsmodels() throws {
        let model = try Self.fit()
        let errors = try #require(Self.reference["standard_errors"] as? [String: Double])
        for (name, value) in errors {
            #expect(Self.relativeError(model.standardErrors?[name], value) < 1e-5, "se \(name)")
        }
        #expect(Self.relativeError(model.standardErrors?[LogisticRegressionModel.interceptKey],
                                   Self.reference["intercept_standard_error"]) < 1e-5)
        let table = try Fixture.table("cash_share.csv")
        let expected = try #require(Self.reference["predictions_first_10"] as? [Double])
        let first = try Matrix(Array(table.rows.prefix(10)).map { Array($0.prefix(3)) })
        for (p, q) in zip(try model.probabilities(first), expected) { #expect(abs(p - q) < 1e-10) }
    }

    @Test func theWeightedMeanShareIsReproducedInTotal() throws {
        // The score equation of the intercept: Σ w·(p − y) = 0, so predicted cash equals collected cash in sample.
        let model = try Self.fit()
        let table = try Fixture.table("cash_share.csv")
        let p = try model.probabilities(try Fixture.matrix(table, columns: ["x1", "x2", "x3"]))
        let y = try Fixture.column(table, "y"), w = try Fixture.column(table, "w")
        let predicted = zip(p, w).reduce(0) { $0 + $1.0 * $1.1 }, collected = zip(y, w).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(predicted / collected - 1) < 1e-9)
        #expect(model.trainingMetrics == nil)
    }
}

/// What the fractional fit accepts and rejects.
struct FractionalLabelValidationTests {
    let features = try! Matrix([[0.0], [1.0], [2.0], [3.0]])

    func fit(_ labels: [Double], targets: LogisticRegression.Targets = .shares) throws -> LogisticRegressionModel {
        try LogisticRegression.fit(features: features, featureNames: ["x"], labels: labels, weights: [1, 2, 3, 4],
                                   options: .init(targets: targets))
    }

    @Test func sharesInTheUnitIntervalFit() throws {
        let model = try fit([0, 0.25, 0.5, 1])
        #expect(model.fit.converged && model.coefficients["x"]! > 0)
    }

    @Test(arguments: [(1.5, 2), (-0.1, 1), (Double.nan, 3), (Double.infinity, 4)])
    func sharesOutsideTheUnitIntervalOrNotFiniteAreRejected(value: Double, row: Int) throws {
        var labels = [0.1, 0.2, 0.3, 0.4]
        labels[row - 1] = value
        let error = #expect(throws: ModelFitError.self) { try fit(labels) }
        guard case .invalidShare(let index, _) = error else {
            Issue.record("expected invalidShare, got \(String(describing: error))")
            return
        }
        #expect(index == row - 1)
        #expect(error?.description.contains("target share must be a finite number in [0, 1]") == true)
        #expect(error?.description.contains("data row \(row)") == true)
    }

    @Test func aBinaryFitStillRejectsFractions() {
        #expect(throws: ModelFitError.invalidLabel(row: 1, value: 0.25)) { try fit([0, 0.25, 0.5, 1], targets: .binary) }
    }

    @Test func sharesAllAtOneBoundAreRejected() {
        #expect(throws: ModelFitError.constantShare(0)) { try fit([0, 0, 0, 0]) }
        #expect(throws: ModelFitError.constantShare(1)) { try fit([1, 1, 1, 1]) }
        #expect(ModelFitError.constantShare(1).description.contains("some shares above 0 and some below 1"))
    }
}
