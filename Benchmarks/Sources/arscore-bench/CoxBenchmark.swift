import Foundation
import LinearAlgebra
import Metrics
import Models

/// Synthetic time-to-pay data: features of mixed scales, a known log hazard ratio per standard deviation,
/// integer-day durations (heavy daily ties) and uniform censoring.
struct CoxBenchmarkData {
    let rows: Int
    let columns: Int
    let features: Matrix
    /// Days to the event or to censoring, integers ≥ 1.
    let durations: [Double]
    /// 1 = paid (event), 0 = censored.
    let events: [Double]

    init(rows: Int, columns: Int, seed: UInt64 = 42) {
        var random = SplitMix64(seed: seed)
        let scales = (0..<columns).map { [1.0, 10.0, 1000.0, 0.1][$0 % 4] }
        let offsets = (0..<columns).map { [0.0, 30.0, 5000.0, 0.5][$0 % 4] }
        let trueStandardized = (0..<columns).map { _ in 0.3 * random.normal() }
        var matrix = Matrix(rows: rows, columns: columns)
        var durations = [Double](repeating: 0, count: rows)
        var events = [Double](repeating: 0, count: rows)
        matrix.storage.withUnsafeMutableBufferPointer { x in
            for i in 0..<rows {
                var eta = 0.0
                for j in 0..<columns {
                    let z = random.normal()
                    x[i * columns + j] = offsets[j] + scales[j] * z
                    eta += trueStandardized[j] * z
                }
                // Exponential time to pay with mean 40·e^{−η} days, rounded up to whole days;
                // censoring uniform over half a year.
                let payDay = (-log(random.uniform()) * 40 * exp(-eta)).rounded(.up)
                let censorDay = (random.uniform() * 180).rounded(.up)
                durations[i] = min(payDay, censorDay)
                events[i] = payDay <= censorDay ? 1 : 0
            }
        }
        self.rows = rows
        self.columns = columns
        self.features = matrix
        self.durations = durations
        self.events = events
    }
}

/// Cox fit on rows × columns with daily ties: arscore (Efron, Newton on BLAS) vs lifelines CoxPHFitter.
///
/// Both timed fits produce the same things (coefficients, standard errors, Breslow baseline); the
/// training concordance, which lifelines computes lazily outside its fit, is timed separately on both sides.
func runCoxFitBenchmark(rows: Int, columns: Int) throws {
    print("== cox fit: \(rows) × \(columns), integer-day durations (daily ties), Efron, l2 = 0")
    let data = CoxBenchmarkData(rows: rows, columns: columns)
    let names = (0..<columns).map { "x\($0)" }
    let eventCount = Int(data.events.reduce(0, +))
    print("data: \(eventCount) events, \(Set(data.durations).count) distinct days")
    let warmRows = min(rows, 2000)
    _ = try CoxRegression.fit(  // warm-up on a slice, like the peer's untimed warm-up
        features: Matrix(rows: warmRows, columns: columns, rowMajor: Array(data.features.storage.prefix(warmRows * columns))),
        featureNames: names, durations: Array(data.durations.prefix(warmRows)), events: Array(data.events.prefix(warmRows)))
    var best = Double.infinity
    var model: CoxModel?
    for _ in 0..<3 {
        let (seconds, fitted) = try measureSeconds {
            try CoxRegression.fit(features: data.features, featureNames: names, durations: data.durations,
                                  events: data.events, options: .init(computeConcordance: false))
        }
        best = min(best, seconds)
        model = fitted
    }
    guard let model else { return }
    // The training concordance, which lifelines computes lazily outside its fit, timed on its own.
    let linearPredictors = try model.linearPredictors(data.features)
    let eventFlags = data.events.map { $0 == 1 }
    var concordanceSeconds = Double.infinity
    var concordance: Double?
    for _ in 0..<3 {
        let (seconds, value) = try measureSeconds {
            try Concordance.harrell(durations: data.durations, events: eventFlags, risks: linearPredictors).index
        }
        concordanceSeconds = min(concordanceSeconds, seconds)
        concordance = value
    }
    print("arscore:   \(format(best)) s  (best of 3; coefficients, standard errors, Breslow baseline), "
          + "\(model.fit.iterations) Newton iterations, log partial likelihood \(model.fit.logPartialLikelihood); "
          + "concordance \(concordance ?? .nan) in \(format(concordanceSeconds)) s")

    let folder = try workFolder()
    let xPath = "\(folder)/cox_fit_X.f64", tPath = "\(folder)/cox_fit_duration.f64", ePath = "\(folder)/cox_fit_event.f64"
    try writeFloat64(data.features.storage, to: xPath)
    try writeFloat64(data.durations, to: tPath)
    try writeFloat64(data.events, to: ePath)
    defer {
        for path in [xPath, tPath, ePath] { try? FileManager.default.removeItem(atPath: path) }
    }
    let script = ["Benchmarks/reference/cox_lifelines.py", "Benchmarks/cox_lifelines.py"]
        .first { FileManager.default.fileExists(atPath: $0) } ?? "Benchmarks/reference/cox_lifelines.py"
    let peer = try runPeerScript([
        script, "--x", xPath, "--duration", tPath, "--event", ePath, "--rows", "\(rows)", "--cols", "\(columns)"])
    let peerSeconds = peer["seconds"] as? Double ?? .nan
    let peerCoefficients = peer["coefficients"] as? [Double] ?? []
    let peerErrors = peer["standard_errors"] as? [Double] ?? []
    let peerLogLikelihood = peer["log_likelihood"] as? Double ?? .nan
    print("lifelines: \(format(peerSeconds)) s  (CoxPHFitter defaults, \(peer["newton_iterations"] ?? "?") Newton iterations), "
          + "log partial likelihood \(peerLogLikelihood), concordance \(peer["concordance"] ?? "?") "
          + "(+\(format(peer["concordance_seconds"] as? Double ?? .nan)) s, outside its fit)")
    let ours = model.coefficientVector
    let ourErrors = names.map { model.standardErrors?[$0] ?? .nan }
    let coefficientGap = peerCoefficients.count == columns
        ? zip(ours, peerCoefficients).map { abs($0 - $1) }.max() ?? .nan : .nan
    let relativeGap = peerCoefficients.count == columns
        ? zip(ours, peerCoefficients).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? .nan : .nan
    let errorGap = peerErrors.count == columns ? zip(ourErrors, peerErrors).map { abs($0 - $1) / $1 }.max() ?? .nan : .nan
    print("max |Δβ| (original scale) \(coefficientGap), max relative \(relativeGap); "
          + "max relative Δse \(errorGap); Δ log partial likelihood \(model.fit.logPartialLikelihood - peerLogLikelihood)")
    // (runPeerScript parses with JSONSerialization, which on Linux can be an ulp or so off.)
    let concordanceGap = abs((concordance ?? .nan) - (peer["concordance"] as? Double ?? .nan))
    print("ratio lifelines / arscore: \(format(peerSeconds / best, 1))×  (target ≥ 20×); concordance "
          + "\(format((peer["concordance_seconds"] as? Double ?? .nan) / concordanceSeconds, 0))× faster, |Δ| \(concordanceGap)")
}
