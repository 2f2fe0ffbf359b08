import Foundation

/// A forest plot: one row per series with a point estimate and its interval on a shared x axis.
struct SVGIntervalChart {
    struct Row {
        var label: String
        var estimate: Double
        var lower: Double
        var upper: Double
        var style: ChartSeriesStyle
    }

    var id: String
    var title: String
    var width: Double = 540
    var rows: [Row]
    var xTitle: String
    /// Text right of each row, e.g. "0.748 (0.739–0.757)".
    var valueText: (Row) -> String

    let marginLeft = 150.0
    let marginRight = 140.0
    let marginTop = 12.0
    let rowHeight = 34.0
    let axisSpace = 48.0

    func render() -> String {
        let plotWidth = width - marginLeft - marginRight
        let plotHeight = rowHeight * Double(max(1, rows.count))
        let entries = rows.map { ChartLegendEntry(label: $0.label, style: $0.style) }
        let legendHeight = SVGMarkup.legendHeight(entries, width: width - 20)
        let height = marginTop + plotHeight + axisSpace + legendHeight + 8

        let values = rows.flatMap { [$0.lower, $0.upper, $0.estimate] }.filter(\.isFinite)
        var low = values.min() ?? 0.5
        var high = values.max() ?? 1
        if high - low < 0.01 {
            low -= 0.005
            high += 0.005
        }
        let step = ChartTicks.step(span: high - low, approximateCount: 4)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        let digits = ChartTicks.decimals(step)
        let axis = ChartAxis.linear(low, high, title: xTitle, approximateTicks: 4) { HTMLFormat.fixed($0, digits) }
        let px = { (v: Double) -> Double in self.marginLeft + (v - low) / (high - low) * plotWidth }
        let c = SVGMarkup.c

        var out = SVGMarkup.open(width: width, height: height, label: title, cssClass: "interval-chart", id: id)
        out += "<g class=\"axes\">"
        for tick in axis.ticks where tick.value >= low - 1e-12 && tick.value <= high + 1e-12 {
            let tx = px(tick.value)
            out += "<line x1=\"\(c(tx))\" y1=\"\(c(marginTop))\" x2=\"\(c(tx))\" y2=\"\(c(marginTop + plotHeight))\" stroke=\"#e3e3e3\"/>"
            out += "<line x1=\"\(c(tx))\" y1=\"\(c(marginTop + plotHeight))\" x2=\"\(c(tx))\" y2=\"\(c(marginTop + plotHeight + 5))\" stroke=\"#444\"/>"
            out += SVGMarkup.text(tick.label, x: tx, y: marginTop + plotHeight + 18, anchor: "middle", size: 11, fill: "#333")
        }
        out += "<path d=\"M\(c(marginLeft)) \(c(marginTop + plotHeight))H\(c(marginLeft + plotWidth))\" stroke=\"#444\" fill=\"none\"/>"
        out += SVGMarkup.text(xTitle, x: marginLeft + plotWidth / 2, y: marginTop + plotHeight + 36, anchor: "middle", size: 12)
        out += "</g>"
        for (i, row) in rows.enumerated() {
            let cy = marginTop + rowHeight * (Double(i) + 0.5)
            out += "<g class=\"series\" data-series=\"\(HTMLFormat.escape(row.label))\"><title>\(HTMLFormat.escape(row.label))</title>"
            out += SVGMarkup.text(SVGMarkup.fit(row.label, maxWidth: marginLeft - 16), x: marginLeft - 10, y: cy + 4, anchor: "end", size: 12)
            if row.lower.isFinite && row.upper.isFinite {
                let x0 = px(row.lower)
                let x1 = px(row.upper)
                out += "<line x1=\"\(c(x0))\" y1=\"\(c(cy))\" x2=\"\(c(x1))\" y2=\"\(c(cy))\" " + SVGMarkup.strokeAttributes(row.style) + "/>"
                out += "<line x1=\"\(c(x0))\" y1=\"\(c(cy - 6))\" x2=\"\(c(x0))\" y2=\"\(c(cy + 6))\" stroke=\"\(row.style.color)\" stroke-width=\"1.6\"/>"
                out += "<line x1=\"\(c(x1))\" y1=\"\(c(cy - 6))\" x2=\"\(c(x1))\" y2=\"\(c(cy + 6))\" stroke=\"\(row.style.color)\" stroke-width=\"1.6\"/>"
            }
            if row.estimate.isFinite {
                out += SVGMarkup.marker(row.style.marker ?? .circle, x: px(row.estimate), y: cy, color: row.style.color, size: 5)
            }
            out += SVGMarkup.text(valueText(row), x: marginLeft + plotWidth + 10, y: cy + 4, size: 11.5, fill: "#222")
            out += "</g>"
        }
        let (legendMarkup, _) = SVGMarkup.legend(entries, x: 20, y: marginTop + plotHeight + axisSpace, width: width - 20)
        out += legendMarkup
        out += "</svg>"
        return out
    }
}
