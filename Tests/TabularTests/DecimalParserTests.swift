#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Tabular

/// Parses `text` with `DecimalParser`.
private func parse(_ text: String) -> Double? {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer { DecimalParser.parse(UnsafeBufferPointer($0)) }
}

/// Parses `text` with the C library's `strtod` (the reference), after trimming spaces and tabs.
private func reference(_ text: String) -> Double {
    let trimmed = String(text.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    return strtod(trimmed, nil)
}

/// Checks that `DecimalParser` gives exactly `strtod`'s bits for `text`, or `nil` when `strtod` overflows.
private func expectAgreement(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let expected = reference(text)
    let actual = parse(text)
    if expected.isFinite {
        #expect(actual?.bitPattern == expected.bitPattern, "\(text): got \(String(describing: actual)), strtod \(expected)",
                sourceLocation: sourceLocation)
    } else {
        #expect(actual == nil, "\(text) overflows, so it is not a number", sourceLocation: sourceLocation)
    }
}

/// Grammar and bit-exact rounding of `DecimalParser` against the C library's `strtod`.
@Suite("DecimalParser")
struct DecimalParserTests {
    @Test("simple values")
    func simpleValues() {
        #expect(parse("0") == 0)
        #expect(parse("-0")?.sign == .minus)
        #expect(parse("1") == 1)
        #expect(parse("-0.3417786512") == -0.3417786512)
        #expect(parse("+12.5") == 12.5)
        #expect(parse("1.") == 1)
        #expect(parse(".5") == 0.5)
        #expect(parse("-.5") == -0.5)
        #expect(parse("1e3") == 1000)
        #expect(parse("1E-3") == 0.001)
        #expect(parse("2.5e+2") == 250)
        #expect(parse("00123") == 123)
        #expect(parse(" 1.5 ") == 1.5)
        #expect(parse("\t-2\t") == -2)
        #expect(parse("0e999999999") == 0)
        #expect(parse("1e-99999999") == 0)
    }

    @Test("text that is not a finite decimal number is rejected")
    func rejections() {
        let bad = [
            "", " ", "\t", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e", "1e+", "1e-", "e5", ".", "-", "+", "-.",
            "+.e1", "1.2.3", "0x10", "0x1p3", "1,5", "12,5x", "1 2", "--1", "+-1", "1e5.5", "1e5e5", "1d5", "١", "1_000",
            "1e400", "-1.8e308", "12a", "a12", "\"1\"",
        ]
        for text in bad {
            #expect(parse(text) == nil, "\(text.debugDescription) should not parse")
        }
    }

    @Test("hard cases agree bit for bit with strtod")
    func hardCases() {
        let cases = [
            "0.1", "0.2", "0.3", "1e23", "8.98846567431158e307", "1.7976931348623157e308", "1.7976931348623158e308",
            "1.7976931348623159e308", "2.2250738585072011e-308", "2.2250738585072014e-308", "2.2250738585072012e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "5e-324", "1e-320",
            "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995", "9007199254740992.5",
            "18446744073709551615", "18446744073709551616", "99999999999999999999", "12345678901234567890123",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "7.038531e-26", "123456789012345678901234567890e-30", "0.000000000000000000000000000001",
            "1e22", "1e-22", "123456789e22", "9007199254740991e22", "1e37", "4.35e36", "3.14159265358979323846264338327950288",
            "1448997445238699", "0.0000000000000000000000000000000000000000000000000000000000001e60",
            "10000000000000000000000000000000000000000000000000000000000000000000000000000e-70",
        ]
        for text in cases {
            expectAgreement(text)
            expectAgreement("-" + text)
        }
    }

    @Test("random decimal strings agree bit for bit with strtod")
    func randomStrings() {
        var generator = SeededGenerator(seed: 20240601)
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
        }
        for _ in 0..<100_000 {
            var text = ["", "-", "+"].randomElement(using: &generator)!
            let integerDigits = [0, 1, 1, 2, 5, 9, 16, 17, 19, 20, 25, 40].randomElement(using: &generator)!
            var fractionDigits = [0, 1, 3, 10, 15, 17, 19, 22, 30, 60].randomElement(using: &generator)!
            if integerDigits == 0 && fractionDigits == 0 { fractionDigits = 1 }
            if Int.random(in: 0..<8, using: &generator) == 0 { text += "000" }
            text += digits(integerDigits)
            if fractionDigits > 0 || Bool.random(using: &generator) {
                text += "." + digits(fractionDigits)
            }
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:
                break
            case 1:
                text += "e\(Int.random(in: -25...25, using: &generator))"
            case 2:
                text += (Bool.random(using: &generator) ? "E+" : "e") + "\(Int.random(in: 0...330, using: &generator))"
            default:
                text += "e-\(Int.random(in: 280...400, using: &generator))"
            }
            if text.last == "." && integerDigits == 0 { continue }
            expectAgreement(text)
        }
    }

    @Test("random doubles written shortest and with 17 digits read back exactly")
    func roundTrips() {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            #expect(parse(value.description)?.bitPattern == value.bitPattern, "\(value)")
            var buffer = [CChar](repeating: 0, count: 64)
            let written = buffer.withUnsafeMutableBufferPointer { pointer in
                withVaList([value]) { vsnprintf(pointer.baseAddress, 64, "%.17g", $0) }
            }
            let text = String(decoding: buffer[0..<Int(written)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            expectAgreement(text)
        }
    }

    @Test("subnormal values agree bit for bit with strtod")
    func subnormals() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<5_000 {
            let value = Double(bitPattern: generator.next() & 0x000F_FFFF_FFFF_FFFF)
            #expect(parse(value.description)?.bitPattern == value.bitPattern, "\(value)")
            let mantissa = "\(Int.random(in: 1...9, using: &generator)).\(UInt64.random(in: 0...UInt64.max, using: &generator))"
            expectAgreement("\(mantissa)e-\(Int.random(in: 308...324, using: &generator))")
        }
    }
}
