import CallGrid
import Foundation
import Metrics

// Sections 2–8 of the HTML report: the charts and the feature-stability tables.
extension HTMLReport {
    static func sectionOpen(_ id: String, _ heading: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(esc(heading))</h2>\n"
    }

    /// A chart with its one-line caption (`caption` is HTML: escape user text before passing it).
    static func figure(_ svg: String, caption: String, cssClass: String = "chart-figure") -> String {
        "<figure class=\"\(cssClass)\">\(svg)<figcaption>\(caption)</figcaption></figure>\n"
    }

    /// Bundle labels for captions: "a, b and c" (escaped).
    static func labelList(_ labels: [String]) -> String {
        let escaped = labels.map { "<b>\(esc($0))</b>" }
        guard escaped.count > 1 else { return escaped.first ?? "" }
        return escaped.dropLast().joined(separator: ", ") + " and " + escaped[escaped.count - 1]
    }

    // MARK: - 2. ROC

    static func rocSection(_ context: Context) -> String {
        var out = sectionOpen("roc", "2. ROC curves")
        let series = context.bundles.enumerated().map { i, bundle in
            ChartLineSeries(label: "\(bundle.label) (AUC \(HTMLFormat.auc(bundle.pay.auc.auc)))",
                       points: bundle.pay.roc.map { (x: $0.falsePositiveRate, y: $0.truePositiveRate) },
                       style: ChartPalette.bundle(i))
        }
        let chart = SVGLineChart(
            id: "chart-roc", title: "ROC curves of P(pay), one per bundle", width: 540, plotHeight: 440,
            x: .unit(title: "False positive rate (share of non-payers ranked above the cut-off)"),
            y: .unit(title: "True positive rate (share of payers)"),
            series: series, references: [(points: [(x: 0, y: 0), (x: 1, y: 1)], label: "random ranking")]
        )
        let forest = SVGIntervalChart(
            id: "chart-auc-ci", title: "Pay AUC with 95% confidence intervals",
            rows: context.bundles.enumerated().map { i, bundle in
                let auc = bundle.pay.auc
                return SVGIntervalChart.Row(label: bundle.label, estimate: auc.auc, lower: auc.lower95, upper: auc.upper95,
                                            style: ChartPalette.bundle(i))
            },
            xTitle: "Pay AUC (DeLong 95% CI)",
            valueText: { "\(HTMLFormat.auc($0.estimate)) (\(HTMLFormat.auc($0.lower))–\(HTMLFormat.auc($0.upper)))" }
        )
        out += "<div class=\"charts\">\n"
        out += figure(chart.render(), caption: "ROC curve of P(pay within \(context.data.horizonDays) days) for each bundle on "
            + "\(esc(context.holdoutPhrase)); dashed grey diagonal = random ranking.")
        let positives = context.bundles.first.map { "\(HTMLFormat.count($0.pay.auc.positives)) payers and \(HTMLFormat.count($0.pay.auc.negatives)) non-payers" }
        out += figure(forest.render(), caption: "Pay AUC of each bundle with its DeLong 95% confidence interval on the same holdout"
            + (positives.map { " (\($0))" } ?? "") + "; overlapping intervals do not replace the paired tests in section 1.")
        out += "</div>\n</section>\n"
        return out
    }

    // MARK: - 3. Calibration

    static func calibrationUpper(_ bins: [[CalibrationBin]]) -> Double {
        let largest = bins.joined().flatMap { [$0.meanPredicted, $0.observedRate] }.filter(\.isFinite).max() ?? 1
        return ChartAxis.unitRange(max(0.05, largest)).upper
    }

    static func calibrationChart(id: String, title: String, bins: [[CalibrationBin]], labels: [String], xTitle: String) -> String {
        let upper = calibrationUpper(bins)
        let series = zip(bins, labels).enumerated().map { i, pair in
            let points = pair.0.map { (x: $0.meanPredicted, y: $0.observedRate) }
            return ChartLineSeries(label: pair.1, points: points, style: ChartPalette.bundle(i), markers: points)
        }
        let chart = SVGLineChart(
            id: id, title: title, width: 500, plotHeight: 380,
            x: .unit(title: xTitle, upper: upper), y: .unit(title: "Observed pay rate", upper: upper),
            series: series, references: [(points: [(x: 0, y: 0), (x: upper, y: upper)], label: "perfect calibration")],
            note: series.allSatisfy { $0.points.isEmpty } ? "no calibration data" : nil
        )
        return chart.render()
    }

    static func calibrationSection(_ context: Context) -> String {
        var out = sectionOpen("calibration", "3. Calibration of P(pay)")
        let labels = context.bundles.map(\.label)
        let horizon = context.data.horizonDays
        out += "<div class=\"charts\">\n"
        out += figure(
            calibrationChart(id: "chart-calibration-pay", title: "Calibration of P(pay) by decile",
                             bins: context.bundles.map(\.pay.calibration), labels: labels,
                             xTitle: "Mean predicted P(pay within \(horizon) days)"),
            caption: "Pay model: mean predicted vs observed pay rate within \(horizon) days by decile of P(pay) on "
                + "\(esc(context.holdoutPhrase)); dashed grey = perfect calibration.")
        let coxBins = context.bundles.map(\.timeToPay.calibration)
        if coxBins.contains(where: { !$0.isEmpty }) {
            out += figure(
                calibrationChart(id: "chart-calibration-cox", title: "Calibration of the Cox model's P(pay within horizon)",
                                 bins: coxBins, labels: labels, xTitle: "Mean predicted P(pay within \(horizon) days), Cox"),
                caption: "Time-to-pay (Cox) model: 1 − S(\(horizon)) vs observed pay rate by decile on the same holdout; "
                    + "dashed grey = perfect calibration.")
        }
        out += "</div>\n</section>\n"
        return out
    }

    // MARK: - 4. Gains and lift

    static func gainsSection(_ context: Context) -> String {
        var out = sectionOpen("gains", "4. Cumulative gains and lift")
        var fallbacks: [String] = []
        let series = context.bundles.enumerated().map { i, bundle in
            let usesValue = !bundle.pay.gains.isEmpty && bundle.pay.gains.allSatisfy { $0.capturedValue != nil }
            if !usesValue && !bundle.pay.gains.isEmpty { fallbacks.append(bundle.label) }
            var points = bundle.pay.gains.map { (x: $0.share, y: usesValue ? $0.capturedValue! : $0.capturedPositives) }
            if let first = points.first, first.x > 0 { points.insert((x: 0, y: 0), at: 0) }
            return ChartLineSeries(label: bundle.label, points: points, style: ChartPalette.bundle(i))
        }
        let gains = SVGLineChart(
            id: "chart-gains", title: "Cumulative gains: share of cash captured vs share of accounts targeted",
            width: 500, plotHeight: 380,
            x: .unitPercent(title: "Share of accounts targeted (highest P(pay) first)"),
            y: .unitPercent(title: "Share of cash captured"),
            series: series, references: [(points: [(x: 0, y: 0), (x: 1, y: 1)], label: "random order")]
        )
        var gainsCaption = "Share of the holdout's cash (\(HTMLFormat.money(context.data.cash))) paid by the top x% of accounts ranked by "
            + "each bundle's P(pay), on \(esc(context.holdoutPhrase)); dashed grey = random order."
        if !fallbacks.isEmpty {
            gainsCaption += " No cash amounts for \(labelList(fallbacks)): share of payers captured instead."
        }
        let shares = liftShares(context)
        let lifts = context.bundles.enumerated().map { i, bundle in
            (label: bundle.label, values: shares.map { liftPoint(bundle.pay.lift, share: $0)?.lift }, style: ChartPalette.bundle(i))
        }
        let maxLift = lifts.flatMap(\.values).compactMap { $0 }.filter(\.isFinite).max() ?? 1
        let upper = ChartTicks.niceCeiling(max(1.2, maxLift * 1.12), approximateCount: 5)
        let lift = SVGBarChart(
            id: "chart-lift", title: "Lift at the top of the P(pay) ranking", width: 540, plotHeight: 300,
            categories: shares.map { "Top \(shareText($0))" }, series: lifts,
            y: .linear(0, upper, title: "Lift (pay rate ÷ overall pay rate)") { HTMLFormat.fixed($0, $0 == $0.rounded() ? 0 : 1) + "×" },
            valueLabel: { HTMLFormat.fixed($0, 2) + "×" },
            reference: (value: 1, label: "random = 1×")
        )
        out += "<div class=\"charts\">\n"
        out += figure(gains.render(), caption: gainsCaption)
        out += figure(lift.render(), caption: "Lift (pay rate in the top \(shares.map(shareText).joined(separator: " / ")) by P(pay) "
            + "÷ overall pay rate \(HTMLFormat.percent(context.data.paidShare))) per bundle on the same holdout.")
        out += "</div>\n</section>\n"
        return out
    }

    // MARK: - 5. Survival

    static let survivalDays = 90.0

    static func survivalPanel(_ bundle: ComparisonResult.BundleEvaluation, index: Int) -> String {
        var series: [ChartLineSeries] = []
        var legend: [ChartLegendEntry] = []
        let markerDays = stride(from: 15.0, through: survivalDays, by: 15).map { $0 }
        for (b, band) in bundle.timeToPay.bands.enumerated() {
            let style = ChartPalette.band(b)
            var observed = band.observed.map { (x: Double($0.time), y: $0.survival) }.filter { $0.x <= survivalDays }
            if observed.first.map({ $0.x > 0 }) ?? false { observed.insert((x: 0, y: 1), at: 0) }
            let lastTime = observed.last?.x ?? 0
            let markers = markerDays.filter { $0 <= lastTime }.compactMap { t in
                SVGLineChart.stepValue(observed, at: t).map { (x: t, y: $0) }
            }
            series.append(ChartLineSeries(label: "\(band.label): observed", points: observed, style: style, step: true, markers: markers))
            var predictedStyle = style
            predictedStyle.dash = "6 4"
            predictedStyle.width = 1.6
            predictedStyle.marker = nil
            let predicted = band.predicted.prefix(Int(survivalDays) + 1).enumerated().map { (x: Double($0.offset), y: $0.element) }
            series.append(ChartLineSeries(label: "\(band.label): predicted", points: predicted, style: predictedStyle))
            legend.append(ChartLegendEntry(label: "\(band.label) (n = \(HTMLFormat.integer(band.accounts)))", style: style))
        }
        if !series.isEmpty {
            legend.append(ChartLegendEntry(label: "observed (Kaplan–Meier)", style: ChartSeriesStyle(color: "#333", dash: "", width: 2)))
            legend.append(ChartLegendEntry(label: "mean predicted (Cox)", style: ChartSeriesStyle(color: "#333", dash: "6 4", width: 1.6)))
        }
        guard !series.isEmpty else {
            return "<div class=\"panel\"><div class=\"panel-title\">" + legendSwatch(index) + esc(bundle.label) + "</div>"
                + "<p class=\"note\">No survival bands for this bundle (no time-to-pay model or no Cox predictions).</p></div>\n"
        }
        let chart = SVGLineChart(
            id: "chart-survival-\(index + 1)", title: "Survival by score band: \(bundle.label)", width: 440, plotHeight: 250,
            x: .stepped(0, survivalDays, step: 15, title: "Days since snapshot") { HTMLFormat.fixed($0, 0) },
            y: .unitPercent(title: "Not yet paid"),
            series: series, legend: legend
        )
        var out = "<figure class=\"panel\"><div class=\"panel-title\">" + legendSwatch(index) + esc(bundle.label) + "</div>"
        out += chart.render()
        let c = bundle.timeToPay.concordance.map { "Harrell's C \(HTMLFormat.auc($0))" } ?? "Harrell's C not available"
        out += "<figcaption>\(esc(c)); \(bundle.timeToPay.bands.count) band\(bundle.timeToPay.bands.count == 1 ? "" : "s").</figcaption></figure>\n"
        return out
    }

    static func survivalSection(_ context: Context) -> String {
        var out = sectionOpen("survival", "5. Time to pay: survival by score band")
        out += "<p class=\"caption\">Share of accounts not yet paid vs days since the snapshot (days 0–90), by thirds of each bundle's Cox "
            + "linear predictor, on \(esc(context.holdoutPhrase)): solid steps = observed Kaplan–Meier, dashed = mean predicted S(t).</p>\n"
        out += "<div class=\"panels\">\n"
        for (i, bundle) in context.bundles.enumerated() {
            out += survivalPanel(bundle, index: i)
        }
        out += "</div>\n</section>\n"
        return out
    }

    // MARK: - 6. Call windows

    /// "08–10" … "16–18" for the slots of `CallWindows`; slots beyond the grid continue in steps of its window length.
    static func windowLabel(_ slot: Int) -> String {
        func two(_ h: Int) -> String { h < 10 ? "0\(h)" : "\(h)" }
        let hours = CallWindows.startHours
        let start = slot < hours.count ? hours[slot] : hours[0] + CallWindows.windowHours * slot
        return "\(two(start))–\(two(start + CallWindows.windowHours))"
    }

    static func callWindowSection(_ context: Context) -> String {
        var out = sectionOpen("call-windows", "6. Call windows: right-party contact")
        let data = context.data
        let weekdays = CallWindows.weekdayAbbreviations, slots = CallWindows.windowsPerDay
        let rows = min(weekdays.count, max(CallWindows.weekdays, data.contactRate.count, data.contactAttempts.count))
        let columns = max(slots, (data.contactRate.map(\.count) + data.contactAttempts.map(\.count)).max() ?? slots)
        let heat = SVGHeatMap(
            id: "chart-contact-heatmap", title: "Right-party-contact rate by weekday and call window",
            rowLabels: Array(weekdays.prefix(rows)), columnLabels: (0..<columns).map(windowLabel),
            rates: data.contactRate, counts: data.contactAttempts,
            rowAxisTitle: "Weekday (local)", columnAxisTitle: "Call window (local time)",
            scaleTitle: "RPC rate (share of attempts reaching the right party)"
        )
        let rpcSeries = context.bundles.enumerated().map { i, bundle in
            (label: bundle.label, values: [bundle.callWindow.rpcRateInChosenWindow, bundle.callWindow.rpcRateInOtherWindows],
             style: ChartPalette.bundle(i))
        }
        let maxRate = rpcSeries.flatMap(\.values).compactMap { $0 }.filter(\.isFinite).max() ?? 0.5
        let upper = min(1, ChartTicks.niceCeiling(max(0.05, maxRate * 1.15), approximateCount: 5))
        let rpc = SVGBarChart(
            id: "chart-rpc", title: "RPC rate in the model's chosen window vs other windows", width: 440, plotHeight: 280,
            categories: ["Chosen window", "Other windows"], series: rpcSeries,
            y: .linear(0, upper, title: "RPC rate") { HTMLFormat.fixed($0 * 100, 0) + "%" },
            valueLabel: { HTMLFormat.percent($0) }
        )
        out += "<div class=\"charts\">\n"
        out += figure(heat.render(), caption: "Observed right-party-contact rate of the \(HTMLFormat.integer(data.attempts)) held-out call "
            + "attempts by local weekday × 2-hour window; n = attempts, – = no attempts.")
        out += figure(rpc.render(), caption: "Per bundle: RPC rate of held-out attempts made in the window the bundle's call-window model "
            + "ranks first vs attempts in the other windows.")
        out += "</div>\n"
        out += "<div class=\"table-wrap\"><table class=\"windows\">\n<thead><tr><th scope=\"col\" class=\"text\">Bundle</th><th scope=\"col\">Attempts</th>"
            + "<th scope=\"col\">Window AUC</th><th scope=\"col\">Log-loss</th><th scope=\"col\">In chosen window</th>"
            + "<th scope=\"col\">RPC chosen</th><th scope=\"col\">RPC other</th><th scope=\"col\" class=\"text\">Fallback</th></tr></thead>\n<tbody>\n"
        for bundle in context.bundles {
            let w = bundle.callWindow
            out += "<tr><td class=\"text\">\(esc(bundle.label))</td><td>\(HTMLFormat.integer(w.attempts))</td>"
                + "<td>\(HTMLFormat.auc(w.auc))</td><td>\(HTMLFormat.fixed(w.logLoss, 4))</td>"
                + "<td>\(HTMLFormat.integer(w.attemptsInChosenWindow))</td><td>\(HTMLFormat.percent(w.rpcRateInChosenWindow))</td>"
                + "<td>\(HTMLFormat.percent(w.rpcRateInOtherWindows))</td><td class=\"text\">\(esc(w.fallback ?? "–"))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
        return out
    }

    // MARK: - 7. Backtest

    static let strategyStyles: [ChartSeriesStyle] = [
        ChartSeriesStyle(color: "#0072B2", dash: "", width: 2.6, marker: .circle),
        ChartSeriesStyle(color: "#C2410C", dash: "9 4", width: 2, marker: .square),
        ChartSeriesStyle(color: "#555555", dash: "2 3", width: 2, marker: .triangle),
    ]

    /// ChartTick labels for backtest days: "03-04" when all dates are ISO dates of one year.
    static func dayTicks(_ days: [ComparisonResult.BacktestDay]) -> (ticks: [ChartTick], title: String) {
        let n = days.count
        let isoDate = { (s: String) -> Bool in
            let chars = Array(s)
            return chars.count == 10 && chars[4] == "-" && chars[7] == "-"
                && chars.enumerated().allSatisfy { i, c in i == 4 || i == 7 || c.isASCII && c.isNumber }
        }
        let years = Set(days.map { String($0.asOf.prefix(4)) })
        let shorten = days.allSatisfy { isoDate($0.asOf) } && years.count == 1
        let count = min(n, 5)
        var indices: [Int] = []
        if count == 1 { indices = [0] } else if count > 1 {
            for k in 0..<count {
                let index = Int((Double(k) * Double(n - 1) / Double(count - 1)).rounded())
                if !indices.contains(index) { indices.append(index) }
            }
        }
        let ticks = indices.map { i in
            ChartTick(value: Double(i + 1), label: shorten ? String(days[i].asOf.dropFirst(5)) : days[i].asOf)
        }
        return (ticks, shorten ? "Backtest day (\(years.first!))" : "Backtest day")
    }

    static func backtestPanel(_ bundle: ComparisonResult.BundleEvaluation, index: Int) -> String {
        let days = bundle.backtest
        var cumulative = (queue: 0.0, aging: 0.0, random: 0.0)
        var queue: [(x: Double, y: Double)] = []
        var aging: [(x: Double, y: Double)] = []
        var random: [(x: Double, y: Double)] = []
        for (i, day) in days.enumerated() {
            cumulative.queue += day.queueCash.isFinite ? day.queueCash : 0
            cumulative.aging += day.agingCash.isFinite ? day.agingCash : 0
            cumulative.random += day.randomCash.isFinite ? day.randomCash : 0
            queue.append((x: Double(i + 1), y: cumulative.queue))
            aging.append((x: Double(i + 1), y: cumulative.aging))
            random.append((x: Double(i + 1), y: cumulative.random))
        }
        let top = max(cumulative.queue, cumulative.aging, cumulative.random)
        let upper = ChartTicks.niceCeiling(max(1, top * 1.05), approximateCount: 5)
        let (ticks, xTitle) = dayTicks(days)
        let n = Double(days.count)
        let x = ChartAxis(min: days.count > 1 ? 1 : 0.5, max: days.count > 1 ? n : 1.5, ticks: ticks, title: xTitle)
        let ends = { (points: [(x: Double, y: Double)]) in points.last.map { [$0] } ?? [] }
        let series = [
            ChartLineSeries(label: "Queue ranked by \(bundle.label)", points: queue, style: strategyStyles[0], markers: ends(queue)),
            ChartLineSeries(label: "Aging heuristic (past-due × days past due)", points: aging, style: strategyStyles[1], markers: ends(aging)),
            ChartLineSeries(label: "Random choice (expected)", points: random, style: strategyStyles[2], markers: ends(random)),
        ]
        let chart = SVGLineChart(
            id: "chart-backtest-\(index + 1)", title: "Backtest cumulative cash: \(bundle.label)", width: 440, plotHeight: 250,
            x: x, y: .linear(0, upper, title: "Cumulative cash collected", format: HTMLFormat.compactMoney),
            series: series
        )
        var out = "<figure class=\"panel\"><div class=\"panel-title\">" + legendSwatch(index) + esc(bundle.label) + "</div>"
        out += chart.render()
        let calls = days.reduce(0) { $0 + $1.calls }
        out += "<figcaption>\(days.count) replayed day\(days.count == 1 ? "" : "s"), \(HTMLFormat.integer(calls)) calls; queue "
            + "\(HTMLFormat.money(cumulative.queue)) vs aging \(HTMLFormat.money(cumulative.aging)) vs random "
            + "\(HTMLFormat.money(cumulative.random)).</figcaption></figure>\n"
        return out
    }

    static func relative(_ value: Double, to base: Double) -> String {
        guard base > 0, value.isFinite else { return HTMLFormat.missing }
        return HTMLFormat.signed((value / base - 1) * 100, 1) + "%"
    }

    static func backtestSection(_ context: Context) -> String {
        var out = sectionOpen("backtest", "7. Backtest: cash collected by calling order")
        let withBacktest = context.bundles.enumerated().filter { !$0.element.backtest.isEmpty }
        guard !withBacktest.isEmpty else {
            out += "<p class=\"note\">No backtest in this comparison (no bundle was replayed over the holdout days); section skipped.</p>\n"
            out += "</section>\n"
            return out
        }
        out += "<p class=\"caption\">Cumulative cash paid within \(context.data.horizonDays) days by the accounts each strategy would have "
            + "called on each replayed as-of date (same number of calls per date): the bundle's queue, the aging heuristic (past-due "
            + "balance × days past due) and random choice, over the holdout period of \(esc(context.data.folder)).</p>\n"
        out += "<div class=\"panels\">\n"
        for (i, bundle) in withBacktest {
            out += backtestPanel(bundle, index: i)
        }
        out += "</div>\n"
        let missing = context.bundles.filter { $0.backtest.isEmpty }.map(\.label)
        if !missing.isEmpty {
            out += "<p class=\"note\">No backtest for \(labelList(missing)).</p>\n"
        }
        out += "<div class=\"table-wrap\"><table class=\"backtest\">\n<thead><tr><th scope=\"col\" class=\"text\">Bundle</th><th scope=\"col\">Days</th>"
            + "<th scope=\"col\">Calls</th><th scope=\"col\">Queue cash</th><th scope=\"col\">Aging cash</th><th scope=\"col\">Random cash</th>"
            + "<th scope=\"col\">Queue vs aging</th><th scope=\"col\">Queue vs random</th></tr></thead>\n<tbody>\n"
        for (_, bundle) in withBacktest {
            let q = bundle.backtest.reduce(0.0) { $0 + $1.queueCash }
            let a = bundle.backtest.reduce(0.0) { $0 + $1.agingCash }
            let r = bundle.backtest.reduce(0.0) { $0 + $1.randomCash }
            let calls = bundle.backtest.reduce(0) { $0 + $1.calls }
            out += "<tr><td class=\"text\">\(esc(bundle.label))</td><td>\(bundle.backtest.count)</td><td>\(HTMLFormat.integer(calls))</td>"
                + "<td>\(HTMLFormat.money(q))</td><td>\(HTMLFormat.money(a))</td><td>\(HTMLFormat.money(r))</td>"
                + "<td>\(relative(q, to: a))</td><td>\(relative(q, to: r))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
        return out
    }

    // MARK: - 8. Feature stability

    static func stabilitySection(_ context: Context) -> String {
        var out = sectionOpen("stability", "8. Feature stability (PSI)")
        out += "<p class=\"caption\">Population stability index of each pay-model feature between the bundle's training data and "
            + "\(esc(context.holdoutPhrase)); top 10 per bundle. Rule of thumb: <b>&lt; 0.1 stable</b>, <b>0.1–0.25 moderate</b> shift, "
            + "<b>&gt; 0.25 large</b> shift (investigate or retrain).</p>\n"
        out += "<div class=\"psi-grid\">\n"
        for (i, bundle) in context.bundles.enumerated() {
            out += "<div class=\"psi-bundle\"><div class=\"panel-title\">" + legendSwatch(i) + esc(bundle.label) + "</div>\n"
            let score = bundle.stability.scorePSI.map { "\(HTMLFormat.fixed($0, 3)) (\(psiClass($0).label))" } ?? "not available"
            out += "<p class=\"small\">Score PSI: \(esc(score))</p>\n"
            guard let features = bundle.stability.featurePSI else {
                out += "<p class=\"note\">No stored feature distributions in this bundle: feature PSI unavailable.</p>\n</div>\n"
                continue
            }
            guard !features.isEmpty else {
                out += "<p class=\"note\">No features.</p>\n</div>\n"
                continue
            }
            let sorted = features.sorted { l, r in
                let lv = l.value.isFinite ? l.value : -Double.infinity
                let rv = r.value.isFinite ? r.value : -Double.infinity
                return lv != rv ? lv > rv : l.key < r.key
            }
            let top = sorted.prefix(10)
            out += "<table class=\"psi\">\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\" class=\"text\">Feature</th><th scope=\"col\">PSI</th>"
                + "<th scope=\"col\" class=\"text\">Shift</th></tr></thead>\n<tbody>\n"
            for (rank, entry) in top.enumerated() {
                let cls = psiClass(entry.value)
                out += "<tr class=\"\(cls.cssClass)\"><td>\(rank + 1)</td><td class=\"text\"><code>\(esc(entry.key))</code></td>"
                    + "<td>\(HTMLFormat.fixed(entry.value, 3))</td><td class=\"text\">\(cls.label)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
            out += "<p class=\"small\">Showing \(top.count) of \(features.count) features.</p>\n</div>\n"
        }
        out += "</div>\n</section>\n"
        return out
    }
}
