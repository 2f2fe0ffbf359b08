import Foundation
import LinearAlgebra
import Testing
@testable import Models

/// The fit-input checks shared by the logistic, Cox and call-window fits: each rejected input and its error.
struct FitInputValidatorTests {
    /// Three rows, two features.
    static let features = try! Matrix([[1, 10], [2, 30], [4, 20]])
    static let names = ["a", "b"]

    static func check(
        features: Matrix = features, names: [String] = names, columns: [FitInputValidator.RowValues],
        weights: [Double]? = nil, l2: Double = 0
    ) throws -> (weights: [Double], total: Double) {
        try FitInputValidator.checkRows(features: features, featureNames: names, columns: columns, weights: weights, l2: l2)
    }

    @Test func validInputsGiveTheCaseWeightsAndTheirTotal() throws {
        let unit = try Self.check(columns: [.labels([0, 1, 1])])
        #expect(unit.weights == [1, 1, 1])
        #expect(unit.total == 3)
        let weighted = try Self.check(columns: [.durations([3, 0, 5]), .events([1, 0, 1])], weights: [0.5, 0, 2])
        #expect(weighted.weights == [0.5, 0, 2])
        #expect(weighted.total == 2.5)
    }

    @Test func shapesAreChecked() throws {
        #expect(throws: ModelFitError.shapeMismatch("3 names for 2 feature columns")) {
            try Self.check(names: ["a", "b", "c"], columns: [.labels([0, 1, 1])])
        }
        #expect(throws: ModelFitError.shapeMismatch("2 labels for 3 rows")) { try Self.check(columns: [.labels([0, 1])]) }
        #expect(throws: ModelFitError.shapeMismatch("4 durations for 3 rows")) {
            try Self.check(columns: [.durations([1, 2, 3, 4]), .events([1, 0, 1])])
        }
        #expect(throws: ModelFitError.shapeMismatch("1 events for 3 rows")) {
            try Self.check(columns: [.durations([1, 2, 3]), .events([1])])
        }
        #expect(throws: ModelFitError.shapeMismatch("2 weights for 3 rows")) {
            try Self.check(columns: [.labels([0, 1, 1])], weights: [1, 1])
        }
        #expect(ModelFitError.shapeMismatch("2 weights for 3 rows").description == "inconsistent inputs: 2 weights for 3 rows")
    }

    @Test func thePenaltyMustBeFiniteAndNonNegative() throws {
        for l2 in [-1, Double.nan, .infinity] {
            #expect(throws: ModelFitError.self) { try Self.check(columns: [.labels([0, 1, 1])], l2: l2) }
        }
        #expect(throws: ModelFitError.invalidPenalty(-1)) { try Self.check(columns: [.labels([0, 1, 1])], l2: -1) }
        #expect(ModelFitError.invalidPenalty(-1).description == "l2 must be finite and non-negative, got -1.0")
    }

    @Test func noRowsOrNoWeightIsNoData() throws {
        #expect(throws: ModelFitError.noData) {
            try Self.check(features: Matrix(rows: 0, columns: 2), columns: [.labels([])])
        }
        #expect(throws: ModelFitError.noData) { try Self.check(columns: [.labels([0, 1, 1])], weights: [0, 0, 0]) }
        #expect(ModelFitError.noData.description == "no rows to fit on")
    }

    @Test func eachRowValueIsChecked() throws {
        #expect(throws: ModelFitError.invalidLabel(row: 1, value: 2)) { try Self.check(columns: [.labels([0, 2, 0.5])]) }
        #expect(throws: ModelFitError.invalidDuration(row: 2, value: -1)) {
            try Self.check(columns: [.durations([1, 2, -1]), .events([1, 0, 1])])
        }
        #expect(throws: ModelFitError.invalidDuration(row: 0, value: .infinity)) {
            try Self.check(columns: [.durations([.infinity, 2, 3]), .events([1, 0, 1])])
        }
        #expect(throws: ModelFitError.invalidEvent(row: 1, value: 0.5)) {
            try Self.check(columns: [.durations([1, 2, 3]), .events([1, 0.5, 1])])
        }
        #expect(throws: ModelFitError.invalidWeight(row: 2, value: -0.5)) {
            try Self.check(columns: [.labels([0, 1, 1])], weights: [1, 1, -0.5])
        }
        #expect(throws: ModelFitError.invalidWeight(row: 0, value: .infinity)) {
            try Self.check(columns: [.labels([0, 1, 1])], weights: [.infinity, 1, 1])
        }
        #expect(throws: ModelFitError.self) { try Self.check(columns: [.labels([0, 1, 1])], weights: [1, .nan, 1]) }
        #expect(ModelFitError.invalidLabel(row: 1, value: 2).description == "target must be 0 or 1, found 2.0 in data row 2")
        #expect(ModelFitError.invalidDuration(row: 2, value: -1).description
                == "duration must be finite and non-negative, found -1.0 in data row 3")
        #expect(ModelFitError.invalidEvent(row: 1, value: 0.5).description == "event must be 0 or 1, found 0.5 in data row 2")
        #expect(ModelFitError.invalidWeight(row: 2, value: -0.5).description
                == "weights must be finite and non-negative, found -0.5 in data row 3")
    }

    @Test func checksRunInAFixedOrder() throws {
        // Shapes before the penalty, the penalty before values, the columns in order, weights last.
        #expect(throws: ModelFitError.shapeMismatch("2 weights for 3 rows")) {
            try Self.check(columns: [.labels([0, 5, 1])], weights: [1, 1], l2: -1)
        }
        #expect(throws: ModelFitError.invalidPenalty(-1)) {
            try Self.check(columns: [.labels([0, 5, 1])], weights: [1, -1, 1], l2: -1)
        }
        #expect(throws: ModelFitError.invalidDuration(row: 2, value: -3)) {
            try Self.check(columns: [.durations([1, 2, -3]), .events([7, 0, 1])], weights: [-1, 1, 1])
        }
        #expect(throws: ModelFitError.invalidEvent(row: 0, value: 7)) {
            try Self.check(columns: [.durations([1, 2, 3]), .events([7, 0, 1])], weights: [-1, 1, 1])
        }
    }

    @Test func standardizationDropsConstantFeaturesAndFindsNonFiniteValues() throws {
        let x = try Matrix([[1, 5, 2], [2, 5, 4], [3, 5, 8]])
        let standardized = try FitInputValidator.standardize(features: x, featureNames: ["a", "c", "b"], weights: nil)
        #expect(standardized.kept == [0, 2])
        #expect(standardized.dropped == ["c"])
        #expect(standardized.keptNames == ["a", "b"])
        #expect(standardized.design.columns == 3)
        #expect(standardized.standardization.means == [2, 5, 14.0 / 3])

        var bad = x
        bad[2, 1] = .nan
        #expect(throws: ModelFitError.nonFiniteFeature(row: 2, feature: "c")) {
            try FitInputValidator.standardize(features: bad, featureNames: ["a", "c", "b"], weights: nil)
        }
        bad[1, 2] = -.infinity
        #expect(throws: ModelFitError.nonFiniteFeature(row: 1, feature: "b")) {
            try FitInputValidator.standardize(features: bad, featureNames: ["a", "c", "b"], weights: nil)
        }
        let constant = try Matrix([[1, 5], [1, 5]])
        #expect(throws: ModelFitError.noUsableFeatures(dropped: ["a", "c"])) {
            try FitInputValidator.standardize(features: constant, featureNames: ["a", "c"], weights: nil)
        }
        #expect(ModelFitError.nonFiniteFeature(row: 2, feature: "c").description == "feature \"c\" is not finite in data row 3")
    }

    @Test func theFitsReportTheSameErrors() throws {
        let x = Self.features
        #expect(throws: ModelFitError.shapeMismatch("2 labels for 3 rows")) {
            try LogisticRegression.fit(features: x, featureNames: Self.names, labels: [0, 1])
        }
        #expect(throws: ModelFitError.invalidWeight(row: 1, value: -2)) {
            try LogisticRegression.fit(features: x, featureNames: Self.names, labels: [0, 1, 1], weights: [1, -2, 1])
        }
        #expect(throws: ModelFitError.shapeMismatch("2 durations for 3 rows")) {
            try CoxRegression.fit(features: x, featureNames: Self.names, durations: [1, 2], events: [1, 0, 1])
        }
        #expect(throws: ModelFitError.invalidEvent(row: 2, value: 3)) {
            try CoxRegression.fit(features: x, featureNames: Self.names, durations: [1, 2, 3], events: [1, 0, 3])
        }
        #expect(throws: ModelFitError.invalidPenalty(-2)) {
            try CoxRegression.fit(features: x, featureNames: Self.names, durations: [1, 2, 3], events: [1, 0, 1],
                                  options: .init(l2: -2))
        }
        // What is particular to each fit comes after the shared checks.
        #expect(throws: ModelFitError.singleClass(label: 1)) {
            try LogisticRegression.fit(features: x, featureNames: Self.names, labels: [1, 1, 1])
        }
        #expect(throws: ModelFitError.noEvents) {
            try CoxRegression.fit(features: x, featureNames: Self.names, durations: [1, 2, 3], events: [1, 0, 0],
                                  weights: [0, 1, 1])
        }
        let constant = try Matrix([[1, 5], [1, 5], [1, 5]])
        #expect(throws: ModelFitError.noUsableFeatures(dropped: ["a", "b"])) {
            try CoxRegression.fit(features: constant, featureNames: Self.names, durations: [1, 2, 3], events: [1, 0, 1])
        }
    }

    @Test func callWindowInputsAreChecked() throws {
        let attempts = try Matrix([[2, 0], [1, 3]]), contacts = try Matrix([[1, 0], [0, 2]])
        let options = CallWindowFitter.Options()
        try FitInputValidator.checkCallWindowInputs(attempts: attempts, contacts: contacts, windows: 2, options: options)
        #expect(throws: ModelFitError.shapeMismatch("3 windows; attempts 2×2, contacts 2×2")) {
            try FitInputValidator.checkCallWindowInputs(attempts: attempts, contacts: contacts, windows: 3, options: options)
        }
        #expect(throws: ModelFitError.shapeMismatch("2 windows; attempts 2×2, contacts 1×2")) {
            try FitInputValidator.checkCallWindowInputs(attempts: attempts, contacts: Matrix(rows: 1, columns: 2),
                                                        windows: 2, options: options)
        }
        var noStarts = options
        noStarts.starts = 0
        let optionError = ModelFitError.invalidOption(
            "call-window fits need ≥ 1 profile, start, iteration and account, α > 0 and reach levels in (0, 1]")
        #expect(throws: optionError) {
            try FitInputValidator.checkCallWindowInputs(attempts: attempts, contacts: contacts, windows: 2, options: noStarts)
        }
        var badLevels = options
        badLevels.reachLevels = [0.5, 1.5]
        #expect(throws: optionError) {
            try FitInputValidator.checkCallWindowInputs(attempts: attempts, contacts: contacts, windows: 2, options: badLevels)
        }
        var tooMany = contacts
        tooMany[1, 1] = 4
        #expect(throws: ModelFitError.invalidCount(row: 1, window: 1, attempts: 3, contacts: 4)) {
            try FitInputValidator.checkCallWindowInputs(attempts: attempts, contacts: tooMany, windows: 2, options: options)
        }
        var negative = attempts
        negative[0, 1] = -1
        #expect(throws: ModelFitError.invalidCount(row: 0, window: 1, attempts: -1, contacts: 0)) {
            try CallWindowFitter.fit(attempts: negative, contacts: contacts, windowNames: ["w1", "w2"])
        }
    }

    @Test func warmStartSubsampleScalesThePenalty() throws {
        var x = Matrix(rows: 10, columns: 1)
        for i in 0..<10 { x[i, 0] = Double(i) }
        let standardization = FeatureStandardization(features: x, featureNames: ["a"], weights: nil)
        let design = StandardizedDesign(features: x, standardization: standardization, kept: [0])
        let weights = (0..<10).map { Double($0 % 2 + 1) }
        let sample = WarmStart.Subsample(design: design, weights: weights, l2: 3, targetRows: 4)
        #expect(sample.rows == [0, 2, 4, 6, 8])
        #expect(sample.weights == [1, 1, 1, 1, 1])
        #expect(sample.design.features.storage == [0, 2, 4, 6, 8])
        #expect(sample.l2 == 3 * (5.0 / 15))
        // Below the threshold there is no warm start.
        #expect(WarmStart.parameters(design: design, weights: weights, l2: 0, threshold: 11, targetRows: 4, start: [0, 0],
                                     bound: 15) { _ -> LogisticObjective? in Issue.record("fitted"); return nil } == nil)
    }
}
