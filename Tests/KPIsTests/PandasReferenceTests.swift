import CivilTime
import Foundation
import Testing
import Receivables
@testable import KPIs

/// The KPIs of the committed generated export (300 customers, 8 months, seed 11) against
/// Benchmarks/reference/kpis_pandas.py's output on the same CSV files (Fixtures/make_reference.sh).
@Suite("KPIs agree with the pandas reference")
struct PandasReferenceTests {
    static let fixtures = Bundle.module.resourcePath! + "/Fixtures"

    func compare(reference name: String, period: KPIPeriod, grouping: KPIGrouping) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/\(name)"))
        let reference = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let export = try ExportLoader.load(folder: "\(Self.fixtures)/export")
        #expect(export.quarantine.isEmpty)
        let from = CivilDate.parse(reference["from"] as! String)!, to = CivilDate.parse(reference["to"] as! String)!
        let table = KPIs.table(export: export, from: from, to: to, period: period, grouping: grouping)
        let rows = reference["rows"] as! [[String: Any]]
        #expect(rows.count == table.rows.count)
        var compared = 0, defined = 0
        for (expected, row) in zip(rows, table.rows) {
            #expect(expected["period_start"] as? String == CivilDate.format(row.periodStart))
            #expect(expected["group"] as? String == row.group)
            let kpis = expected["kpis"] as! [String: Any]
            #expect(Set(kpis.keys) == Set(KPIName.all))
            for (name, value) in kpis {
                compared += 1
                if let value = value as? Double {
                    defined += 1
                    let got = row.value(name)
                    #expect(got != nil && abs(got! - value) <= 1e-9 * max(1, abs(value)),
                            "\(CivilDate.format(row.periodStart)) \(row.group) \(name): \(String(describing: got)) vs pandas \(value)")
                } else {
                    #expect(row.value(name) == nil, "\(row.group) \(name) should be undefined")
                }
            }
            for (name, value) in expected["counts"] as! [String: Double] {
                #expect(abs((row.counts[name] ?? -1) - value) <= 1e-9 * max(1, abs(value)), "\(row.group) \(name)")
            }
        }
        // The fixture exercises the formulas, not only their undefined cases (most weeks hold no month start, so most
        // weekly roll rates are undefined).
        #expect(defined > compared / (period == .week ? 4 : 2))
    }

    @Test func monthlyBySegment() throws {
        try compare(reference: "reference_month_segment.json", period: .month, grouping: .segment)
    }

    @Test func weeklyByCountry() throws {
        try compare(reference: "reference_week_country.json", period: .week, grouping: .country)
    }
}
