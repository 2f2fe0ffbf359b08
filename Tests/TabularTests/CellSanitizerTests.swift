import Tabular
import Testing

/// Formula-injection guarding of `CellSanitizer`.
@Suite("CellSanitizer")
struct CellSanitizerTests {
    @Test("cells a spreadsheet would run as formulas get a leading quote", arguments: [
        "=HYPERLINK(\"http://x\")", "@SUM(1)", "-2+3", "+cmd|' /C calc'!A0", "=1+2", "-", "+", "@",
        "\tTAB", "\r=1", "－1+1", "＝SUM(1)", "＋1", "＠SUM(1)", "-1e", "-1e+", "-.", "-1.2.3", "-12.50 ", "-0x10", "-inf",
    ])
    func hostile(_ value: String) {
        #expect(CellSanitizer.neutralise(value) == "'" + value)
    }

    @Test("plain numbers, signed ones too, stay numbers", arguments: [
        "-12.50", "+3", "1e-5", "-1e-5", "+1E+10", "-.5", "-12.", "-0", "12", "0.25",
    ])
    func numbers(_ value: String) {
        #expect(CellSanitizer.neutralise(value) == value)
    }

    @Test("ordinary text, including formula characters after the first, is unchanged", arguments: [
        "C-000123", "ACME Corp", "", " =1", "a=b", "'already", "user@example.com", "12-34", "Mon 08:00-10:00",
        "2026-11-24T09:00:00Z",
    ])
    func ordinary(_ value: String) {
        #expect(CellSanitizer.neutralise(value) == value)
    }
}
