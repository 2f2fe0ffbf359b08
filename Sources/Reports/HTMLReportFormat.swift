import Foundation

/// Escaping and locale-independent number formatting for the HTML report.
///
/// Everything here is deterministic: no locale, no clock, no dictionary order.
enum HTMLFormat {
    /// Escapes text for HTML element content and (double- or single-quoted) attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab/newline are not allowed in HTML text.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Placeholder for a missing or non-finite value.
    static let missing = "–"

    /// `value` with exactly `digits` decimals ("0.742"); "–" when not finite. Never prints "-0.000".
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return missing }
        var text = String(format: "%.\(max(0, digits))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text
    }

    static func fixed(_ value: Double?, _ digits: Int) -> String {
        guard let value else { return missing }
        return fixed(value, digits)
    }

    /// A signed difference: "+0.012", "-0.004", "0.000".
    static func signed(_ value: Double, _ digits: Int) -> String {
        let text = fixed(value, digits)
        guard value.isFinite, !text.hasPrefix("-"), text.contains(where: { $0 != "0" && $0 != "." }) else { return text }
        return "+" + text
    }

    /// AUC-like values: 3 decimals.
    static func auc(_ value: Double?) -> String { fixed(value, 3) }

    /// A probability or rate as a percentage: 0.1234 → "12.3%".
    static func percent(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return missing }
        return fixed(value * 100, digits) + "%"
    }

    /// Groups the digits of a non-negative integer string with commas: "1234567" → "1,234,567".
    private static func groupThousands(_ digits: Substring) -> String {
        var out = ""
        let count = digits.count
        for (i, character) in digits.enumerated() {
            if i > 0 && (count - i) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    /// An integer with thousands separators: 12345 → "12,345".
    static func integer(_ value: Int) -> String {
        let magnitude = String(value.magnitude)
        return (value < 0 ? "-" : "") + groupThousands(Substring(magnitude))
    }

    /// Any binary integer (or a Double holding a count) with thousands separators.
    static func count<T: BinaryInteger>(_ value: T) -> String { integer(Int(value)) }
    static func count(_ value: Double) -> String {
        guard value.isFinite else { return missing }
        return value == value.rounded() && abs(value) < 1e15 ? integer(Int(value)) : number(value, digits: 1)
    }

    /// A number with thousands separators and `digits` decimals: 1234567.891 → "1,234,567.89".
    static func number(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return missing }
        let text = fixed(abs(value), digits)
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var out = groupThousands(parts[0])
        if parts.count > 1 { out += "." + parts[1] }
        let isZero = !text.contains(where: { $0 != "0" && $0 != "." })
        return (value < 0 && !isZero ? "-" : "") + out
    }

    /// Money in the invoice currency, whole units with thousands separators: "1,234,568".
    static func money(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return number(value, digits: abs(value) < 100 && value != value.rounded() ? 2 : 0)
    }

    /// Compact money for axis ticks: 950, 12k, 1.5M, 2B.
    static func compactMoney(_ value: Double) -> String {
        guard value.isFinite else { return missing }
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        func trimmed(_ x: Double) -> String {
            var text = fixed(x, 1)
            if text.hasSuffix(".0") { text.removeLast(2) }
            return text
        }
        if magnitude >= 1e9 { return sign + trimmed(magnitude / 1e9) + "B" }
        if magnitude >= 1e6 { return sign + trimmed(magnitude / 1e6) + "M" }
        if magnitude >= 1e3 { return sign + trimmed(magnitude / 1e3) + "k" }
        return sign + trimmed(magnitude)
    }

    /// A p-value: "p = 0.003", "p < 0.001".
    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "p = " + missing }
        if p < 0.001 { return "p < 0.001" }
        return "p = " + fixed(p, 3)
    }

    /// A p-value for a table cell: "0.003", "< 0.001".
    static func pValueBare(_ p: Double) -> String {
        guard p.isFinite else { return missing }
        return p < 0.001 ? "< 0.001" : fixed(p, 3)
    }

    /// An AUC difference: 3 decimals, 4 when smaller than 0.001 so it does not read as zero.
    static func aucDifference(_ value: Double) -> String {
        let digits = value.isFinite && abs(value) < 0.001 && value != 0 ? 4 : 3
        return fixed(value, digits)
    }

    /// The first 12 characters of a fingerprint.
    static func shortFingerprint(_ fingerprint: String) -> String {
        fingerprint.count > 12 ? String(fingerprint.prefix(12)) + "…" : fingerprint
    }

    /// An SVG coordinate: 1 decimal, no "-0.0".
    static func coordinate(_ value: Double) -> String { fixed(value, 1) }
}
