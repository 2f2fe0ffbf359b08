import CivilTime
import Foundation
@testable import Simulation
import Testing

/// truth.json describes the process that generated the export, and the export shows it.
@Suite("Ground truth")
struct GroundTruthTests {
    let export = sharedExport

    @Test func truthDescribesEveryCustomer() throws {
        let truth = export.truth
        #expect(truth["format_version"] as? Int == 1)
        let configuration = try #require(truth["configuration"] as? [String: Any])
        #expect(configuration["customers"] as? Int == 2000)
        #expect(configuration["months"] as? Int == 12)
        #expect(configuration["seed"] as? Int == 20_261_101)
        #expect(configuration["end"] as? String == "2026-11-01")
        #expect(configuration["history_start"] as? String == "2025-11-01")

        let parameters = try #require(truth["parameters"] as? [String: Any])
        for key in ["hazard", "call_policy", "outcomes", "promise_model", "contact_model", "segments", "timezones", "currencies", "customers"] {
            #expect(parameters[key] != nil, "parameters.\(key) missing")
        }
        let hazard = try #require(parameters["hazard"] as? [String: Any])
        #expect(hazard["rpc_multiplier"] as? Double == 2.5)
        #expect((hazard["baseline_hazard"] as? [Double])?.count == 6)
        let contact = try #require(parameters["contact_model"] as? [String: Any])
        let windows = try #require(contact["windows"] as? [String])
        #expect(windows.count == 25)
        #expect(windows.first == "Mon 08-10" && windows[6] == "Tue 10-12" && windows.last == "Fri 16-18")

        let customers = export.truthCustomers
        #expect(customers.map { $0["customer_id"] as? String } == export.customers.values("customer_id"))
        let segments = export.customers.values("segment")
        let zones = export.customers.values("timezone")
        for (index, customer) in customers.enumerated() {
            #expect(customer["segment"] as? String == segments[index])
            #expect(customer["timezone"] as? String == zones[index])
            let probabilities = try #require(customer["window_rpc_probability"] as? [Double])
            #expect(probabilities.count == 25)
            #expect(probabilities.allSatisfy { $0 > 0 && $0 < 1 })
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 > $1) }!
            #expect(customer["best_window"] as? String == windows[best])
            let reliability = try #require(customer["promise_reliability"] as? Double)
            #expect(reliability > 0 && reliability < 1)
            #expect(customer["pay_propensity"] is Double)
            #expect(customer["delay_tendency"] is Int)
        }
        let patterns = Set(customers.compactMap { $0["contact_pattern"] as? String })
        #expect(patterns == Set(World.contactPatterns.map(\.name)))
        let promiseIds = customers.flatMap { ($0["promises"] as? [[String: Any]] ?? []).compactMap { $0["promise_id"] as? String } }
        #expect(promiseIds == export.promises.values("promise_id"))
        #expect(customers.contains { $0["doubtful_from"] is String })
    }

    @Test func contactRateIsHigherInTheBestWindowThanInTheWorst() throws {
        let customers = export.truthCustomers
        var best: [String: Int] = [:]
        var worst: [String: Int] = [:]
        var profile: [String: [Double]] = [:]
        var zone: [String: String] = [:]
        for customer in customers {
            let id = customer["customer_id"] as! String
            let probabilities = customer["window_rpc_probability"] as! [Double]
            profile[id] = probabilities
            best[id] = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
            worst[id] = probabilities.indices.min { probabilities[$0] < probabilities[$1] }!
            zone[id] = customer["timezone"] as? String
        }
        var calendars: [String: Calendar] = [:]
        var bestCalls = 0, bestContacts = 0, worstCalls = 0, worstContacts = 0
        var expected = 0.0, variance = 0.0, contacts = 0
        let rightParty: Set<String> = ["right_party", "promise", "refused", "dispute"]
        for row in export.calls.rows {
            let id = row[export.calls.column("customer_id")]
            let name = zone[id]!
            if calendars[name] == nil {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: name)!
                calendars[name] = calendar
            }
            let local = calendars[name]!.dateComponents([.hour, .weekday], from: parseTimestamp(row[export.calls.column("started_at")])!)
            let window = (local.weekday! - 2) * 5 + (local.hour! - 8) / 2
            let contact = rightParty.contains(row[export.calls.column("outcome")])
            let probability = profile[id]![window]
            expected += probability
            variance += probability * (1 - probability)
            if contact { contacts += 1 }
            if window == best[id] {
                bestCalls += 1
                if contact { bestContacts += 1 }
            }
            if window == worst[id] {
                worstCalls += 1
                if contact { worstContacts += 1 }
            }
        }
        #expect(bestCalls > 200 && worstCalls > 200, "enough calls land in both windows (\(bestCalls), \(worstCalls))")
        let bestRate = Double(bestContacts) / Double(bestCalls)
        let worstRate = Double(worstContacts) / Double(worstCalls)
        #expect(bestRate > 2 * worstRate, "RPC rate best \(bestRate) vs worst \(worstRate)")
        // The outcomes follow the truth's window probabilities: observed contacts within 4 sd of the expected count.
        #expect(abs(Double(contacts) - expected) < 4 * variance.squareRoot(), "contacts \(contacts), expected \(expected)")
    }

    /// Promises whose grace period ended before `end`, with the kept flag computed as DESIGN.md defines it.
    private func resolvedPromises() -> [(customer: String, keptPerDesign: Bool, id: String)] {
        let grace = World.promiseGraceDays
        let end = Int(CivilDate.parseExact(export.end)!)
        var paymentsByCustomer: [String: [(day: Int, amount: Double)]] = [:]
        for row in export.payments.rows {
            paymentsByCustomer[row[export.payments.column("customer_id")], default: []].append(
                (Int(CivilDate.parseExact(row[export.payments.column("payment_date")])!), Double(row[export.payments.column("amount")])!))
        }
        var result: [(String, Bool, String)] = []
        for row in export.promises.rows {
            let customer = row[export.promises.column("customer_id")]
            let created = Int(CivilDate.parseExact(row[export.promises.column("created_date")])!)
            let promised = Int(CivilDate.parseExact(row[export.promises.column("promised_date")])!)
            guard promised + grace < end else { continue }
            let amount = Double(row[export.promises.column("promised_amount")])!
            let paid = (paymentsByCustomer[customer] ?? []).filter { $0.day >= created && $0.day <= promised + grace }.reduce(0) { $0 + $1.amount }
            result.append((customer, paid >= amount - 0.005, row[export.promises.column("promise_id")]))
        }
        return result
    }

    @Test func keptPromisesFollowTheTruth() throws {
        var truthKept: [String: Bool] = [:]
        for customer in export.truthCustomers {
            for promise in customer["promises"] as? [[String: Any]] ?? [] {
                truthKept[promise["promise_id"] as! String] = promise["kept"] as? Bool
            }
        }
        let resolved = resolvedPromises()
        #expect(resolved.count > 1000)
        for promise in resolved {
            #expect(truthKept[promise.id] == promise.keptPerDesign, "\(promise.id): kept per DESIGN.md differs from the truth")
        }
        let keptShare = Double(resolved.filter(\.keptPerDesign).count) / Double(resolved.count)
        #expect(keptShare > 0.3 && keptShare < 0.8)
    }

    @Test func keptPromisesCorrelateWithReliability() throws {
        var reliability: [String: Double] = [:]
        for customer in export.truthCustomers {
            reliability[customer["customer_id"] as! String] = customer["promise_reliability"] as? Double
        }
        let resolved = resolvedPromises()
        let r = correlation(resolved.map { reliability[$0.customer]! }, resolved.map { $0.keptPerDesign ? 1 : 0 })
        #expect(r > 0.2, "correlation between reliability and kept is \(r)")
    }

    @Test func customersWithHigherPropensityPayFaster() {
        // Share of invoices settled within 30 days of the due date, by pay_propensity tercile.
        var propensity: [String: Double] = [:]
        for customer in export.truthCustomers where customer["doubtful_from"] is NSNull {
            propensity[customer["customer_id"] as! String] = customer["pay_propensity"] as? Double
        }
        var paidOn: [String: Int] = [:]
        var paid: [String: Int] = [:]
        var amount: [String: Int] = [:]
        for row in export.invoices.rows { amount[row[0]] = minorUnits(row[export.invoices.column("amount")]) }
        for row in export.payments.rows where !row[export.payments.column("invoice_id")].isEmpty {
            let invoice = row[export.payments.column("invoice_id")]
            paid[invoice, default: 0] += minorUnits(row[export.payments.column("amount")])
            if paid[invoice] == amount[invoice] { paidOn[invoice] = Int(CivilDate.parseExact(row[export.payments.column("payment_date")])!) }
        }
        let cutoff = Int(CivilDate.parseExact(export.end)!) - 30
        var groups: [(Double, Bool)] = []
        for row in export.invoices.rows {
            guard let p = propensity[row[export.invoices.column("customer_id")]], row[export.invoices.column("disputed")] == "0" else { continue }
            let due = Int(CivilDate.parseExact(row[export.invoices.column("due_date")])!)
            guard due < cutoff else { continue }
            groups.append((p, paidOn[row[0]].map { $0 <= due + 30 } ?? false))
        }
        groups.sort { $0.0 < $1.0 }
        let third = groups.count / 3
        let low = Double(groups[..<third].filter(\.1).count) / Double(third)
        let high = Double(groups[(groups.count - third)...].filter(\.1).count) / Double(third)
        #expect(high > low + 0.05, "on-time share: low propensity \(low), high propensity \(high)")
    }

    @Test func doubtfulCustomersStopPaying() {
        var doubtfulFrom: [String: String] = [:]
        for customer in export.truthCustomers {
            if let date = customer["doubtful_from"] as? String { doubtfulFrom[customer["customer_id"] as! String] = date }
        }
        #expect(!doubtfulFrom.isEmpty)
        for row in export.payments.rows {
            guard let from = doubtfulFrom[row[export.payments.column("customer_id")]] else { continue }
            let date = row[export.payments.column("payment_date")]
            // After doubtful_from only promise payments (rare) remain; they come within a promise window.
            if date >= from {
                let customer = row[export.payments.column("customer_id")]
                let inWindow = export.promises.rows.contains {
                    $0[export.promises.column("customer_id")] == customer
                        && $0[export.promises.column("created_date")] <= date
                        && date <= CivilDate.format(CivilDate.parseExact($0[export.promises.column("promised_date")])! + Int32(World.promiseGraceDays))
                }
                #expect(inWindow, "doubtful customer \(customer) paid on \(date) outside a promise window")
            }
        }
    }
}
