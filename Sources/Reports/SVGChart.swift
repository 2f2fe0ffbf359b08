import Foundation

// Small, dependency-free SVG chart primitives for the HTML report.
//
// Every chart is one `<svg>` element with a viewBox, axes with tick labels, axis titles and a legend inside the
// SVG (so it survives copy/paste and printing). Data series carry `class="series"`, reference lines
// `class="ref"`, legend entries `class="legend-entry"`; tests count these.

/// Marker shapes, so series stay distinguishable when printed in grey.
enum ChartMarker: CaseIterable {
    case circle, square, triangle, diamond, cross, plus
}

/// How one series is drawn.
struct ChartSeriesStyle {
    var color: String
    /// SVG `stroke-dasharray`; empty for solid.
    var dash: String
    var width: Double = 2
    var marker: ChartMarker? = nil
    /// Bar fill pattern index (see `SVGDefs.pattern`).
    var pattern: Int = 0
}

enum ChartPalette {
    /// Okabe–Ito colours (colour-blind safe), then two neutrals.
    static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D31"]
    static let dashes = ["", "9 4", "2 3", "10 3 2 3", "5 2", "14 4 2 4 2 4", "1 4", "6 3 6 3 1 3"]

    /// The style of the bundle at `index` (command-line order); consistent across all charts.
    static func bundle(_ index: Int) -> ChartSeriesStyle {
        let i = max(0, index)
        let markers = ChartMarker.allCases
        return ChartSeriesStyle(
            color: colors[i % colors.count],
            dash: dashes[(i + i / dashes.count) % dashes.count],
            width: 2.2,
            marker: markers[i % markers.count],
            pattern: i
        )
    }

    /// Score bands in the survival panels: dark → light so they separate in grey, each with its own marker.
    static let bandColors = ["#08306B", "#C2410C", "#2E8B57", "#7B3294", "#B8860B"]
    static func band(_ index: Int) -> ChartSeriesStyle {
        let i = max(0, index)
        let markers = ChartMarker.allCases
        return ChartSeriesStyle(color: bandColors[i % bandColors.count], dash: "", width: 2, marker: markers[i % markers.count])
    }

    /// Reference lines (diagonals, identity, lift = 1).
    static let referenceColor = "#777777"
    static let referenceDash = "4 4"
}

/// One tick: position in data units and its label.
struct ChartTick {
    var value: Double
    var label: String
}

/// A linear axis.
struct ChartAxis {
    var min: Double
    var max: Double
    var ticks: [ChartTick]
    var title: String

    /// An axis over `[min, max]` with "nice" ticks formatted by `format`.
    static func linear(_ min: Double, _ max: Double, title: String, approximateTicks: Int = 5,
                       format: (Double) -> String) -> ChartAxis {
        let values = ChartTicks.ticks(min: min, max: max, approximateCount: approximateTicks)
        return ChartAxis(min: min, max: max, ticks: values.map { ChartTick(value: $0, label: format($0)) }, title: title)
    }

    /// The unit interval as percentages: 0%, 20%, …, 100%.
    static func unitPercent(title: String, upper: Double = 1) -> ChartAxis {
        let (top, step) = unitRange(upper)
        return ChartAxis.stepped(0, top, step: step, title: title) { HTMLFormat.fixed($0 * 100, 0) + "%" }
    }

    /// The unit interval (or `[0, upper]`) as plain decimals: 0.0, 0.2, …, 1.0.
    static func unit(title: String, upper: Double = 1) -> ChartAxis {
        let (top, step) = unitRange(upper)
        let digits = step < 0.1 ? 2 : 1
        return ChartAxis.stepped(0, top, step: step, title: title) { HTMLFormat.fixed($0, digits) }
    }

    /// `[0, upper]` widened to a whole number of ticks (0.2, 0.1 or 0.05 apart), never above 1.
    static func unitRange(_ upper: Double) -> (upper: Double, step: Double) {
        let value = upper.isFinite && upper > 0 ? Swift.min(1, upper) : 1
        let step = value > 0.5 ? 0.2 : (value > 0.2 ? 0.1 : 0.05)
        let steps = (value / step - 1e-9).rounded(.up)
        return (Swift.min(1, steps * step), step)
    }

    static func stepped(_ min: Double, _ max: Double, step: Double, title: String, format: (Double) -> String) -> ChartAxis {
        var ticks: [ChartTick] = []
        var k = 0
        while true {
            let value = min + Double(k) * step
            if value > max + step * 1e-9 { break }
            ticks.append(ChartTick(value: value, label: format(value)))
            k += 1
        }
        return ChartAxis(min: min, max: max, ticks: ticks, title: title)
    }
}

enum ChartTicks {
    /// A "nice" step (1, 2, 2.5 or 5 × 10^k) giving about `approximateCount` intervals over `span`.
    static func step(span: Double, approximateCount: Int) -> Double {
        guard span.isFinite, span > 0 else { return 1 }
        let raw = span / Double(max(1, approximateCount))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalized = raw / magnitude
        let nice: Double
        if normalized <= 1 { nice = 1 } else if normalized <= 2 { nice = 2 } else if normalized <= 2.5 { nice = 2.5 }
        else if normalized <= 5 { nice = 5 } else { nice = 10 }
        return nice * magnitude
    }

    /// Decimals needed to print multiples of `step` exactly (0.25 → 2, 0.01 → 2, 5 → 0).
    static func decimals(_ step: Double) -> Int {
        for digits in 0...8 {
            let scaled = step * pow(10, Double(digits))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return digits }
        }
        return 8
    }

    /// The smallest "nice" number ≥ `value` on the tick grid of `[0, value]`.
    static func niceCeiling(_ value: Double, approximateCount: Int = 5) -> Double {
        guard value.isFinite, value > 0 else { return 1 }
        let s = step(span: value, approximateCount: approximateCount)
        return (value / s - 1e-9).rounded(.up) * s
    }

    /// ChartTick values inside `[min, max]` on a nice step.
    static func ticks(min: Double, max: Double, approximateCount: Int) -> [Double] {
        guard min.isFinite, max.isFinite, max > min else { return [min] }
        let s = step(span: max - min, approximateCount: approximateCount)
        var values: [Double] = []
        var k = (min / s - 1e-9).rounded(.up)
        while k * s <= max + s * 1e-9 {
            let v = k * s
            values.append(abs(v) < s * 1e-9 ? 0 : v)
            k += 1
            if values.count > 50 { break }
        }
        return values
    }
}

/// One legend entry: a line sample (with marker) or a bar swatch.
struct ChartLegendEntry {
    enum Kind { case line, swatch }
    var label: String
    var style: ChartSeriesStyle
    var kind: Kind = .line
    /// A reference line (diagonal, identity, lift = 1) rather than data.
    var isReference = false

    static func reference(_ label: String) -> ChartLegendEntry {
        ChartLegendEntry(label: label, style: ChartSeriesStyle(color: ChartPalette.referenceColor, dash: ChartPalette.referenceDash, width: 1.2),
                         isReference: true)
    }
}

/// Shared SVG helpers.
enum SVGMarkup {
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    /// Average glyph width at 12px, for legend layout (generous so labels never overlap).
    static let charWidth = 6.9

    static func c(_ value: Double) -> String { HTMLFormat.coordinate(value) }

    static func open(width: Double, height: Double, label: String, cssClass: String, id: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart \(cssClass)\" id=\"\(HTMLFormat.escape(id))\" "
            + "width=\"\(c(width))\" height=\"\(c(height))\" viewBox=\"0 0 \(c(width)) \(c(height))\" role=\"img\" "
            + "aria-label=\"\(HTMLFormat.escape(label))\" font-family=\"\(fontFamily)\" font-size=\"12\">"
            + "<title>\(HTMLFormat.escape(label))</title>"
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil,
                     weight: String? = nil, fill: String = "#222", extra: String = "") -> String {
        var attributes = "x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let size { attributes += " font-size=\"\(c(size))\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if !extra.isEmpty { attributes += " " + extra }
        return "<text \(attributes)>\(HTMLFormat.escape(content))</text>"
    }

    static func strokeAttributes(_ style: ChartSeriesStyle) -> String {
        var out = "stroke=\"\(style.color)\" stroke-width=\"\(c(style.width))\""
        if !style.dash.isEmpty { out += " stroke-dasharray=\"\(style.dash)\"" }
        return out
    }

    /// A marker centred at (x, y).
    static func marker(_ shape: ChartMarker, x: Double, y: Double, color: String, size: Double = 4) -> String {
        let s = size
        switch shape {
        case .circle:
            return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(s))\" fill=\"#fff\" stroke=\"\(color)\" stroke-width=\"1.6\"/>"
        case .square:
            return "<rect x=\"\(c(x - s))\" y=\"\(c(y - s))\" width=\"\(c(2 * s))\" height=\"\(c(2 * s))\" fill=\"\(color)\"/>"
        case .triangle:
            return "<polygon points=\"\(c(x)),\(c(y - s * 1.2)) \(c(x - s * 1.1)),\(c(y + s * 0.9)) \(c(x + s * 1.1)),\(c(y + s * 0.9))\" fill=\"\(color)\"/>"
        case .diamond:
            return "<polygon points=\"\(c(x)),\(c(y - s * 1.3)) \(c(x + s)),\(c(y)) \(c(x)),\(c(y + s * 1.3)) \(c(x - s)),\(c(y))\" fill=\"#fff\" stroke=\"\(color)\" stroke-width=\"1.6\"/>"
        case .cross:
            return "<path d=\"M\(c(x - s)) \(c(y - s))L\(c(x + s)) \(c(y + s))M\(c(x - s)) \(c(y + s))L\(c(x + s)) \(c(y - s))\" stroke=\"\(color)\" stroke-width=\"2\" fill=\"none\"/>"
        case .plus:
            return "<path d=\"M\(c(x - s * 1.2)) \(c(y))H\(c(x + s * 1.2))M\(c(x)) \(c(y - s * 1.2))V\(c(y + s * 1.2))\" stroke=\"\(color)\" stroke-width=\"2\" fill=\"none\"/>"
        }
    }

    /// Fill patterns for bars (so bars of different series differ in grey): solid, hatches, cross-hatch, dots.
    static func patternDefs(id: String, styles: [ChartSeriesStyle]) -> String {
        var out = "<defs>"
        for (i, style) in styles.enumerated() {
            let pid = "\(id)-p\(i)"
            let color = style.color
            switch style.pattern % 6 {
            case 0:
                out += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
                    + "<rect width=\"6\" height=\"6\" fill=\"\(color)\"/></pattern>"
            case 1:
                out += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">"
                    + "<rect width=\"6\" height=\"6\" fill=\"\(color)\" fill-opacity=\"0.25\"/>"
                    + "<rect width=\"3\" height=\"6\" fill=\"\(color)\"/></pattern>"
            case 2:
                out += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
                    + "<rect width=\"6\" height=\"6\" fill=\"\(color)\" fill-opacity=\"0.2\"/>"
                    + "<circle cx=\"3\" cy=\"3\" r=\"1.8\" fill=\"\(color)\"/></pattern>"
            case 3:
                out += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" patternTransform=\"rotate(-45)\">"
                    + "<rect width=\"7\" height=\"7\" fill=\"\(color)\" fill-opacity=\"0.25\"/>"
                    + "<rect width=\"2\" height=\"7\" fill=\"\(color)\"/><rect width=\"7\" height=\"2\" fill=\"\(color)\"/></pattern>"
            case 4:
                out += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
                    + "<rect width=\"6\" height=\"6\" fill=\"\(color)\" fill-opacity=\"0.25\"/>"
                    + "<rect width=\"6\" height=\"2.5\" fill=\"\(color)\"/></pattern>"
            default:
                out += "<pattern id=\"\(pid)\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
                    + "<rect width=\"6\" height=\"6\" fill=\"\(color)\" fill-opacity=\"0.25\"/>"
                    + "<rect width=\"2.5\" height=\"6\" fill=\"\(color)\"/></pattern>"
            }
        }
        return out + "</defs>"
    }

    /// Shortens `label` to fit `maxWidth` pixels (the full text stays in a `<title>`).
    static func fit(_ label: String, maxWidth: Double) -> String {
        let maxChars = max(4, Int(maxWidth / charWidth))
        guard label.count > maxChars else { return label }
        return String(label.prefix(maxChars - 1)) + "…"
    }

    /// Lays out legend entries left to right, wrapping; returns the markup and the height used.
    static func legend(_ entries: [ChartLegendEntry], x: Double, y: Double, width: Double, patternID: String? = nil) -> (String, Double) {
        guard !entries.isEmpty else { return ("", 0) }
        let rowHeight = 18.0
        let sampleWidth = 30.0
        var out = "<g class=\"legend\">"
        var cx = x
        var row = 0
        for (i, entry) in entries.enumerated() {
            let text = fit(entry.label, maxWidth: width - sampleWidth - 8)
            let entryWidth = sampleWidth + 6 + Double(text.count) * charWidth + 18
            if cx > x && cx + entryWidth > x + width {
                row += 1
                cx = x
            }
            let cy = y + Double(row) * rowHeight + rowHeight / 2
            out += "<g class=\"legend-entry\(entry.isReference ? " reference" : "")\"><title>\(HTMLFormat.escape(entry.label))</title>"
            switch entry.kind {
            case .line:
                out += "<line x1=\"\(c(cx))\" y1=\"\(c(cy))\" x2=\"\(c(cx + sampleWidth))\" y2=\"\(c(cy))\" "
                    + strokeAttributes(entry.style) + "/>"
                if let shape = entry.style.marker {
                    out += marker(shape, x: cx + sampleWidth / 2, y: cy, color: entry.style.color, size: 3.5)
                }
            case .swatch where entry.isReference:
                out += "<line x1=\"\(c(cx))\" y1=\"\(c(cy))\" x2=\"\(c(cx + sampleWidth))\" y2=\"\(c(cy))\" "
                    + strokeAttributes(entry.style) + "/>"
            case .swatch:
                let fill = patternID.map { "url(#\($0)-p\(i))" } ?? entry.style.color
                out += "<rect x=\"\(c(cx + 4))\" y=\"\(c(cy - 6))\" width=\"22\" height=\"12\" fill=\"\(fill)\" stroke=\"\(entry.style.color)\"/>"
            }
            out += self.text(text, x: cx + sampleWidth + 6, y: cy + 4) + "</g>"
            cx += entryWidth
        }
        out += "</g>"
        return (out, Double(row + 1) * rowHeight)
    }

    /// The height `legend` will use, for sizing the SVG before drawing.
    static func legendHeight(_ entries: [ChartLegendEntry], width: Double) -> Double {
        guard !entries.isEmpty else { return 0 }
        let sampleWidth = 30.0
        var cx = 0.0
        var rows = 1
        for entry in entries {
            let text = fit(entry.label, maxWidth: width - sampleWidth - 8)
            let entryWidth = sampleWidth + 6 + Double(text.count) * charWidth + 18
            if cx > 0 && cx + entryWidth > width {
                rows += 1
                cx = 0
            }
            cx += entryWidth
        }
        return Double(rows) * 18
    }
}

/// A data series of a line chart.
struct ChartLineSeries {
    var label: String
    var points: [(x: Double, y: Double)]
    var style: ChartSeriesStyle
    /// Draw as a right-continuous step function (Kaplan–Meier).
    var step: Bool = false
    /// Where to draw markers (data units); defaults to none.
    var markers: [(x: Double, y: Double)] = []
}

/// A line chart with axes, grid, optional reference lines and a legend below the plot.
struct SVGLineChart {
    var id: String
    var title: String
    var width: Double = 560
    var plotHeight: Double = 340
    var x: ChartAxis
    var y: ChartAxis
    var series: [ChartLineSeries]
    /// Grey dotted lines (diagonal, identity), each with an optional label drawn near its end.
    var references: [(points: [(x: Double, y: Double)], label: String)] = []
    /// Legend entries; defaults to one per series.
    var legend: [ChartLegendEntry]? = nil
    /// Extra text drawn in the top-left corner of the plot (e.g. "no data").
    var note: String? = nil

    let marginLeft = 62.0
    let marginRight = 18.0
    let marginTop = 14.0
    let axisSpace = 48.0

    func render() -> String {
        let plotWidth = width - marginLeft - marginRight
        let entries = (legend ?? series.map { series in
            var style = series.style
            if series.markers.isEmpty { style.marker = nil }
            return ChartLegendEntry(label: series.points.isEmpty ? series.label + " (no data)" : series.label, style: style)
        }) + references.filter { !$0.label.isEmpty }.map { ChartLegendEntry.reference($0.label) }
        let legendHeight = SVGMarkup.legendHeight(entries, width: width - marginLeft)
        let height = marginTop + plotHeight + axisSpace + legendHeight + 8
        let px = { (v: Double) -> Double in
            marginLeft + (x.max > x.min ? (v - x.min) / (x.max - x.min) : 0.5) * plotWidth
        }
        let py = { (v: Double) -> Double in
            marginTop + plotHeight - (y.max > y.min ? (v - y.min) / (y.max - y.min) : 0.5) * plotHeight
        }
        let clampX = { (v: Double) -> Double in Swift.min(x.max, Swift.max(x.min, v)) }
        let clampY = { (v: Double) -> Double in Swift.min(y.max, Swift.max(y.min, v)) }

        var out = SVGMarkup.open(width: width, height: height, label: title, cssClass: "line-chart", id: id)
        out += frame(px: px, py: py, plotWidth: plotWidth)

        // Clip data to the plot area.
        out += "<clipPath id=\"\(HTMLFormat.escape(id))-clip\"><rect x=\"\(SVGMarkup.c(marginLeft - 3))\" y=\"\(SVGMarkup.c(marginTop - 3))\" "
            + "width=\"\(SVGMarkup.c(plotWidth + 6))\" height=\"\(SVGMarkup.c(plotHeight + 6))\"/></clipPath>"
        out += "<g clip-path=\"url(#\(HTMLFormat.escape(id))-clip)\" fill=\"none\">"
        for reference in references {
            let points = reference.points.filter { $0.x.isFinite && $0.y.isFinite }
                .map { "\(SVGMarkup.c(px(clampX($0.x)))),\(SVGMarkup.c(py(clampY($0.y))))" }
            out += "<polyline class=\"ref\" points=\"\(points.joined(separator: " "))\" stroke=\"\(ChartPalette.referenceColor)\" "
                + "stroke-width=\"1.2\" stroke-dasharray=\"\(ChartPalette.referenceDash)\"/>"
        }
        for series in self.series {
            var points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            if series.step { points = SVGLineChart.stepped(points) }
            let encoded = points.map { "\(SVGMarkup.c(px(clampX($0.x)))),\(SVGMarkup.c(py(clampY($0.y))))" }
            out += "<polyline class=\"series\" data-series=\"\(HTMLFormat.escape(series.label))\" points=\"\(encoded.joined(separator: " "))\" "
                + SVGMarkup.strokeAttributes(series.style) + " stroke-linejoin=\"round\"><title>\(HTMLFormat.escape(series.label))</title></polyline>"
        }
        out += "</g>"
        for series in self.series where !series.markers.isEmpty {
            guard let shape = series.style.marker else { continue }
            out += "<g class=\"markers\">"
            for point in series.markers where point.x.isFinite && point.y.isFinite
                && point.x >= x.min && point.x <= x.max && point.y >= y.min && point.y <= y.max {
                out += SVGMarkup.marker(shape, x: px(point.x), y: py(point.y), color: series.style.color)
            }
            out += "</g>"
        }
        if let note {
            out += SVGMarkup.text(note, x: marginLeft + 10, y: marginTop + 20, size: 12, fill: "#666")
        }
        let (legendMarkup, _) = SVGMarkup.legend(entries, x: marginLeft, y: marginTop + plotHeight + axisSpace, width: width - marginLeft)
        out += legendMarkup
        out += "</svg>"
        return out
    }

    /// Axes, grid lines, ticks and axis titles.
    private func frame(px: (Double) -> Double, py: (Double) -> Double, plotWidth: Double) -> String {
        var out = "<g class=\"axes\">"
        out += "<rect x=\"\(SVGMarkup.c(marginLeft))\" y=\"\(SVGMarkup.c(marginTop))\" width=\"\(SVGMarkup.c(plotWidth))\" height=\"\(SVGMarkup.c(plotHeight))\" fill=\"#fff\" stroke=\"none\"/>"
        for tick in x.ticks where tick.value >= x.min - 1e-12 && tick.value <= x.max + 1e-12 {
            let tx = px(tick.value)
            out += "<line x1=\"\(SVGMarkup.c(tx))\" y1=\"\(SVGMarkup.c(marginTop))\" x2=\"\(SVGMarkup.c(tx))\" y2=\"\(SVGMarkup.c(marginTop + plotHeight))\" stroke=\"#e3e3e3\" stroke-width=\"1\"/>"
            out += "<line x1=\"\(SVGMarkup.c(tx))\" y1=\"\(SVGMarkup.c(marginTop + plotHeight))\" x2=\"\(SVGMarkup.c(tx))\" y2=\"\(SVGMarkup.c(marginTop + plotHeight + 5))\" stroke=\"#444\"/>"
            out += SVGMarkup.text(tick.label, x: tx, y: marginTop + plotHeight + 18, anchor: "middle", size: 11, fill: "#333")
        }
        for tick in y.ticks where tick.value >= y.min - 1e-12 && tick.value <= y.max + 1e-12 {
            let ty = py(tick.value)
            out += "<line x1=\"\(SVGMarkup.c(marginLeft))\" y1=\"\(SVGMarkup.c(ty))\" x2=\"\(SVGMarkup.c(marginLeft + plotWidth))\" y2=\"\(SVGMarkup.c(ty))\" stroke=\"#e3e3e3\" stroke-width=\"1\"/>"
            out += "<line x1=\"\(SVGMarkup.c(marginLeft - 5))\" y1=\"\(SVGMarkup.c(ty))\" x2=\"\(SVGMarkup.c(marginLeft))\" y2=\"\(SVGMarkup.c(ty))\" stroke=\"#444\"/>"
            out += SVGMarkup.text(tick.label, x: marginLeft - 8, y: ty + 4, anchor: "end", size: 11, fill: "#333")
        }
        out += "<path d=\"M\(SVGMarkup.c(marginLeft)) \(SVGMarkup.c(marginTop))V\(SVGMarkup.c(marginTop + plotHeight))H\(SVGMarkup.c(marginLeft + plotWidth))\" stroke=\"#444\" fill=\"none\"/>"
        out += SVGMarkup.text(x.title, x: marginLeft + plotWidth / 2, y: marginTop + plotHeight + 36, anchor: "middle", size: 12, fill: "#222")
        let yMid = marginTop + plotHeight / 2
        out += SVGMarkup.text(y.title, x: 16, y: yMid, anchor: "middle", size: 12, fill: "#222",
                        extra: "transform=\"rotate(-90 16 \(SVGMarkup.c(yMid)))\"")
        out += "</g>"
        return out
    }

    /// A right-continuous step function through `points` (sorted by x).
    static func stepped(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        guard var previous = points.first else { return [] }
        var out = [previous]
        for point in points.dropFirst() {
            if point.y != previous.y { out.append((point.x, previous.y)) }
            out.append(point)
            previous = point
        }
        return out
    }

    /// The value of a right-continuous step function at `t` (the last point with x ≤ t).
    static func stepValue(_ points: [(x: Double, y: Double)], at t: Double) -> Double? {
        var value: Double? = nil
        for point in points {
            if point.x <= t { value = point.y } else { break }
        }
        return value
    }
}

/// A grouped bar chart: categories on the x axis, one bar per series in each group.
struct SVGBarChart {
    var id: String
    var title: String
    var width: Double = 560
    var plotHeight: Double = 260
    var categories: [String]
    var series: [(label: String, values: [Double?], style: ChartSeriesStyle)]
    var y: ChartAxis
    var valueLabel: (Double) -> String
    /// A horizontal reference line (e.g. lift = 1) and its label.
    var reference: (value: Double, label: String)? = nil

    let marginLeft = 62.0
    let marginRight = 18.0
    let marginTop = 20.0
    let axisSpace = 48.0

    func render() -> String {
        let plotWidth = width - marginLeft - marginRight
        let entries = series.map { ChartLegendEntry(label: $0.label, style: $0.style, kind: .swatch) }
            + (reference.map { [ChartLegendEntry(label: $0.label, style: ChartLegendEntry.reference($0.label).style, kind: .swatch,
                                                  isReference: true)] } ?? [])
        let legendHeight = SVGMarkup.legendHeight(entries, width: width - marginLeft)
        let height = marginTop + plotHeight + axisSpace + legendHeight + 8
        let py = { (v: Double) -> Double in
            marginTop + plotHeight - (y.max > y.min ? (Swift.min(y.max, Swift.max(y.min, v)) - y.min) / (y.max - y.min) : 0) * plotHeight
        }
        let groupWidth = plotWidth / Double(max(1, categories.count))
        let innerWidth = groupWidth * 0.78
        let barWidth = innerWidth / Double(max(1, series.count))
        // Value labels: 11px when they fit over the bar, else 9.5px, else none (too many bars).
        let longest = series.flatMap(\.values).compactMap { $0 }.filter(\.isFinite).map { valueLabel($0).count }.max() ?? 0
        let valueFontSize: Double? = Double(longest) * 6.4 <= barWidth ? 11 : (Double(longest) * 5.5 <= barWidth + 4 ? 9.5 : nil)

        var out = SVGMarkup.open(width: width, height: height, label: title, cssClass: "bar-chart", id: id)
        out += SVGMarkup.patternDefs(id: HTMLFormat.escape(id), styles: series.map(\.style))
        out += "<g class=\"axes\">"
        for tick in y.ticks where tick.value >= y.min - 1e-12 && tick.value <= y.max + 1e-12 {
            let ty = py(tick.value)
            out += "<line x1=\"\(SVGMarkup.c(marginLeft))\" y1=\"\(SVGMarkup.c(ty))\" x2=\"\(SVGMarkup.c(marginLeft + plotWidth))\" y2=\"\(SVGMarkup.c(ty))\" stroke=\"#e3e3e3\"/>"
            out += "<line x1=\"\(SVGMarkup.c(marginLeft - 5))\" y1=\"\(SVGMarkup.c(ty))\" x2=\"\(SVGMarkup.c(marginLeft))\" y2=\"\(SVGMarkup.c(ty))\" stroke=\"#444\"/>"
            out += SVGMarkup.text(tick.label, x: marginLeft - 8, y: ty + 4, anchor: "end", size: 11, fill: "#333")
        }
        for (i, category) in categories.enumerated() {
            let cx = marginLeft + groupWidth * (Double(i) + 0.5)
            out += SVGMarkup.text(SVGMarkup.fit(category, maxWidth: groupWidth - 4), x: cx, y: marginTop + plotHeight + 18, anchor: "middle",
                            size: 11.5, fill: "#222")
        }
        out += "<path d=\"M\(SVGMarkup.c(marginLeft)) \(SVGMarkup.c(marginTop))V\(SVGMarkup.c(marginTop + plotHeight))H\(SVGMarkup.c(marginLeft + plotWidth))\" stroke=\"#444\" fill=\"none\"/>"
        let yMid = marginTop + plotHeight / 2
        out += SVGMarkup.text(y.title, x: 16, y: yMid, anchor: "middle", size: 12, extra: "transform=\"rotate(-90 16 \(SVGMarkup.c(yMid)))\"")
        out += "</g>"

        for (s, series) in series.enumerated() {
            out += "<g class=\"series\" data-series=\"\(HTMLFormat.escape(series.label))\"><title>\(HTMLFormat.escape(series.label))</title>"
            for (i, value) in series.values.enumerated() where i < categories.count {
                let x0 = marginLeft + groupWidth * Double(i) + (groupWidth - innerWidth) / 2 + barWidth * Double(s)
                let bx = x0 + 1.5
                let bw = max(1, barWidth - 3)
                guard let value, value.isFinite else {
                    out += SVGMarkup.text("n/a", x: bx + bw / 2, y: marginTop + plotHeight - 6, anchor: "middle", size: valueFontSize ?? 9,
                                          fill: "#666")
                    continue
                }
                let top = py(value)
                let base = py(Swift.max(y.min, Swift.min(y.max, 0)))
                out += "<rect x=\"\(SVGMarkup.c(bx))\" y=\"\(SVGMarkup.c(Swift.min(top, base)))\" width=\"\(SVGMarkup.c(bw))\" height=\"\(SVGMarkup.c(abs(base - top)))\" "
                    + "fill=\"url(#\(HTMLFormat.escape(id))-p\(s))\" stroke=\"\(series.style.color)\" stroke-width=\"1.2\"/>"
                if let valueFontSize {
                    out += SVGMarkup.text(valueLabel(value), x: bx + bw / 2, y: Swift.min(top, base) - 4, anchor: "middle", size: valueFontSize,
                                          fill: "#222")
                }
            }
            out += "</g>"
        }
        if let reference, reference.value >= y.min, reference.value <= y.max {
            let ry = py(reference.value)
            out += "<line class=\"ref\" x1=\"\(SVGMarkup.c(marginLeft))\" y1=\"\(SVGMarkup.c(ry))\" x2=\"\(SVGMarkup.c(marginLeft + plotWidth))\" y2=\"\(SVGMarkup.c(ry))\" "
                + "stroke=\"\(ChartPalette.referenceColor)\" stroke-width=\"1.2\" stroke-dasharray=\"\(ChartPalette.referenceDash)\"/>"
        }
        let (legendMarkup, _) = SVGMarkup.legend(entries, x: marginLeft, y: marginTop + plotHeight + axisSpace - 14, width: width - marginLeft,
                                           patternID: HTMLFormat.escape(id))
        out += legendMarkup
        out += "</svg>"
        return out
    }
}
