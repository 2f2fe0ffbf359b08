import CivilTime
@testable import Features
import Foundation
import Receivables
import TestSupport
import Testing

/// The no-leakage guarantee: features as of T are identical when every row dated on or after T is deleted
/// from the export files.
@Suite struct LeakageTests {
    /// Snapshot dates: a month start, the day after the US DST change, mid-year, and the history's last days.
    static let cutoffs = ["2026-01-01", "2026-02-15", "2026-03-09", "2026-04-30", "2026-06-17", "2026-08-03",
                          "2026-09-14", "2026-10-05", "2026-10-31", "2026-11-01"]

    @Test(arguments: cutoffs)
    func snapshotIsUnchangedWhenLaterRowsAreDeleted(_ cutoff: String) throws {
        let full = smallGenerated
        let t = day(cutoff)
        let truncatedFolder = try TemporaryFolder("truncated")
        let (kept, dropped) = try truncate(full.files, into: truncatedFolder.path, before: t)
        if t < full.end { #expect(dropped > 0) }
        #expect(kept > 0)
        let truncated = try ExportLoader.load(folder: truncatedFolder.path)
        #expect(truncated.quarantine.isEmpty, "the truncated export must load cleanly: \(truncated.quarantine.prefix(3))")
        let truncatedBuilder = FeatureBuilder(export: truncated)

        let expected = full.builder.snapshot(asOf: t)
        let actual = truncatedBuilder.snapshot(asOf: t)
        #expect(expected.rowCount > 50)
        do { let same = identical(expected, actual); #expect(same, "\(firstDifference(expected, actual))") }

        // Every customer, whatever its balance (the fills and zero rows too).
        let everyone = (0..<Int32(full.export.customers.count)).map { $0 }
        let expectedAll = full.builder.features(of: everyone, asOf: t)
        let actualAll = truncatedBuilder.features(of: everyone, asOf: t)
        do { let same = identical(expectedAll, actualAll); #expect(same, "\(firstDifference(expectedAll, actualAll))") }

        // The snapshot exercises what could leak: calls, open and resolved promises, payments, disputes
        // (from four months into the history on; the first snapshot has seen only two months).
        if t >= day("2026-03-01") && t < full.end {
            #expect(expected.column(.attempts30d).contains { $0 > 0 })
            #expect(expected.column(.promisesOpen).contains { $0 > 0 })
            #expect(expected.column(.promisesKept).contains { $0 > 0 })
            #expect(expected.column(.hasDispute).contains { $0 > 0 })
            #expect(expected.column(.pastDueChange30d).contains { $0 != 0 })
        }
    }

    @Test func promiseFeaturesAtCreationAreUnchangedWhenLaterRowsAreDeleted() throws {
        // A promise record's features are a snapshot at its created date: cut the data right there.
        let full = smallGenerated
        let records = full.builder.promiseRecords()
        let t = day("2026-07-01")
        let truncatedFolder = try TemporaryFolder("truncated-promises")
        _ = try truncate(full.files, into: truncatedFolder.path, before: t)
        let truncated = FeatureBuilder(export: try ExportLoader.load(folder: truncatedFolder.path))
        let truncatedRecords = truncated.promiseRecords()
        // Promises created before the cut are in both, in the same order, with the same features.
        let before = records.createdDate.indices.filter { records.createdDate[$0] < t }
        #expect(before.count > 20)
        #expect(truncatedRecords.count == before.count)
        let expected = records.selectingRows(before).features
        do { let same = identical(expected, truncatedRecords.features); #expect(same, "\(firstDifference(expected, truncatedRecords.features))") }
    }

    @Test func truncationDropsPromiseCallsOnLaterUTCDays() throws {
        // The generator dates a promise by the customer's local day; its call may fall on the next UTC day
        // (e.g. 17:00 in Los Angeles). The truncation keeps such promises with an empty call_id — otherwise the
        // truncated export would quarantine them. Check that the situation really occurs in the test data.
        let export = smallGenerated.export
        var laterCalls = 0
        for p in 0..<export.promises.count where export.promises.call[p] >= 0 {
            let callDay = Timestamp.utcDay(export.calls.startedAt[Int(export.promises.call[p])])
            if callDay > export.promises.createdDate[p] { laterCalls += 1 }
            #expect(callDay >= export.promises.createdDate[p] - 1)
        }
        #expect(laterCalls > 0)
    }
}
