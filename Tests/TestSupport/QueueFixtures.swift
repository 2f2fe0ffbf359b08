import Foundation
import Testing

// Hand-built exports, CSV reading and calendar arithmetic shared by the queue tests (ScoringTests and the
// `arscore score` tests in ArscoreCLITests); independent of the code under test.

public enum Days {
    public static func number(_ text: String) -> Int {
        let parts = text.split(separator: "-").map { Int($0)! }
        return number(year: parts[0], month: parts[1], day: parts[2])
    }

    public static func number(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    public static func civil(_ n: Int) -> (year: Int, month: Int, day: Int) {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func text(_ n: Int) -> String {
        let c = civil(n)
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    /// 0 = Monday … 6 = Sunday.
    public static func weekday(_ n: Int) -> Int { ((n + 3) % 7 + 7) % 7 }

    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// `YYYY-MM-DDTHH:MM:SSZ` of whole seconds since the epoch.
    public static func isoUTC(_ seconds: Int) -> String {
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        let rest = seconds - day * 86_400
        return text(day) + String(format: "T%02d:%02d:%02dZ", rest / 3600, rest % 3600 / 60, rest % 60)
    }

    /// The instant of a local wall-clock time in an IANA zone, through Foundation's calendar.
    public static func instant(localDay: Int, hour: Int, minute: Int = 0, zone: String) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let c = civil(localDay)
        let date = calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: hour, minute: minute))!
        return Int(date.timeIntervalSince1970)
    }

    /// Local day, weekday and hour of an instant in an IANA zone, through Foundation's calendar.
    public static func local(_ seconds: Int, zone: String) -> (day: Int, weekday: Int, hour: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute],
                                        from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let day = number(year: c.year!, month: c.month!, day: c.day!)
        return (day, weekday(day), c.hour!, c.minute!)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` strictly; nil for anything else.
    public static func parseISOUTC(_ text: String) -> Int? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
              let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return nil }
        return number(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s
    }
}

// MARK: - CSV

/// A parsed CSV file (RFC 4180 quoting), header separate.
public struct CSVTable {
    public var header: [String]
    public var rows: [[String]]

    public init(_ data: Data) {
        var records = CSVTable.parse(String(decoding: data, as: UTF8.self))
        header = records.isEmpty ? [] : records.removeFirst()
        rows = records
    }

    public init(path: String) throws {
        self.init(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func column(_ name: String) -> [String] {
        guard let index = header.firstIndex(of: name) else {
            Issue.record("no column \(name) in \(header)")
            return []
        }
        return rows.map { $0[index] }
    }

    public func numbers(_ name: String) -> [Double] { column(name).map { Double($0) ?? .nan } }

    /// The row whose `customer_id` is `id`, as a dictionary.
    public func row(customer id: String) -> [String: String]? {
        guard let index = header.firstIndex(of: "customer_id"), let row = rows.first(where: { $0[index] == id }) else { return nil }
        return Dictionary(uniqueKeysWithValues: zip(header, row))
    }

    public var customerIDs: [String] { column("customer_id") }

    public static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var inQuotes = false, fieldStarted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true; fieldStarted = true
            case ",": record.append(field); field = ""; fieldStarted = true
            case "\r": continue
            case "\n":
                if fieldStarted || !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
                record = []; field = ""; fieldStarted = false
            default: field.unicodeScalars.append(c); fieldStarted = true
            }
        }
        if fieldStarted || !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}

/// One CSV cell, quoted when it needs to be.
public func csvCell(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

// MARK: - Hand-built exports

/// A small export written by hand around an as-of date: every date is an offset in days from `asOf`.
///
/// `regular` is a typical callable account: six monthly invoices issued 200 … 50 days before the as-of date (30-day
/// terms), the first four paid 10 days late, the last two open (50 and 20 days past due, so past-due balance
/// 2 × amount), and right-party calls on one local weekday and hour in the two months before (none in the last
/// 7 days).
public struct HandExport {
    public let asOf: Int
    private(set) var zones: [String: String] = [:]
    private var customers: [[String]] = [], invoices: [[String]] = [], payments: [[String]] = []
    private var calls: [[String]] = [], promises: [[String]] = []
    private var serial = 0
    /// Invoice currency per customer (EUR when not set).
    public var currencies: [String: String] = [:]
    /// customers.csv `do_not_call_times` per customer; the column is written only when some customer has one.
    public var doNotCallTimes: [String: String] = [:]

    public init(asOf: String) { self.asOf = Days.number(asOf) }

    public var asOfText: String { Days.text(asOf) }

    private mutating func nextID(_ prefix: String) -> String {
        serial += 1
        return prefix + String(serial)
    }

    public mutating func customer(_ id: String, zone: String, doNotCall: Bool = false) {
        zones[id] = zone
        customers.append([id, zone, "smb", "XX", "10000", doNotCall ? "1" : "0"])
    }

    @discardableResult
    public mutating func invoice(_ customer: String, issued: Int, terms: Int = 30, amount: Double, disputed: Bool = false) -> String {
        let id = nextID("INV")
        invoices.append([id, customer, Days.text(asOf + issued), Days.text(asOf + issued + terms), String(format: "%.2f", amount),
                         currencies[customer] ?? "EUR", disputed ? "1" : "0"])
        return id
    }

    public mutating func payment(_ customer: String, on day: Int, amount: Double, invoice: String?) {
        payments.append([nextID("PAY"), customer, Days.text(asOf + day), String(format: "%.2f", amount), invoice ?? ""])
    }

    /// A call at a local wall-clock time of the customer's zone, written in UTC.
    public mutating func call(_ customer: String, day: Int, hour: Int, minute: Int = 30, outcome: String) {
        let zone = zones[customer]!
        let instant = Days.instant(localDay: asOf + day, hour: hour, minute: minute, zone: zone)
        calls.append([nextID("CALL"), customer, Days.isoUTC(instant), outcome, "A1", "60"])
    }

    public mutating func promise(_ customer: String, id: String? = nil, created: Int, due: Int, amount: Double) {
        promises.append([id ?? nextID("PRM"), customer, Days.text(asOf + created), Days.text(asOf + due),
                         String(format: "%.2f", amount), ""])
    }

    /// A typical callable account (see the type's comment). `callWeekday` is 0 = Monday.
    public mutating func regular(_ id: String, zone: String, amount: Double = 500, doNotCall: Bool = false, callWeekday: Int = 1,
                          callHour: Int = 10) {
        customer(id, zone: zone, doNotCall: doNotCall)
        for k in 0..<6 {
            let issued = -200 + 30 * k
            let invoice = invoice(id, issued: issued, amount: amount)
            if k < 4 { payment(id, on: issued + 40, amount: amount, invoice: invoice) }
        }
        for day in -63 ... -8 where Days.weekday(asOf + day) == callWeekday {
            call(id, day: day, hour: callHour, outcome: "right_party")
        }
    }

    /// Long delinquent and unlikely to pay: two invoices 185 and 155 days past due, never paid, refusals on calls.
    public mutating func hopeless(_ id: String, zone: String) {
        customer(id, zone: zone)
        invoice(id, issued: -215, amount: 4000)
        invoice(id, issued: -185, amount: 4000)
        for day in stride(from: -150, through: -30, by: 30) { call(id, day: day, hour: 10, outcome: "refused") }
    }

    /// Nothing past due: one invoice paid, one not yet due.
    public mutating func current(_ id: String, zone: String) {
        customer(id, zone: zone)
        let paid = invoice(id, issued: -100, amount: 100)
        payment(id, on: -95, amount: 100, invoice: paid)
        invoice(id, issued: -10, amount: 100)
    }

    public func write(to folder: String) throws {
        func file(_ name: String, _ header: String, _ rows: [[String]]) throws {
            let text = ([header] + rows.map { $0.map(csvCell).joined(separator: ",") }).joined(separator: "\n") + "\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        let header = "customer_id,timezone,segment,country,credit_limit,do_not_call"
        if doNotCallTimes.isEmpty {
            try file("customers.csv", header, customers)
        } else {
            try file("customers.csv", header + ",do_not_call_times", customers.map { $0 + [doNotCallTimes[$0[0]] ?? ""] })
        }
        try file("invoices.csv", "invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed", invoices)
        try file("payments.csv", "payment_id,customer_id,payment_date,amount,invoice_id", payments)
        try file("calls.csv", "call_id,customer_id,started_at,outcome,agent_id,duration_s", calls)
        try file("promises.csv", "promise_id,customer_id,created_date,promised_date,promised_amount,call_id", promises)
    }
}
