@testable import Features
import Foundation
import Testing

/// `SnapshotRowSampling`: the seeded, order-independent rule that keeps a share π of the training rows.
@Suite("Snapshot row sampling")
struct SnapshotRowSamplingTests {
    /// (snapshot date, customer_id) rows: 12 monthly-ish dates × 2,500 customers.
    static let rows: [(date: Int32, customer: String)] = (0..<12).flatMap { month in
        (0..<2_500).map { (date: Int32(20_500 + 30 * month), customer: "C\(100_000 + $0)") }
    }

    static func keptKeys(_ rule: SnapshotRowSampling, _ rows: [(date: Int32, customer: String)]) -> Set<String> {
        Set(rows.filter { rule.keeps(snapshotDate: $0.date, customerID: $0.customer) }.map { "\($0.date)|\($0.customer)" })
    }

    /// π = budget / rows, and a kept row's weight is 1/π.
    @Test func keepProbabilityAndWeightFollowTheBudget() {
        let rule = SnapshotRowSampling(seed: 7, rowBudget: 9_000, totalRows: 30_000)
        #expect(rule.keepProbability == 0.3)
        #expect(abs(rule.rowWeight - 1 / 0.3) < 1e-12)
        #expect(!rule.keepsEveryRow)
    }

    /// The same seed keeps the same rows whatever the order they are met in; another seed keeps other rows.
    @Test func decisionIsDeterministicAndIndependentOfRowOrder() {
        let rule = SnapshotRowSampling(seed: 7, rowBudget: 9_000, totalRows: Self.rows.count)
        var generator = SystemRandomNumberGenerator()
        let shuffled = Self.rows.shuffled(using: &generator)
        let kept = Self.keptKeys(rule, Self.rows)
        #expect(kept == Self.keptKeys(rule, shuffled))
        #expect(kept == Self.keptKeys(SnapshotRowSampling(seed: 7, rowBudget: 9_000, totalRows: Self.rows.count), Self.rows))
        let other = Self.keptKeys(SnapshotRowSampling(seed: 8, rowBudget: 9_000, totalRows: Self.rows.count), Self.rows)
        #expect(other != kept)
        // Two independent 30 % samples overlap in about 9 % of the rows, far from all of them.
        #expect(Double(kept.intersection(other).count) < 0.15 * Double(Self.rows.count))
    }

    /// The kept share lies within 5 binomial standard deviations of π, overall and on every snapshot date,
    /// so the weighted row count (kept × 1/π) estimates the full row count.
    @Test(arguments: [0.05, 0.3, 0.8])
    func keptShareIsWithinBinomialBoundsOfPi(_ pi: Double) {
        let total = Self.rows.count
        let rule = SnapshotRowSampling(seed: 11, rowBudget: Int((pi * Double(total)).rounded()), totalRows: total)
        let p = rule.keepProbability
        let kept = Self.keptKeys(rule, Self.rows).count
        let sd = (Double(total) * p * (1 - p)).squareRoot()
        #expect(abs(Double(kept) - p * Double(total)) <= 5 * sd, "kept \(kept) of \(total) at π = \(p)")
        #expect(abs(Double(kept) * rule.rowWeight - Double(total)) <= 5 * sd * rule.rowWeight)
        for date in Set(Self.rows.map(\.date)) {
            let onDate = Self.rows.filter { $0.date == date }
            let keptOnDate = Self.keptKeys(rule, onDate).count
            let sdOnDate = (Double(onDate.count) * p * (1 - p)).squareRoot()
            #expect(abs(Double(keptOnDate) - p * Double(onDate.count)) <= 5 * sdOnDate, "date \(date): kept \(keptOnDate)")
        }
    }

    /// A budget at or above the row count keeps every row with weight exactly 1.
    @Test(arguments: [30_000, 30_001, 1_000_000])
    func budgetAboveTheRowCountKeepsEveryRow(_ budget: Int) {
        let rule = SnapshotRowSampling(seed: 3, rowBudget: budget, totalRows: Self.rows.count)
        #expect(rule.keepsEveryRow)
        #expect(rule.rowWeight == 1)
        #expect(Self.keptKeys(rule, Self.rows).count == Self.rows.count)
    }

    /// The hash fraction is spread over [0, 1): each decile holds about a tenth of the rows.
    @Test func hashFractionIsUniformOverDeciles() {
        var deciles = [Int](repeating: 0, count: 10)
        for row in Self.rows {
            let u = SnapshotRowSampling.unitFraction(seed: 5, snapshotDate: row.date, customerID: row.customer)
            #expect(u >= 0 && u < 1)
            deciles[min(9, Int(u * 10))] += 1
        }
        let expected = Double(Self.rows.count) / 10, sd = (expected * 0.9).squareRoot()
        for count in deciles { #expect(abs(Double(count) - expected) <= 5 * sd, "deciles \(deciles)") }
    }
}

/// `FeatureBuilder.snapshots(asOf:keeping:)`: a sampled snapshot table holds exactly the kept rows of the full one,
/// with the same features, so sampling inside the snapshot loop changes which rows exist and nothing else.
@Suite("Sampled snapshots")
struct SampledSnapshotTests {
    @Test func sampledTableIsTheKeptSubsetOfTheFullTable() {
        let generated = mediumGenerated
        let dates = FeatureBuilder.monthlySnapshotDates(from: generated.end - 240, to: generated.end - 30)
        let full = generated.builder.snapshots(asOf: dates)
        let ids = generated.export.customers.ids
        let rule = SnapshotRowSampling(seed: 42, rowBudget: full.rowCount / 4, totalRows: full.rowCount)
        let idOf = (0..<generated.builder.customerCount).map { ids.id($0) }
        let sampled = generated.builder.snapshots(asOf: dates) { date, customer in
            rule.keeps(snapshotDate: date, customerID: idOf[customer])
        }
        let keptRows = (0..<full.rowCount).filter {
            rule.keeps(snapshotDate: full.asOf[$0], customerID: idOf[Int(full.customers[$0])])
        }
        #expect(sampled.rowCount > 0 && sampled.rowCount < full.rowCount)
        #expect(sampled.rowCount == keptRows.count)
        #expect(sampled.customers == keptRows.map { full.customers[$0] })
        #expect(sampled.asOf == keptRows.map { full.asOf[$0] })
        // Values are column-major: column j of the sampled table is column j of the full one at the kept rows.
        #expect(sampled.values == (0..<full.columnCount).flatMap { j in keptRows.map { full.values[j * full.rowCount + $0] } })
        let windows = full.windowCounts.attempts.count / full.rowCount
        #expect(sampled.windowCounts.attempts
            == keptRows.flatMap { full.windowCounts.attempts[($0 * windows)..<(($0 + 1) * windows)] })
    }

    /// Keeping every row gives the very table `snapshots(asOf:)` gives.
    @Test func keepingEveryRowChangesNothing() {
        let generated = smallGenerated
        let dates = FeatureBuilder.monthlySnapshotDates(from: generated.end - 180, to: generated.end - 30)
        let full = generated.builder.snapshots(asOf: dates)
        let all = generated.builder.snapshots(asOf: dates) { _, _ in true }
        #expect(all.customers == full.customers && all.asOf == full.asOf && all.values == full.values)
        #expect(all.windowCounts.attempts == full.windowCounts.attempts)
    }
}

/// The pieces training uses to stay within its memory budget: the cheap row count, the per-customer hash, tables that
/// store only some columns and no call counts, and promise records restricted to the promise model's columns.
@Suite("Bounded-memory snapshot tables")
struct BoundedSnapshotTableTests {
    static let dates = FeatureBuilder.monthlySnapshotDates(from: mediumGenerated.end - 240, to: mediumGenerated.end - 30)

    @Test func theRowCountIsTheSnapshotRowCount() {
        let builder = mediumGenerated.builder
        #expect(builder.snapshotRowCount(asOf: Self.dates) == builder.snapshots(asOf: Self.dates).rowCount)
        #expect(builder.snapshotRowCount(asOf: [Self.dates[0]]) == builder.snapshot(asOf: Self.dates[0]).rowCount)
        #expect(builder.snapshotRowCount(asOf: []) == 0)
    }

    /// Hashing the id once per customer decides exactly as hashing it per row.
    @Test func theCustomerHashDecidesAsTheID() {
        let rule = SnapshotRowSampling(seed: 9, rowBudget: 3_000, totalRows: 10_000)
        for row in SnapshotRowSamplingTests.rows.prefix(5_000) {
            #expect(rule.keeps(snapshotDate: row.date, customerID: row.customer)
                == rule.keeps(snapshotDate: row.date, customerHash: SnapshotRowSampling.customerIDHash(row.customer.utf8)))
        }
    }

    /// A table storing some columns holds exactly those columns of the full table, and no window counts when asked.
    @Test func aProjectedTableHoldsTheFullTablesColumns() throws {
        let builder = mediumGenerated.builder
        let full = builder.snapshots(asOf: Self.dates)
        let columns: [Feature] = [.log1pPastDueBalance, .openBalance, .rpcRate90d, .tenureDays]
        let projected = builder.snapshots(asOf: Self.dates, columns: columns, windowCounts: false) { _, _ in true }
        #expect(projected.columnNames == columns.map(\.name))
        #expect(projected.customers == full.customers && projected.asOf == full.asOf)
        for feature in columns { #expect(Array(projected.column(feature)) == Array(full.column(feature))) }
        #expect(!projected.windowCounts.isPresent && projected.windowCounts.attempts.isEmpty)
        #expect(projected.selectingRows([0, 2]).rowCount == 2)
        let withWindows = builder.snapshots(asOf: Self.dates, columns: columns, windowCounts: true) { _, _ in true }
        #expect(withWindows.windowCounts == full.windowCounts)
        #expect(try withWindows.matrix(columns: ["tenure_days"]).storage == full.matrix(columns: ["tenure_days"]).storage)
    }

    @Test func promiseRecordsWithSomeColumnsMatchTheFullRecords() {
        let builder = mediumGenerated.builder
        let full = builder.promiseRecords()
        let names = ModelFeatures.promiseNames
        let narrow = builder.promiseRecords(columns: names)
        #expect(full.count > 0 && narrow.count == full.count)
        #expect(narrow.kept == full.kept && narrow.known == full.known && narrow.createdDate == full.createdDate)
        #expect(narrow.features.columnNames == names)
        #expect(!narrow.features.windowCounts.isPresent)
        for name in names { #expect(Array(narrow.features.column(named: name)!) == Array(full.features.column(named: name)!)) }
    }
}
