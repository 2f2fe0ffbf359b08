import CivilTime
import Foundation
import Receivables
import TestSupport
import Testing

/// selections.csv: the queue's archived selections, read strictly (it is arscore's own output fed back).
@Suite("Selection log")
struct SelectionLogTests {
    static let ids = ["007": Int32(0), "7": 1, "C3": 2]

    static func load(_ text: String?) throws -> SelectionLog? {
        let folder = try TemporaryFolder("selections")
        if let text { try folder.write("selections.csv", text) }
        return try SelectionLog.load(folder: folder.path, customerIndex: { Self.ids[$0] })
    }

    @Test func rowsAreReadWithTheirCustomerAndProbability() throws {
        let log = try #require(try Self.load("""
            selection_probability,selection,customer_id,as_of_date
            0.1,holdout,C3,2026-03-03
            1,priority,007,2026-03-02
            0.05,explore,7,2026-03-02
            0.1,holdout,007,2026-03-03

            """))
        let march2 = try #require(CivilDate.parseExact("2026-03-02"))
        #expect(log.days == [march2, march2 + 1])
        #expect(log.entries.map(\.customer) == [0, 1, 0, 2], "sorted by day, then customer")
        #expect(log.entries.map(\.called) == [true, true, false, false])
        #expect(log.holdoutProbability(on: march2) == 0 && log.holdoutProbability(on: march2 + 1) == 0.1)
        // Before the holdout draw: q for a held-out row, (1 − q) × the printed probability for a called one.
        #expect(log.unconditionalProbability(of: log.entries[1], holdout: 0.1) == 0.9 * 0.05)
        #expect(log.unconditionalProbability(of: log.entries[3], holdout: 0.1) == 0.1)
    }

    @Test func aMissingFileIsNoLog() throws {
        #expect(try Self.load(nil) == nil)
    }

    @Test(arguments: [
        ("as_of_date,customer_id,selection\n", "line 1, column \"selection_probability\": missing required column"),
        ("as_of_date,customer_id,selection,selection_probability\n2026-13-01,007,priority,1\n", "line 2, column \"as_of_date\""),
        ("as_of_date,customer_id,selection,selection_probability\n2026-03-01,8,priority,1\n", "unknown customer_id"),
        ("as_of_date,customer_id,selection,selection_probability\n2026-03-01,007,called,1\n", "one of priority, explore, holdout"),
        ("as_of_date,customer_id,selection,selection_probability\n2026-03-01,007,explore,0\n", "probability in (0, 1]"),
        ("as_of_date,customer_id,selection,selection_probability\n2026-03-01,007,explore,1.5\n", "probability in (0, 1]"),
        ("as_of_date,customer_id,selection,selection_probability\n2026-03-01,007,explore,nan\n", "probability in (0, 1]"),
        ("as_of_date,customer_id,selection,selection_probability\n2026-03-01,007,priority,1\n2026-03-01,007,holdout,0.1\n",
         "line 3, column \"customer_id\": the account is logged twice on 2026-03-01"),
    ])
    func aBadRowFailsTheLoadNamingLineAndColumn(_ text: String, _ expected: String) throws {
        #expect { try Self.load(text) } throws: { error in
            "\(error)".contains("selections.csv") && "\(error)".contains(expected)
        }
    }
}

extension SelectionLogTests {
    /// Only a missing entry is no log: a dangling link or a folder named selections.csv is an error.
    @Test func anEntryThatCannotBeReadIsAnErrorNotAMissingLog() throws {
        let dangling = try TemporaryFolder("selections-link")
        try FileManager.default.createSymbolicLink(atPath: dangling.path("selections.csv"), withDestinationPath: "/nonexistent/x.csv")
        #expect(throws: (any Error).self) { try SelectionLog.load(folder: dangling.path, customerIndex: { _ in 0 }) }
        let folder = try TemporaryFolder("selections-folder")
        try FileManager.default.createDirectory(atPath: folder.path("selections.csv"), withIntermediateDirectories: false)
        #expect(throws: (any Error).self) { try SelectionLog.load(folder: folder.path, customerIndex: { _ in 0 }) }
    }
}
