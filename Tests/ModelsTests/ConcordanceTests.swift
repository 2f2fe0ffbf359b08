@testable import Models
import Foundation
import Testing
import Metrics

/// Harrell's C against lifelines' `concordance_index` and a brute-force O(n²) count.
struct ConcordanceTests {
    /// Every pair checked directly, with lifelines' rules for tied times.
    static func bruteForce(durations: [Double], events: [Bool], risks: [Double]) -> Concordance {
        var concordant = 0, tied = 0, comparable = 0
        for i in durations.indices where events[i] {
            for j in durations.indices where j != i {
                let later = durations[j] > durations[i] || (durations[j] == durations[i] && !events[j])
                guard later else { continue }
                comparable += 1
                if risks[i] > risks[j] { concordant += 1 } else if risks[i] == risks[j] { tied += 1 }
            }
        }
        return Concordance(concordantPairs: concordant, tiedRiskPairs: tied, comparablePairs: comparable)
    }

    @Test func matchesLifelinesExactly() throws {
        let reference = try Fixture.json("cox_reference.json")
        let cases = try #require(reference["concordance_cases"] as? [[String: Any]])
        #expect(cases.count == 3)
        for (k, entry) in cases.enumerated() {
            let durations = try #require(entry["durations"] as? [Double])
            let events = try #require(entry["events"] as? [Double]).map { $0 == 1 }
            let risks = try #require(entry["risks"] as? [Double])
            let result = try Concordance.harrell(durations: durations, events: events, risks: risks)
            #expect(result.concordantPairs == Int(try #require(entry["correct"] as? Double)), "case \(k)")
            #expect(result.tiedRiskPairs == Int(try #require(entry["tied"] as? Double)), "case \(k)")
            #expect(result.comparablePairs == Int(try #require(entry["pairs"] as? Double)), "case \(k)")
            #expect(result.index == (entry["concordance"] as? Double), "case \(k)")
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func matchesBruteForce(seed: Int) throws {
        var random = TestRandom(seed: UInt64(seed))
        let n = 40 + 30 * seed
        let durations = (0..<n).map { _ in (random.uniform() * Double(3 * seed)).rounded() }
        let events = (0..<n).map { _ in random.uniform() < 0.6 }
        let risks = (0..<n).map { _ in (random.normal() * 2).rounded() / 2 }
        let fast = try Concordance.harrell(durations: durations, events: events, risks: risks)
        #expect(fast == Self.bruteForce(durations: durations, events: events, risks: risks))
    }

    @Test func perfectReversedAndConstantRankings() throws {
        let durations: [Double] = [1, 2, 3, 4, 5]
        let events = [true, true, true, true, true]
        #expect(try Concordance.harrell(durations: durations, events: events, risks: [5, 4, 3, 2, 1]).index == 1)
        #expect(try Concordance.harrell(durations: durations, events: events, risks: [1, 2, 3, 4, 5]).index == 0)
        let constant = try Concordance.harrell(durations: durations, events: events, risks: [0, 0, 0, 0, -0.0])
        #expect(constant.index == 0.5 && constant.tiedRiskPairs == 10 && constant.discordantPairs == 0)
    }

    @Test func noComparablePairsGivesNil() throws {
        #expect(try Concordance.harrell(durations: [1, 2], events: [false, false], risks: [1, 2]).index == nil)
        #expect(try Concordance.harrell(durations: [3, 3], events: [true, true], risks: [1, 2]).index == nil)
        #expect(try Concordance.harrell(durations: [1, 2], events: [false, true], risks: [1, 2]).comparablePairs == 0)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: MetricsError.lengthMismatch(argument: "events", expected: 2, actual: 1)) {
            try Concordance.harrell(durations: [1, 2], events: [true], risks: [1, 2])
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "risks", expected: 2, actual: 3)) {
            try Concordance.harrell(durations: [1, 2], events: [true, false], risks: [1, 2, 3])
        }
        #expect(throws: MetricsError.empty) { try Concordance.harrell(durations: [], events: [], risks: []) }
        #expect(throws: MetricsError.nonFinite(index: 1)) {
            try Concordance.harrell(durations: [1, 2], events: [true, false], risks: [1, .nan])
        }
        #expect(throws: MetricsError.nonFinite(index: 0)) {
            try Concordance.harrell(durations: [.infinity, 2], events: [true, false], risks: [1, 2])
        }
    }
}
