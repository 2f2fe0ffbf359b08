import CallGrid
@testable import Features
import Foundation
import Receivables
import TestSupport
import Testing

@Suite struct TrainingSetTests {
    @Test func monthlyDatesAreFirstsOfMonthsInTheHalfOpenRange() {
        #expect(FeatureBuilder.monthlySnapshotDates(from: day("2025-11-01"), to: day("2026-02-01"))
            == [day("2025-11-01"), day("2025-12-01"), day("2026-01-01")])
        #expect(FeatureBuilder.monthlySnapshotDates(from: day("2025-11-02"), to: day("2026-02-02"))
            == [day("2025-12-01"), day("2026-01-01"), day("2026-02-01")])
        #expect(FeatureBuilder.monthlySnapshotDates(from: day("2026-01-01"), to: day("2026-01-01")).isEmpty)
        #expect(FeatureBuilder.snapshotDates(from: day("2026-01-01"), to: day("2026-01-20"), schedule: .everyDays(7))
            == [day("2026-01-01"), day("2026-01-08"), day("2026-01-15")])
    }

    @Test func stackedSnapshotsWithLabels() throws {
        let data = smallGenerated
        let builder = data.builder
        #expect(builder.defaultTrainingStart() == FeatureBuilder.monthlySnapshotDates(
            from: builder.firstInvoiceDate + 90, to: builder.firstInvoiceDate + 130).first)
        let set = builder.trainingSet(from: day("2026-01-01"), to: builder.dataEnd, horizonDays: 30)
        #expect(set.snapshotDates == FeatureBuilder.monthlySnapshotDates(from: day("2026-01-01"), to: day("2026-11-01")))
        #expect(set.labels.count == set.rowCount)
        #expect(set.features.values.allSatisfy { $0.isFinite })
        var start = 0
        for date in set.snapshotDates {
            let snapshot = builder.snapshot(asOf: date)
            let rows = Array(start..<(start + snapshot.rowCount))
            do { let same = identical(set.features.selectingRows(rows), snapshot); #expect(same) }
            #expect(set.labels.selectingRows(rows) == builder.labels(for: snapshot, horizonDays: 30))
            start += snapshot.rowCount
        }
        #expect(start == set.rowCount)
        // The last snapshot (2026-10-01) still has a full 30-day horizon before 2026-11-01; a 60-day one does not.
        #expect(set.labels.horizonObserved.allSatisfy { $0 })
        let longer = builder.trainingSet(from: day("2026-08-01"), horizonDays: 60)
        let observed = longer.droppingUnobservedLabels()
        #expect(observed.snapshotDates == longer.snapshotDates)
        #expect(Set(observed.features.asOf) == [day("2026-08-01"), day("2026-09-01")])
        #expect(observed.rowCount < longer.rowCount)
        let holdout = set.selectingDates { $0 >= day("2026-09-01") }
        #expect(Set(holdout.features.asOf) == [day("2026-09-01"), day("2026-10-01")])
    }

    @Test func featureNamesAreUniqueAndDocumented() throws {
        #expect(Set(Feature.names).count == Feature.allCases.count)
        #expect(Feature(name: "max_days_past_due") == .maxDaysPastDue)
        #expect(CallWindows.names.count == 25 && CallWindows.names[0] == "Mon 08-10" && CallWindows.names[24] == "Fri 16-18")
        // docs/FEATURES.md lists every column. (The check used to pass silently when the file could not be read.)
        let text = try String(contentsOfFile: packageRoot + "/docs/FEATURES.md", encoding: .utf8)
        for name in Feature.names + PromiseFeature.names { #expect(text.contains("`\(name)`"), "\(name) undocumented") }
    }
}
