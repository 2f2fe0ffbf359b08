import Metrics

extension HTMLReport {
    // MARK: - 9. Call effect

    /// Qini curves of each bundle's call values on the holdout, and the off-policy value of its queue from the log.
    static func callEffectSection(_ context: Context) -> String {
        let bundles = context.bundles.filter { $0.callEffect != nil }
        guard !bundles.isEmpty else { return "" }
        var out = sectionOpen("call-effect", "9. Call effect: whom a call makes pay")
        let series = context.bundles.enumerated().compactMap { i, bundle -> ChartLineSeries? in
            guard let curve = bundle.callEffect?.qiniCurve, let last = curve.last, last.examples > 0 else { return nil }
            return ChartLineSeries(label: bundle.label, points: curve.map { (x: $0.examples / last.examples, y: $0.value) },
                                   style: ChartPalette.bundle(i))
        }
        if !series.isEmpty {
            let values = series.flatMap { $0.points.map(\.y) }
            let low = min(0, values.min() ?? 0), high = max(1, values.max() ?? 1)
            let chart = SVGLineChart(
                id: "chart-qini", title: "Qini curves: incremental cash of the reached accounts, best call values first",
                width: 520, plotHeight: 340, x: .unitPercent(title: "Share of holdout accounts with a past-due balance"),
                y: .linear(low, high * 1.05, title: "Incremental cash (Qini)") { HTMLFormat.money($0) },
                series: series, references: [])
            out += "<div class=\"charts\">\n" + figure(chart.render(), caption: "Qini curve of each bundle's call value "
                + "(incremental_cash) on \(esc(context.holdoutPhrase)): treated = reached within 7 days, which the history's "
                + "calling chose, not a random draw; read it beside the off-policy values below.") + "</div>\n"
        }
        out += callEffectTable(context)
        out += "</section>\n"
        return out
    }

    /// One row per bundle: the call value, Qini, uplift@k and the off-policy value with its interval.
    static func callEffectTable(_ context: Context) -> String {
        var out = "<table class=\"psi\">\n<thead><tr><th scope=\"col\" class=\"text\">Bundle</th><th scope=\"col\" class=\"text\">"
            + "Call value</th><th scope=\"col\">Qini</th><th scope=\"col\">uplift@k</th><th scope=\"col\">Off-policy cash per "
            + "candidate</th><th scope=\"col\">95% CI</th><th scope=\"col\">ESS</th></tr></thead>\n<tbody>\n"
        for bundle in context.bundles {
            guard let effect = bundle.callEffect else { continue }
            let top = effect.upliftAtTop.map { HTMLFormat.money($0.uplift) + " at " + HTMLFormat.fixed(100 * effect.topShare, 1) + "%" }
            let value = effect.offPolicy?.estimate.selfNormalized
            out += "<tr><td class=\"text\">\(esc(bundle.label))</td><td class=\"text\">\(esc(effect.value))</td>"
                + "<td>\(HTMLFormat.fixed(effect.qini, 3))</td><td>\(esc(top ?? "–"))</td>"
                + "<td>\(value.map { HTMLFormat.money($0.value) } ?? "–")</td>"
                + "<td>\(value.map { HTMLFormat.money($0.lower95) + " – " + HTMLFormat.money($0.upper95) } ?? "–")</td>"
                + "<td>\(effect.offPolicy.map { HTMLFormat.integer(Int($0.estimate.effectiveSampleSize.rounded())) } ?? "–")</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if let log = context.result.selectionLog {
            out += "<p class=\"caption\">Off-policy values (SNIPS, delta-method 95% interval) from selections.csv: "
                + "\(log.days) logged days \(esc(log.firstDay)) – \(esc(log.lastDay)), \(HTMLFormat.integer(log.rows)) rows "
                + "(\(HTMLFormat.integer(log.called)) called, \(HTMLFormat.integer(log.heldOut)) held out). Each bundle's queue "
                + "takes the day's logged number of calls by rank; value = cash per eligible call candidate and day within "
                + "\(context.data.horizonDays) days.</p>\n"
        } else {
            out += "<p class=\"note\">No usable selections.csv in the export (logged picks and held-out accounts): no "
                + "off-policy values. Set a holdout_share and archive calls.csv and holdout.csv to get them.</p>\n"
        }
        return out
    }
}
