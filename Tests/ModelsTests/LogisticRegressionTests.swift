import Foundation
import Testing
import LinearAlgebra
@testable import Models

/// Behaviour of the logistic fit beyond reference agreement: input validation, diagnostics, serialisation.
struct LogisticRegressionTests {
    static func smallData() throws -> (Matrix, [Double]) {
        let x = try Matrix([[0.1, 5], [0.4, 3], [0.35, 8], [0.8, 1], [0.9, 9], [0.2, 2], [0.6, 4], [0.7, 7]])
        return (x, [0, 0, 1, 1, 1, 0, 1, 0])
    }

    @Test func rejectsLabelsOtherThanZeroAndOne() throws {
        let (x, _) = try Self.smallData()
        #expect(throws: ModelFitError.invalidLabel(row: 2, value: 2)) {
            try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: [0, 1, 2, 0, 1, 0, 1, 0])
        }
    }

    @Test func rejectsSingleClassAndEmptyData() throws {
        let (x, _) = try Self.smallData()
        #expect(throws: ModelFitError.singleClass(label: 1)) {
            try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: Array(repeating: 1, count: 8))
        }
        #expect(throws: ModelFitError.noData) {
            try LogisticRegression.fit(features: Matrix(rows: 0, columns: 2), featureNames: ["a", "b"], labels: [])
        }
    }

    @Test func rejectsBadWeightsPenaltiesAndShapes() throws {
        let (x, y) = try Self.smallData()
        var weights = [Double](repeating: 1, count: 8)
        weights[3] = -1
        #expect(throws: ModelFitError.invalidWeight(row: 3, value: -1)) {
            try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y, weights: weights)
        }
        #expect(throws: ModelFitError.invalidPenalty(-1)) {
            try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y, options: .init(l2: -1))
        }
        #expect(throws: ModelFitError.self) {
            try LogisticRegression.fit(features: x, featureNames: ["a"], labels: y)
        }
    }

    @Test func nonFiniteFeatureNamesRowAndColumn() throws {
        var (x, y) = try Self.smallData()
        x[5, 1] = .nan
        #expect(throws: ModelFitError.nonFiniteFeature(row: 5, feature: "b")) {
            try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y)
        }
    }

    @Test func allConstantFeaturesIsAnError() throws {
        let x = try Matrix(rows: 4, columns: 1, rowMajor: [3, 3, 3, 3])
        #expect(throws: ModelFitError.noUsableFeatures(dropped: ["c"])) {
            try LogisticRegression.fit(features: x, featureNames: ["c"], labels: [0, 1, 0, 1])
        }
    }

    @Test func collinearFeaturesAreReportedNotReturned() throws {
        let (x, y) = try Self.smallData()
        // Third column = 2·a + b: the Hessian is singular at l2 = 0.
        let rows = (0..<x.rows).map { [x[$0, 0], x[$0, 1], 2 * x[$0, 0] + x[$0, 1]] }
        let collinear = try Matrix(rows)
        #expect(throws: ModelFitError.self) {
            try LogisticRegression.fit(features: collinear, featureNames: ["a", "b", "c"], labels: y)
        }
        // A ridge penalty makes it well-posed.
        let model = try LogisticRegression.fit(features: collinear, featureNames: ["a", "b", "c"], labels: y,
                                               options: .init(l2: 0.5))
        #expect(model.fit.converged)
    }

    @Test func iterationLimitIsReportedAsNonConvergence() throws {
        let (x, y) = try Self.smallData()
        let options = LogisticRegression.Options(l2: 0, newton: NewtonOptions(maxIterations: 1))
        #expect {
            try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y, options: options)
        } throws: { error in
            guard case ModelFitError.didNotConverge(let iterations, _) = error else { return false }
            return iterations == 1
        }
    }

    @Test func zeroWeightRowsDoNotInfluenceTheFit() throws {
        let (x, y) = try Self.smallData()
        let full = try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y)
        // Append a wild row with weight zero.
        let extended = try Matrix(rows: 9, columns: 2, rowMajor: x.storage + [100, -50])
        let weighted = try LogisticRegression.fit(
            features: extended, featureNames: ["a", "b"], labels: y + [1],
            weights: [Double](repeating: 1, count: 8) + [0])
        #expect(abs(full.coefficients["a"]! - weighted.coefficients["a"]!) < 1e-9)
        #expect(abs(full.intercept - weighted.intercept) < 1e-9)
    }

    @Test func gradientIsZeroAtSolutionAndScoresSumToPositives() throws {
        let (x, y) = try Self.smallData()
        let model = try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y)
        // Unpenalised logistic MLE with an intercept: Σp = Σy.
        let total = try model.probabilities(x).reduce(0, +)
        #expect(abs(total - y.reduce(0, +)) < 1e-8)
        #expect(model.fit.gradientMaxAbs < 1e-8)
    }

    @Test func jsonRoundTripIsExactAndStable() throws {
        let (x, y) = try Self.smallData()
        let model = try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y, options: .init(l2: 0.3))
        let data = try model.jsonData()
        let decoded = try LogisticRegressionModel.load(jsonData: data, source: "m.json")
        #expect(decoded == model)
        #expect(try decoded.jsonData() == data)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"kind\" : \"logistic\""))
        #expect(text.contains("\"coefficients\""))
    }

    @Test func corruptModelFilesAreRejectedWithReasons() throws {
        let (x, y) = try Self.smallData()
        let model = try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y)
        var wrongKind = model
        wrongKind.kind = "cox"
        #expect(throws: ModelFileError.wrongKind(source: "m.json", expected: "logistic", found: "cox")) {
            try LogisticRegressionModel.load(jsonData: wrongKind.jsonData(), source: "m.json")
        }
        var missing = model
        missing.coefficients.removeValue(forKey: "b")
        #expect(throws: ModelFileError.malformed(source: "m.json", detail: "no coefficient for feature \"b\"")) {
            try LogisticRegressionModel.load(jsonData: missing.jsonData(), source: "m.json")
        }
        #expect(throws: ModelFileError.self) {
            try LogisticRegressionModel.load(jsonData: Data("{\"kind\": \"logistic\"".utf8), source: "m.json")
        }
    }

    @Test func scoringChecksColumnCount() throws {
        let (x, y) = try Self.smallData()
        let model = try LogisticRegression.fit(features: x, featureNames: ["a", "b"], labels: y)
        #expect(throws: LinearAlgebraError.self) { try model.probabilities(Matrix(rows: 2, columns: 3)) }
    }

    @Test func quasiCompleteSeparationByARareFlagIsReported() throws {
        // 10 of 1,000 rows have flag = 1 and all of them y = 1; the rest have random y.
        var rows: [[Double]] = []
        var labels: [Double] = []
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / 9_007_199_254_740_992.0
        }
        for i in 0..<1000 {
            let flag: Double = i < 10 ? 1 : 0
            rows.append([flag, next()])
            labels.append(flag == 1 ? 1 : (next() < 0.4 ? 1 : 0))
        }
        #expect {
            try LogisticRegression.fit(features: Matrix(rows), featureNames: ["flag", "noise"], labels: labels)
        } throws: { error in
            guard case ModelFitError.perfectSeparation(let features) = error else { return false }
            return features == ["flag"]
        }
        // With a penalty the fit is well-posed.
        let penalised = try LogisticRegression.fit(features: Matrix(rows), featureNames: ["flag", "noise"],
                                                   labels: labels, options: .init(l2: 1))
        #expect(penalised.coefficients["flag"]! > 0)
    }
}
