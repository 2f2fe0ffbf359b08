import Foundation
@testable import Scoring
import TestSupport
import Testing

/// The randomised decisions of the queue (docs/POLICY.md, "Exploration and holdout"): the exploration share of
/// calls.csv and the holdout, each logged with its exact selection probability, deterministic per as-of date and seed.
@Suite("Exploration and holdout shares")
struct ExplorationHoldoutTests {
    /// 60 ordinary callable accounts with distinct balances, so the priority order is total.
    static func export(asOf: String = "2026-06-17") -> HandExport {
        var hand = HandExport(asOf: asOf)
        for k in 0..<60 {
            hand.regular(String(format: "C%02d", k), zone: k % 2 == 0 ? "Europe/Madrid" : "America/New_York",
                         amount: 200 + 37 * Double(k))
        }
        return hand
    }

    /// The weekly list (`plan: week`) unless told: the order properties below (explore picks below the priority part in
    /// priority order, the pure top) are its; today's plan's exploration is TodayPlanTests'. The determinism and holdout
    /// tests run under both.
    static func policy(capacity: Int? = 20, exploration: Double = 0.25, holdout: Double = 0, seed: Int = 1,
                       plan: PlanMode = .week) -> QueuePolicy {
        QueuePolicy(capacity: capacity, explorationShare: exploration, holdoutShare: holdout, policySeed: seed, plan: plan)
    }

    /// The reference outputs of `splitmix64.c` seeded with 1234567.
    @Test func splitMixGivesTheReferenceSequence() {
        var generator = SplitMix64(state: 1_234_567)
        #expect((0..<5).map { _ in generator.next() }
            == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    @Test func countsRoundDownAsWrittenInDecimals() {
        #expect(QueueDraw.count(share: 0.05, of: 50) == 2)
        #expect(QueueDraw.count(share: 0.29, of: 100) == 29)
        #expect(QueueDraw.count(share: 0.05, of: 19) == 0)
        #expect(QueueDraw.count(share: 1, of: 7) == 7 && QueueDraw.count(share: 0, of: 7) == 0)
    }

    /// Each of 10 accounts is drawn in about 3 of 10 samples of 3 (20 000 seeded draws): uniform without replacement.
    @Test func sampleIsUniformWithoutReplacement() {
        var generator = SplitMix64(seed: 7, day: 20_000, stream: QueueDraw.explorationStream)
        var counts = [Int](repeating: 0, count: 10)
        let draws = 20_000
        for _ in 0..<draws {
            let picked = QueueDraw.sample(Array(0..<10), count: 3, generator: &generator, id: { String($0) })
            #expect(Set(picked).count == 3)
            for row in picked { counts[row] += 1 }
        }
        for count in counts { #expect(abs(Double(count) / Double(draws) - 0.3) < 0.015, "\(counts)") }
    }

    @Test(arguments: PlanMode.allCases)
    func sameAsOfAndSeedGiveTheSamePicks(_ plan: PlanMode) throws {
        let policy = Self.policy(holdout: 0.1, plan: plan)
        let first = try BuiltQueues(Self.export(), policy: policy), second = try BuiltQueues(Self.export(), policy: policy)
        for (a, b) in zip(first.output.files, second.output.files) { #expect(a.contents == b.contents, "\(a.name)") }
        #expect(first.output.draws == second.output.draws)
    }

    @Test func anotherAsOfDateOrSeedGivesOtherPicks() throws {
        let folder = try TemporaryFolder("explore")
        let hand = Self.export()
        try hand.write(to: folder.path)
        func picks(asOf: Int, seed: Int) throws -> (explore: [String], holdout: [String]) {
            let queues = try BuiltQueues(folder: folder.path, asOf: asOf, policy: Self.policy(holdout: 0.1, seed: seed))
            let calls = queues.file("calls.csv")
            return (calls.customerIDs.enumerated().filter { calls.rows[$0.offset][21] == "explore" }.map(\.element),
                    queues.file("holdout.csv").customerIDs)
        }
        let today = try picks(asOf: hand.asOf, seed: 1)
        #expect(today.explore.count == 5 && today.holdout.count == 6)
        for other in [try picks(asOf: hand.asOf + 1, seed: 1), try picks(asOf: hand.asOf, seed: 2)] {
            #expect(other.explore != today.explore && other.holdout != today.holdout)
        }
    }

    /// capacity 20 × 0.25: 15 picks by rank, the pure top 15, then 5 explore picks from the 45 below them, with
    /// probability 5 / 45; the file stays sorted by priority and ranks run over both parts.
    @Test func explorePicksComeFromBelowThePriorityPartWithTheirExactProbability() throws {
        let pure = try BuiltQueues(Self.export(), policy: Self.policy(exploration: 0))
        let queues = try BuiltQueues(Self.export(), policy: Self.policy())
        let calls = queues.file("calls.csv"), ranking = pure.output.candidateRows
        #expect(calls.rows.count == 20 && calls.column("rank") == (1...20).map(String.init))
        #expect(calls.column("selection") == [String](repeating: "priority", count: 15) + [String](repeating: "explore", count: 5))
        #expect(Array(queues.output.callRows.prefix(15)) == Array(ranking.prefix(15)))
        let explore = Array(queues.output.callRows.suffix(5))
        #expect(Set(explore).isSubset(of: ranking.dropFirst(15)), "explore picks are never in the priority part")
        let positions = explore.map { ranking.firstIndex(of: $0)! }
        #expect(positions == positions.sorted(), "explore picks follow in priority order")
        let priority = calls.numbers("priority")
        #expect(zip(priority, priority.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(calls.column("selection_probability") == [String](repeating: "1.0000", count: 15)
            + [String](repeating: String(format: "%.4f", 5.0 / 45), count: 5))
        let draws = queues.output.draws
        #expect(draws.priorityCalls == 15 && draws.exploreCalls == 5 && draws.explorationPool == 45)
        #expect(queues.output.exclusions["capacity"] == 40)
    }

    /// A short day (capacity 62 > 60 candidates, explore count 6): only 4 candidates are left below the 56 picks by
    /// rank, all called with probability 1. With no capacity the lowest ⌊share × candidates⌋ are labelled explore,
    /// probability 1.
    @Test func shortDaysAndNoCapacityCallEveryCandidateLeft() throws {
        let short = try BuiltQueues(Self.export(), policy: Self.policy(capacity: 62, exploration: 0.1))
        #expect(short.file("calls.csv").rows.count == 60 && short.output.callRows == short.output.candidateRows)
        #expect(short.output.draws.priorityCalls == 56 && short.output.draws.exploreCalls == 4)
        #expect(short.output.draws.explorationPool == 4)
        #expect(short.file("calls.csv").column("selection").suffix(4) == ["explore", "explore", "explore", "explore"])
        #expect(short.file("calls.csv").column("selection_probability").allSatisfy { $0 == "1.0000" })
        let open = try BuiltQueues(Self.export(), policy: Self.policy(capacity: nil, exploration: 0.1))
        let calls = open.file("calls.csv")
        #expect(calls.rows.count == 60 && open.output.callRows == open.output.candidateRows)
        #expect(calls.column("selection") == [String](repeating: "priority", count: 54) + [String](repeating: "explore", count: 6))
        #expect(calls.column("selection_probability").allSatisfy { $0 == "1.0000" })
    }

    /// ⌊0.1 × 60⌋ = 6 candidates held out before ranking: listed in holdout.csv with probability 6 / 60, counted under
    /// `holdout`, never called; the calls are chosen among the 54 others.
    @Test(arguments: PlanMode.allCases)
    func heldOutAccountsAreListedCountedAndNeverCalled(_ plan: PlanMode) throws {
        let queues = try BuiltQueues(Self.export(), policy: Self.policy(holdout: 0.1, plan: plan))
        let holdout = queues.file("holdout.csv"), calls = queues.file("calls.csv")
        #expect(holdout.header == QueueBuilder.holdoutHeader)
        #expect(holdout.rows.count == 6 && holdout.column("rank") == (1...6).map(String.init))
        #expect(Set(holdout.customerIDs).isDisjoint(with: calls.customerIDs))
        #expect(holdout.column("selection_probability").allSatisfy { $0 == "0.1000" })
        let priority = holdout.numbers("priority")
        #expect(zip(priority, priority.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(queues.output.exclusions["holdout"] == 6 && queues.output.candidateRows.count == 54)
        #expect(queues.output.draws.heldOut == 6 && queues.output.draws.holdoutPool == 60)
        #expect(queues.output.exclusions.values.reduce(0, +) + calls.rows.count == queues.output.accountsScored)
        #expect(queues.output.files.first { $0.name == "holdout.csv" }?.rows == 6)
        let row = try #require(holdout.row(customer: holdout.customerIDs[0]))
        let scoredRow = try #require(queues.row(of: holdout.customerIDs[0]))
        #expect(row["p_pay"] == String(format: "%.4f", queues.scored.pPay[scoredRow]))
        #expect(row["past_due_balance"] == String(format: "%.2f", queues.output.callablePastDue[scoredRow]))
    }

    /// Both shares 0: the pure top by priority, every row `priority` / 1.0000, holdout.csv header only.
    @Test func zeroSharesGiveThePureTopByPriority() throws {
        let queues = try BuiltQueues(Self.export(), policy: Self.policy(exploration: 0))
        let calls = queues.file("calls.csv")
        #expect(queues.output.callRows == Array(queues.output.candidateRows.prefix(20)))
        #expect(calls.column("selection").allSatisfy { $0 == "priority" })
        #expect(calls.column("selection_probability").allSatisfy { $0 == "1.0000" })
        let holdout = try #require(queues.output.files.first { $0.name == "holdout.csv" })
        #expect(String(decoding: holdout.contents, as: UTF8.self) == QueueBuilder.holdoutHeader.joined(separator: ",") + "\n")
    }
}
