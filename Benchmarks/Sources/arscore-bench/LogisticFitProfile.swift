import Foundation
import LinearAlgebra
import Models

/// Splits one logistic fit into its stages, to see where the time goes (no peer library).
func runLogisticFitProfile(rows: Int, columns: Int) throws {
    print("== logistic fit profile: \(rows) × \(columns)")
    let data = LogisticBenchmarkData(rows: rows, columns: columns)
    let names = (0..<columns).map { "x\($0)" }
    let (standardizeSeconds, standardization) = measureSeconds {
        FeatureStandardization(features: data.features, featureNames: names, weights: nil)
    }
    let (designSeconds, materialized) = measureSeconds {
        standardization.designMatrix(data.features, keeping: Array(0..<columns))
    }
    let design = StandardizedDesign(features: data.features, standardization: standardization, kept: Array(0..<columns))
    let weights = [Double](repeating: 1, count: rows)
    let objective = LogisticObjective(design: design, labels: data.labels, weights: weights, l2: 0)
    var beta = [Double](repeating: 0.01, count: columns + 1)
    beta[0] = -0.5
    var gradient = [Double](repeating: 0, count: columns + 1)
    var hessian = Matrix(rows: columns + 1, columns: columns + 1)
    _ = objective.evaluate(at: beta, gradient: &gradient, hessian: &hessian)
    let (evaluateSeconds, _) = measureSeconds { objective.evaluate(at: beta, gradient: &gradient, hessian: &hessian) }
    let (valueSeconds, _) = measureSeconds { objective.value(at: beta) }
    let (gramSeconds, _) = measureSeconds { BLAS.gram(materialized) }
    let (gemvSeconds, _) = try measureSeconds { try BLAS.multiply(materialized, beta) }
    let (fitSeconds, model) = try measureSeconds {
        try LogisticRegression.fit(features: data.features, featureNames: names, labels: data.labels,
                                   options: .init(l2: 0, computeTrainingMetrics: false))
    }
    print("standardize \(format(standardizeSeconds)) s, design \(format(designSeconds)) s, "
        + "evaluate \(format(evaluateSeconds)) s (gram alone \(format(gramSeconds)) s, gemv \(format(gemvSeconds)) s), "
        + "value \(format(valueSeconds)) s; whole fit \(format(fitSeconds)) s in \(model.fit.iterations) iterations")
}
