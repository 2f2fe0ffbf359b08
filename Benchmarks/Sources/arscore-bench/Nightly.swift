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
    let table: FeatureTable
    do {
        var export = try ExportLoader.load(folder: data)
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        table = builder.snapshot(asOf: day)
    }
    let n = table.rowCount
    let pay = bundle.payLikelihood, cox = bundle.timeToPay, windows = bundle.callWindow
    // The inputs, gathered once (AccountScorer.score gathers them on every call: timed separately below).
    let payDesign = try table.matrix(columns: pay.features)
    let coxDesign = try table.matrix(columns: cox.features)
    let block = 65_536
    let windowBlocks = stride(from: 0, to: n, by: block).map {
        table.windowCountMatrices(rows: Array($0..<min(n, $0 + block)))
    }

    var best: (total: Double, pay: Double, cox: Double, windows: Double) = (.infinity, 0, 0, 0)
    var bestRestrictedMean = Double.infinity
    var pPay: [Double] = []
    for _ in 0..<3 {
        let (paySeconds, p) = try measureSeconds { try pay.probabilities(payDesign) }
        let (coxSeconds, linear) = try measureSeconds { try cox.linearPredictors(coxDesign) }
        // Not a BLAS kernel: a per-account loop over the baseline's steps (reported apart from the GEMV/GEMMs).
        let (restrictedMeanSeconds, days) = measureSeconds {
            cox.restrictedMeanTimes(linearPredictors: linear, horizon: Double(horizon))
        }
        let (windowSeconds, contact) = try measureSeconds { () -> [Double] in
            var pContact = [Double](repeating: 0, count: n)
            for (b, counts) in windowBlocks.enumerated() {
                let probabilities = try windows.contactProbabilities(attempts: counts.attempts, contacts: counts.contacts)
                let w = probabilities.columns
                for (i, window) in CallWindowModel.chosenWindows(probabilities).enumerated() {
                    pContact[b * block + i] = probabilities.storage[i * w + window]
                }
            }
            return pContact
        }
        let total = paySeconds + coxSeconds + windowSeconds
        if total < best.total { best = (total, paySeconds, coxSeconds, windowSeconds) }
        bestRestrictedMean = min(bestRestrictedMean, restrictedMeanSeconds)
        pPay = p
        _ = (days, contact)
    }

    // The same call as the nightly job (with its gathers), to check the outputs and show what the gathers cost.
    var scorerBest = Double.infinity
    var scored: ScoredAccounts?
    for _ in 0..<3 {
        let (seconds, result) = try measureSeconds {
            try AccountScorer.score(table, bundle: bundle, expectedDaysHorizon: horizon)
        }
        scorerBest = min(scorerBest, seconds)
        scored = result
    }
    let maxDifference = zip(pPay, scored?.pPay ?? []).reduce(0.0) { max($0, abs($1.0 - $1.1)) }

    let columnsRead = pay.features.count + cox.features.count + 2 * CallWindows.count
    let bytes = Double(n * columnsRead * 8)
    var inputs = payDesign.storage
    inputs.reserveCapacity(n * columnsRead)
    inputs += coxDesign.storage
    for counts in windowBlocks { inputs += counts.attempts.storage; inputs += counts.contacts.storage }
    let bandwidth = memoryReadGigabytesPerSecond(inputs)
    let ceiling = bandwidth * 1e9 / Double(columnsRead * 8)

    print("-- scoring throughput: \(n) accounts; inputs \(pay.features.count) pay + \(cox.features.count) Cox features "
        + "+ 2 × \(CallWindows.count) window counts = \(columnsRead) doubles (\(columnsRead * 8) B) per account, "
        + "\(format(bytes / 1e6, 0)) MB")
    func rate(_ seconds: Double, _ doubles: Int) -> String {
        "\(format(Double(n) / seconds / 1e6, 2)) M rows/s, \(format(Double(n * doubles * 8) / seconds / 1e9, 2)) GB/s"
    }
    print("model arithmetic (pay GEMV + Cox GEMV + window GEMMs): \(format(best.total)) s best of 3 = "
        + "\(rate(best.total, columnsRead)) of feature data")
    print("  pay GEMV+sigmoid \(format(best.pay)) s = \(rate(best.pay, pay.features.count)); "
        + "Cox GEMV \(format(best.cox)) s = \(rate(best.cox, cox.features.count)); "
        + "window posteriors+mix GEMMs+choice \(format(best.windows)) s = \(rate(best.windows, 2 * CallWindows.count))")
    print("  besides: Cox restricted mean times (per-account loop over the baseline, not BLAS) \(format(bestRestrictedMean)) s "
        + "= \(format(Double(n) / bestRestrictedMean / 1e6, 2)) M rows/s; all of AccountScorer's arithmetic "
        + "\(format(best.total + bestRestrictedMean)) s = \(format(Double(n) / (best.total + bestRestrictedMean) / 1e6, 2)) M rows/s")
    print("memory read:  \(format(bandwidth, 2)) GB/s (plain sum over the same \(format(bytes / 1e6, 0)) MB of inputs, all cores) "
        + "→ ceiling \(format(ceiling / 1e6, 2)) M rows/s; the GEMV/GEMM arithmetic runs at "
        + "\(format(100 * (Double(n) / best.total) / ceiling, 1))% of it")
    print("AccountScorer.score (with its gathers): \(format(scorerBest)) s best of 3 = "
        + "\(format(Double(n) / scorerBest / 1e6, 2)) M accounts/s"
        + (stageSeconds.map { "; the run's scoring stage took \(format($0)) s" } ?? "")
        + "; max |Δ p_pay| vs the arithmetic above \(maxDifference)")
}
