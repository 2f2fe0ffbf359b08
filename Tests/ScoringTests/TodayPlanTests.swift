import Foundation
import Scoring
import TestSupport
import Testing

/// `plan: today`: calls.csv as the as-of day's plan (docs/QUEUES.md, "Today's plan").
@Suite("Today's plan")
struct TodayPlanTests {
    /// Twelve ordinary accounts in three zones, as of Wednesday 2026-06-17.
    static func export(asOf: String = "2026-06-17") -> HandExport {
        var hand = HandExport(asOf: asOf)
        for (index, zone) in ["Europe/Madrid", "America/New_York", "Europe/London"].enumerated() {
            for number in 0..<4 { hand.regular("A\(index)\(number)", zone: zone, amount: 500 + Double(100 * number)) }
        }
        return hand
    }

    static func today(_ configure: (inout QueuePolicy) -> Void = { _ in }) -> QueuePolicy {
        var policy = QueuePolicy(plan: .today)
        policy.waitDiscountPerDay = 0
        configure(&policy)
        return policy
    }

    @Test func everyCallIsAOneHourSlotOfTheDayInsideItsLocalWindow() throws {
        let queues = try BuiltQueues(Self.export(), policy: Self.today())
        let calls = queues.file("calls.csv")
        #expect(calls.rows.count == 12)
        let asOf = Days.number("2026-06-17")
        for id in calls.customerIDs {
            let row = try #require(calls.row(customer: id))
            let start = try #require(Days.parseISOUTC(row["window_start_utc"]!)), end = try #require(Days.parseISOUTC(row["window_end_utc"]!))
            #expect(end - start == 3600)
            #expect(start >= asOf * 86_400 && start < (asOf + 1) * 86_400, "\(id): not on the as-of day (team clock UTC)")
            let local = Days.local(start, zone: queues.zone(of: id))
            let label = row["window_local"]!
            let windowStart = Int(label.dropFirst(4).prefix(2))!
            #expect(Days.weekdayNames[local.weekday] == String(label.prefix(3)), "\(id): \(label)")
            let minute = local.hour * 60 + local.minute
            #expect(minute >= windowStart * 60 && minute + 60 <= (windowStart + 2) * 60, "\(id): slot outside \(label)")
            #expect(row["timezone"] == queues.zone(of: id))
        }
    }

    @Test func noSlotHoldsMoreThanItsCapacity() throws {
        let queues = try BuiltQueues(Self.export(), policy: Self.today { $0.callsPerSlot = 1; $0.capacity = 12; $0.explorationShare = 0.25 })
        let starts = queues.file("calls.csv").column("window_start_utc")
        #expect(Dictionary(grouping: starts, by: { $0 }).values.allSatisfy { $0.count <= 1 }, "\(starts)")
        #expect(queues.output.slotLoad.allSatisfy { $0 <= 1 })
        // The team's ten slots (08:00–18:00 UTC) are fewer than the twelve candidates: two are cut.
        #expect(starts.count <= 10)
        #expect(queues.output.exclusions["capacity"] == 12 - starts.count)
    }

    @Test func callingHoursBoundEveryPlannedSlot() throws {
        let queues = try BuiltQueues(Self.export(), policy: Self.today { $0.callingHours = DayHours(parsing: "10:00-12:00")! })
        let calls = queues.file("calls.csv")
        #expect(!calls.rows.isEmpty)
        for id in calls.customerIDs {
            let start = Days.parseISOUTC(calls.row(customer: id)!["window_start_utc"]!)!
            let local = Days.local(start, zone: queues.zone(of: id))
            #expect((10..<12).contains(local.hour) && local.minute == 0, "\(id) at \(local.hour):\(local.minute)")
        }
    }

    @Test func aDayWithoutWindowsDefersEveryAccountAsBetterAnotherDay() throws {
        let saturday = try BuiltQueues(Self.export(asOf: "2026-06-20"), policy: Self.today())
        #expect(saturday.file("calls.csv").rows.isEmpty)
        #expect(saturday.output.exclusions["better_another_day"] == 12)
        #expect(saturday.output.exclusions["capacity"] == 0)
    }

    @Test func aStrongerWindowLaterInTheWeekIsWaitedFor() throws {
        // With no discount for waiting (and no capacity to fill), an account whose best window is on another day in
        // a block the UTC 08–18 team reaches in its zone waits for it; a best window in a block never reached does not.
        let patient = try BuiltQueues(Self.export(), policy: Self.today { $0.waitDiscountPerDay = 1 })
        let waiting = patient.output.exclusions["better_another_day"]!
        #expect(patient.file("calls.csv").rows.count + waiting == 12)
        let unreached = ["Europe/Madrid": ["08"], "America/New_York": ["14", "16"], "Europe/London": []]
        for id in patient.file("calls.csv").customerIDs {
            let row = patient.file("calls.csv").row(customer: id)!
            let best = row["best_window_local"]!, block = String(best.dropFirst(4).prefix(2))
            #expect(best.hasPrefix("Wed") || unreached[patient.zone(of: id)]!.contains(block),
                    "\(id) is called today but its best window is \(best)")
        }
    }

    @Test func consumerRulesKeepAConversationSevenDaysQuiet() throws {
        var hand = Self.export()
        hand.call("A00", day: -3, hour: 11, outcome: "right_party")  // a conversation 3 days ago: quiet until day +4
        hand.call("A01", day: -8, hour: 11, outcome: "right_party")  // 8 days ago: callable again
        let consumer = try BuiltQueues(hand, policy: Self.today { $0.contactRules = .consumer })
        #expect(!consumer.file("calls.csv").customerIDs.contains("A00"))
        #expect(consumer.file("calls.csv").customerIDs.contains("A01"))
        #expect(consumer.output.exclusions["recent_conversation"] == 1)
        let b2b = try BuiltQueues(hand, policy: Self.today())
        #expect(b2b.file("calls.csv").customerIDs.contains("A00"))
        #expect(b2b.output.exclusions["recent_conversation"] == 0)
    }

    @Test func planKeysAreValidatedNamingFileAndKey() throws {
        let folder = try TemporaryFolder("plan-policy")
        for (text, key) in [(#"{"team_hours": "18:00-08:00"}"#, "team_hours"), (#"{"team_timezone": "Mars/Olympus"}"#, "team_timezone"),
                            (#"{"calling_hours": "8-21"}"#, "calling_hours"), (#"{"plan": "month"}"#, "plan"),
                            (#"{"calls_per_slot": -1}"#, "calls_per_slot"), (#"{"contact_rules": "retail"}"#, "contact_rules"),
                            (#"{"wait_discount_per_day": 2}"#, "wait_discount_per_day")] {
            let path = try folder.write("policy.json", text)
            do {
                _ = try QueuePolicy.load(path: path)
                Issue.record("\(text) was accepted")
            } catch let error as PolicyError {
                #expect(error.description.hasPrefix(path) && error.description.contains(key), "\(error)")
            }
        }
        let good = try folder.write("good.json", #"{"plan": "today", "team_timezone": "America/Chicago", "team_hours": "09:00-17:00", "calls_per_slot": 40, "contact_rules": "consumer"}"#)
        let policy = try QueuePolicy.load(path: good)
        #expect(policy.plan == .today && policy.teamHours == DayHours(start: 540, end: 1020) && policy.callsPerSlot == 40)
        #expect(policy.contactCapAttempts == 7 && policy.contactCapDays == 7, "the consumer preset's cap")
        let override = try folder.write("override.json", #"{"contact_rules": "consumer", "contact_cap_attempts": 5}"#)
        #expect(try QueuePolicy.load(path: override).contactCapAttempts == 5)
    }
}
