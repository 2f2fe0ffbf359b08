import Testing
@testable import Tabular

@Suite("CSVWriter fixed decimals")
struct CSVWriterFixedTests {
    private func cell(_ value: Double, _ decimals: Int) -> String {
        var writer = CSVWriter(header: ["x"])
        writer.appendCell(value, decimals: decimals)
        writer.endRow()
        return String(decoding: writer.bytes, as: UTF8.self).split(separator: "\n").dropFirst().first.map(String.init) ?? ""
    }

    @Test func writesFixedDigitsRoundedHalfAway() {
        #expect(cell(1234.5, 2) == "1234.50")
        #expect(cell(0.125, 2) == "0.13")
        #expect(cell(-0.125, 2) == "-0.13")
        #expect(cell(0.0001, 4) == "0.0001")
        #expect(cell(0.00004, 4) == "0.0000")
        #expect(cell(-0.00004, 4) == "0.0000")
        #expect(cell(7, 0) == "7")
        #expect(cell(0.5, 0) == "1")
        #expect(cell(123456789.987654321, 3) == "123456789.988")
        #expect(cell(.nan, 2) == "")
        #expect(cell(.infinity, 2) == "")
        #expect(cell(1e16, 2) == "")
    }

    @Test func agreesWithStringFormatOnManyValues() {
        var state: UInt64 = 42
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = (Double(state >> 11) * 0x1p-53 - 0.5) * 2e6
            // Avoid exact ties, where printf rounds half to even on the binary value.
            #expect(cell(value, 2) == String(format: "%.2f", value) || abs(value * 100 - (value * 100).rounded()) > 0.499)
        }
    }
}
