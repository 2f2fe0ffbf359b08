import Foundation
import PropertyBased
import Testing
@testable import Tabular

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Characters that stress RFC 4180 quoting and UTF-8: separators, quotes, both line breaks, spaces, a tab,
/// accented, CJK, emoji and combining characters, and plain letters and digits.
let csvAlphabet: [Character] = [
    "a", "b", "Z", "0", "7", ",", "\"", "\n", "\r", " ", "\t", ";", "=", "+", "-", "é", "漢", "🙂", "e\u{301}", "ß",
]

/// A generator of cells: empty, short or long strings over `csvAlphabet`.
let cellGenerator = Gen<Character?>.element(of: csvAlphabet).map { $0! }.string(of: 0...12)

/// Chunk sizes that cut records at every place, plus the default.
let propertyChunkSizes = [1, 2, 5, 64, 4 << 20]

/// Property-based round trips: whatever `CSVWriter` writes, `CSVReader` reads back cell for cell (a text cell as the
/// writer's one neutralising rule leaves it: `CellSanitizer.neutralise`, so a leading `=`, `+`, `-`, `@` or tab comes
/// back behind a quote mark, as do a leading carriage return and the full-width forms, and nothing else changes).
@Suite("CSV properties")
struct CSVPropertyTests {
    @Test("CSVWriter → CSVReader returns every cell as neutralised, at every chunk size")
    func writeThenReadRoundTrips() async throws {
        let rows = cellGenerator.array(of: 3).array(of: 0...8)
        await propertyCheck(count: 300, input: rows, Gen<Int?>.element(of: propertyChunkSizes).map { $0! }) { rows, chunk in
            var writer = CSVWriter(header: ["id", "text", "more"])
            for row in rows {
                for cell in row { writer.appendCell(cell) }
                writer.endRow()
            }
            let (header, records) = try withCSV(bytes: writer.bytes) { try readRecords($0, chunkSize: chunk) }
            #expect(header == ["id", "text", "more"])
            #expect(records.map(\.fields) == rows.map { $0.map(CellSanitizer.neutralise) })
        }
    }

    @Test("numbers written by CSVWriter read back bit for bit through NumericTableReader")
    func numbersRoundTrip() async throws {
        let values = Gen.double(in: -1e300...1e300).array(of: 1...20)
        let small = Gen.double(in: -1e-300...1e-300).array(of: 1...20)
        await propertyCheck(count: 200, input: values, small) { large, tiny in
            let column = large + tiny
            var writer = CSVWriter(header: ["x", "label"])
            for value in column {
                writer.appendCell(value)
                writer.appendCell("r,\"\(value)\"")
                writer.endRow()
            }
            let table = try withCSV(bytes: writer.bytes) { try NumericTableReader.read(path: $0, columns: ["x"]) }
            #expect(table.values.map(\.bitPattern) == column.map(\.bitPattern))
        }
    }
}

/// Characters decimal text is made of, plus a space (trimmed at the ends, an error inside).
let decimalAlphabet: [Character] = ["0", "1", "5", "9", ".", "e", "E", "+", "-", " "]

/// `strtod` on the whole of `text`: its value when it consumes every byte and is finite, otherwise `nil`.
func strtodWhole(_ text: String) -> Double? {
    text.withCString { start -> Double? in
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(start, &end)
        guard let end, end != start, end.pointee == 0, value.isFinite else { return nil }
        return value
    }
}

/// `DecimalParser.parse` on the UTF-8 of `text`.
func parseDecimal(_ text: String) -> Double? {
    Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) }
}

/// Property-based checks of `DecimalParser` against the C library's `strtod`.
@Suite("DecimalParser properties")
struct DecimalParserPropertyTests {
    @Test("grammar strings with up to 50 digits and extreme exponents give strtod's double bit for bit")
    func grammarStringsMatchStrtod() async {
        // Decimal strings in the accepted grammar with many significant digits and exponents near the limits.
        let decimalText = zip(
            Gen<String?>.element(of: ["", "-", "+"]).map { $0! },
            Gen.number.string(of: 0...25),
            Gen<String?>.element(of: ["", "."]).map { $0! },
            Gen.number.string(of: 0...25),
            Gen.int(in: -340...330)
        ).map { sign, whole, point, fraction, exponent -> String in
            let digits = whole.isEmpty && fraction.isEmpty ? "0" : whole
            return "\(sign)\(digits)\(point)\(fraction)e\(exponent)"
        }
        await propertyCheck(count: 2000, input: decimalText) { text in
            let expected = strtodWhole(text)
            let parsed = parseDecimal(text)
            #expect(parsed?.bitPattern == expected?.bitPattern, "\(text)")
        }
    }

    @Test("any string over digits, signs, points, exponents and spaces is accepted exactly when strtod takes it whole")
    func arbitraryStringsAgreeWithStrtod() async {
        let text = Gen<Character?>.element(of: decimalAlphabet).map { $0! }.string(of: 0...14)
        await propertyCheck(count: 3000, input: text) { text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            // strtod also takes "e", "E" words like "inf"/"nan"; the alphabet has no letters besides e/E.
            let expected = trimmed.isEmpty ? nil : strtodWhole(trimmed)
            #expect(parseDecimal(text)?.bitPattern == expected?.bitPattern, "\"\(text)\"")
        }
    }

    @Test("shortest, %.17g and %e renderings of random doubles parse back to the same double")
    func renderedDoublesRoundTrip() async {
        let magnitudes = Gen.int(in: -320...300)
        await propertyCheck(count: 2000, input: Gen.double(in: -1...1), magnitudes) { unit, exponent in
            let value = unit * pow(10, Double(exponent))
            guard value.isFinite else { return }
            for text in [value.description, String(format: "%.17g", value), String(format: "%.6e", value)] {
                #expect(parseDecimal(text)?.bitPattern == strtodWhole(text)?.bitPattern, "\(text)")
            }
            #expect(parseDecimal(value.description)?.bitPattern == value.bitPattern)
        }
    }
}
