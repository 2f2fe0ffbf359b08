import Foundation
import Metrics
import TestSupport
import Testing
@testable import Reports

/// Structure checks of the self-contained HTML comparison report.
struct HTMLReportTests {
    static let generatedAt = "2024-06-10 08:30 UTC"

    static func render(_ result: Reports.ComparisonResult = ReportFixtures.comparison(), title: String = "Collections model comparison") -> String {
        HTMLReport.render(result, title: title, generatedAt: generatedAt)
    }

    // MARK: Helpers

    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// All `<svg …>…</svg>` elements, in document order.
    static func svgs(_ html: String) -> [String] {
        html.components(separatedBy: "<svg ").dropFirst().map { chunk in
            "<svg " + (chunk.components(separatedBy: "</svg>").first ?? chunk) + "</svg>"
        }
    }

    /// The SVG element with `id`.
    static func svg(_ html: String, id: String) -> String? {
        svgs(html).first { $0.prefix(400).contains("id=\"\(id)\"") }
    }

    /// The markup of one section, from `<section id="…">` to its `</section>`.
    static func section(_ html: String, id: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\"") else { return nil }
        guard let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func legendTexts(_ svg: String) -> [String] {
        svg.components(separatedBy: "<g class=\"legend-entry\"><title>").dropFirst().map {
            $0.components(separatedBy: "</title>").first ?? ""
        }
    }

    static let escapedLabels = ReportFixtures.labels.map(HTMLFormat.escape)

    /// The section ids, in document (and table of contents) order.
    static let sectionIDs = ["summary", "roc", "calibration", "gains", "survival", "call-windows", "backtest", "stability"]

    /// What in `html` would load or run something from outside the page: external URLs, scripts, links, images,
    /// imported styles or fonts, `javascript:` and `url(…)` other than a fragment. Empty for a self-contained page.
    static func externalReferences(_ html: String) -> [String] {
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        var found = ["http://", "https://", "<script", "<link", "<img", "@import", "@font-face"].filter { withoutNamespace.contains($0) }
        if html.lowercased().contains("javascript:") { found.append("javascript:") }
        for piece in html.components(separatedBy: "url(").dropFirst() where !piece.hasPrefix("#") {
            found.append("url(" + piece.prefix(40))
        }
        return found
    }

    // MARK: Document

    @Test func oneSelfContainedDocument() {
        let html = Self.render()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(Self.count("<html", in: html) == 1)
        #expect(Self.count("</html>", in: html) == 1)
        #expect(Self.count("<head>", in: html) == 1)
        #expect(Self.count("<body>", in: html) == 1)
        #expect(Self.count("<style>", in: html) == 1)
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("@media print"))
        #expect(html.contains("break-before: page"))
    }

    @Test func noExternalReferencesOrScripts() {
        let html = Self.render()
        #expect(Self.externalReferences(html) == [])
        // Every url(…) is a fragment reference to an inline definition (the charts' clip paths, hatch patterns and
        // colour scale), and that definition is in the document.
        let references = html.components(separatedBy: "url(").dropFirst()
        #expect(!references.isEmpty)
        for piece in references {
            let id = piece.dropFirst().prefix { $0 != ")" }
            #expect(!id.isEmpty && html.contains("id=\"\(id)\""), "url(#\(id)) has no definition")
        }
    }

    @Test func sectionHeadingsInOrder() {
        let html = Self.render()
        let headings = [
            "1. Summary", "Paired DeLong tests of pay AUC", "2. ROC curves", "3. Calibration of P(pay)", "4. Cumulative gains and lift",
            "5. Time to pay: survival by score band", "6. Call windows: right-party contact",
            "7. Backtest: cash collected by calling order", "8. Feature stability (PSI)",
        ]
        var cursor = html.startIndex
        for heading in headings {
            let range = html.range(of: ">\(HTMLFormat.escape(heading))</h", range: cursor..<html.endIndex)
            #expect(range != nil, "missing or out of order: \(heading)")
            if let range { cursor = range.upperBound }
        }
        for id in Self.sectionIDs {
            #expect(Self.section(html, id: id) != nil, "section \(id)")
        }
    }

    @Test func headerShowsTheData() {
        let html = Self.render()
        #expect(html.contains("<h1>Collections model comparison</h1>"))
        #expect(html.contains(Self.generatedAt))
        #expect(html.contains(HTMLFormat.escape(ReportFixtures.hostileFolder)))
        #expect(html.contains(">9f3c2a71be04…</code>"))
        #expect(html.contains("title=\"9f3c2a71be04d8e5c6a1f0b29d7e4c3a8b5f6e1d2c3b4a5968778695a4b3c2d1\""))
        #expect(html.contains("2024-05-06, 2024-05-13") == false) // 5 dates are summarised
        #expect(html.contains("2024-05-06 … 2024-06-03, 5 snapshot dates"))
        #expect(html.contains("48,213"))
        #expect(html.contains("31.3%"))
        #expect(html.contains("18,734,512"))
        #expect(html.contains("3,904"))
    }

    // MARK: Escaping

    @Test func userTextIsEscaped() {
        let html = Self.render(title: "Q2 <review> & \"sign-off\"")
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<b>acme</b>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; v3"))
        #expect(html.contains("&lt;b&gt;acme&lt;/b&gt; &amp; co"))
        #expect(html.contains("<title>Q2 &lt;review&gt; &amp; &quot;sign-off&quot;</title>"))
        #expect(html.contains("<h1>Q2 &lt;review&gt; &amp; &quot;sign-off&quot;</h1>"))
    }

    @Test func escapeHandlesAllSpecialCharacters() {
        #expect(HTMLFormat.escape("<a href='x'>\"&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;")
        #expect(HTMLFormat.escape("plain text") == "plain text")
        #expect(HTMLFormat.escape("tab\there\u{1}") == "tab\there\u{FFFD}")
    }

    // MARK: Summary

    @Test func summaryTableHasOneColumnPerBundle() throws {
        let html = Self.render()
        let summary = try #require(Self.section(html, id: "summary"))
        let table = try #require(summary.components(separatedBy: "<table class=\"summary\">").dropFirst().first?
            .components(separatedBy: "</table>").first)
        #expect(Self.count("<th scope=\"col\" class=\"bundle\">", in: table) == 3)
        for label in Self.escapedLabels {
            #expect(table.contains("<span class=\"label\">\(label)</span>"))
        }
        let body = try #require(table.components(separatedBy: "<tbody>").last)
        let rows = body.components(separatedBy: "<tr>").dropFirst()
        #expect(rows.count >= 17)
        for row in rows {
            #expect(Self.count("<td", in: row) == 3, "row: \(row.prefix(80))")
        }
        for name in ["Pay AUC (95% CI)", "KS", "Gini", "Log-loss", "Brier score", "Lift, top 5%", "Lift, top 10%", "Lift, top 20%",
                     "Cash captured, top 5%", "Cash captured, top 10%", "Cash captured, top 20%", "Harrell&#39;s C (time to pay)",
                     "RPC rate, chosen window", "RPC rate, other windows", "Promise-kept AUC", "Promise-kept Brier", "Score PSI"] {
            #expect(body.contains(">\(name)</th>"), "row \(name)")
        }
    }

    /// The cells of the summary row named `name`.
    static func summaryCells(_ html: String, row name: String) -> [String] {
        guard let start = html.range(of: ">\(name)</th>") else { return [] }
        let rest = html[start.upperBound...]
        let row = rest.components(separatedBy: "</tr>").first ?? ""
        return row.components(separatedBy: "<td").dropFirst().map { "<td" + ($0.components(separatedBy: "</td>").first ?? "") }
    }

    @Test func bestValuePerRowIsBold() {
        let html = Self.render()
        // Pay AUC: bundle 1 (0.748) is best.
        let auc = Self.summaryCells(html, row: "Pay AUC (95% CI)")
        #expect(auc.count == 3)
        #expect(auc.map { $0.hasPrefix("<td class=\"best\">") } == [false, true, false])
        #expect(auc[1].contains("0.748"))
        // Brier: lower is better, bundle 1 again.
        #expect(Self.summaryCells(html, row: "Brier score").map { $0.contains("class=\"best\"") } == [false, true, false])
        // Harrell's C: bundle 2 has none ("–") and cannot be best.
        let harrell = Self.summaryCells(html, row: "Harrell&#39;s C (time to pay)")
        #expect(harrell.map { $0.contains("class=\"best\"") } == [false, true, false])
        #expect(harrell[2] == "<td>–")
        // Promise: bundle 1 has no promise model; bundle 0 has the better AUC.
        let promise = Self.summaryCells(html, row: "Promise-kept AUC")
        #expect(promise.map { $0.contains("class=\"best\"") } == [true, false, false])
        #expect(promise[1].contains("no promise model"))
        // Reference row without a direction is never bold.
        #expect(!Self.summaryCells(html, row: "RPC rate, other windows").contains { $0.contains("class=\"best\"") })
        // Score PSI: lower is better.
        #expect(Self.summaryCells(html, row: "Score PSI").map { $0.contains("class=\"best\"") } == [true, false, false])
    }

    @Test func pairedTestsWithVerdicts() throws {
        let html = Self.render()
        let summary = try #require(Self.section(html, id: "summary"))
        let table = try #require(summary.components(separatedBy: "<table class=\"paired\">").dropFirst().first?
            .components(separatedBy: "</table>").first)
        #expect(Self.count("<tr", in: table) == 4) // header + 3 pairs
        #expect(Self.count("<li class=\"verdict\">", in: summary) == 3)
        // v1 (0.731) vs v2 (0.748): B higher by 0.017, z ≈ 2.79, p ≈ 0.005.
        #expect(summary.contains("<b>collections/v2</b>’s AUC is higher than <b>collections/v1</b>’s by 0.017 (95% CI 0.005–0.029), "
            + "p = 0.005: significant at 5%."))
        #expect(table.contains("<td>+0.017</td>"))
        #expect(table.contains("<td>2.79</td>"))
        // v1 vs v3: A higher by 0.029.
        #expect(summary.contains("<b>collections/v1</b>’s AUC is higher than <b>\(Self.escapedLabels[2])</b>’s by 0.029"))
        #expect(table.contains("<td>-0.029</td>"))
    }

    @Test func verdictWordingForInsignificantAndTiedDifferences() {
        let result = ReportFixtures.comparison(bundleCount: 2)
        let context = HTMLReport.Context(result: result)
        let small = Reports.ComparisonResult.PairedComparison(a: 0, b: 1, test: ReportFixtures.pairedTest(0.7300, 0.7352))
        let text = HTMLReport.verdict(small, context: context)
        #expect(text.contains("higher than <b>collections/v1</b>’s by 0.005"))
        #expect(text.contains("(95% CI -0.007 to 0.017)"))
        #expect(text.hasSuffix("not significant at 5%."))
        let tie = Reports.ComparisonResult.PairedComparison(
            a: 0, b: 1, test: PairedAUCTest(aucA: 0.74, aucB: 0.74, difference: 0, standardError: 0, z: 0, pValue: 1, lower95: 0, upper95: 0))
        #expect(HTMLReport.verdict(tie, context: context).contains("are equal to 3 decimals"))
        let degenerate = Reports.ComparisonResult.PairedComparison(
            a: 0, b: 1, test: PairedAUCTest(aucA: 0.74, aucB: 0.75, difference: -0.01, standardError: 0, z: -.infinity, pValue: .nan,
                                            lower95: -0.01, upper95: -0.01))
        #expect(HTMLReport.verdict(degenerate, context: context).contains("could not be computed"))
    }

    // MARK: Charts

    @Test func everyChartHasAxesLegendAndCaption() {
        let html = Self.render()
        let charts = Self.svgs(html)
        // ROC, AUC intervals, 2 calibration, gains, lift, 2 survival panels, heat map, RPC, 2 backtest panels.
        #expect(charts.count == 12)
        for chart in charts {
            #expect(chart.contains("viewBox=\"0 0 "))
            #expect(chart.contains("<title>"))
            if chart.contains("class=\"series\"") || chart.contains("class=\"cell") {
                #expect(chart.contains("class=\"legend"))
            }
            if !chart.contains("class=\"chart heat-map\"") {
                #expect(chart.contains("<g class=\"axes\">"))
            }
            #expect(Self.count("<text", in: chart) >= 8, "tick labels")
        }
        #expect(Self.count("<figcaption>", in: html) == charts.count)
    }

    @Test func rocChartHasOneCurvePerBundle() throws {
        let roc = try #require(Self.svg(Self.render(), id: "chart-roc"))
        #expect(Self.count("<polyline class=\"series\"", in: roc) == 3)
        #expect(Self.count("<polyline class=\"ref\"", in: roc) == 1)
        let legend = Self.legendTexts(roc)
        #expect(legend.count == 3)
        for (entry, label) in zip(legend, Self.escapedLabels) {
            #expect(entry.hasPrefix(label))
        }
        #expect(legend[1] == "collections/v2 (AUC 0.748)")
        // Distinct colours and dash patterns.
        let strokes = roc.components(separatedBy: "<polyline class=\"series\"").dropFirst().map {
            ($0.components(separatedBy: "stroke=\"").dropFirst().first?.prefix(7)).map(String.init) ?? ""
        }
        #expect(Set(strokes).count == 3)
        #expect(Self.count("stroke-dasharray=\"9 4\"", in: roc) >= 2) // series + legend sample of bundle 1
    }

    @Test func aucIntervalChart() throws {
        let chart = try #require(Self.svg(Self.render(), id: "chart-auc-ci"))
        #expect(Self.count("<g class=\"series\"", in: chart) == 3)
        #expect(Self.legendTexts(chart) == Self.escapedLabels)
        #expect(chart.contains(">0.748 (0.739–0.757)</text>"))
    }

    @Test func calibrationGainsAndLiftCharts() throws {
        let html = Self.render()
        let calibration = try #require(Self.svg(html, id: "chart-calibration-pay"))
        #expect(Self.count("<polyline class=\"series\"", in: calibration) == 3)
        #expect(Self.count("<polyline class=\"ref\"", in: calibration) == 1)
        #expect(Self.count("<g class=\"markers\">", in: calibration) == 3)
        // Bundle 2 has no Cox calibration: an empty series, still in the legend.
        let cox = try #require(Self.svg(html, id: "chart-calibration-cox"))
        #expect(Self.count("<polyline class=\"series\"", in: cox) == 3)
        #expect(Self.legendTexts(cox) == Self.escapedLabels.prefix(2) + [Self.escapedLabels[2] + " (no data)"])
        let gains = try #require(Self.svg(html, id: "chart-gains"))
        #expect(Self.count("<polyline class=\"series\"", in: gains) == 3)
        #expect(Self.legendTexts(gains) == Self.escapedLabels)
        #expect(html.contains("No cash amounts for <b>\(Self.escapedLabels[2])</b>: share of payers captured instead."))
        let lift = try #require(Self.svg(html, id: "chart-lift"))
        #expect(Self.count("<g class=\"series\"", in: lift) == 3)
        #expect(Self.count("<rect x=", in: lift) >= 9 + 3) // 3 bars × 3 bundles + legend swatches
        for share in ["Top 5%", "Top 10%", "Top 20%"] { #expect(lift.contains(">\(share)</text>")) }
        #expect(Self.legendTexts(lift) == Self.escapedLabels)
    }

    @Test func survivalPanelsPerBundle() throws {
        let html = Self.render()
        let section = try #require(Self.section(html, id: "survival"))
        #expect(Self.svgs(section).count == 2)
        for i in 1...2 {
            let panel = try #require(Self.svg(section, id: "chart-survival-\(i)"))
            #expect(Self.count("<polyline class=\"series\"", in: panel) == 6) // 3 bands × (observed, predicted)
            #expect(Self.count("stroke-dasharray=\"6 4\"", in: panel) == 4) // 3 predicted + legend sample
            let legend = Self.legendTexts(panel)
            #expect(legend == ["slowest third (lowest score) (n = 16,071)", "middle third (n = 16,071)",
                               "fastest third (highest score) (n = 16,071)",
                               "observed (Kaplan–Meier)", "mean predicted (Cox)"])
            #expect(panel.contains(">90</text>"))
        }
        // Bundle 2 has no bands: a note instead of an empty chart.
        #expect(Self.svg(section, id: "chart-survival-3") == nil)
        #expect(section.contains("No survival bands for this bundle"))
        for label in Self.escapedLabels {
            #expect(section.contains("</span>\(label)</div>"))
        }
    }

    @Test func contactHeatMapAndRPCBars() throws {
        let html = Self.render()
        let heat = try #require(Self.svg(html, id: "chart-contact-heatmap"))
        #expect(Self.count("<g class=\"cell\">", in: heat) == 23)
        #expect(Self.count("<g class=\"cell empty\">", in: heat) == 2)
        for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] { #expect(heat.contains(">\(day)</text>")) }
        for window in ["08–10", "10–12", "12–14", "14–16", "16–18"] { #expect(heat.contains(">\(window)</text>")) }
        #expect(heat.contains(">21.4%</text>"))
        #expect(heat.contains(">n = 1,412</text>"))
        #expect(heat.contains("class=\"legend color-scale\""))
        #expect(heat.contains("<linearGradient"))
        let rpc = try #require(Self.svg(html, id: "chart-rpc"))
        #expect(Self.count("<g class=\"series\"", in: rpc) == 3)
        #expect(Self.legendTexts(rpc) == Self.escapedLabels)
        #expect(rpc.contains(">25.1%</text>"))
    }

    @Test func backtestPanelsSkipBundlesWithoutBacktest() throws {
        let html = Self.render()
        let section = try #require(Self.section(html, id: "backtest"))
        #expect(Self.svgs(section).count == 2)
        for i in 1...2 {
            let panel = try #require(Self.svg(section, id: "chart-backtest-\(i)"))
            #expect(Self.count("<polyline class=\"series\"", in: panel) == 3)
            #expect(Self.legendTexts(panel).first == "Queue ranked by \(Self.escapedLabels[i - 1])")
            #expect(panel.contains(">05-06</text>"))
            #expect(panel.contains("Backtest day (2024)"))
        }
        #expect(Self.svg(section, id: "chart-backtest-3") == nil)
        #expect(section.contains("No backtest for <b>\(Self.escapedLabels[2])</b>."))
        #expect(section.contains("+18.0%")) // queue vs aging for bundle 0
    }

    @Test func emptyBacktestSkipsTheSectionWithANote() throws {
        let html = Self.render(ReportFixtures.comparison(backtest: false))
        let section = try #require(Self.section(html, id: "backtest"))
        #expect(Self.svgs(section).isEmpty)
        #expect(section.contains("No backtest in this comparison"))
        #expect(Self.svgs(html).count == 10)
    }

    @Test func featurePSITablesTopTen() throws {
        let html = Self.render()
        let section = try #require(Self.section(html, id: "stability"))
        #expect(section.contains("&lt; 0.1 stable"))
        #expect(section.contains("0.1–0.25 moderate"))
        #expect(section.contains("&gt; 0.25 large"))
        let tables = section.components(separatedBy: "<table class=\"psi\">").dropFirst()
        #expect(tables.count == 2)
        let first = try #require(tables.first)
        #expect(Self.count("<tr class=\"psi-", in: first) == 10)
        #expect(section.contains("Showing 10 of 14 features."))
        #expect(section.contains("Showing 8 of 8 features."))
        #expect(section.contains("feature PSI unavailable"))
        // Sorted by PSI, descending.
        let values = first.components(separatedBy: "</code></td><td>").dropFirst().compactMap {
            Double($0.components(separatedBy: "<").first ?? "")
        }
        #expect(values.count == 10)
        #expect(values == values.sorted(by: >))
    }

    // MARK: Robustness

    @Test func deterministicOutput() throws {
        #expect(Self.render() == Self.render())
        #expect(Self.render(ReportFixtures.comparison(backtest: false)) == Self.render(ReportFixtures.comparison(backtest: false)))
        // Rendering the same value twice in one process cannot show dictionary order leaking into the page (both
        // dictionaries iterate alike). The feature PSI dictionaries are rebuilt here with the same contents but another
        // capacity and insertion order, hence another iteration order, and with ties (equal PSI) that only the
        // renderer's tie-break can order: the page must not change.
        var tied = ReportFixtures.comparison()
        for i in tied.bundles.indices {
            guard var psi = tied.bundles[i].stability.featurePSI else { continue }
            let keys = psi.keys.sorted()
            for key in keys.prefix(4) { psi[key] = 0.2 }
            tied.bundles[i].stability.featurePSI = psi
        }
        let original = try #require(tied.bundles[0].stability.featurePSI)
        var reordered = tied
        var rebuilt: [String: Double]?
        for capacity in [32, 64, 128, 256, 512] {
            var copy: [String: Double] = [:]
            copy.reserveCapacity(capacity)
            for key in original.keys.sorted().reversed() { copy[key] = original[key] }
            if Array(copy.keys) != Array(original.keys) {
                rebuilt = copy
                break
            }
        }
        let rebuiltPSI: [String: Double] = try #require(rebuilt, "no capacity gave another iteration order")
        reordered.bundles[0].stability.featurePSI = rebuiltPSI
        #expect(reordered == tied)
        #expect(Self.render(reordered) == Self.render(tied))
    }

    @Test func singleBundleAndNoBundles() {
        let one = Self.render(ReportFixtures.comparison(bundleCount: 1))
        #expect(!one.contains("class=\"best\""))
        #expect(one.contains("No paired tests"))
        #expect(Self.count("<polyline class=\"series\"", in: Self.svg(one, id: "chart-roc") ?? "") == 1)
        var empty = ReportFixtures.comparison()
        empty.bundles = []
        empty.pairedTests = []
        let html = Self.render(empty)
        #expect(html.contains("No bundles to compare."))
        #expect(Self.count("</html>", in: html) == 1)
    }

    @Test func manyBundlesKeepDistinctStyles() throws {
        var result = ReportFixtures.comparison()
        let base = result.bundles
        result.bundles = (0..<8).map { i in
            var bundle = base[i % base.count]
            bundle.label = "model/v\(i + 1)"
            return bundle
        }
        result.pairedTests = []
        let html = Self.render(result)
        let roc = try #require(Self.svg(html, id: "chart-roc"))
        #expect(Self.count("<polyline class=\"series\"", in: roc) == 8)
        #expect(Self.legendTexts(roc).count == 8)
        let styles = (0..<8).map { ChartPalette.bundle($0) }
        #expect(Set(styles.map { "\($0.color)|\($0.dash)" }).count == 8)
        #expect(Set(styles.map(\.dash)).count == 8) // distinguishable in grey, too
        let summary = try #require(Self.section(html, id: "summary"))
        #expect(Self.count("<th scope=\"col\" class=\"bundle\">", in: summary) == 8)
    }

    @Test func sparseInputsStillRender() throws {
        var result = ReportFixtures.comparison(bundleCount: 2)
        result.bundles[0].pay.roc = []
        result.bundles[0].pay.gains = []
        result.bundles[0].pay.calibration = []
        result.bundles[0].pay.lift = []
        result.bundles[1].backtest = Array(result.bundles[1].backtest.prefix(1))
        result.bundles[1].backtest[0].asOf = "day one"
        result.data.contactRate = [[nil, 0.2]]
        result.data.contactAttempts = [[0, 10]]
        result.data.holdoutDates = []
        let html = Self.render(result)
        let roc = try #require(Self.svg(html, id: "chart-roc"))
        #expect(Self.count("<polyline class=\"series\"", in: roc) == 2)
        #expect(Self.legendTexts(roc)[0].hasSuffix("(no data)"))
        let heat = try #require(Self.svg(html, id: "chart-contact-heatmap"))
        #expect(Self.count("<g class=\"cell", in: heat) == 25) // always Mon–Fri × 5 windows
        let backtest = try #require(Self.svg(html, id: "chart-backtest-2"))
        #expect(backtest.contains(">day one</text>"))
        #expect(Self.summaryCells(html, row: "Lift, top 5%").first == "<td>–")
        #expect(html.contains("no holdout dates"))
    }

    @Test func nonFiniteValuesDoNotLeakIntoMarkup() {
        var result = ReportFixtures.comparison()
        result.bundles[0].pay.roc.append(ROCPoint(falsePositiveRate: .nan, truePositiveRate: 0.5, threshold: 0))
        result.bundles[0].pay.ks = .nan
        result.bundles[1].backtest[3].queueCash = .infinity
        result.data.contactRate[2][2] = .nan
        let html = Self.render(result)
        // No "nan", "inf" or "infinity" as a word anywhere: in text, in attributes, in SVG coordinates ("-inf").
        let words = Set(html.lowercased().split { !$0.isLetter }.map(String.init))
        #expect(words.isDisjoint(with: ["nan", "inf", "infinity"]), "\(words.intersection(["nan", "inf", "infinity"]))")
        #expect(!html.contains("NaN"))
    }

    // MARK: Formatting

    @Test func numberFormatting() {
        #expect(HTMLFormat.money(18_734_512.37) == "18,734,512")
        // One correct value each. money formats the magnitude with HTMLFormat.fixed(_, 0) and compactMoney
        // 1,250,000 / 1e6 = 1.25 with fixed(_, 1); fixed is String(format: "%.Nf"), which rounds the exact binary value
        // and breaks an exact tie to the even digit. 1234.5 and 1.25 are exact ties: "1234" (so "-1,234") and "1.2"
        // ("1.2M"); 1235.5 goes up to the even "1236".
        #expect(HTMLFormat.money(-1_234.5) == "-1,234")
        #expect(HTMLFormat.money(-1_235.5) == "-1,236")
        #expect(HTMLFormat.money(12.5) == "12.50")
        #expect(HTMLFormat.money(nil) == "–")
        #expect(HTMLFormat.integer(1_000) == "1,000")
        #expect(HTMLFormat.integer(999) == "999")
        #expect(HTMLFormat.integer(-1_234_567) == "-1,234,567")
        #expect(HTMLFormat.percent(0.3127) == "31.3%")
        #expect(HTMLFormat.auc(0.74849) == "0.748")
        #expect(HTMLFormat.fixed(-0.0001, 3) == "0.000")
        #expect(HTMLFormat.signed(0.0123, 3) == "+0.012")
        #expect(HTMLFormat.signed(-0.0123, 3) == "-0.012")
        #expect(HTMLFormat.pValue(0.0031) == "p = 0.003")
        #expect(HTMLFormat.pValue(0.00002) == "p < 0.001")
        #expect(HTMLFormat.compactMoney(1_250_000) == "1.2M")
        #expect(HTMLFormat.compactMoney(1_350_000) == "1.4M") // 1.35 is stored as 1.35000000000000008…: not a tie
        #expect(HTMLFormat.compactMoney(400_000) == "400k")
        #expect(HTMLFormat.fixed(Double.nan, 3) == "–")
    }

    @Test func niceTicks() {
        #expect(ChartTicks.ticks(min: 0, max: 1, approximateCount: 5).map { HTMLFormat.fixed($0, 1) } == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ChartTicks.niceCeiling(2.31) == 2.5)
        #expect(ChartTicks.niceCeiling(437_000) == 500_000)
    }

    /// The sample report a reviewer opens in a browser: written to `$ARSCORE_REPORT_SAMPLE` when that is set, else into
    /// a temporary folder. What lands on disk must be the complete, self-contained page, the same bytes every time.
    @Test func writesACompleteSelfContainedSample() throws {
        let folder = try TemporaryFolder("report")
        let requested = ProcessInfo.processInfo.environment["ARSCORE_REPORT_SAMPLE"] ?? ""
        let path = requested.isEmpty ? folder.path("sample.html") : requested
        let html = Self.render()
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written == Data(html.utf8))
        // Deterministic: a fresh fixture, rendered and written again, gives the same bytes.
        try Self.render(ReportFixtures.comparison()).write(toFile: folder.path("again.html"), atomically: true, encoding: .utf8)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("again.html"))) == written)
        let text = try #require(String(data: written, encoding: .utf8))
        // Complete: one document, closed at the very end, every element pair that the checks below rely on closed.
        #expect(text.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(text.hasSuffix("</footer>\n</main>\n</body>\n</html>\n"))
        #expect(Self.count("<section", in: text) == Self.sectionIDs.count)
        #expect(Self.count("</section>", in: text) == Self.sectionIDs.count)
        #expect(Self.count("<svg ", in: text) == 12)
        #expect(Self.count("</svg>", in: text) == 12)
        #expect(Self.count("<table", in: text) == Self.count("</table>", in: text))
        // Every section, once, in table-of-contents order, each linked from the table of contents and not empty.
        var previous = text.startIndex
        for id in Self.sectionIDs {
            #expect(Self.count("<section id=\"\(id)\"", in: text) == 1, "section \(id)")
            #expect(text.contains("<li><a href=\"#\(id)\">"), "contents link to \(id)")
            let start = try #require(text.range(of: "<section id=\"\(id)\""), "section \(id)")
            #expect(start.lowerBound > previous, "section \(id) out of order")
            previous = start.lowerBound
            let section = try #require(Self.section(text, id: id))
            #expect(section.contains("<h2"), "section \(id) has no heading")
            #expect(section.contains("<svg ") || section.contains("<table"), "section \(id) has no chart or table")
        }
        // Self-contained: nothing to fetch or run.
        #expect(Self.externalReferences(text) == [])
    }
}
