import Bundles
import Foundation
import Metrics
import Models

/// The Markdown model card written beside a bundle's models: what was trained on what, how it did on the
/// out-of-time holdout, what drives each model, and its limits.
public enum ModelCard {
    /// Renders the card of `bundle` (from its manifest and models only, so it can be regenerated from the files).
    public static func render(_ bundle: ModelBundle) -> String {
        let m = bundle.manifest
        var lines: [String] = []
        func add(_ line: String = "") { lines.append(line) }
        func number(_ value: Double?, _ digits: Int = 3) -> String {
            guard let value, value.isFinite else { return "–" }
            return String(format: "%.\(digits)f", value)
        }
        add("# Model card: \(m.name) \(m.version)")
        add()
        add("Trained \(m.createdAt) by arscore \(m.arscoreVersion). Decides whom to call, when, and how far to trust "
            + "promises to pay; see Models/README.md for the file format.")
        add()
        add("## Data")
        add()
        add("- Export fingerprint (SHA-256): `\(m.data.fingerprint)`")
        add("- \(m.data.customers) customers; invoices from \(m.data.firstInvoiceDate); data end \(m.data.dataEnd) (exclusive); "
            + "\(m.data.quarantinedRows) rows quarantined")
        for file in m.data.files {
            add("- `\(file.name)`: \(file.rows) rows, \(file.bytes) bytes")
        }
        add()
        add("## Training")
        add()
        add("- Outcome horizon H = \(m.training.horizonDays) days; snapshots \(m.training.schedule)")
        add("- Training snapshots (\(m.training.snapshotDates.count)): \(m.training.snapshotDates.joined(separator: ", "))")
        add("- Out-of-time holdout (\(m.training.holdoutDates.count)): \(m.training.holdoutDates.joined(separator: ", "))")
        add("- Account snapshots with an open balance: \(m.training.trainingRows) training, \(m.training.holdoutRows) holdout")
        add("- Promises with a known outcome: \(m.training.trainingPromises) training, \(m.training.holdoutPromises) holdout")
        add("- Call attempts: \(m.training.trainingAttempts) before the holdout, \(m.training.holdoutAttempts) in it")
        add()
        add("## Holdout metrics")
        add()
        add("| model | metric | value |")
        add("| --- | --- | --- |")
        let h = m.holdoutMetrics
        if let pay = h.payLikelihood {
            add("| pay likelihood (pays within \(m.training.horizonDays) days) | AUC | \(number(pay.auc)) |")
            add("| | Gini / KS | \(number(pay.gini)) / \(number(pay.ks)) |")
            add("| | log-loss / Brier | \(number(pay.logLoss, 4)) / \(number(pay.brier, 4)) |")
            add("| | rows / paid share | \(pay.count) / \(number(Double(pay.positives) / Double(max(1, pay.count)))) |")
        }
        if let time = h.timeToPay {
            add("| time to pay (Cox) | Harrell's C | \(number(time.concordance)) |")
            add("| | mean P(pay within H) vs observed | \(number(time.meanPredictedWithinHorizon)) vs \(number(time.observedWithinHorizon)) |")
        }
        if let window = h.callWindow {
            add("| call window | AUC / log-loss of P(RPC) per attempt | \(number(window.auc)) / \(number(window.logLoss, 4)) |")
            add("| | RPC rate in the chosen window vs others | \(number(window.rpcRateInChosenWindow)) (\(window.attemptsInChosenWindow) attempts) "
                + "vs \(number(window.rpcRateInOtherWindows)) |")
        }
        if let promise = h.promiseKept {
            add("| promise kept | AUC / Brier | \(number(promise.auc)) / \(number(promise.brier, 4)) |")
            add("| | promises / kept share | \(promise.count) / \(number(Double(promise.positives) / Double(max(1, promise.count)))) |")
        }
        for note in h.notes { add("| note | | \(note) |") }
        if let pay = h.payLikelihood, !pay.calibration.isEmpty {
            add()
            add("Calibration of the pay model on the holdout (deciles of predicted P):")
            add()
            add("| decile | rows | mean predicted | observed |")
            add("| --- | --- | --- | --- |")
            for bin in pay.calibration {
                add("| \(bin.index + 1) | \(bin.count) | \(number(bin.meanPredicted)) | \(number(bin.observedRate)) |")
            }
        }
        add()
        add("## Models")
        add()
        add("- **Pay likelihood** (`\(m.models.payLikelihood.file)`): L2 logistic regression, \(m.models.payLikelihood.features) "
            + "features, l2 = \(number(m.models.payLikelihood.l2, 4))"
            + (m.models.payLikelihood.l2Selection.map { " (chosen by log-loss on the \($0.validationDate) snapshot among "
                + $0.candidates.map { number($0, 2) }.joined(separator: ", ") + ")" } ?? " (default; too little history to validate)") + ".")
        add("  Largest standardised effects: " + topEffects(bundle.payLikelihood.coefficientsStandardized))
        add("- **Time to pay** (`\(m.models.timeToPay.file)`): Cox proportional hazards, Efron ties, \(m.models.timeToPay.features) "
            + "features, l2 = \(number(m.models.timeToPay.l2, 4)); the hazard is of the first payment, so a positive coefficient means sooner payment.")
        add("  Largest standardised effects: " + topEffects(bundle.timeToPay.coefficientsStandardized))
        let window = bundle.callWindow
        add("- **Call window** (`\(m.models.callWindow.file)`): \(window.profileCount) contact profiles over \(window.windowCount) "
            + "windows (customer-local time), EM on \(window.fit.accounts) accounts' histories; own history weighted against "
            + (window.historyPriorStrength.map { "\(number($0, 0)) pseudo-attempts of the profile mix" } ?? "nothing (profile mix only)") + ".")
        switch bundle.promiseKept {
        case .logistic(let model):
            add("- **Promise kept** (`\(m.models.promiseKept.file)`): L2 logistic regression, \(model.features.count) features, "
                + "l2 = \(number(model.l2, 4)).")
            add("  Largest standardised effects: " + topEffects(model.coefficientsStandardized))
        case .populationRate(let rate):
            add("- **Promise kept** (`\(m.models.promiseKept.file)`): population rate \(number(rate.rate)) — \(rate.reason).")
        }
        add()
        add("## Fallbacks")
        add()
        if m.fallbacks.isEmpty {
            add("None: all four models were fitted.")
        } else {
            for fallback in m.fallbacks { add("- \(fallback)") }
        }
        add()
        add("## Limits")
        add()
        add("- Scores describe accounts like those in the training export; check the PSI in each queue manifest for drift.")
        add("- The call history is shaped by past calling policy: windows that were rarely tried have wide uncertainty "
            + "and are pulled towards the population's profiles.")
        add("- Amounts are in each invoice's currency and are not converted.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The five largest |standardised coefficients| as "name (+0.42), ...".
    static func topEffects(_ coefficients: [String: Double]) -> String {
        let top = coefficients.sorted { (abs($0.value), $1.key) > (abs($1.value), $0.key) }.prefix(5)
        return top.map { "`\($0.key)` (\(String(format: "%+.2f", $0.value)))" }.joined(separator: ", ")
    }
}
