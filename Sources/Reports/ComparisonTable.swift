import Foundation
import Metrics
import Tabular

/// The side-by-side table of a comparison: one row per metric, one column per bundle, as aligned text or CSV.
public enum ComparisonTable {
    /// Rows of (metric, value per bundle); values already formatted.
    public static func rows(_ result: ComparisonResult) -> [(metric: String, values: [String])] {
        func f(_ value: Double?, _ digits: Int = 3) -> String {
            guard let value, value.isFinite else { return "–" }
            return String(format: "%.\(digits)f", value)
        }
        let bundles = result.bundles
        var rows: [(String, [String])] = []
        func add(_ metric: String, _ value: (ComparisonResult.BundleEvaluation) -> String) { rows.append((metric, bundles.map(value))) }
        add("trained at") { $0.trainedAt }
        add("pay AUC") { f($0.pay.auc.auc) }
        add("pay AUC 95% CI") { "\(f($0.pay.auc.lower95))–\(f($0.pay.auc.upper95))" }
        add("pay KS") { f($0.pay.ks) }
        add("pay Gini") { f($0.pay.gini) }
        add("pay log-loss") { f($0.pay.logLoss, 4) }
        add("pay Brier") { f($0.pay.brier, 4) }
        for (index, share) in [0.05, 0.10, 0.20].enumerated() {
            let percent = Int((share * 100).rounded())
            add("lift top \(percent)%") { $0.pay.lift.count > index ? f($0.pay.lift[index].lift, 2) : "–" }
            add("cash captured top \(percent)%") { $0.pay.lift.count > index ? f($0.pay.lift[index].capturedValue, 3) : "–" }
        }
        add("time to pay C") { f($0.timeToPay.concordance) }
        add("P(pay≤H) mean pred/obs") { evaluation in
            let bins = evaluation.timeToPay.calibration
            let n = bins.reduce(0) { $0 + $1.weight }
            guard n > 0 else { return "–" }
            let predicted = bins.reduce(0) { $0 + $1.meanPredicted * $1.weight } / n
            let observed = bins.reduce(0) { $0 + $1.observedRate * $1.weight } / n
            return "\(f(predicted))/\(f(observed))"
        }
        add("RPC rate chosen window") { f($0.callWindow.rpcRateInChosenWindow) }
        add("RPC rate other windows") { f($0.callWindow.rpcRateInOtherWindows) }
        add("contact AUC") { f($0.callWindow.auc) }
        add("contact log-loss") { f($0.callWindow.logLoss, 4) }
        add("contact AUC baseline") { f($0.callWindow.baselineAuc) }
        add("contact log-loss baseline") { f($0.callWindow.baselineLogLoss, 4) }
        add("promise AUC") { f($0.promise?.auc?.auc) }
        add("promise Brier") { f($0.promise?.brier, 4) }
        add("cash share model") { evaluation in
            guard let cash = evaluation.cashShare else { return "–" }
            return cash.shareModel == "cash_share" ? "cash_share" : "P(pay) fallback"
        }
        add("cash predicted") { f($0.cashShare?.predictedCash, 0) }
        add("cash collected") { f($0.cashShare?.collectedCash, 0) }
        add("cash pred/collected") { f($0.cashShare?.predictedToCollected) }
        add("cash share log-loss") { f($0.cashShare?.weightedLogLoss, 4) }
        add("score PSI") { f($0.stability.scorePSI) }
        add("largest feature PSI") { evaluation in
            guard let top = evaluation.stability.featurePSI?.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return "–" }
            return "\(top.key) \(f(top.value))"
        }
        add("call value") { $0.callEffect?.value ?? "–" }
        add("Qini coefficient (reached)") { f($0.callEffect?.qini) }
        add("uplift@k (reached, cash)") { evaluation in
            guard let effect = evaluation.callEffect, let top = effect.upliftAtTop else { return "–" }
            return "\(f(top.uplift, 2)) at \(f(100 * effect.topShare, 1))%"
        }
        if result.selectionLog != nil {
            add("off-policy cash/candidate") { f($0.callEffect?.offPolicy?.estimate.selfNormalized.value, 2) }
            add("off-policy 95% CI") { evaluation in
                guard let value = evaluation.callEffect?.offPolicy?.estimate.selfNormalized else { return "–" }
                return "\(f(value.lower95, 2))–\(f(value.upper95, 2))"
            }
            add("off-policy ESS / rows") { evaluation in
                guard let ope = evaluation.callEffect?.offPolicy else { return "–" }
                return "\(f(ope.estimate.effectiveSampleSize, 0)) / \(ope.matchingRows)"
            }
        }
        if bundles.contains(where: { !$0.backtest.isEmpty }) {
            add("backtest cash queue/aging") { evaluation in
                let queue = evaluation.backtest.reduce(0) { $0 + $1.queueCash }, aging = evaluation.backtest.reduce(0) { $0 + $1.agingCash }
                return aging > 0 ? f(queue / aging, 2) : "–"
            }
        }
        return rows
    }

    /// Aligned text: the data line, the table, the paired tests and any notes.
    public static func text(_ result: ComparisonResult) -> String {
        let table = rows(result)
        let header = ["metric"] + result.bundles.map(\.label)
        var widths = header.map(\.count)
        for row in table {
            widths[0] = max(widths[0], row.metric.count)
            for (i, value) in row.values.enumerated() { widths[i + 1] = max(widths[i + 1], value.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let d = result.data
        var lines = ["holdout \(d.holdoutDates.joined(separator: ", ")) of \(d.folder): \(d.accounts) accounts "
            + "(paid within \(d.horizonDays) days: \(String(format: "%.3f", d.paidShare))), \(d.promises) promises, \(d.attempts) attempts", ""]
        lines.append(line(header))
        lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        for row in table { lines.append(line([row.metric] + row.values)) }
        if !result.pairedTests.isEmpty {
            lines.append("")
            lines.append("paired DeLong test of pay AUC:")
            for pair in result.pairedTests {
                lines.append("  " + verdict(pair, result))
            }
        }
        if let log = result.selectionLog {
            lines.append("")
            lines.append("off-policy values from selections.csv: \(log.days) logged days \(log.firstDay) to \(log.lastDay), "
                + "\(log.rows) rows (\(log.called) called, \(log.heldOut) held out): each bundle's queue (by rank, the "
                + "day's logged number of calls), cash per call candidate and day within \(d.horizonDays) days (SNIPS, 95% CI)")
        }
        for evaluation in result.bundles {
            for note in evaluation.notes { lines.append("note: \(evaluation.label): \(note)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "B vs A: AUC higher by 0.012 (95% CI 0.004 to 0.020), z = 2.9, p = 0.003: significant at 5%".
    public static func verdict(_ pair: ComparisonResult.PairedComparison, _ result: ComparisonResult) -> String {
        let a = result.bundles[pair.a].label, b = result.bundles[pair.b].label
        let t = pair.test
        // difference = AUC(a) − AUC(b); say it from b's side.
        let change = -t.difference
        let direction = change > 0 ? "higher" : (change < 0 ? "lower" : "equal")
        let significant = t.pValue < 0.05 ? "significant at 5%" : "not significant at 5%"
        return "\(b) vs \(a): AUC \(direction) by \(String(format: "%.4f", abs(change))) "
            + "(95% CI \(String(format: "%.4f", -t.upper95)) to \(String(format: "%.4f", -t.lower95))), "
            + "z = \(String(format: "%.2f", -t.z)), p = \(String(format: "%.4g", t.pValue)): \(significant)"
    }

    /// CSV: `metric,<label 1>,<label 2>,...`.
    public static func csv(_ result: ComparisonResult) -> Data {
        var writer = CSVWriter(header: ["metric"] + result.bundles.map(\.label))
        for row in rows(result) {
            writer.appendCell(row.metric)
            for value in row.values { writer.appendCell(value) }
            writer.endRow()
        }
        return writer.data
    }
}
