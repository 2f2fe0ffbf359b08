import CallGrid
import Parallelism

/// Attempts and right-party contacts per local call window (see `CallWindows`), one row per feature-table row,
/// counted over every call dated before the row's as-of date (the call-window model's per-account history).
///
/// Row-major: the counts of row `r` are `attempts[r * 25 ..< (r + 1) * 25]` in window order. A table built without
/// them (a training table, `FeatureBuilder.snapshots(asOf:columns:windowCounts:keeping:)`) has `absent` counts: no
/// values at all, `isPresent` false.
public struct WindowCounts: Sendable, Equatable {
    public var rowCount: Int
    /// Call attempts per row and window.
    public var attempts: [Int32]
    /// Right-party contacts per row and window.
    public var rightPartyContacts: [Int32]

    public init(rowCount: Int, attempts: [Int32], rightPartyContacts: [Int32]) {
        precondition(attempts.count == rowCount * CallWindows.count && rightPartyContacts.count == attempts.count,
                     "window counts must hold 25 values per row")
        self.rowCount = rowCount
        self.attempts = attempts
        self.rightPartyContacts = rightPartyContacts
    }

    private init(absentFor rowCount: Int) {
        self.rowCount = rowCount
        attempts = []
        rightPartyContacts = []
    }

    /// No counts for `rowCount` rows (reading one is a programming error).
    public static func absent(rowCount: Int) -> WindowCounts { WindowCounts(absentFor: rowCount) }

    /// Whether the counts were stored (false for `absent`, unless there are no rows).
    public var isPresent: Bool { attempts.count == rowCount * CallWindows.count }

    /// Attempts of row `row` in window `window`.
    public func attempts(row: Int, window: Int) -> Int32 { attempts[row * CallWindows.count + window] }

    /// Right-party contacts of row `row` in window `window`.
    public func rightPartyContacts(row: Int, window: Int) -> Int32 { rightPartyContacts[row * CallWindows.count + window] }
}

/// A table of features: one row per (customer, as-of date), named `Double` columns stored column-major in one
/// contiguous array, and the per-window call counts alongside.
///
/// Column `j` is `values[j * rowCount ..< (j + 1) * rowCount]`. For a snapshot, rows are in customer order
/// (the order of customers.csv) and `asOf` is the same date on every row; stacked tables (training sets,
/// promise records) carry each row's own date.
public struct FeatureTable: Sendable {
    /// Column names, in column order.
    public var columnNames: [String]
    /// Customer index (row of `ReceivablesExport.customers`) per row.
    public var customers: [Int32]
    /// As-of date per row (days since 1970-01-01): the features use only rows dated before it.
    public var asOf: [Int32]
    /// Column-major values, `rowCount × columnCount`.
    public var values: [Double]
    /// Per-window attempts and right-party contacts per row.
    public var windowCounts: WindowCounts

    public init(columnNames: [String], customers: [Int32], asOf: [Int32], values: [Double], windowCounts: WindowCounts) {
        precondition(asOf.count == customers.count, "one as-of date per row")
        precondition(values.count == customers.count * columnNames.count, "values must hold rowCount × columnCount numbers")
        precondition(windowCounts.rowCount == customers.count, "one window-count row per row")
        self.columnNames = columnNames
        self.customers = customers
        self.asOf = asOf
        self.values = values
        self.windowCounts = windowCounts
    }

    public var rowCount: Int { customers.count }
    public var columnCount: Int { columnNames.count }

    /// Index of the column named `name`.
    public func columnIndex(_ name: String) -> Int? { columnNames.firstIndex(of: name) }

    /// Column `index` (a slice of `values`; contiguous).
    public func column(_ index: Int) -> ArraySlice<Double> {
        values[(index * rowCount)..<((index + 1) * rowCount)]
    }

    /// The column named `name`, or nil.
    public func column(named name: String) -> ArraySlice<Double>? {
        columnIndex(name).map { column($0) }
    }

    /// The column of snapshot feature `feature`.
    public func column(_ feature: Feature) -> ArraySlice<Double> {
        guard let index = columnIndex(feature.name) else { preconditionFailure("no column \(feature.name)") }
        return column(index)
    }

    /// The value at `row` of column `column`.
    public func value(row: Int, column: Int) -> Double { values[column * rowCount + row] }

    /// The value of `feature` at `row`.
    public func value(row: Int, _ feature: Feature) -> Double {
        guard let index = columnIndex(feature.name) else { preconditionFailure("no column \(feature.name)") }
        return values[index * rowCount + row]
    }

    /// Row of customer `customer` (the first one, for stacked tables), or nil.
    public func row(ofCustomer customer: Int32) -> Int? { customers.firstIndex(of: customer) }

    /// The rows `rows` (in that order) of this table.
    public func selectingRows(_ rows: [Int]) -> FeatureTable {
        let count = rows.count, columns = columnCount, oldCount = rowCount
        let selected: [Double] = ArrayBuilder.make(count * columns) { target in
            values.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                for j in 0..<columns {
                    let column = base + j * oldCount, out = target + j * count
                    for (i, row) in rows.enumerated() { out[i] = column[row] }
                }
            }
        }
        guard windowCounts.isPresent else {
            return FeatureTable(columnNames: columnNames, customers: rows.map { customers[$0] }, asOf: rows.map { asOf[$0] },
                                values: selected, windowCounts: .absent(rowCount: count))
        }
        var attempts = [Int32](), contacts = [Int32]()
        attempts.reserveCapacity(count * CallWindows.count)
        contacts.reserveCapacity(count * CallWindows.count)
        for row in rows {
            let range = (row * CallWindows.count)..<((row + 1) * CallWindows.count)
            attempts.append(contentsOf: windowCounts.attempts[range])
            contacts.append(contentsOf: windowCounts.rightPartyContacts[range])
        }
        return FeatureTable(columnNames: columnNames, customers: rows.map { customers[$0] }, asOf: rows.map { asOf[$0] },
                            values: selected,
                            windowCounts: WindowCounts(rowCount: count, attempts: attempts, rightPartyContacts: contacts))
    }

    /// The tables' rows one after another (all must have the same columns).
    public static func stacking(_ tables: [FeatureTable], columnNames: [String]? = nil) -> FeatureTable {
        let names = columnNames ?? tables.first?.columnNames ?? Feature.names
        precondition(tables.allSatisfy { $0.columnNames == names }, "stacked tables must have the same columns")
        let total = tables.reduce(0) { $0 + $1.rowCount }
        let values: [Double] = ArrayBuilder.make(total * names.count) { target in
            var start = 0
            for table in tables {
                table.values.withUnsafeBufferPointer { source in
                    for j in 0..<names.count where table.rowCount > 0 {
                        (target + j * total + start).update(from: source.baseAddress! + j * table.rowCount, count: table.rowCount)
                    }
                }
                start += table.rowCount
            }
        }
        return FeatureTable(
            columnNames: names, customers: tables.flatMap(\.customers), asOf: tables.flatMap(\.asOf), values: values,
            windowCounts: !tables.allSatisfy(\.windowCounts.isPresent) ? .absent(rowCount: total)
                : WindowCounts(rowCount: total, attempts: tables.flatMap(\.windowCounts.attempts),
                               rightPartyContacts: tables.flatMap(\.windowCounts.rightPartyContacts)))
    }
}
