import Bundles
import CallGrid
import CivilTime
import Evaluation
import Features
import Foundation
import Jobs
import LinearAlgebra
import Models
import Receivables
import Scoring
import Training

/// The nightly job (`arscore score`) on one export, end to end, split by stage; then the scoring arithmetic alone
/// beside the machine's memory-read bandwidth.
///
/// The stage split comes from the job itself: `NightlyScoring.run` (the library side of `arscore score`) calls its
/// `progress` closure at the start of each stage, and the time between two calls is the earlier stage's time
/// (the last stage ends when `run` returns). Nothing of the job is re-implemented here.
///
/// Peak memory is `VmHWM` from `/proc/self/status`, read right after `run` returns: the peak resident set of this
/// process so far, i.e. of the nightly run (nothing big is allocated before it).
///
/// The throughput part then rebuilds the same snapshot (load, index, snapshot: library calls, untimed), gathers the
/// models' inputs once, and times the model arithmetic of `AccountScorer.score` without the gathers (best of 3):
/// the pay model's DGEMV + sigmoid, the Cox DGEMV + restricted mean times, and the call-window posteriors and
/// profile mix (two GEMMs per block of 65,536 accounts) with the chosen window. "Feature data read" is the
/// accounts × (pay features + Cox features + 2 × 25 window counts) doubles those kernels take as input. The
/// bandwidth is the same plain parallel sum the `logistic-score` benchmark uses, over a buffer holding exactly
/// those inputs.
func runNightlyBenchmark(data: String, model: String, asOf: String, out: String?, throughput: Bool) throws {
    guard let day = CivilDate.parse(asOf) else { throw BenchmarkError("--as-of must be YYYY-MM-DD") }
    let outFolder = try out ?? (workFolder() + "/nightly-queues")
    let exportBytes = ExportFile.allCases.reduce(0) { total, file in
        let attributes = try? FileManager.default.attributesOfItem(atPath: "\(data)/\(file.fileName)")
        return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
    }
    print("== nightly scoring (arscore score): \(data) (\(format(Double(exportBytes) / 1e9, 2)) GB), "
        + "model \(model), as of \(asOf)")

    // 1. The job, timed between its own progress calls.
    // At each stage start the peak so far (VmHWM) is read too, so the stage that sets the peak shows.
    final class Marks { var list: [(label: String, nanoseconds: UInt64, peakKilobytes: Int?)] = [] }
    let marks = Marks()
    let start = DispatchTime.now().uptimeNanoseconds
    let report = try NightlyScoring.run(
        .init(exportFolder: data, modelPath: model, outFolder: outFolder, asOf: day),
        progress: { message in
            marks.list.append((message, DispatchTime.now().uptimeNanoseconds, procStatusKilobytes("VmHWM")))
        })
    let end = DispatchTime.now().uptimeNanoseconds
    let peakKilobytes = procStatusKilobytes("VmHWM")
    let total = Double(end - start) / 1e9
    var stages: [(name: String, seconds: Double, peakAtEnd: Int?)] = []
    for (index, mark) in marks.list.enumerated() {
        let next = index + 1 < marks.list.count ? marks.list[index + 1] : nil
        stages.append((nightlyStageName(mark.label), Double((next?.nanoseconds ?? end) - mark.nanoseconds) / 1e9,
                       next?.peakKilobytes ?? peakKilobytes))
    }
    func gib(_ kilobytes: Int?) -> String { kilobytes.map { format(Double($0) / 1024 / 1024, 2) } ?? "n/a" }
    print("total:        \(format(total)) s end to end (" + stages.map { "\($0.name) \(format($0.seconds))" }.joined(separator: ", ") + ")")
    print("peak memory:  \(gib(peakKilobytes)) GiB = \(peakKilobytes.map { format(Double($0) * 1024 / 1e9, 2) } ?? "n/a") GB "
        + "(VmHWM: the process's peak resident set, read when the run returned)")
    print("  peak so far at the end of each stage (GiB): " + stages.map { "\($0.name) \(gib($0.peakAtEnd))" }.joined(separator: ", "))
    print("\(report.summary)")
    let peakGiB = peakKilobytes.map { Double($0) / 1024 / 1024 } ?? .infinity
    print("target ≤ 60 s end to end, peak ≤ 4 GiB: \(total <= 60 && peakGiB <= 4 ? "met" : "NOT met")")
    if out == nil { try? FileManager.default.removeItem(atPath: outFolder) }

    guard throughput else { return }
    try runScoringThroughput(data: data, model: model, asOf: day,
                             stageSeconds: stages.first { $0.name == "scoring" }?.seconds)
}

/// Short stage names for `NightlyScoring.run`'s progress messages (the message itself if it is not one of them).
private func nightlyStageName(_ message: String) -> String {
    let names = [("loading the bundle", "bundle"), ("loading ", "load+validate"), ("indexing ", "index"),
                 ("building the snapshot", "snapshot"), ("scoring ", "scoring"), ("routing ", "routing+CSV"),
                 ("publishing ", "publishing")]
    return names.first { message.hasPrefix($0.0) }?.1 ?? message
}

/// A `kB` field of `/proc/self/status` (`VmHWM`, `VmRSS`, …), nil where there is no such file.
func procStatusKilobytes(_ field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return line.split(separator: " ").compactMap { Int($0) }.first
    }
    return nil
}

/// Accounts per second of `AccountScorer.score`'s model arithmetic on the snapshot, beside memory bandwidth.
private func runScoringThroughput(data: String, model: String, asOf day: Int32, stageSeconds: Double?) throws {
    let bundle = try ModelBundle.load(path: try ModelBundle.resolveVersionFolder(model))
    let horizon = QueuePolicy().expectedDaysHorizon
    let table = try throughputSnapshot(data: data, asOf: day)
    let inputs = try ScoringInputs(table, bundle: bundle)
    let arithmetic = try timeModelArithmetic(inputs, bundle: bundle, horizon: horizon)
    let scorer = try timeAccountScorer(table, bundle: bundle, horizon: horizon)
    let maxDifference = zip(arithmetic.pPay, scorer.pPay).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
    let bandwidth = memoryReadGigabytesPerSecond(inputs.concatenated())
    printThroughput(inputs, bundle: bundle, arithmetic: arithmetic, bandwidth: bandwidth, scorerSeconds: scorer.seconds,
                    stageSeconds: stageSeconds, maxDifference: maxDifference)
}

/// The snapshot the nightly job scores (load, index, snapshot: library calls, untimed), without the row tables.
private func throughputSnapshot(data: String, asOf day: Int32) throws -> FeatureTable {
    var export = try ExportLoader.load(folder: data)
    let builder = FeatureBuilder(releasingRowTablesOf: &export)
    return builder.snapshot(asOf: day)
}

/// The models' inputs, gathered once (AccountScorer.score gathers them on every call: timed separately).
private struct ScoringInputs {
    /// Accounts per block of the call-window GEMMs, as in `AccountScorer.score`.
    static let block = 65_536

    let rows: Int
    let payDesign: Matrix
    let coxDesign: Matrix
    let windowBlocks: [(attempts: Matrix, contacts: Matrix)]

    init(_ table: FeatureTable, bundle: ModelBundle) throws {
        let n = table.rowCount
        rows = n
        payDesign = try table.matrix(columns: bundle.payLikelihood.features)
        coxDesign = try table.matrix(columns: bundle.timeToPay.features)
        windowBlocks = stride(from: 0, to: n, by: Self.block).map {
            table.windowCountMatrices(rows: Array($0..<min(n, $0 + Self.block)))
        }
    }

    /// Doubles read per account: the pay and Cox features and both 25-window count rows.
    var columnsRead: Int { payDesign.columns + coxDesign.columns + 2 * CallWindows.count }

    /// Every input in one buffer, for the memory-bandwidth reference.
    func concatenated() -> [Double] {
        var inputs = payDesign.storage
        inputs.reserveCapacity(rows * columnsRead)
        inputs += coxDesign.storage
        for counts in windowBlocks { inputs += counts.attempts.storage; inputs += counts.contacts.storage }
        return inputs
    }
}

/// Best-of-3 seconds of the model arithmetic, and the P(pay) it computed.
private struct ArithmeticTimes {
    var total = Double.infinity, pay = 0.0, cox = 0.0, windows = 0.0
    /// The Cox restricted mean times: a per-account loop over the baseline's steps, not a BLAS kernel.
    var restrictedMean = Double.infinity
    var pPay: [Double] = []
}

/// Times the pay GEMV + sigmoid, the Cox GEMV, its restricted mean times and the window GEMMs + choice (best of 3).
private func timeModelArithmetic(_ inputs: ScoringInputs, bundle: ModelBundle, horizon: Int) throws -> ArithmeticTimes {
    let pay = bundle.payLikelihood, cox = bundle.timeToPay, windows = bundle.callWindow
    var best = ArithmeticTimes()
    for _ in 0..<3 {
        let (paySeconds, p) = try measureSeconds { try pay.probabilities(inputs.payDesign) }
        let (coxSeconds, linear) = try measureSeconds { try cox.linearPredictors(inputs.coxDesign) }
        let (restrictedMeanSeconds, days) = measureSeconds {
            cox.restrictedMeanTimes(linearPredictors: linear, horizon: Double(horizon))
        }
        let (windowSeconds, contact) = try measureSeconds { () -> [Double] in
            var pContact = [Double](repeating: 0, count: inputs.rows)
            for (b, counts) in inputs.windowBlocks.enumerated() {
                let probabilities = try windows.contactProbabilities(attempts: counts.attempts, contacts: counts.contacts)
                let w = probabilities.columns
                for (i, window) in CallWindowModel.chosenWindows(probabilities).enumerated() {
                    pContact[b * ScoringInputs.block + i] = probabilities.storage[i * w + window]
                }
            }
            return pContact
        }
        let total = paySeconds + coxSeconds + windowSeconds
        if total < best.total { (best.total, best.pay, best.cox, best.windows) = (total, paySeconds, coxSeconds, windowSeconds) }
        best.restrictedMean = min(best.restrictedMean, restrictedMeanSeconds)
        best.pPay = p
        _ = (days, contact)
    }
    return best
}

/// The same call as the nightly job (with its gathers), best of 3, to check the outputs and show what the gathers cost.
private func timeAccountScorer(_ table: FeatureTable, bundle: ModelBundle, horizon: Int) throws -> (seconds: Double, pPay: [Double]) {
    var best = Double.infinity
    var pPay: [Double] = []
    for _ in 0..<3 {
        let (seconds, result) = try measureSeconds {
            try AccountScorer.score(table, bundle: bundle, expectedDaysHorizon: horizon)
        }
        best = min(best, seconds)
        pPay = result.pPay
    }
    return (best, pPay)
}

/// Prints the throughput figures: per kernel, against the memory-read ceiling, and of `AccountScorer.score` itself.
private func printThroughput(_ inputs: ScoringInputs, bundle: ModelBundle, arithmetic best: ArithmeticTimes, bandwidth: Double,
                             scorerSeconds: Double, stageSeconds: Double?, maxDifference: Double) {
    let n = inputs.rows, columnsRead = inputs.columnsRead
    let payFeatures = bundle.payLikelihood.features.count, coxFeatures = bundle.timeToPay.features.count
    let bytes = Double(n * columnsRead * 8)
    let ceiling = bandwidth * 1e9 / Double(columnsRead * 8)
    print("-- scoring throughput: \(n) accounts; inputs \(payFeatures) pay + \(coxFeatures) Cox features "
        + "+ 2 × \(CallWindows.count) window counts = \(columnsRead) doubles (\(columnsRead * 8) B) per account, "
        + "\(format(bytes / 1e6, 0)) MB")
    func rate(_ seconds: Double, _ doubles: Int) -> String {
        "\(format(Double(n) / seconds / 1e6, 2)) M rows/s, \(format(Double(n * doubles * 8) / seconds / 1e9, 2)) GB/s"
    }
    print("model arithmetic (pay GEMV + Cox GEMV + window GEMMs): \(format(best.total)) s best of 3 = "
        + "\(rate(best.total, columnsRead)) of feature data")
    print("  pay GEMV+sigmoid \(format(best.pay)) s = \(rate(best.pay, payFeatures)); "
        + "Cox GEMV \(format(best.cox)) s = \(rate(best.cox, coxFeatures)); "
        + "window posteriors+mix GEMMs+choice \(format(best.windows)) s = \(rate(best.windows, 2 * CallWindows.count))")
    print("  besides: Cox restricted mean times (per-account loop over the baseline, not BLAS) \(format(best.restrictedMean)) s "
        + "= \(format(Double(n) / best.restrictedMean / 1e6, 2)) M rows/s; all of AccountScorer's arithmetic "
        + "\(format(best.total + best.restrictedMean)) s = \(format(Double(n) / (best.total + best.restrictedMean) / 1e6, 2)) M rows/s")
    print("memory read:  \(format(bandwidth, 2)) GB/s (plain sum over the same \(format(bytes / 1e6, 0)) MB of inputs, all cores) "
        + "→ ceiling \(format(ceiling / 1e6, 2)) M rows/s; the GEMV/GEMM arithmetic runs at "
        + "\(format(100 * (Double(n) / best.total) / ceiling, 1))% of it")
    print("AccountScorer.score (with its gathers): \(format(scorerSeconds)) s best of 3 = "
        + "\(format(Double(n) / scorerSeconds / 1e6, 2)) M accounts/s"
        + (stageSeconds.map { "; the run's scoring stage took \(format($0)) s" } ?? "")
        + "; max |Δ p_pay| vs the arithmetic above \(maxDifference)")
}
