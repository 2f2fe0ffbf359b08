import Foundation

/// A heat map of rates (rows × columns) with counts in the cells and a colour-scale legend.
struct SVGHeatMap {
    var id: String
    var title: String
    var rowLabels: [String]
    var columnLabels: [String]
    /// `rates[row][column]`, nil where there is no data.
    var rates: [[Double?]]
    var counts: [[Int]]
    var rowAxisTitle: String
    var columnAxisTitle: String
    var scaleTitle: String
    /// Second line of each cell (defaults to "n = count").
    var cellNotes: [[String]]? = nil
    /// What an empty cell means, in the colour-scale legend.
    var emptyLabel = "no attempts"

    let cellWidth = 96.0
    let cellHeight = 50.0
    let marginLeft = 92.0
    let marginTop = 46.0

    /// Light yellow → green → blue (ColorBrewer YlGnBu, stopping short of the darkest blues so it prints).
    static let stops: [(r: Double, g: Double, b: Double)] = [
        (255, 255, 217), (199, 233, 180), (127, 205, 187), (65, 182, 196), (44, 127, 184), (37, 52, 148),
    ]

    static func color(_ t: Double) -> (r: Double, g: Double, b: Double) {
        let u = min(1, max(0, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(u.rounded(.down)))
        let f = u - Double(i)
        let a = stops[i]
        let b = stops[i + 1]
        return (a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f)
    }

    static func hex(_ rgb: (r: Double, g: Double, b: Double)) -> String {
        func h(_ v: Double) -> String {
            let n = Int(min(255, max(0, v.rounded())))
            let digits = Array("0123456789ABCDEF")
            return String([digits[n / 16], digits[n % 16]])
        }
        return "#" + h(rgb.r) + h(rgb.g) + h(rgb.b)
    }

    /// Relative luminance, to choose black or white cell text.
    static func luminance(_ rgb: (r: Double, g: Double, b: Double)) -> Double {
        func channel(_ v: Double) -> Double {
            let c = v / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(rgb.r) + 0.7152 * channel(rgb.g) + 0.0722 * channel(rgb.b)
    }

    /// Size of the grid of cells.
    /// The second line of cell (row, column) when `cellNotes` gives one.
    func note(_ row: Int, _ column: Int) -> String? {
        guard let cellNotes, row < cellNotes.count, column < cellNotes[row].count else { return nil }
        return cellNotes[row][column]
    }

    var gridWidth: Double { cellWidth * Double(columnLabels.count) }
    var gridHeight: Double { cellHeight * Double(rowLabels.count) }
    /// Top of the colour-scale legend, below the grid.
    var scaleTop: Double { marginTop + gridHeight + 40 }

    /// The whole chart: definitions, headers, the grid of cells and the colour-scale legend.
    func render() -> String {
        let range = rateRange()
        let width = max(marginLeft + gridWidth + 20, 420)
        var out = SVGMarkup.open(width: width, height: scaleTop + 58, label: title, cssClass: "heat-map", id: id)
        out += definitions()
        out += headers()
        out += cells(range)
        out += legend(range)
        out += "</svg>"
        return out
    }

    /// The colour scale's ends: the lowest and highest finite rate, widened to at least 0.1 when they (nearly) agree.
    func rateRange() -> (low: Double, high: Double) {
        let values = rates.flatMap { $0 }.compactMap { $0 }.filter(\.isFinite)
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if high - low < 1e-9 {
            low = max(0, low - 0.05)
            high = min(1, high + 0.05)
            if high <= low { high = low + 0.1 }
        }
        return (low, high)
    }

    /// `<defs>`: the hatch pattern of empty cells and the colour-scale gradient.
    func definitions() -> String {
        var out = "<defs><pattern id=\"\(HTMLFormat.escape(id))-none\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"8\" height=\"8\" fill=\"#f4f4f4\"/><rect width=\"1.2\" height=\"8\" fill=\"#d8d8d8\"/></pattern>"
        out += "<linearGradient id=\"\(HTMLFormat.escape(id))-scale\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">"
        for (i, stop) in SVGHeatMap.stops.enumerated() {
            let offset = Double(i) / Double(SVGHeatMap.stops.count - 1)
            out += "<stop offset=\"\(HTMLFormat.fixed(offset, 3))\" stop-color=\"\(SVGHeatMap.hex(stop))\"/>"
        }
        out += "</linearGradient></defs>"
        return out
    }

    /// The axis titles and the column and row labels.
    func headers() -> String {
        var out = SVGMarkup.text(columnAxisTitle, x: marginLeft + gridWidth / 2, y: 14, anchor: "middle", size: 12, weight: "600")
        for (j, label) in columnLabels.enumerated() {
            out += SVGMarkup.text(label, x: marginLeft + cellWidth * (Double(j) + 0.5), y: marginTop - 10, anchor: "middle", size: 12)
        }
        for (i, label) in rowLabels.enumerated() {
            out += SVGMarkup.text(label, x: marginLeft - 10, y: marginTop + cellHeight * (Double(i) + 0.5) + 4, anchor: "end", size: 12)
        }
        let yMid = marginTop + gridHeight / 2
        out += SVGMarkup.text(rowAxisTitle, x: 16, y: yMid, anchor: "middle", size: 12, weight: "600",
                        extra: "transform=\"rotate(-90 16 \(SVGMarkup.c(yMid)))\"")
        return out
    }

    /// Every cell of the grid, row by row.
    func cells(_ range: (low: Double, high: Double)) -> String {
        var out = ""
        for i in 0..<rowLabels.count {
            for j in 0..<columnLabels.count {
                out += cell(row: i, column: j, range)
            }
        }
        return out
    }

    /// One cell: coloured by its rate with the rate and count in it, or hatched with "–" where there is no rate.
    func cell(row i: Int, column j: Int, _ range: (low: Double, high: Double)) -> String {
        let rate: Double? = i < rates.count && j < rates[i].count ? rates[i][j] : nil
        let count: Int? = i < counts.count && j < counts[i].count ? counts[i][j] : nil
        let x = marginLeft + cellWidth * Double(j)
        let y = marginTop + cellHeight * Double(i)
        let cx = x + cellWidth / 2
        let box = "x=\"\(SVGMarkup.c(x))\" y=\"\(SVGMarkup.c(y))\" width=\"\(SVGMarkup.c(cellWidth))\" height=\"\(SVGMarkup.c(cellHeight))\" "
        guard let rate, rate.isFinite else {
            return "<g class=\"cell empty\"><rect " + box + "fill=\"url(#\(HTMLFormat.escape(id))-none)\" stroke=\"#fff\" stroke-width=\"2\"/>"
                + SVGMarkup.text(HTMLFormat.missing, x: cx, y: y + 22, anchor: "middle", size: 13, fill: "#555")
                + SVGMarkup.text(note(i, j) ?? ("n = " + (count.map(HTMLFormat.integer) ?? "0")), x: cx, y: y + 39, anchor: "middle", size: 10.5, fill: "#555")
                + "</g>"
        }
        let rgb = SVGHeatMap.color((rate - range.low) / (range.high - range.low))
        let textColor = SVGHeatMap.luminance(rgb) < 0.3 ? "#fff" : "#111"
        return "<g class=\"cell\"><rect " + box + "fill=\"\(SVGHeatMap.hex(rgb))\" stroke=\"#fff\" stroke-width=\"2\"/>"
            + SVGMarkup.text(HTMLFormat.percent(rate), x: cx, y: y + 22, anchor: "middle", size: 13, weight: "600", fill: textColor)
            + SVGMarkup.text(note(i, j) ?? ("n = " + (count.map(HTMLFormat.integer) ?? HTMLFormat.missing)), x: cx, y: y + 39, anchor: "middle",
                             size: 10.5, fill: textColor)
            + "</g>"
    }

    /// The colour-scale legend under the grid: the gradient with five rate ticks, and the "no attempts" swatch.
    func legend(_ range: (low: Double, high: Double)) -> String {
        let (low, high) = range
        let scaleWidth = min(260, max(160, gridWidth * 0.55))
        let scaleX = marginLeft
        var out = "<g class=\"legend color-scale\">"
        out += SVGMarkup.text(scaleTitle, x: scaleX, y: scaleTop - 8, size: 11.5, fill: "#222")
        out += "<rect x=\"\(SVGMarkup.c(scaleX))\" y=\"\(SVGMarkup.c(scaleTop))\" width=\"\(SVGMarkup.c(scaleWidth))\" height=\"12\" fill=\"url(#\(HTMLFormat.escape(id))-scale)\" stroke=\"#999\" stroke-width=\"0.6\"/>"
        for k in 0...4 {
            let t = Double(k) / 4
            let tx = scaleX + scaleWidth * t
            out += "<line x1=\"\(SVGMarkup.c(tx))\" y1=\"\(SVGMarkup.c(scaleTop + 12))\" x2=\"\(SVGMarkup.c(tx))\" y2=\"\(SVGMarkup.c(scaleTop + 16))\" stroke=\"#444\"/>"
            out += SVGMarkup.text(HTMLFormat.percent(low + (high - low) * t), x: tx, y: scaleTop + 28, anchor: "middle", size: 10.5, fill: "#333")
        }
        let noneX = scaleX + scaleWidth + 40
        out += "<rect x=\"\(SVGMarkup.c(noneX))\" y=\"\(SVGMarkup.c(scaleTop))\" width=\"22\" height=\"12\" fill=\"url(#\(HTMLFormat.escape(id))-none)\" stroke=\"#999\" stroke-width=\"0.6\"/>"
        out += SVGMarkup.text("– " + emptyLabel, x: noneX + 28, y: scaleTop + 10, size: 11, fill: "#333")
        out += "</g>"
        return out
    }
}
