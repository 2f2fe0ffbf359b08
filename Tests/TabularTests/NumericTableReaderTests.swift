import Foundation
import Testing
@testable import Tabular

/// Reading numeric columns into `NumericTable`, column detection and cell errors.
@Suite("NumericTableReader")
struct NumericTableReaderTests {
    @Test("reads the named columns column-major, in the requested order")
    func readColumns() throws {
        try withCSV("id,name,amount,rate\n1,a,10.5,0.1\n2,\"b,c\",-3,2e-1\n3,d,0,\" 0.3 \"\n") { (path: String) throws in
            let table = try NumericTableReader.read(path: path, columns: ["rate", "amount"])
            #expect(table.path == path)
            #expect(table.columnNames == ["rate", "amount"])
            #expect(table.rowCount == 3)
            #expect(table.lines == nil)
            #expect(table.values == [0.1, 0.2, 0.3, 10.5, -3, 0])
            #expect(table.column("amount").map(Array.init) == [10.5, -3, 0])
            #expect(table.column("id") == nil)
        }
    }

    @Test("row lines are kept on request, counting line breaks inside quotes")
    func rowLines() throws {
        try withCSV("note,x\n\"two\nlines\",1\nplain,2\n\"\",3\n") { (path: String) throws in
            let table = try NumericTableReader.read(path: path, columns: ["x"], recordLines: true)
            #expect(table.lines == [2, 4, 5])
            #expect(table.values == [1, 2, 3])
        }
    }

    @Test("a non-numeric cell names file, line, column and text", arguments: chunkSizes)
    func notANumber(chunkSize: Int) throws {
        try withCSV("x,amount\n1,2\n\"multi\nline\",3\n2,\"12,5x\"\n") { (path: String) throws in
            let error = csvError { _ = try NumericTableReader.read(path: path, columns: ["amount"], recordLines: false, chunkSize: chunkSize) }
            #expect(error?.kind == .notANumber)
            #expect(error?.line == 5)
            #expect(error?.column == "amount")
            #expect(error?.description == "\(path):5: column \"amount\": not a number: \"12,5x\"")
        }
    }

    @Test("an empty or blank cell is .emptyCell")
    func emptyCell() throws {
        for text in ["a,b\n1,2\n3,\n", "a,b\n1,2\n3,\"  \"\n"] {
            try withCSV(text) { (path: String) throws in
                let error = csvError { _ = try NumericTableReader.read(path: path, columns: ["a", "b"]) }
                #expect(error?.kind == .emptyCell)
                #expect(error?.line == 3)
                #expect(error?.description == "\(path):3: column \"b\": empty cell")
            }
        }
    }

    @Test("a missing column is reported before any row is read")
    func missingColumn() throws {
        try withCSV("a,b\n1,x\n") { (path: String) throws in
            let error = csvError { _ = try NumericTableReader.read(path: path, columns: ["a", "target"]) }
            #expect(error?.kind == .missingColumn)
            #expect(error?.description == "\(path): missing column \"target\"")
        }
    }

    @Test("a header-only file gives an empty table")
    func headerOnly() throws {
        try withCSV("a,b\n") { (path: String) throws in
            let table = try NumericTableReader.read(path: path, columns: ["b", "a"])
            #expect(table.rowCount == 0)
            #expect(table.columnNames == ["b", "a"])
            #expect(table.values.isEmpty)
            #expect(table.column("a")?.isEmpty == true)
            let (all, nonNumeric) = try NumericTableReader.readAllNumeric(path: path)
            #expect(all.columnNames == ["a", "b"])
            #expect(all.rowCount == 0)
            #expect(nonNumeric.isEmpty)
        }
    }

    @Test("file errors pass through (empty file, unreadable)")
    func fileErrors() throws {
        try withCSV("") { (path: String) throws in
            #expect(csvError { _ = try NumericTableReader.read(path: path, columns: ["a"]) }?.kind == .emptyFile)
            #expect(csvError { _ = try NumericTableReader.readAllNumeric(path: path) }?.kind == .emptyFile)
        }
        #expect(csvError { _ = try NumericTableReader.readAllNumeric(path: "/nonexistent/dir/t.csv") }?.kind == .unreadable)
    }

    @Test("readAllNumeric keeps columns whose every cell is a number")
    func readAllNumeric() throws {
        let text = "id,name,amount,flag,code\n1,alice,10.5,0,007\n2,bob,,1,008\n3,\"carol\",7,1,x9\n"
        try withCSV(text) { (path: String) throws in
            let (table, nonNumeric) = try NumericTableReader.readAllNumeric(path: path, recordLines: true)
            #expect(table.columnNames == ["id", "flag"])
            #expect(nonNumeric == ["name", "amount", "code"])
            #expect(table.rowCount == 3)
            #expect(table.values == [1, 2, 3, 0, 1, 1])
            #expect(table.lines == [2, 3, 4])
        }
    }

    @Test("numeric reads agree across chunk sizes and with record-by-record parsing")
    func chunkSizesAgree() throws {
        var generator = SeededGenerator(seed: 11)
        var text = "a,b,c\r\n"
        var expected: [[Double]] = [[], [], []]
        for row in 0..<500 {
            var cells: [String] = []
            for column in 0..<3 {
                let value = Double(Int64.random(in: -1_000_000_000...1_000_000_000, using: &generator)) / 1e6
                expected[column].append(value)
                let cell = "\(value)"
                cells.append(row % 7 == column ? "\"\(cell)\"" : cell)
            }
            text += cells.joined(separator: ",") + (row % 3 == 0 ? "\r\n" : "\n")
        }
        try withCSV(text) { (path: String) throws in
            for chunkSize in [1, 3, 7, 64, 4096, 4 << 20] {
                let table = try NumericTableReader.read(path: path, columns: ["a", "b", "c"], recordLines: false, chunkSize: chunkSize)
                #expect(table.values == expected.flatMap { $0 }, "chunk size \(chunkSize)")
                let (all, nonNumeric) = try NumericTableReader.readAllNumeric(path: path, recordLines: false, chunkSize: chunkSize)
                #expect(all == NumericTable(path: path, columnNames: ["a", "b", "c"], rowCount: 500, values: expected.flatMap { $0 }))
                #expect(nonNumeric.isEmpty)
            }
        }
    }

    @Test("tables larger than the row estimate grow correctly")
    func growth() throws {
        // A short first chunk of long rows makes the estimate low; many short rows follow.
        var text = "v,w\n"
        for index in 0..<20 { text += "\(index).000000000000000000000000000000000000,0\n" }
        for index in 20..<5_000 { text += "\(index),1\n" }
        try withCSV(text) { (path: String) throws in
            let table = try NumericTableReader.read(path: path, columns: ["v", "w"], recordLines: false, chunkSize: 64)
            #expect(table.rowCount == 5_000)
            #expect(Array(table.column("v")!) == (0..<5_000).map(Double.init))
            #expect(table.column("w")!.reduce(0, +) == 4_980)
        }
    }
}
