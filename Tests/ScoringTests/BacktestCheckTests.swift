import Bundles
import Features
import Foundation
import Receivables
import Scoring
import TestSupport
import Testing
import Training

/// The backtest check of the nightly queue: on generated data, over past calling days (weekdays) in the out-of-time holdout,
/// the cash paid within 30 days by the queue's top-K is at least 1.3× that of the aging heuristic's top-K (past-due
/// balance × days past due), both choosing among the same call candidates.
///
/// K is 30 calls a day for a book of 3,000 customers (1% of the book, about 3.5% of the ~880 daily candidates), the
/// scale of a real desk. With far larger K the two lists converge on the same few largest balances: at K = 100 even
/// perfect foresight of the cash beats the heuristic by only about 1.17× on this data.
@Suite("Backtest against the aging heuristic")
struct BacktestCheckTests {
    @Test func queueBeatsTheAgingHeuristicOnCash() throws {
        let history = try GeneratedHistory(customers: 3000, months: 12, seed: 31, end: "2026-11-01")
        let export = history.export
        let trained = try BundleTrainer().train(export: export, data: try ExportFingerprint.summarise(export), name: "bt",
                                                version: "v1", createdAt: "2026-11-23T00:00:00Z", arscoreVersion: "test")
        let builder = FeatureBuilder(export: export)
        // Today's plan (the default) by a team that reaches the whole book (every UTC hour, each slot able to take the
        // day's 30 calls), so that aging's list, which knows no team, is compared with the same reach. A one-day replay credits no later call, so an account that
        // waits for its better day only loses here: the replay plans without waiting (the closed loop, which calls on
        // the later days, measures the wait rule: Benchmarks/README.md).
        let backtest = Backtest(export: export, builder: builder, bundle: trained.bundle,
                                policy: QueuePolicy(teamHours: DayHours(start: 0, end: 1440), callsPerSlot: 30,
                                                    waitDiscountPerDay: 0))
        // Calling days (Monday–Friday) inside the holdout (the models never saw their outcomes), every 5 days.
        let first = trained.holdoutDates[0]
        var queue = 0.0, aging = 0.0, random = 0.0, days = 0
        for t in stride(from: first, through: first + 30, by: 5) where Days.weekday(Int(t)) < 5 {
            let day = try backtest.replay(asOf: t, capacity: 30)
            #expect(day.complete && day.calls == 30)
            queue += day.queueCash
            days += 1
            aging += day.agingCash
            random += day.randomCash
        }
        #expect(days >= 4)
        print("backtest, \(days) calling days × 30 calls: queue \(queue), aging \(aging), random \(random), ratio \(queue / aging)")
        #expect(queue >= 1.3 * aging)
        #expect(queue > random)
    }
}
