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
        let sections = [title(m), dataSection(m), trainingSection(m), holdoutSection(m), modelsSection(bundle),
                        callEffectSection(m), fallbacksSection(m), limitsSection()]
        return sections.joined(separator: [""]).joined(separator: "\n") + "\n"
    }

    /// `value` with `digits` decimals, or "–" when it is missing or not finite.
    static func number(_ value: Double?, _ digits: Int = 3) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    /// A `## heading` section: the heading, a blank line, then `lines`.
    static func section(_ heading: String, _ lines: [String]) -> [String] {
        ["## \(heading)", ""] + lines
    }

    /// The card's title and what the bundle is for.
    static func title(_ m: BundleManifest) -> [String] {
        ["# Model card: \(m.name) \(m.version)", "",
         "Trained \(m.createdAt) by arscore \(m.arscoreVersion). Decides whom to call, when, and how far to trust "
            + "promises to pay; see Models/README.md for the file format."]
    }

    /// ## Data: the export the bundle was trained on.
    static func dataSection(_ m: BundleManifest) -> [String] {
        section("Data", [
            "- Export fingerprint (SHA-256): `\(m.data.fingerprint)`",
            "- \(m.data.customers) customers; invoices from \(m.data.firstInvoiceDate); data end \(m.data.dataEnd) (exclusive); "
                + "\(m.data.quarantinedRows) rows quarantined",
        ] + m.data.files.map { "- `\($0.name)`: \($0.rows) rows, \($0.bytes) bytes" })
    }

    /// ## Training: horizon, snapshots and the rows of each model's training and holdout sets.
    static func trainingSection(_ m: BundleManifest) -> [String] {
        let t = m.training
        return section("Training", [
            "- Outcome horizon H = \(t.horizonDays) days; snapshots \(t.schedule)",
            "- Training snapshots (\(t.snapshotDates.count)): \(t.snapshotDates.joined(separator: ", "))",
            "- Out-of-time holdout (\(t.holdoutDates.count)): \(t.holdoutDates.joined(separator: ", "))",
            "- Account snapshots with an open balance: \(t.trainingRows) training, \(t.holdoutRows) holdout",
            "- Promises with a known outcome: \(t.trainingPromises) training, \(t.holdoutPromises) holdout",
            "- Call attempts: \(t.trainingAttempts) before the holdout, \(t.holdoutAttempts) in it",
        ] + samplingLines(t.sampling))
    }

    /// The line saying how the training snapshots were sampled to the row budget (none when every row was used).
    static func samplingLines(_ sampling: TrainingRowSampling?) -> [String] {
        guard let s = sampling else { return [] }
        return ["- Row sampling: \(s.rowsKept) of \(s.rowsSeen) training snapshot rows kept (budget \(s.rowBudget), "
            + "π = \(number(s.keepProbability, 4)), seed \(s.seed)), each weighted 1/π = \(number(s.rowWeight, 3)) in the "
            + "fits; the holdout is complete"]
    }

    /// ## Holdout metrics: one table row group per evaluated model, the notes, then the pay model's calibration.
    static func holdoutSection(_ m: BundleManifest) -> [String] {
        let h = m.holdoutMetrics
        var rows = ["| model | metric | value |", "| --- | --- | --- |"]
        if let pay = h.payLikelihood {
            rows += ["| pay likelihood (pays within \(m.training.horizonDays) days) | AUC | \(number(pay.auc)) |",
                     "| | Gini / KS | \(number(pay.gini)) / \(number(pay.ks)) |",
                     "| | log-loss / Brier | \(number(pay.logLoss, 4)) / \(number(pay.brier, 4)) |",
                     "| | rows / paid share | \(pay.count) / \(number(Double(pay.positives) / Double(max(1, pay.count)))) |"]
        }
        if let time = h.timeToPay {
            rows += ["| time to pay (Cox) | Harrell's C | \(number(time.concordance)) |",
                     "| | mean P(pay within H) vs observed | \(number(time.meanPredictedWithinHorizon)) vs \(number(time.observedWithinHorizon)) |"]
        }
        if let window = h.callWindow {
            rows += ["| call window | AUC / log-loss of P(RPC) per attempt | \(number(window.auc)) / \(number(window.logLoss, 4)) |",
                     "| | smoothed-rate baseline: AUC / log-loss | \(number(window.baselineAuc)) / \(number(window.baselineLogLoss, 4)) |",
                     "| | RPC rate in the chosen window vs others | \(number(window.rpcRateInChosenWindow)) (\(window.attemptsInChosenWindow) attempts) "
                        + "vs \(number(window.rpcRateInOtherWindows)) |"]
        }
        if let promise = h.promiseKept {
            rows += ["| promise kept | AUC / Brier | \(number(promise.auc)) / \(number(promise.brier, 4)) |",
                     "| | promises / kept share | \(promise.count) / \(number(Double(promise.positives) / Double(max(1, promise.count)))) |"]
        }
        if let cash = h.cashShare {
            let source = cash.shareModel == "cash_share" ? "" : " (P(pay) as the share)"
            rows += ["| cash share\(source) | predicted / collected past-due cash | \(money(cash.predictedCash)) / "
                        + "\(money(cash.collectedCash)) = \(number(cash.predictedToCollected)) |",
                     "| | balance-weighted log-loss | \(number(cash.weightedLogLoss, 4)) |",
                     "| | rows / past-due balance | \(cash.rows) / \(money(cash.pastDueBalance)) |"]
        }
        rows += h.notes.map { "| note | | \($0) |" }
        return section("Holdout metrics", rows + calibrationTable(h.payLikelihood?.calibration ?? [])
            + cashShareTable(h.cashShare))
    }

    /// An amount in currency units with no decimals, or "–".
    static func money(_ value: Double?) -> String { number(value, 0) }

    /// "Cash share calibration": predicted vs collected past-due cash per decile of the predicted share (preceded
    /// by a blank line), or nothing without cash-share metrics.
    static func cashShareTable(_ metrics: BundleManifest.CashShareMetrics?) -> [String] {
        guard let metrics, !metrics.deciles.isEmpty else { return [] }
        return ["", "Cash share calibration on the holdout (deciles of the predicted share of the past-due balance; "
                    + "cash = past-due balance × share, currency units):", "",
                "| decile | rows | predicted share | past-due balance | predicted cash | collected cash | predicted / collected |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
            + metrics.deciles.map { bin in
                "| \(bin.index + 1) | \(bin.rows) | \(number(bin.minimumPredicted))–\(number(bin.maximumPredicted)) | "
                    + "\(money(bin.pastDueBalance)) | \(money(bin.predictedCash)) | \(money(bin.collectedCash)) | "
                    + "\(number(bin.collectedCash > 0 ? bin.predictedCash / bin.collectedCash : nil)) |"
            }
    }

    /// The pay model's calibration by decile on the holdout (preceded by a blank line), or nothing without one.
    static func calibrationTable(_ bins: [CalibrationBin]) -> [String] {
        guard !bins.isEmpty else { return [] }
        return ["", "Calibration of the pay model on the holdout (deciles of predicted P):", "",
                "| decile | rows | mean predicted | observed |", "| --- | --- | --- | --- |"]
            + bins.map { "| \($0.index + 1) | \($0.count) | \(number($0.meanPredicted)) | \(number($0.observedRate)) |" }
    }

    /// How the call-window model weighs an account's own history: its account level's strengths, or the v1 rule.
    static func accountLevel(_ window: CallWindowModel) -> String {
        guard let effects = window.accountEffects else {
            return "own history weighted against "
                + (window.historyPriorStrength.map { "\(number($0, 0)) pseudo-attempts of the profile mix" } ?? "nothing (profile mix only)")
        }
        func strength(_ value: Double?, _ unit: String) -> String { value.map { "\(number($0, 2)) \(unit)" } ?? "off" }
        return "group weight \(number(effects.groupWeight, 2)) against the population mix, then the account's own deviations "
            + "shrunk by strengths chosen on held-out attempts: overall \(strength(effects.overallStrength, "contacts")), "
            + "weekday \(strength(effects.weekdayStrength, "contacts")), hour block \(strength(effects.hourStrength, "contacts")), "
            + "window \(strength(effects.windowStrength, "attempts"))"
    }

    /// ## Models: each model's file, form and regularisation, with its largest effects.
    static func modelsSection(_ bundle: ModelBundle) -> [String] {
        let models = bundle.manifest.models
        let pay = models.payLikelihood, window = bundle.callWindow
        let l2Choice = pay.l2Selection.map { " (chosen by log-loss on the \($0.validationDate) snapshot among "
            + $0.candidates.map { number($0, 2) }.joined(separator: ", ") + ")" } ?? " (default; too little history to validate)"
        var lines = [
            "- **Pay likelihood** (`\(pay.file)`): L2 logistic regression, \(pay.features) features, l2 = \(number(pay.l2, 4))"
                + l2Choice + ".",
            "  Largest standardised effects: " + topEffects(bundle.payLikelihood.coefficientsStandardized),
            "- **Time to pay** (`\(models.timeToPay.file)`): Cox proportional hazards, Efron ties, \(models.timeToPay.features) "
                + "features, l2 = \(number(models.timeToPay.l2, 4)); the hazard is of the first payment, so a positive coefficient means sooner payment.",
            "  Largest standardised effects: " + topEffects(bundle.timeToPay.coefficientsStandardized),
            "- **Call window** (`\(models.callWindow.file)`): \(window.profileCount) contact profiles over \(window.windowCount) "
                + "windows (customer-local time), EM on \(window.fit.accounts) accounts' histories; " + accountLevel(window) + ".",
        ]
        if let cash = bundle.cashShare, let entry = models.cashShare {
            lines += ["- **Cash share** (`\(entry.file)`): fractional logistic regression of the share of the past-due "
                        + "balance collected within \(bundle.manifest.training.horizonDays) days, weighted by the balance, "
                        + "\(cash.features.count) features, l2 = \(number(cash.l2, 4)) (the pay model's); expected cash = "
                        + "past-due balance × share.",
                      "  Largest standardised effects: " + topEffects(cash.coefficientsStandardized)]
        } else {
            lines.append("- **Cash share**: none in this bundle; P(pay) stands in for the share of the past-due balance.")
        }
        switch bundle.promiseKept {
        case .logistic(let model):
            lines += ["- **Promise kept** (`\(models.promiseKept.file)`): L2 logistic regression, \(model.features.count) features, "
                        + "l2 = \(number(model.l2, 4)).",
                      "  Largest standardised effects: " + topEffects(model.coefficientsStandardized)]
        case .populationRate(let rate):
            lines.append("- **Promise kept** (`\(models.promiseKept.file)`): population rate \(number(rate.rate)) — \(rate.reason).")
        }
        return section("Models", lines)
    }

    /// ## Call effect: what a right-party contact adds, and how far the history can tell (overlap, effective sizes).
    static func callEffectSection(_ m: BundleManifest) -> [String] {
        guard let d = m.callEffect else {
            return section("Call effect", ["No call-effect model (see Fallbacks); `priority: incremental_cash` ranks by expected cash."])
        }
        if d.design == CallEffectDiagnostics.randomized { return randomizedCallEffectSection(d) }
        return section("Call effect", [
            "Treatment: a right-party contact within \(d.treatmentDays) days after the snapshot; outcome: the share of the "
                + "past-due balance collected within the horizon; inverse-propensity weighted (docs/POLICY.md, \"Priority\").",
        ] + (d.note.map { ["", "Note: \($0)."] } ?? []) + [
            "",
            "| | value |",
            "| --- | ---: |",
            "| reached / unreached training snapshots | \(d.reachedSnapshots) / \(d.unreachedSnapshots) |",
            "| propensity range (clipped to [\(number(d.propensityFloor, 2)), \(number(1 - d.propensityFloor, 2))]) | "
                + "\(number(d.propensityMinimum)) – \(number(d.propensityMaximum)) |",
            "| snapshots clipped | \(number(100 * d.clippedShare, 1))% |",
            "| effective sample size, reached / unreached | \(number(d.effectiveSampleSizeReached, 0)) / "
                + "\(number(d.effectiveSampleSizeUnreached, 0)) |",
            "| mean effect (share of past due) | \(number(d.meanEffect, 4)) |",
            "| holdout Qini coefficient (past due × effect vs collected cash) | \(number(d.holdoutQini)) |",
        ])
    }

    /// The call-effect section of a model learnt from the logged selections (selections.csv).
    static func randomizedCallEffectSection(_ d: CallEffectDiagnostics) -> [String] {
        section("Call effect", [
            "Treatment: the queue called the account on a logged day (a pick by rank or an explore draw) against held out "
                + "(selections.csv); outcome: the share of the past-due balance collected within the horizon; each logged row "
                + "weighted by the inverse of its selection probability (docs/POLICY.md, \"Exploration and holdout\"). "
                + "The effect is per call placed, so `incremental_cash` is past due × effect.",
            "",
            "| | value |",
            "| --- | ---: |",
            "| called / held-out logged rows | \(d.reachedSnapshots) / \(d.unreachedSnapshots) |",
            "| selection probability range | \(number(d.propensityMinimum)) – \(number(d.propensityMaximum)) |",
            "| effective sample size, called / held out | \(number(d.effectiveSampleSizeReached, 0)) / "
                + "\(number(d.effectiveSampleSizeUnreached, 0)) |",
            "| mean effect (share of past due) | \(number(d.meanEffect, 4)) |",
            "| holdout Qini coefficient (past due × effect vs collected cash, reached vs not) | \(number(d.holdoutQini)) |",
        ])
    }

    /// ## Fallbacks: the models that fell back to a simpler form, if any.
    static func fallbacksSection(_ m: BundleManifest) -> [String] {
        section("Fallbacks", m.fallbacks.isEmpty ? ["None: every model was fitted."] : m.fallbacks.map { "- \($0)" })
    }

    /// ## Limits: what the scores do not tell.
    static func limitsSection() -> [String] {
        section("Limits", [
            "- Scores describe accounts like those in the training export; check the PSI in each queue manifest for drift.",
            "- The call history is shaped by past calling policy: windows that were rarely tried have wide uncertainty "
                + "and are pulled towards the population's profiles.",
            "- Amounts are in each invoice's currency and are not converted (the policy's `exchange_rates` rank calls in one).",
            "- The call effect is learnt from what past calling did; it is only as good as the overlap above, and the "
                + "closed loop (`arscore simulate`) is the check that it ranks calls better.",
        ])
    }

    /// The five largest |standardised coefficients| as "name (+0.42), ...".
    static func topEffects(_ coefficients: [String: Double]) -> String {
        let top = coefficients.sorted { (abs($0.value), $1.key) > (abs($1.value), $0.key) }.prefix(5)
        return top.map { "`\($0.key)` (\(String(format: "%+.2f", $0.value)))" }.joined(separator: ", ")
    }
}
