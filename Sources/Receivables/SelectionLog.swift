import CivilTime
import Foundation
import Tabular

/// The queue's logged selections, read from the export's optional `selections.csv`: for each archived as-of day, the
/// accounts calls.csv selected (`priority`, `explore`) and holdout.csv held out (`holdout`), each with the selection
/// probability the queue printed (docs/POLICY.md, "Exploration and holdout").
///
/// Columns: `as_of_date` (YYYY-MM-DD), `customer_id`, `selection` (`priority` | `explore` | `holdout`),
/// `selection_probability` (in (0, 1]). It is the rows of each day's published calls.csv and holdout.csv, so a team
/// builds it by concatenating the queue folders it archived. The file is arscore's own output fed back, so it is read
/// strictly: any bad row fails the load naming the file, line and column (nothing is guessed or dropped).
public struct SelectionLog: Sendable, Equatable {
    /// Why a logged account was selected.
    public enum Selection: String, Sendable, CaseIterable {
        case priority, explore, holdout
    }

    /// One logged selection.
    public struct Entry: Sendable, Equatable {
        /// The as-of day (days since 1970-01-01) and the customer's index in the export's customer table.
        public var asOf: Int32
        public var customer: Int32
        public var selection: Selection
        /// The probability the queue printed: 1 for a pick by rank, the day's explore draw probability, or the day's
        /// holdout probability (priority and explore probabilities are among the accounts not held out).
        public var probability: Double

        public init(asOf: Int32, customer: Int32, selection: Selection, probability: Double) {
            self.asOf = asOf
            self.customer = customer
            self.selection = selection
            self.probability = probability
        }

        /// Whether the queue called the account that day (a pick by rank or an explore pick).
        public var called: Bool { selection != .holdout }
    }

    public static let fileName = "selections.csv"
    public static let columns = ["as_of_date", "customer_id", "selection", "selection_probability"]

    /// Entries sorted by (as-of day, customer).
    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted { ($0.asOf, $0.customer) < ($1.asOf, $1.customer) }
    }

    /// The distinct logged days, ascending.
    public var days: [Int32] { Array(Set(entries.map(\.asOf))).sorted() }

    /// Each logged day's holdout probability (0 on a day without held-out rows).
    public func holdoutProbability(on day: Int32) -> Double {
        entries.first { $0.asOf == day && $0.selection == .holdout }?.probability ?? 0
    }

    /// The probability that the logged selection of `entry` happened, before the holdout draw: q for a held-out row,
    /// (1 − q) × the printed probability for a called row, q the day's holdout probability.
    public func unconditionalProbability(of entry: Entry, holdout q: Double) -> Double {
        entry.selection == .holdout ? entry.probability : (1 - q) * entry.probability
    }

    /// Reads `folder/selections.csv`; nil when there is no such directory entry.
    /// - Parameter customerIndex: the export customer index of an id, nil for an unknown id.
    /// - Throws: `SelectionLogError` naming the file, line and column of the first bad row; `ReceivablesError.unreadable`
    ///   for an entry that cannot be read as a CSV file (a dangling link, a folder, a FIFO).
    public static func load(folder: String, customerIndex: (String) -> Int32?) throws -> SelectionLog? {
        let path = (folder as NSString).appendingPathComponent(fileName)
        // Only a file with no directory entry is absent; a dangling link, a folder or a FIFO is the reader's error.
        var entry = stat()
        if lstat(path, &entry) != 0, errno == ENOENT { return nil }
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch let error as CSVError { throw ReceivablesError.unreadable(error) }
        var positions: [Int] = []
        for column in columns {
            guard let position = reader.columnIndex(column) else {
                throw SelectionLogError(path: path, line: 1, column: column, reason: "missing required column")
            }
            positions.append(position)
        }
        var entries: [Entry] = []
        var seen = Set<String>()
        try reader.forEachRecord { record in
            let entry = try parse(record, positions: positions, path: path, customerIndex: customerIndex)
            guard seen.insert("\(entry.asOf)|\(entry.customer)").inserted else {
                throw SelectionLogError(path: path, line: record.line, column: "customer_id",
                                        reason: "the account is logged twice on \(CivilDate.format(entry.asOf))")
            }
            entries.append(entry)
        }
        return SelectionLog(entries: entries)
    }

    /// One row of selections.csv, checked field by field.
    static func parse(_ record: CSVRecord, positions: [Int], path: String, customerIndex: (String) -> Int32?) throws -> Entry {
        func fail(_ column: Int, _ reason: String) -> SelectionLogError {
            SelectionLogError(path: path, line: record.line, column: columns[column], reason: reason)
        }
        guard record.fieldCount > positions.max()! else { throw fail(positions.firstIndex(of: positions.max()!)!, "missing field") }
        let dateText = try record.string(positions[0])
        guard let asOf = CivilDate.parseExact(dateText) else { throw fail(0, "not a YYYY-MM-DD date") }
        let id = try record.string(positions[1])
        guard let customer = customerIndex(id) else { throw fail(1, "unknown customer_id") }
        guard let selection = Selection(rawValue: try record.string(positions[2])) else {
            throw fail(2, "must be one of priority, explore, holdout")
        }
        guard let probability = record.double(positions[3]), probability.isFinite, probability > 0, probability <= 1 else {
            throw fail(3, "must be a probability in (0, 1]")
        }
        return Entry(asOf: asOf, customer: customer, selection: selection, probability: probability)
    }
}

/// A selections.csv that cannot be used: the file, line (1 = the header) and column, and why.
public struct SelectionLogError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var line: Int
    public var column: String?
    public var reason: String

    public init(path: String, line: Int, column: String?, reason: String) {
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "\(path): line \(line)" + (column.map { ", column \"\($0)\"" } ?? "") + ": \(reason)"
    }
}
