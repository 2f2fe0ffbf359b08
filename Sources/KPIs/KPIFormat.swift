import CivilTime
import Foundation
import StableJSON
import Tabular

/// The KPI table as JSON (keys of the contract, sorted, byte-stable), CSV (one row per period and group) and
/// aligned text.
public enum KPIFormat {
    // MARK: JSON

    struct JSONRow: Encodable {
        var periodStart: String
        var periodEnd: String
        var days: Int
        var group: String
        var kpis: [String: Double?]
        var counts: [String: Double]
        var nullReasons: [String: String]

        enum CodingKeys: String, CodingKey { case periodStart, periodEnd, days, group, kpis, counts, nullReasons }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(periodStart, forKey: .periodStart)
            try container.encode(periodEnd, forKey: .periodEnd)
            try container.encode(days, forKey: .days)
            try container.encode(group, forKey: .group)
            try container.encode(NullableValues(values: kpis), forKey: .kpis)
            try container.encode(RawKeys(values: counts), forKey: .counts)
            try container.encode(RawKeys(values: nullReasons), forKey: .nullReasons)
        }
    }

    /// A dictionary whose keys are written as given (already snake_case) and whose nil values are written `null`.
    struct NullableValues: Encodable {
        var values: [String: Double?]
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: RawKey.self)
            for (key, value) in values {
                if let value { try container.encode(value, forKey: RawKey(key)) } else { try container.encodeNil(forKey: RawKey(key)) }
            }
        }
    }

    struct RawKeys<Value: Encodable>: Encodable {
        var values: [String: Value]
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: RawKey.self)
            for (key, value) in values { try container.encode(value, forKey: RawKey(key)) }
        }
    }

    struct RawKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ key: String) { stringValue = key }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct JSONTable: Encodable {
        var from: String
        var to: String
        var period: String
        var by: String
        var graceDays: Int
        var paymentWindowDays: Int
        var groups: [String]
        var rows: [JSONRow]
    }

    /// JSON with sorted keys: `{from, to, period, by, grace_days, payment_window_days, groups, rows: [{period_start,
    /// period_end, days, group, kpis: {<KPI>: value or null}, counts: {...}, null_reasons: {<KPI>: reason}}]}`.
    public static func json(_ table: KPITable) throws -> Data {
        let document = JSONTable(
            from: CivilDate.format(table.from), to: CivilDate.format(table.to), period: table.period.rawValue,
            by: table.grouping.rawValue, graceDays: table.options.graceDays,
            paymentWindowDays: table.options.paymentWindowDays, groups: table.groups,
            rows: table.rows.map { jsonRow($0) })
        var data = try StableJSON.encoder().encode(document)
        data.append(0x0A)
        return data
    }

    static func jsonRow(_ row: KPIRow) -> JSONRow {
        JSONRow(periodStart: CivilDate.format(row.periodStart), periodEnd: CivilDate.format(row.periodEnd), days: row.days,
                group: row.group, kpis: row.values, counts: row.counts, nullReasons: row.nullReasons)
    }

    /// One KPI row (the manifest block) as a JSON object.
    public static func json(_ row: KPIRow) throws -> Data {
        try StableJSON.encoder().encode(jsonRow(row))
    }

    // MARK: CSV

    /// One row per period and group: the period, the group, every KPI (empty when undefined), every count and
    /// the reasons for the empty KPIs (`kpi: reason; …`).
    public static func csv(_ table: KPITable) -> Data {
        var writer = CSVWriter(header: ["period_start", "period_end", "days", "group"] + KPIName.all + KPIName.counts + ["null_reasons"])
        for row in table.rows {
            writer.appendCell(CivilDate.format(row.periodStart))
            writer.appendCell(CivilDate.format(row.periodEnd))
            writer.appendCell(row.days)
            writer.appendCell(row.group)
            for name in KPIName.all {
                if let value = row.value(name) { writer.appendCell(value) } else { writer.appendCell("") }
            }
            for name in KPIName.counts { writer.appendCell(row.counts[name] ?? .nan) }
            writer.appendCell(KPIName.all.compactMap { name in row.nullReasons[name].map { "\(name): \($0)" } }.joined(separator: "; "))
            writer.endRow()
        }
        return writer.data
    }

    // MARK: Text

    /// Label of a period: `2026-08` for a calendar month, the first day otherwise (with `…end` when partial).
    public static func periodLabel(_ row: KPIRow, _ period: KPIPeriod) -> String {
        let (year, month, day) = CivilDate.components(row.periodStart)
        if period == .month && day == 1 && row.periodEnd == CivilDate.addingMonths(1, to: row.periodStart) {
            return "\(year)-\(CivilDate.zeroPadded(month, 2))"
        }
        if period == .day { return CivilDate.format(row.periodStart) }
        return "\(CivilDate.format(row.periodStart))..\(CivilDate.format(row.periodEnd - 1))"
    }

    static func number(_ value: Double?, _ digits: Int) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.\(digits)f", value)
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.1f%%", value * 100)
    }

    static func count(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(format: "%.0f", value)
    }

    static func aligned(_ header: [String], _ rows: [[String]], leftColumns: Int) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i < leftColumns ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// Aligned text: the headline KPIs with their counts, the roll-rate matrix of each period and group, and the
    /// reasons for every n/a.
    public static func text(_ table: KPITable) -> String {
        var out = "collection KPIs \(CivilDate.format(table.from)) .. \(CivilDate.format(table.to)) (exclusive), "
            + "per \(table.period.rawValue)\(table.grouping == .all ? "" : " by \(table.grouping.rawValue)"), "
            + "grace \(table.options.graceDays) days\n\n"
        let header = ["period", "group", "dso", "best_dso", "add", "cei%", "rpc", "attempts", "contacts", "promise",
                      "promises", "kept", "resolved", "call→pay", "dpd@res", "invoices"]
        let rows = table.rows.map { row -> [String] in
            [periodLabel(row, table.period), row.group,
             number(row.value("dso"), 1), number(row.value("best_possible_dso"), 1), number(row.value("add"), 1),
             number(row.value("cei"), 1), percent(row.value("rpc_rate")), count(row.counts["call_attempts"]),
             count(row.counts["right_party_contacts"]), percent(row.value("promise_rate")), count(row.counts["promises"]),
             percent(row.value("promise_kept_rate")), count(row.counts["resolved_promises"]),
             percent(row.value("call_to_payment_rate")), number(row.value("days_past_due_at_resolution"), 1),
             count(row.counts["invoices_resolved"])]
        }
        out += aligned(header, rows, leftColumns: 2)
        out += "\nroll rates (share of the balance in the row's bucket on a month's first day, by bucket on the next month's first day)\n\n"
        let rollHeader = ["period", "group", "from"] + AgingBucket.allCases.map(\.name) + ["paid/closed", "base"]
        var rollRows: [[String]] = []
        for row in table.rows {
            for from in AgingBucket.allCases {
                let rates = AgingBucket.allCases.map { row.value(KPIName.rollRate(from: from, to: $0)) }
                let closed: Double? = rates.contains { $0 == nil } ? nil : 1 - rates.reduce(0) { $0 + ($1 ?? 0) }
                rollRows.append([periodLabel(row, table.period), row.group, from.name] + rates.map(percent)
                                + [percent(closed), String(format: "%.2f", row.counts["roll_base_\(from.name)"] ?? 0)])
            }
        }
        out += aligned(rollHeader, rollRows, leftColumns: 3)
        var notes: [String] = []
        for row in table.rows {
            let headline = KPIName.headline.compactMap { name in row.nullReasons[name].map { (name, $0) } }
            for (name, reason) in headline { notes.append("\(periodLabel(row, table.period)) \(row.group): \(name) n/a: \(reason)") }
            let rolls = Set(KPIName.rollRates.compactMap { row.nullReasons[$0] })
            for reason in rolls.sorted() { notes.append("\(periodLabel(row, table.period)) \(row.group): roll rates n/a: \(reason)") }
        }
        if !notes.isEmpty { out += "\n" + notes.joined(separator: "\n") + "\n" }
        return out
    }
}
