import CallGrid
@testable import Features
import Foundation
import Receivables
import Testing

/// Features and labels on generated data, checked against brute-force recomputations and the generator's truth.
@Suite struct GeneratedDataTests {
    @Test func snapshotSelectsExactlyTheCustomersWithAnOpenBalance() throws {
        let data = mediumGenerated
        let export = data.export
        for t in [day("2026-02-01"), day("2026-08-15")] {
            // Brute force, in cents: invoiced before t minus paid before t.
            var net = [Int64](repeating: 0, count: export.customers.count)
            for i in 0..<export.invoices.count where export.invoices.invoiceDate[i] < t {
                net[Int(export.invoices.customer[i])] += Int64((export.invoices.amount[i] * 100).rounded())
            }
            for p in 0..<export.payments.count where export.payments.paymentDate[p] < t {
                net[Int(export.payments.customer[p])] -= Int64((export.payments.amount[p] * 100).rounded())
            }
            let expected = net.indices.filter { net[$0] > 0 }.map(Int32.init)
            let table = data.builder.snapshot(asOf: t)
            #expect(table.customers == expected)
            let open = table.column(.openBalance)
            for (row, customer) in table.customers.enumerated() {
                #expect(open[open.startIndex + row] == Double(net[Int(customer)]) / 100)
            }
            // Bucket amounts add up to the open balance; shares to one.
            for row in 0..<table.rowCount {
                let buckets = [Feature.agingCurrent, .aging1To30, .aging31To60, .aging61To90, .aging91Plus]
                    .map { table.value(row: row, $0) }.reduce(0, +)
                #expect(abs(buckets - table.value(row: row, .openBalance)) < 1e-6)
                let past = [Feature.aging1To30, .aging31To60, .aging61To90, .aging91Plus].map { table.value(row: row, $0) }.reduce(0, +)
                #expect(abs(past - table.value(row: row, .pastDueBalance)) < 1e-6)
            }
        }
    }

    @Test func everyValueIsFiniteAndRowsMatchTheSingleCustomerPath() throws {
        let data = mediumGenerated
        let t = day("2026-05-01")
        let table = data.builder.snapshot(asOf: t)
        #expect(table.values.allSatisfy { $0.isFinite })
        // The parallel snapshot and the per-customer path agree bit for bit.
        let single = data.builder.features(of: table.customers, asOf: t)
        do { let same = identical(table, single); #expect(same, "\(firstDifference(table, single))") }
        // And the same snapshot twice is identical (deterministic order and values).
        do { let same = identical(table, data.builder.snapshot(asOf: t)); #expect(same) }
        // Call counts per window add up to the in-window attempts.
        let attempts = data.builder.contactAttempts(from: Int32.min, to: t)
        let inWindow = attempts.filter { $0.window >= 0 }
        let windowTotal = table.windowCounts.attempts.reduce(0) { $0 + Int($1) }
        let selected = Set(table.customers)
        #expect(windowTotal == inWindow.filter { selected.contains($0.customer) }.count)
    }

    @Test func paidWithinHorizonMatchesBruteForce() throws {
        let data = mediumGenerated
        let export = data.export
        var byCustomer = [[(day: Int32, amount: Double)]](repeating: [], count: export.customers.count)
        for p in 0..<export.payments.count {
            byCustomer[Int(export.payments.customer[p])].append((export.payments.paymentDate[p], export.payments.amount[p]))
        }
        for (t, h) in [(day("2026-03-01"), 30), (day("2026-09-01"), 30), (day("2026-10-20"), 14), (day("2026-06-01"), 90)] {
            let table = data.builder.snapshot(asOf: t)
            let labels = data.builder.labels(for: table, horizonDays: h, maximumDays: 120)
            #expect(labels.count == table.rowCount)
            for (row, customer) in table.customers.enumerated() {
                let payments = byCustomer[Int(customer)]
                let inWindow = payments.filter { $0.day >= t && Int($0.day) < Int(t) + h }
                #expect(labels.paidWithinHorizon[row] == (inWindow.isEmpty ? 0 : 1))
                let cash = inWindow.reduce(0) { $0 + Int64(($1.amount * 100).rounded()) }
                #expect(Int64((labels.cashWithinHorizon[row] * 100).rounded()) == cash)
                #expect(labels.horizonObserved[row] == (Int(t) + h <= Int(data.end)))
                let followEnd = min(Int(data.end), Int(t) + 120)
                if let first = payments.map(\.day).filter({ $0 >= t }).min(), Int(first) < followEnd {
                    #expect(labels.paymentObserved[row] == 1)
                    #expect(labels.daysToFirstPayment[row] == Double(Int(first) - Int(t) + 1))
                } else {
                    #expect(labels.paymentObserved[row] == 0)
                    #expect(labels.daysToFirstPayment[row] == Double(followEnd - Int(t)))
                }
                // Consistency of the two labels when the horizon is observed.
                if labels.horizonObserved[row] {
                    let early = labels.paymentObserved[row] == 1 && labels.daysToFirstPayment[row] <= Double(h)
                    #expect(labels.paidWithinHorizon[row] == (early ? 1 : 0))
                }
            }
        }
    }

    @Test func promiseKeptMatchesTheGeneratorsTruth() throws {
        let data = mediumGenerated
        let records = data.builder.promiseRecords()
        #expect(records.dataEnd == data.end)
        let truth = try data.truth()
        let customers = try #require(truth["customers"] as? [[String: Any]])
        var truthKept: [String: Bool] = [:]
        for customer in customers {
            for promise in customer["promises"] as? [[String: Any]] ?? [] {
                truthKept[promise["promise_id"] as! String] = promise["kept"] as? Bool
            }
        }
        #expect(truthKept.count == records.count)
        var compared = 0, keptCount = 0
        for row in 0..<records.count where records.known[row] {
            let id = data.export.promises.ids.id(Int(records.promises[row]))
            let expected = try #require(truthKept[id] as Bool?)
            #expect(records.kept[row] == (expected ? 1 : 0), "promise \(id)")
            compared += 1
            if expected { keptCount += 1 }
        }
        #expect(compared > 500)
        #expect(keptCount > 0 && keptCount < compared)
        // Unknown ones are exactly those whose grace period reaches the data end.
        for row in 0..<records.count {
            #expect(records.known[row] == (Int(records.promisedDate[row]) + 3 < Int(data.end)))
        }
        #expect(records.features.values.allSatisfy { $0.isFinite })
    }

    @Test func snapshotPromiseCountsFollowTheResolvedPromises() throws {
        // promises_kept / promises_broken at T count the promises whose window closed before T, with the same
        // definition as the promise labels.
        let data = mediumGenerated
        let records = data.builder.promiseRecords()
        let t = day("2026-09-01")
        let table = data.builder.snapshot(asOf: t)
        var kept = [Int32: Double](), broken = [Int32: Double](), open = [Int32: Double]()
        for row in 0..<records.count where records.createdDate[row] < t {
            let customer = records.features.customers[row]
            if Int(records.promisedDate[row]) + 3 < Int(t) {
                if records.kept[row] == 1 { kept[customer, default: 0] += 1 } else { broken[customer, default: 0] += 1 }
            } else {
                open[customer, default: 0] += 1
            }
        }
        for (row, customer) in table.customers.enumerated() {
            #expect(table.value(row: row, .promisesKept) == kept[customer, default: 0])
            #expect(table.value(row: row, .promisesBroken) == broken[customer, default: 0])
            #expect(table.value(row: row, .promisesOpen) == open[customer, default: 0])
        }
    }

    @Test func localWindowsAgreeWithFoundationCalendar() throws {
        let data = smallGenerated
        let export = data.export
        let attempts = data.builder.contactAttempts(from: Int32.min, to: Int32.max)
        #expect(attempts.count == export.calls.count)
        var calendars: [Int32: Calendar] = [:]
        for attempt in attempts {
            let zone = export.customers.timezone[Int(attempt.customer)]
            if calendars[zone] == nil {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: export.customers.timezoneNames[Int(zone)])!
                calendars[zone] = calendar
            }
            let parts = calendars[zone]!.dateComponents([.weekday, .hour], from: Date(timeIntervalSince1970: Double(attempt.startedAt)))
            let weekday = (parts.weekday! + 5) % 7 // Calendar: 1 = Sunday; ours: 0 = Monday
            #expect(Int(attempt.localWeekday) == weekday)
            #expect(Int(attempt.localHour) == parts.hour!)
            #expect(Int(attempt.window) == CallWindows.index(weekday: weekday, hour: parts.hour!))
            #expect(attempt.rightPartyContact == export.calls.outcome[Int(attempt.call)].isRightPartyContact)
            #expect(attempt.startedAt == export.calls.startedAt[Int(attempt.call)])
        }
        // The generator calls between 08:00 and 18:00 local on weekdays: every attempt is in a window.
        #expect(attempts.allSatisfy { $0.window >= 0 })
    }

    @Test func contactRatesFollowTheTrueWindowProbabilities() throws {
        // Pooled over customers, the RPC rate per window rises with the generator's true window probability.
        let data = mediumGenerated
        let truth = try data.truth()
        let customers = try #require(truth["customers"] as? [[String: Any]])
        let attempts = data.builder.contactAttempts(from: Int32.min, to: Int32.max)
        var low = (0, 0), high = (0, 0)
        for attempt in attempts where attempt.window >= 0 {
            let probabilities = customers[Int(attempt.customer)]["window_rpc_probability"] as! [Double]
            let p = probabilities[Int(attempt.window)]
            if p < 0.2 { low.0 += 1; low.1 += attempt.rightPartyContact ? 1 : 0 }
            if p > 0.4 { high.0 += 1; high.1 += attempt.rightPartyContact ? 1 : 0 }
        }
        #expect(low.0 > 100 && high.0 > 100)
        #expect(Double(high.1) / Double(high.0) > Double(low.1) / Double(low.0) + 0.15)
    }
}
