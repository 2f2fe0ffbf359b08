import Foundation
import Tabular

/// A CSV file under the temporary directory with a unique name, removed by `remove()`.
struct TempCSV {
    /// The file's path.
    let path: String

    /// Writes `bytes` to a new uniquely named file.
    init(bytes: [UInt8], name: String = "table") throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tabular-tests-\(UUID().uuidString)-\(name).csv")
        try Data(bytes).write(to: url)
        path = url.path
    }

    /// Writes the UTF-8 of `text` to a new uniquely named file.
    init(_ text: String, name: String = "table") throws {
        try self.init(bytes: Array(text.utf8), name: name)
    }

    /// Deletes the file.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a temporary CSV file holding `text`, then deletes the file.
func withCSV<R>(_ text: String, _ body: (String) throws -> R) throws -> R {
    let file = try TempCSV(text)
    defer { file.remove() }
    return try body(file.path)
}

/// Runs `body` with a temporary CSV file holding `bytes`, then deletes the file.
func withCSV<R>(bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
    let file = try TempCSV(bytes: bytes)
    defer { file.remove() }
    return try body(file.path)
}

/// One parsed record: its start line and its fields as strings.
struct ParsedRecord: Equatable, CustomStringConvertible {
    let line: Int
    let fields: [String]
    var description: String { "\(line): \(fields)" }
}

/// Reads every record of `path` as strings with the given chunk size.
func readRecords(_ path: String, chunkSize: Int = 4 << 20) throws -> (header: [String], records: [ParsedRecord]) {
    let reader = try CSVReader(path: path, chunkSize: chunkSize)
    var records: [ParsedRecord] = []
    try reader.forEachRecord { (record: CSVRecord) throws in
        records.append(ParsedRecord(line: record.line, fields: try (0..<record.fieldCount).map { try record.string($0) }))
    }
    return (reader.header, records)
}

/// The `CSVError` thrown by `body`, or `nil` when it throws nothing (or something else).
func csvError(_ body: () throws -> Void) -> CSVError? {
    do {
        try body()
        return nil
    } catch let error as CSVError {
        return error
    } catch {
        return nil
    }
}

/// A small deterministic random generator (SplitMix64) for reproducible test data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
