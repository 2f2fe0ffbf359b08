import CallGrid
import CivilTime
import Foundation
import Testing
@testable import Simulation

/// Day number of a `YYYY-MM-DD` date (or of the date part of a timestamp).
private func dayNumber(_ text: String) -> Int { Int(CivilDate.parseExact(String(text.prefix(10)))!) }

/// The archetypes world's rules, measured on its generated export.
@Suite("Archetypes world behaviour")
struct ArchetypeBehaviourTests {
    let export = sharedArchetypeExport

    /// Each customer's archetype, from truth.json.
    var archetypes: [String: String] {
        var result: [String: String] = [:]
        for customer in export.truthCustomers { result[customer["customer_id"] as! String] = customer["archetype"] as? String }
        return result
    }

    /// Payment days by customer.
    var paymentDays: [String: [Int]] {
        var result: [String: [Int]] = [:]
        for row in export.payments.rows {
            result[row[export.payments.column("customer_id")], default: []].append(dayNumber(row[export.payments.column("payment_date")]))
        }
        return result
    }

    /// Per archetype: right-party calls and missed calls, and how many of each were followed by a payment within 7 days.
    private func paymentsAfterCalls() -> [String: (rpc: Int, rpcPaid: Int, miss: Int, missPaid: Int)] {
        let archetypes = archetypes, payments = paymentDays
        let contact: Set<String> = ["right_party", "promise", "refused", "dispute"]
        var result: [String: (rpc: Int, rpcPaid: Int, miss: Int, missPaid: Int)] = [:]
        for row in export.calls.rows {
            let customer = row[export.calls.column("customer_id")]
            let day = dayNumber(row[export.calls.column("started_at")])
            let paid = (payments[customer] ?? []).contains { $0 > day && $0 <= day + 7 }
            var entry = result[archetypes[customer]!] ?? (0, 0, 0, 0)
            if contact.contains(row[export.calls.column("outcome")]) {
                entry.rpc += 1
                if paid { entry.rpcPaid += 1 }
            } else {
                entry.miss += 1
                if paid { entry.missPaid += 1 }
            }
            result[archetypes[customer]!] = entry
        }
        return result
    }

    @Test func selfPayersPayAlikeWhetherTheCallReachedThemOrNot() throws {
        // Whether an attempted call reaches the right party is a coin toss of the window: a natural experiment.
        let counts = paymentsAfterCalls()
        let selfPayer = try #require(counts["self_payer"])
        let responsive = try #require(counts["call_responsive"])
        #expect(selfPayer.rpc > 1000 && selfPayer.miss > 1000)
        let selfRPC = Double(selfPayer.rpcPaid) / Double(selfPayer.rpc), selfMiss = Double(selfPayer.missPaid) / Double(selfPayer.miss)
        #expect(abs(selfRPC - selfMiss) < 0.04, "self-payers: paid within 7 days after a contact \(selfRPC), after a miss \(selfMiss)")
        let responsiveRPC = Double(responsive.rpcPaid) / Double(responsive.rpc)
        let responsiveMiss = Double(responsive.missPaid) / Double(responsive.miss)
        #expect(responsiveRPC > responsiveMiss + 0.2, "call-responsive: after a contact \(responsiveRPC), after a miss \(responsiveMiss)")
    }

    @Test func promiseDrivenAndLostCustomersPayOldDebtOnlyOnKeptPromiseDates() throws {
        let archetypes = archetypes
        var keptPromiseDays: [String: Set<Int>] = [:]
        var keptFlags: [String: Bool] = [:]
        for customer in export.truthCustomers {
            for case let promise as [String: Any] in customer["promises"] as! [Any] {
                keptFlags[promise["promise_id"] as! String] = promise["kept"] as? Bool
            }
        }
        for row in export.promises.rows where keptFlags[row[export.promises.column("promise_id")]] == true {
            keptPromiseDays[row[export.promises.column("customer_id")], default: []].insert(dayNumber(row[export.promises.column("promised_date")]))
        }
        var due: [String: Int] = [:]
        for row in export.invoices.rows { due[row[export.invoices.column("invoice_id")]] = dayNumber(row[export.invoices.column("due_date")]) }
        var checked = 0
        for row in export.payments.rows {
            let customer = row[export.payments.column("customer_id")]
            let archetype = archetypes[customer]!
            let day = dayNumber(row[export.payments.column("payment_date")])
            let invoiceDue = due[row[export.payments.column("invoice_id")]]!
            let old = day - invoiceDue > ArchetypeWorld.Archetype.promiseDriven.rules.unaidedCutoffDaysPastDue!
            guard archetype == "lost" || (archetype == "promise_driven" && old) else { continue }
            checked += 1
            #expect(keptPromiseDays[customer]?.contains(day) == true, "\(archetype) \(customer) paid on \(day) without a kept promise due that day")
        }
        #expect(checked > 100, "payments of old debt by promise-driven and lost customers: \(checked)")
    }

    @Test func promiseDrivenCustomersPayInInstalments() {
        let archetypes = archetypes
        var keptByCustomer: [String: Int] = [:]
        for customer in export.truthCustomers where customer["archetype"] as? String == "promise_driven" {
            let promises = customer["promises"] as! [[String: Any]]
            keptByCustomer[customer["customer_id"] as! String] = promises.filter { $0["kept"] as? Bool == true }.count
        }
        let repeatPayers = keptByCustomer.values.filter { $0 >= 2 }.count
        #expect(repeatPayers > 30, "promise-driven customers with two or more kept instalments: \(repeatPayers)")
        #expect(archetypes.values.contains("promise_driven"))
    }

    @Test func callsRaiseDisputesThatTheExportShows() throws {
        var invoices: [String: (customer: String, due: Int, disputed: String)] = [:]
        for row in export.invoices.rows {
            invoices[row[export.invoices.column("invoice_id")]] = (row[export.invoices.column("customer_id")],
                                                                   dayNumber(row[export.invoices.column("due_date")]),
                                                                   row[export.invoices.column("disputed")])
        }
        var disputeCallDays: [String: Set<Int>] = [:]
        for row in export.calls.rows where row[export.calls.column("outcome")] == "dispute" {
            disputeCallDays[row[export.calls.column("customer_id")], default: []].insert(dayNumber(row[export.calls.column("started_at")]))
        }
        var raised = 0
        for customer in export.truthCustomers {
            let id = customer["customer_id"] as! String
            let disputes = customer["disputes_raised"] as! [[String: Any]]
            if customer["archetype"] as? String == "self_payer" { #expect(disputes.isEmpty, "self-payer \(id) raised a dispute") }
            for dispute in disputes {
                raised += 1
                let invoice = try #require(invoices[dispute["invoice_id"] as! String])
                let day = dayNumber(dispute["date"] as! String)
                #expect(invoice.customer == id && invoice.disputed == "1" && invoice.due < day)
                // The call's UTC date is within a day of the customer's local date.
                let calls = disputeCallDays[id] ?? []
                #expect(calls.contains(day) || calls.contains(day - 1) || calls.contains(day + 1), "\(id): no dispute call near \(day)")
            }
        }
        #expect(raised > 100, "disputes raised in calls: \(raised)")
        let flagged = export.invoices.values("disputed").filter { $0 == "1" }.count
        #expect(flagged > raised, "flagged at issue or raised: \(flagged)")
    }

    @Test func contactPreferencesAreAWeekdaySetTimesAnHourBlock() throws {
        let weekdayNames = CallWindows.weekdayNames
        var blockLengths = Set<Int>(), setSizes = Set<Int>()
        for customer in export.truthCustomers {
            let days = (customer["contact_weekdays"] as! [String]).map { weekdayNames.firstIndex(of: $0)! }
            let hours = customer["contact_hours"] as! [Int]
            let reach = customer["reach"] as! Double
            let probabilities = customer["window_rpc_probability"] as! [Double]
            #expect(!days.isEmpty && days == days.sorted() && Set(days).count == days.count)
            #expect(hours[0] >= 8 && hours[1] <= 18 && (2...5).contains(hours[1] - hours[0]))
            setSizes.insert(days.count)
            blockLengths.insert(hours[1] - hours[0])
            for window in 0..<CallWindows.count {
                let start = CallWindows.startHours[CallWindows.slot(ofWindow: window)]
                let overlap = days.contains(CallWindows.weekday(ofWindow: window))
                    ? max(0, min(start + 2, hours[1]) - max(start, hours[0])) : 0
                let mean = reach * (0.05 + 0.80 * Double(overlap) / 2)
                let spread = Foundation.exp(5 * ArchetypeWorld.windowNoiseSD)
                #expect(probabilities[window] >= mean / spread - 1e-4 && probabilities[window] <= min(0.95, mean * spread) + 1e-4,
                        "window \(window): \(probabilities[window]) for mean \(mean)")
            }
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 > $1) }!
            #expect(customer["best_window"] as? String == CallWindows.names[best])
        }
        #expect(setSizes == Set(1...5) && blockLengths == Set(2...5))
    }

    @Test func archetypeSharesDifferBySegment() {
        var counts: [String: [String: Int]] = [:]
        for customer in export.truthCustomers {
            counts[customer["segment"] as! String, default: [:]][customer["archetype"] as! String, default: 0] += 1
        }
        func share(_ segment: String, _ archetype: String) -> Double {
            let row = counts[segment] ?? [:]
            return Double(row[archetype] ?? 0) / Double(max(1, row.values.reduce(0, +)))
        }
        #expect(share("enterprise", "self_payer") > share("consumer", "self_payer") + 0.2)
        #expect(share("consumer", "lost") > share("enterprise", "lost") + 0.08)
    }
}
