import Foundation
import Testing
@testable import Tabular

/// Chunk sizes that put chunk boundaries everywhere, plus the default.
let chunkSizes = [1, 2, 3, 7, 13, 64, 4 << 20]

/// RFC 4180 parsing, line numbers, chunk boundaries and error reporting of `CSVReader`.
@Suite("CSVReader")
struct CSVReaderTests {
    @Test("quoted fields keep commas, line breaks and \"\" escapes; lines count physical lines", arguments: chunkSizes)
    func quotedFields(chunkSize: Int) throws {
        let text = "id,text\n1,\"a,b\"\n2,\"line1\nline2\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n5,plain\n"
        try withCSV(text) { (path: String) throws in
            let (header, records) = try readRecords(path, chunkSize: chunkSize)
            #expect(header == ["id", "text"])
            #expect(records == [
                ParsedRecord(line: 2, fields: ["1", "a,b"]),
                ParsedRecord(line: 3, fields: ["2", "line1\nline2"]),
                ParsedRecord(line: 5, fields: ["3", "say \"hi\""]),
                ParsedRecord(line: 6, fields: ["4", ""]),
                ParsedRecord(line: 7, fields: ["5", "plain"]),
            ])
        }
    }

    @Test("CRLF line endings are accepted; a CR inside quotes is kept", arguments: chunkSizes)
    func crlf(chunkSize: Int) throws {
        let text = "a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n\"q\",\r\n5,6"
        try withCSV(text) { (path: String) throws in
            let (header, records) = try readRecords(path, chunkSize: chunkSize)
            #expect(header == ["a", "b"])
            #expect(records == [
                ParsedRecord(line: 2, fields: ["1", "2"]),
                ParsedRecord(line: 3, fields: ["3", "x\r\ny"]),
                ParsedRecord(line: 5, fields: ["q", ""]),
                ParsedRecord(line: 6, fields: ["5", "6"]),
            ])
        }
    }

    @Test("a UTF-8 byte-order mark is stripped", arguments: chunkSizes)
    func byteOrderMark(chunkSize: Int) throws {
        try withCSV(bytes: [0xEF, 0xBB, 0xBF] + Array("name,amount\nZoë,1.5\n".utf8)) { (path: String) throws in
            let (header, records) = try readRecords(path, chunkSize: chunkSize)
            #expect(header == ["name", "amount"])
            #expect(records == [ParsedRecord(line: 2, fields: ["Zoë", "1.5"])])
        }
    }

    @Test("a trailing line break does not create a record; its absence loses none")
    func trailingNewline() throws {
        let expected = [ParsedRecord(line: 2, fields: ["1", "x"]), ParsedRecord(line: 3, fields: ["2", "y"])]
        for text in ["a,b\n1,x\n2,y\n", "a,b\n1,x\n2,y", "a,b\r\n1,x\r\n2,y\r\n", "a,b\r\n1,x\r\n2,y"] {
            try withCSV(text) { (path: String) throws in
                for chunkSize in chunkSizes {
                    #expect(try readRecords(path, chunkSize: chunkSize).records == expected, "\(text.debugDescription)")
                }
            }
        }
        try withCSV("a,b\n1,\"x\"\n2,\"y\"") { (path: String) throws in
            #expect(try readRecords(path).records == expected)
        }
    }

    @Test("empty fields, quoted empty fields and blank cells")
    func emptyFields() throws {
        try withCSV("a,b,c\n,,\n1,,3\n\"\",\" \",\n") { (path: String) throws in
            let reader = try CSVReader(path: path)
            var seen: [[Bool]] = []
            try reader.forEachRecord { (record: CSVRecord) throws in
                seen.append((0..<3).map { record.isEmpty($0) })
                #expect(record.double(1) == nil)
            }
            #expect(seen == [[true, true, true], [false, true, false], [true, false, true]])
        }
    }

    @Test("a single-column file with an empty line reads an empty field")
    func singleColumnBlankLine() throws {
        try withCSV("a\n1\n\n2\n") { (path: String) throws in
            #expect(try readRecords(path).records.map(\.fields) == [["1"], [""], ["2"]])
        }
    }

    @Test("header names are trimmed; unknown columns are looked up as nil")
    func headerTrimming() throws {
        try withCSV(" id ,\tamount\t,\" note \"\n1,2,3\n") { (path: String) throws in
            let reader = try CSVReader(path: path)
            #expect(reader.header == ["id", "amount", "note"])
            #expect(reader.columnIndex("amount") == 1)
            #expect(reader.columnIndex("missing") == nil)
            #expect(try reader.requireColumn("note") == 2)
        }
    }

    @Test("leading zeros survive as strings; unquoted spaces are kept")
    func leadingZeros() throws {
        try withCSV("id,code\n00123, 007 \n") { (path: String) throws in
            let reader = try CSVReader(path: path)
            try reader.forEachRecord { (record: CSVRecord) throws in
                #expect(try record.string(0) == "00123")
                #expect(record.double(0) == 123)
                #expect(try record.string(1) == " 007 ")
                #expect(record.double(1) == 7)
            }
        }
    }

    @Test("a quote inside an unquoted field is a literal character")
    func bareQuote() throws {
        try withCSV("a,b\nab\"c,5\"\n") { (path: String) throws in
            #expect(try readRecords(path).records.map(\.fields) == [["ab\"c", "5\""]])
        }
    }

    @Test("records spanning chunk boundaries read the same with any chunk size")
    func randomizedChunkBoundaries() throws {
        var generator = SeededGenerator(seed: 7)
        let alphabet: [String] = ["a", "b", "7", ",", "\"", "\n", "\r\n", " ", "é", "€", "-", "."]
        var expected: [ParsedRecord] = []
        var text = "first,second,third\n"
        var line = 2
        for _ in 0..<300 {
            var fields: [String] = []
            var serialized: [String] = []
            for _ in 0..<3 {
                let length = Int.random(in: 0...12, using: &generator)
                let field = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
                fields.append(field)
                let needsQuotes = field.utf8.contains(where: { [0x2C, 0x22, 0x0A, 0x0D].contains($0) })
                    || field.isEmpty && Bool.random(using: &generator)
                serialized.append(needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field)
            }
            expected.append(ParsedRecord(line: line, fields: fields))
            line += 1 + fields.joined().utf8.filter { $0 == 0x0A }.count
            text += serialized.joined(separator: ",") + (Bool.random(using: &generator) ? "\r\n" : "\n")
        }
        try withCSV(text) { (path: String) throws in
            let reference = try readRecords(path, chunkSize: 1 << 20).records
            #expect(reference == expected)
            for chunkSize in [1, 2, 3, 5, 7, 11, 64, 100] {
                #expect(try readRecords(path, chunkSize: chunkSize).records == reference, "chunk size \(chunkSize)")
            }
        }
    }

    @Test("forEachRecord can be called again and starts from the first record")
    func secondPass() throws {
        try withCSV("a,b\n1,\"x\"\"y\"\n2,z\n") { (path: String) throws in
            let reader = try CSVReader(path: path, chunkSize: 3)
            var first: [String] = []
            try reader.forEachRecord { first.append(try $0.string(1)) }
            var second: [String] = []
            try reader.forEachRecord { second.append(try $0.string(1)) }
            #expect(first == ["x\"y", "z"])
            #expect(second == first)
        }
    }

    @Test("withFieldBytes gives the unescaped bytes")
    func fieldBytes() throws {
        try withCSV("a\n\"x\"\"\"\n") { (path: String) throws in
            let reader = try CSVReader(path: path)
            try reader.forEachRecord { (record: CSVRecord) throws in
                #expect(record.withFieldBytes(0) { Array($0) } == Array("x\"".utf8))
                #expect(record.fieldCount == 1)
            }
        }
    }

    // MARK: - Errors

    @Test("a record with the wrong field count names its physical line", arguments: chunkSizes)
    func fieldCountMismatch(chunkSize: Int) throws {
        try withCSV("a,b\n1,2\n\"x\ny\",2\n1,2,3\n4,5\n") { (path: String) throws in
            let reader = try CSVReader(path: path, chunkSize: chunkSize)
            var count = 0
            let error = csvError { try reader.forEachRecord { _ in count += 1 } }
            #expect(count == 2)
            #expect(error?.kind == .fieldCount)
            #expect(error?.line == 5)
            #expect(error?.description == "\(path):5: expected 2 fields (as in the header), found 3")
        }
    }

    @Test("a blank line in a multi-column file is a field count error")
    func blankLineInMultiColumnFile() throws {
        try withCSV("a,b\n1,2\n\n") { (path: String) throws in
            let error = csvError { _ = try readRecords(path) }
            #expect(error?.kind == .fieldCount)
            #expect(error?.line == 3)
        }
    }

    @Test("an unterminated quote names the line where the quoted field starts", arguments: chunkSizes)
    func unterminatedQuote(chunkSize: Int) throws {
        try withCSV("a,b\n1,2\n3,\"abc\ndef\n4,5\n") { (path: String) throws in
            let error = csvError { _ = try readRecords(path, chunkSize: chunkSize) }
            #expect(error?.kind == .unterminatedQuote)
            #expect(error?.line == 3)
            #expect(error?.column == "b")
        }
        try withCSV("a,\"b") { (path: String) throws in
            let error = csvError { _ = try CSVReader(path: path, chunkSize: chunkSize) }
            #expect(error?.kind == .unterminatedQuote)
            #expect(error?.line == 1)
        }
    }

    @Test("a character after a closing quote is an error")
    func characterAfterClosingQuote() throws {
        try withCSV("a,b\n\"x\"y,2\n") { (path: String) throws in
            let error = csvError { _ = try readRecords(path) }
            #expect(error?.kind == .other)
            #expect(error?.line == 2)
            #expect(error?.column == "a")
        }
    }

    @Test("invalid UTF-8 in a cell is reported with line and column")
    func invalidUTF8Cell() throws {
        try withCSV(bytes: Array("id,name\n1,ok\n2,b".utf8) + [0xFF, 0xFE] + Array("d\n".utf8)) { (path: String) throws in
            let reader = try CSVReader(path: path)
            var names: [String] = []
            let error = csvError { try reader.forEachRecord { names.append(try $0.string(1)) } }
            #expect(names == ["ok"])
            #expect(error?.kind == .invalidUTF8)
            #expect(error?.line == 3)
            #expect(error?.column == "name")
            #expect(error?.description.hasPrefix("\(path):3: column \"name\": not valid UTF-8") == true)
        }
    }

    @Test("invalid UTF-8 in the header is an error")
    func invalidUTF8Header() throws {
        try withCSV(bytes: Array("id,na".utf8) + [0xC3, 0x28] + Array("me\n1,2\n".utf8)) { (path: String) throws in
            let error = csvError { _ = try CSVReader(path: path) }
            #expect(error?.kind == .invalidUTF8)
            #expect(error?.line == 1)
        }
    }

    @Test("a missing column names the column and the file")
    func missingColumn() throws {
        try withCSV("a,b\n1,2\n") { (path: String) throws in
            let reader = try CSVReader(path: path)
            let error = csvError { _ = try reader.requireColumn("target") }
            #expect(error?.kind == .missingColumn)
            #expect(error?.column == "target")
            #expect(error?.description == "\(path): missing column \"target\"")
        }
    }

    @Test("duplicate header names are rejected, also after trimming")
    func duplicateColumn() throws {
        for text in ["a,b,a\n1,2,3\n", "a, b,b \n1,2,3\n"] {
            try withCSV(text) { (path: String) throws in
                let error = csvError { _ = try CSVReader(path: path) }
                #expect(error?.kind == .duplicateColumn)
                #expect(error?.line == 1)
                #expect(error?.description.hasPrefix("\(path):1: duplicate column") == true)
            }
        }
    }

    @Test("an empty file (0 bytes, BOM only, or an empty header line) is .emptyFile")
    func emptyFile() throws {
        try withCSV("") { (path: String) throws in
            let error = csvError { _ = try CSVReader(path: path) }
            #expect(error?.kind == .emptyFile)
            #expect(error?.description == "\(path):1: empty file (no header row)")
        }
        try withCSV(bytes: [0xEF, 0xBB, 0xBF]) { (path: String) throws in
            #expect(csvError { _ = try CSVReader(path: path) }?.kind == .emptyFile)
        }
        try withCSV("\n1\n") { (path: String) throws in
            #expect(csvError { _ = try CSVReader(path: path) }?.kind == .emptyFile)
        }
    }

    @Test("a header-only file has no records")
    func headerOnly() throws {
        for text in ["a,b\n", "a,b", "a,b\r\n"] {
            try withCSV(text) { (path: String) throws in
                let (header, records) = try readRecords(path)
                #expect(header == ["a", "b"])
                #expect(records.isEmpty)
            }
        }
    }

    @Test("a file that cannot be opened is .unreadable with the OS reason")
    func unreadable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tabular-missing-\(UUID().uuidString).csv").path
        let error = csvError { _ = try CSVReader(path: path) }
        #expect(error?.kind == .unreadable)
        #expect(error?.line == nil)
        #expect(error?.description == "\(path): cannot open: No such file or directory")
        let directory = FileManager.default.temporaryDirectory.path
        #expect(csvError { _ = try CSVReader(path: directory) }?.kind == .unreadable)
    }

    @Test("error descriptions stay on one line")
    func oneLineDescriptions() {
        let error = CSVError(kind: .notANumber, file: "t.csv", line: 4, column: "a\nb", detail: "not a number: x\ny")
        #expect(!error.description.contains("\n"))
        #expect(error.description == "t.csv:4: column \"a\\nb\": not a number: x\\ny")
    }
}
