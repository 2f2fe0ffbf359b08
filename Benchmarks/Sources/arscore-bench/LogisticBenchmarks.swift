import Foundation
import LinearAlgebra
import Metrics
import Models

/// Synthetic logistic data: features of mixed scales (like balances and day counts), a known logit.
struct LogisticBenchmarkData {
    let rows: Int
    let columns: Int
    let features: Matrix
    let labels: [Double]

    init(rows: Int, columns: Int, seed: UInt64 = 42, withLabels: Bool = true) {
        var random = SplitMix64(seed: seed)
        let scales = (0..<columns).map { [1.0, 10.0, 1000.0, 0.1][$0 % 4] }
        let offsets = (0..<columns).map { [0.0, 30.0, 5000.0, 0.5][$0 % 4] }
        let trueStandardized = (0..<columns).map { _ in 0.4 * random.normal() }
        var matrix = Matrix(rows: rows, columns: columns)
        var labels = [Double](repeating: 0, count: withLabels ? rows : 0)
        matrix.storage.withUnsafeMutableBufferPointer { x in
            for i in 0..<rows {
                var eta = -0.8
                for j in 0..<columns {
                    let z = random.normal()
                    x[i * columns + j] = offsets[j] + scales[j] * z
                    eta += trueStandardized[j] * z
                }
                if withLabels { labels[i] = random.uniform() < LogisticFunctions.sigmoid(eta) ? 1 : 0 }
            }
        }
        self.rows = rows
        self.columns = columns
        self.features = matrix
        self.labels = labels
    }
}

/// Fit on rows × columns: arscore Newton vs scikit-learn lbfgs to the same log-loss.
func runLogisticFitBenchmark(rows: Int, columns: Int) throws {
    print("== logistic fit: \(rows) × \(columns), l2 = 0 (maximum likelihood)")
    let data = LogisticBenchmarkData(rows: rows, columns: columns)
    let names = (0..<columns).map { "x\($0)" }
    _ = try LogisticRegression.fit(  // warm-up on a slice, like the peer's untimed warm-up
        features: Matrix(rows: 1000, columns: columns, rowMajor: Array(data.features.storage.prefix(1000 * columns))),
        featureNames: names, labels: Array(data.labels.prefix(1000)))
    var best = Double.infinity
    var model: LogisticRegressionModel?
    for _ in 0..<3 {
        let (seconds, fitted) = try measureSeconds {
            try LogisticRegression.fit(features: data.features, featureNames: names, labels: data.labels,
                                       options: .init(l2: 0, computeTrainingMetrics: false))
        }
        best = min(best, seconds)
        model = fitted
    }
    guard let model else { return }
    let meanLogLoss = -model.fit.logLikelihood / Double(rows)
    print("arscore:      \(format(best)) s  (best of 3), \(model.fit.iterations) Newton iterations, mean log-loss \(meanLogLoss)")

    let folder = try workFolder()
    let xPath = "\(folder)/logistic_fit_X.f64", yPath = "\(folder)/logistic_fit_y.f64"
    try writeFloat64(data.features.storage, to: xPath)
    try writeFloat64(data.labels, to: yPath)
    let peer = try runPeerScript([
        "Benchmarks/reference/logistic_sklearn.py", "fit", "--x", xPath, "--y", yPath,
        "--rows", "\(rows)", "--cols", "\(columns)", "--target-loss", "\(meanLogLoss)"])
    let peerSeconds = peer["seconds"] as? Double ?? .nan
    let peerLoss = peer["mean_log_loss"] as? Double ?? .nan
    let reached = peer["reached_target"] as? Bool ?? false
    print("scikit-learn: \(format(peerSeconds)) s  (lbfgs, first tolerance reaching the loss: \(reached)), mean log-loss \(peerLoss)")
    print("relative loss gap (sklearn − arscore)/arscore: \((peerLoss - meanLogLoss) / meanLogLoss)")
    print("ratio scikit-learn / arscore: \(format(peerSeconds / best, 1))×  (target ≥ 5×)")
    try? FileManager.default.removeItem(atPath: xPath)
    try? FileManager.default.removeItem(atPath: yPath)
}

/// Batch scoring of rows × columns: arscore GEMV + sigmoid vs scikit-learn predict_proba, beside memory bandwidth.
func runLogisticScoreBenchmark(rows: Int, columns: Int) throws {
    print("== logistic batch scoring: \(rows) × \(columns)")
    let data = LogisticBenchmarkData(rows: rows, columns: columns, withLabels: false)
    var random = SplitMix64(seed: 7)
    let names = (0..<columns).map { "x\($0)" }
    let coefficients = (0..<columns).map { _ in 0.01 * random.normal() }
    let model = LogisticRegressionModel(
        features: names, intercept: -0.5,
        coefficients: Dictionary(uniqueKeysWithValues: zip(names, coefficients)))
    var best = Double.infinity
    var checksum = 0.0
    for _ in 0..<3 {
        let (seconds, probabilities) = try measureSeconds { try model.probabilities(data.features) }
        best = min(best, seconds)
        checksum = compensatedSum(probabilities)
    }
    let bytes = Double(rows * columns * 8)
    let bandwidth = memoryReadGigabytesPerSecond(data.features.storage)
    print("arscore:      \(format(best)) s  (best of 3) = \(format(Double(rows) / best / 1e6, 1)) M rows/s, "
        + "\(format(bytes / best / 1e9, 2)) GB/s read; checksum \(checksum)")
    print("memory read:  \(format(bandwidth, 2)) GB/s (plain sum over the same buffer, all cores) → ceiling "
        + "\(format(bandwidth * 1e9 / Double(columns * 8) / 1e6, 1)) M rows/s")

    let folder = try workFolder()
    let xPath = "\(folder)/logistic_score_X.f64", coefPath = "\(folder)/logistic_score_coef.f64"
    try writeFloat64(data.features.storage, to: xPath)
    try writeFloat64(coefficients, to: coefPath)
    let peer = try runPeerScript([
        "Benchmarks/reference/logistic_sklearn.py", "score", "--x", xPath, "--rows", "\(rows)",
        "--cols", "\(columns)", "--coef", coefPath, "--intercept", "-0.5"])
    let peerSeconds = peer["seconds"] as? Double ?? .nan
    let peerChecksum = peer["checksum"] as? Double ?? .nan
    print("scikit-learn: \(format(peerSeconds)) s = \(format(Double(rows) / peerSeconds / 1e6, 1)) M rows/s; checksum \(peerChecksum) "
        + "(numpy recomputation \(peer["checksum_numpy"] as? Double ?? .nan))")
    print("ratio scikit-learn / arscore: \(format(peerSeconds / best, 1))×; arscore \(format(Double(rows) / best / 1e6, 1)) M rows/s (target ≥ 40)")
    try? FileManager.default.removeItem(atPath: xPath)
    try? FileManager.default.removeItem(atPath: coefPath)
}
