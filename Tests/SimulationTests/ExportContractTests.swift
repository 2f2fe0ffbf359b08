import CivilTime
import Foundation
@testable import Simulation
import Testing

/// The generated files honour the export contract of DESIGN.md.
@Suite("Export contract")
struct ExportContractTests {
    let export = sharedExport

    @Test func headersMatchTheDesign() {
        // DESIGN.md "Input: the export folder": required columns, then the optional ones.
        #expect(export.customers.header == ["customer_id", "timezone", "segment", "country", "credit_limit", "do_not_call"])
        #expect(export.invoices.header == ["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "currency", "disputed"])
        #expect(export.payments.header == ["payment_id", "customer_id", "payment_date", "amount", "invoice_id"])
        #expect(export.calls.header == ["call_id", "customer_id", "started_at", "outcome", "agent_id", "duration_s"])
        #expect(export.promises.header == ["promise_id", "customer_id", "created_date", "promised_date", "promised_amount", "call_id"])
        for table in [export.customers, export.invoices, export.payments, export.calls, export.promises] {
            #expect(table.rows.allSatisfy { $0.count == table.header.count })
        }
    }

    @Test func summaryCountsTheRows() {
        #expect(export.summary.customers == export.customers.rows.count)
        #expect(export.summary.invoices == export.invoices.rows.count)
        #expect(export.summary.payments == export.payments.rows.count)
        #expect(export.summary.calls == export.calls.rows.count)
        #expect(export.summary.promises == export.promises.rows.count)
        #expect(export.summary.customers == 2000)
        #expect(export.summary.invoices > 10_000)
        #expect(export.summary.payments > 10_000)
        #expect(export.summary.calls > 10_000)
        #expect(export.summary.promises > 1000)
    }

    @Test func idsAreUniqueAndWellFormed() {
        let checks: [(CSVTable, String, String)] = [
            (export.customers, "customer_id", "C"), (export.invoices, "invoice_id", "INV"),
            (export.payments, "payment_id", "PAY"), (export.calls, "call_id", "CALL"),
            (export.promises, "promise_id", "PRM"),
        ]
        for (table, column, prefix) in checks {
            let ids = table.values(column)
            #expect(Set(ids).count == ids.count, "duplicate \(column)")
            #expect(ids.allSatisfy { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).allSatisfy(\.isNumber) })
        }
        #expect(export.customers.values("customer_id").first == "C000001")
        #expect(export.customers.values("customer_id").allSatisfy { $0.count == 7 })
        #expect(export.invoices.values("invoice_id").first == "INV0000001")
        #expect(export.calls.values("agent_id").allSatisfy { $0.hasPrefix("A") && $0.count == 5 })
    }

    @Test func everyReferenceResolves() {
        let customers = Set(export.customers.values("customer_id"))
        for table in [export.invoices, export.payments, export.calls, export.promises] {
            #expect(table.values("customer_id").allSatisfy(customers.contains))
        }
        let invoiceCustomer = Dictionary(uniqueKeysWithValues: zip(export.invoices.values("invoice_id"), export.invoices.values("customer_id")))
        var onAccount = 0
        for row in export.payments.rows {
            let invoice = row[export.payments.column("invoice_id")]
            if invoice.isEmpty {
                onAccount += 1
            } else {
                #expect(invoiceCustomer[invoice] == row[export.payments.column("customer_id")], "payment \(row[0]) points at another customer's invoice")
            }
        }
        #expect(onAccount > 0, "some payments are on account")
        #expect(onAccount < export.payments.rows.count / 20)

        let callOutcome = Dictionary(uniqueKeysWithValues: zip(export.calls.values("call_id"), export.calls.values("outcome")))
        let callCustomer = Dictionary(uniqueKeysWithValues: zip(export.calls.values("call_id"), export.calls.values("customer_id")))
        for row in export.promises.rows {
            let call = row[export.promises.column("call_id")]
            #expect(callOutcome[call] == "promise", "promise \(row[0]) comes from call \(call) with outcome \(callOutcome[call] ?? "none")")
            #expect(callCustomer[call] == row[export.promises.column("customer_id")])
        }
        #expect(export.calls.values("outcome").filter { $0 == "promise" }.count == export.promises.rows.count)
    }

    @Test func valuesParse() {
        let outcomes: Set<String> = ["no_answer", "voicemail", "wrong_party", "right_party", "promise", "refused", "dispute"]
        #expect(Set(export.calls.values("outcome")) == outcomes)
        #expect(export.calls.values("started_at").allSatisfy { parseTimestamp($0) != nil })
        #expect(export.calls.values("duration_s").allSatisfy { Int($0).map { $0 > 0 && $0 < 7200 } ?? false })
        for (table, column) in [(export.invoices, "amount"), (export.payments, "amount"), (export.promises, "promised_amount"), (export.customers, "credit_limit")] {
            #expect(table.values(column).allSatisfy { Double($0).map { $0 > 0 } ?? false }, "\(column) must be a positive decimal")
        }
        for (table, column) in [(export.invoices, "disputed"), (export.customers, "do_not_call")] {
            #expect(Set(table.values(column)).isSubset(of: ["0", "1"]))
        }
        let dates = [(export.invoices, "invoice_date"), (export.invoices, "due_date"), (export.payments, "payment_date"),
                     (export.promises, "created_date"), (export.promises, "promised_date")]
        for (table, column) in dates {
            #expect(table.values(column).allSatisfy { CivilDate.parseExact($0) != nil }, "\(column) must be YYYY-MM-DD")
        }
        let timeZones = Set(export.customers.values("timezone"))
        #expect(timeZones.allSatisfy { TimeZone(identifier: $0) != nil })
    }

    @Test func dueDatesFollowTheTerms() {
        var terms = Set<Int>()
        for row in export.invoices.rows {
            let issued = Int(CivilDate.parseExact(row[export.invoices.column("invoice_date")])!)
            let due = Int(CivilDate.parseExact(row[export.invoices.column("due_date")])!)
            #expect(due >= issued)
            terms.insert(due - issued)
        }
        #expect(terms == [15, 30, 60])
    }

    @Test func noRowIsDatedOutsideTheHistory() {
        let start = export.start, end = export.end
        #expect(start == "2025-11-01" && end == "2026-11-01")
        for (table, column) in [(export.invoices, "invoice_date"), (export.payments, "payment_date"), (export.promises, "created_date")] {
            let values = table.values(column)
            #expect(values.allSatisfy { $0 >= start && $0 < end }, "\(column) outside [\(start), \(end))")
        }
        let startInstant = Double(Int(CivilDate.parseExact(start)!) * 86_400)
        let endInstant = Double(Int(CivilDate.parseExact(end)!) * 86_400)
        for text in export.calls.values("started_at") {
            let instant = parseTimestamp(text)!.timeIntervalSince1970
            #expect(instant >= startInstant && instant < endInstant, "call at \(text) outside the history")
        }
        // Payments never precede their invoice.
        let issued = Dictionary(uniqueKeysWithValues: zip(export.invoices.values("invoice_id"), export.invoices.values("invoice_date")))
        for row in export.payments.rows where !row[export.payments.column("invoice_id")].isEmpty {
            #expect(row[export.payments.column("payment_date")] >= issued[row[export.payments.column("invoice_id")]]!)
        }
    }

    @Test func paymentsNeverExceedTheInvoice() {
        var invoiceAmount: [String: Int] = [:]
        for row in export.invoices.rows {
            invoiceAmount[row[export.invoices.column("invoice_id")]] = minorUnits(row[export.invoices.column("amount")])
        }
        var paid: [String: Int] = [:]
        for row in export.payments.rows {
            let invoice = row[export.payments.column("invoice_id")]
            if !invoice.isEmpty { paid[invoice, default: 0] += minorUnits(row[export.payments.column("amount")]) }
        }
        for (invoice, total) in paid {
            #expect(total <= invoiceAmount[invoice]!, "\(invoice) is overpaid")
        }
        let settled = paid.filter { invoiceAmount[$0.key] == $0.value }.count
        #expect(Double(settled) > 0.6 * Double(export.invoices.rows.count), "most invoices are paid in full")
        #expect(paid.count > settled, "some invoices are paid in part")
    }

    @Test func callsAreLocalWeekdayBusinessHours() {
        let timeZoneOf = Dictionary(uniqueKeysWithValues: zip(export.customers.values("customer_id"), export.customers.values("timezone")))
        var calendars: [String: Calendar] = [:]
        for name in Set(timeZoneOf.values) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: name)!
            calendars[name] = calendar
        }
        for row in export.calls.rows {
            let instant = parseTimestamp(row[export.calls.column("started_at")])!
            let calendar = calendars[timeZoneOf[row[export.calls.column("customer_id")]]!]!
            let local = calendar.dateComponents([.hour, .weekday], from: instant)
            #expect((8..<18).contains(local.hour!), "call \(row[0]) at local hour \(local.hour!)")
            #expect((2...6).contains(local.weekday!), "call \(row[0]) on local weekday \(local.weekday!)")
        }
    }

    @Test func doNotCallCustomersAreNeverCalled() {
        let blocked = Set(zip(export.customers.values("customer_id"), export.customers.values("do_not_call")).filter { $0.1 == "1" }.map(\.0))
        #expect(!blocked.isEmpty)
        #expect(Double(blocked.count) < 0.04 * Double(export.customers.rows.count))
        #expect(export.calls.values("customer_id").allSatisfy { !blocked.contains($0) })
    }

    @Test func customersAreVaried() throws {
        let segments = Set(export.customers.values("segment"))
        #expect(segments == ["enterprise", "smb", "public_sector", "consumer"])
        let zones = Set(export.customers.values("timezone"))
        #expect(zones.count >= 15)
        #expect(zones.isSuperset(of: ["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"]))
        // Country and currency follow the time zone.
        let parameters = try #require(export.truth["parameters"] as? [String: Any])
        let zoneEntries = try #require(parameters["timezones"] as? [[String: Any]])
        var country: [String: String] = [:]
        var currency: [String: String] = [:]
        for entry in zoneEntries {
            country[entry["timezone"] as! String] = entry["country"] as? String
            currency[entry["timezone"] as! String] = entry["currency"] as? String
        }
        for row in export.customers.rows {
            #expect(country[row[export.customers.column("timezone")]] == row[export.customers.column("country")])
        }
        let customerZone = Dictionary(uniqueKeysWithValues: zip(export.customers.values("customer_id"), export.customers.values("timezone")))
        for row in export.invoices.rows {
            #expect(currency[customerZone[row[export.invoices.column("customer_id")]]!] == row[export.invoices.column("currency")])
        }
        let disputedShare = Double(export.invoices.values("disputed").filter { $0 == "1" }.count) / Double(export.invoices.rows.count)
        #expect(disputedShare > 0.03 && disputedShare < 0.05)
        // Heavy-tailed amounts: the largest USD invoice dwarfs the median.
        let usd = export.invoices.rows.filter { $0[export.invoices.column("currency")] == "USD" }
            .map { Double($0[export.invoices.column("amount")])! }.sorted()
        #expect(usd.last! > 50 * usd[usd.count / 2])
    }
}

/// "123.45" → 12345, "500" → 500 (JPY has no decimals; amounts of one currency are compared only with each other).
func minorUnits(_ text: String) -> Int {
    let parts = text.split(separator: ".")
    if parts.count == 1 { return Int(parts[0])! }
    return Int(parts[0])! * 100 + Int(parts[1])!
}
