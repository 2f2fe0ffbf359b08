import Foundation
import Testing
@testable import Tabular

/// Builds a random table: numeric columns `x0...` (sometimes quoted, spaced, CRLF-ended) and a text column `note`
/// whose quoted cells hold commas, quotes and line breaks; `badRow` gets one non-numeric cell in `x1`.
private func randomTable(seed: UInt64, rows: Int, badRow: Int? = nil) -> String {
    var generator = SeededGenerator(seed: seed)
    var text = "x0,note,x1,x2\n"
    for row in 0..<rows {
        var cells: [String] = []
        for column in 0..<4 {
            if column == 1 {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: cells.append("\"multi\nline, \"\"quoted\"\"\"")
                case 1: cells.append("\"\"")
                case 2: cells.append("")
                default: cells.append("n\(row)")
                }
                continue
            }
            let value = Double(Int64.random(in: -9_999_999_999...9_999_999_999, using: &generator)) / 1e10
            var cell: String
            switch Int.random(in: 0..<40, using: &generator) {
            case 0: cell = "\"\(value)\""
            case 1: cell = " \(value)"
            case 2: cell = String(format: "%.7fe0", value)
            case 3: cell = String(format: "%.25f", value)
            default: cell = String(format: "%.10f", value)
            }
            if column == 2 && row == badRow { cell = "\"12,5x\"" }
            cells.append(cell)
        }
        text += cells.joined(separator: ",") + (Int.random(in: 0..<5, using: &generator) == 0 ? "\r\n" : "\n")
    }
    return text
}

/// The two-thread fast path of `NumericTableReader` must give exactly what the sequential scan gives.
@Suite("Two-thread numeric scan")
struct ParallelScanTests {
    /// (chunk size, parallel threshold) pairs that put chunk and split boundaries everywhere.
    static let settings: [(Int, Int)] = [(512, 2), (777, 64), (4096, 2), (4096, 1000), (65536, 2), (65536, 20000)]

    @Test("readAllNumeric gives the same table, lines and non-numeric columns as a sequential scan")
    func readAllNumericAgrees() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            try withCSV(randomTable(seed: seed, rows: 1500)) { (path: String) throws in
                let reference = try NumericTableReader.readAllNumeric(
                    path: path, recordLines: true, chunkSize: 1 << 20, parallelMinimumBytes: .max)
                #expect(reference.nonNumericColumns == ["note"])
                #expect(reference.table.rowCount == 1500)
                for (chunkSize, threshold) in ParallelScanTests.settings {
                    let result = try NumericTableReader.readAllNumeric(
                        path: path, recordLines: true, chunkSize: chunkSize, parallelMinimumBytes: threshold)
                    #expect(result.table == reference.table, "seed \(seed), chunk \(chunkSize), threshold \(threshold)")
                    #expect(result.nonNumericColumns == reference.nonNumericColumns)
                }
            }
        }
    }

    @Test("read gives the same table as a sequential scan and as CSVRecord.double")
    func readAgrees() throws {
        try withCSV(randomTable(seed: 42, rows: 2000)) { (path: String) throws in
            var expected: [[Double]] = [[], [], []]
            var lines: [Int] = []
            let reader = try CSVReader(path: path)
            try reader.forEachRecord { (record: CSVRecord) throws in
                for (k, column) in [2, 0, 3].enumerated() { expected[k].append(try #require(record.double(column))) }
                lines.append(record.line)
            }
            for (chunkSize, threshold) in ParallelScanTests.settings {
                let table = try NumericTableReader.read(
                    path: path, columns: ["x1", "x0", "x2"], recordLines: true, chunkSize: chunkSize,
                    parallelMinimumBytes: threshold)
                #expect(table.values == expected.flatMap { $0 }, "chunk \(chunkSize), threshold \(threshold)")
                #expect(table.lines == lines)
            }
        }
    }

    @Test("the first bad cell is reported the same way wherever the split falls")
    func errorsAgree() throws {
        for badRow in [0, 1, 37, 500, 1199] {
            try withCSV(randomTable(seed: 9, rows: 1200, badRow: badRow)) { (path: String) throws in
                let expected = csvError {
                    _ = try NumericTableReader.read(
                        path: path, columns: ["x0", "x1"], recordLines: false, chunkSize: 1 << 20,
                        parallelMinimumBytes: .max)
                }
                #expect(expected?.kind == .notANumber)
                #expect(expected?.column == "x1")
                for (chunkSize, threshold) in ParallelScanTests.settings {
                    let error = csvError {
                        _ = try NumericTableReader.read(
                            path: path, columns: ["x0", "x1"], recordLines: false, chunkSize: chunkSize,
                            parallelMinimumBytes: threshold)
                    }
                    #expect(error == expected, "bad row \(badRow), chunk \(chunkSize), threshold \(threshold)")
                }
                // readAllNumeric drops x1 instead.
                let (table, nonNumeric) = try NumericTableReader.readAllNumeric(
                    path: path, recordLines: false, chunkSize: 4096, parallelMinimumBytes: 2)
                #expect(nonNumeric == ["note", "x1"])
                #expect(table.columnNames == ["x0", "x2"])
            }
        }
    }
}
