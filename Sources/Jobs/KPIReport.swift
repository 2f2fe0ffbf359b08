import CivilTime
import FileSafety
import Features
import Foundation
import KPIs
import Receivables
import Reports

/// The library side of `arscore kpi`: collection KPIs of an export per period and group, as text, JSON or CSV,
/// and optionally the HTML report.
public enum KPIReport {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv
    }

    public struct Request: Sendable {
        public var exportFolder: String
        /// First day of the window (days since 1970-01-01).
        public var from: Int32
        /// First day after the window.
        public var to: Int32
        public var period: KPIPeriod
        public var grouping: KPIGrouping
        public var format: Format
        /// Where to write the table (nil: only returned in the report, the CLI prints it).
        public var outputPath: String?
        /// Where to write the HTML report.
        public var reportPath: String?
        public var badRowThreshold: Double
        public var options: KPIOptions

        public init(exportFolder: String, from: Int32, to: Int32, period: KPIPeriod = .month,
                    grouping: KPIGrouping = .all, format: Format = .text, outputPath: String? = nil,
                    reportPath: String? = nil, badRowThreshold: Double = 0.01, options: KPIOptions = KPIOptions()) {
            self.exportFolder = exportFolder
            self.from = from
            self.to = to
            self.period = period
            self.grouping = grouping
            self.format = format
            self.outputPath = outputPath
            self.reportPath = reportPath
            self.badRowThreshold = badRowThreshold
            self.options = options
        }
    }

    public struct Report: Sendable {
        public var table: KPITable
        /// The table in the requested format.
        public var output: Data
        public var quarantinedRows: Int
        /// A one-line summary for stderr (files written, rows quarantined).
        public var summary: String
    }

    /// Loads the export (same validation and quarantine rules as every command), computes the KPIs in one pass,
    /// writes the requested files atomically.
    public static func run(_ request: Request) throws -> Report {
        guard request.from < request.to else {
            throw ArscoreError("--from \(CivilDate.format(request.from)) must be before --to \(CivilDate.format(request.to))")
        }
        var export = try ExportLoader.load(
            folder: request.exportFolder, options: ExportLoadOptions(badRowThreshold: request.badRowThreshold))
        // The row tables are released as they are indexed, so a large export is not held twice (as in the nightly run).
        let builder = FeatureBuilder(releasingRowTablesOf: &export, options: FeatureOptions(graceDays: request.options.graceDays))
        let table = KPIs.table(builder: builder, customers: export.customers, callLog: export.hasCallLog,
                               promiseLog: export.hasPromises, from: request.from, to: request.to, period: request.period,
                               grouping: request.grouping, options: request.options)
        let output: Data
        switch request.format {
        case .text: output = Data(KPIFormat.text(table).utf8)
        case .json: output = try KPIFormat.json(table)
        case .csv: output = KPIFormat.csv(table)
        }
        var written: [String] = []
        if let path = request.outputPath {
            try AtomicFile.write(output, to: path)
            written.append(path)
        }
        if let path = request.reportPath {
            try AtomicFile.write(Data(KPIHTMLReport.render(table, exportFolder: request.exportFolder).utf8), to: path)
            written.append(path)
        }
        var summary = "\(table.rows.count) KPI rows (\(table.rows.count / max(1, table.groups.count)) periods × "
            + "\(table.groups.count) groups); \(export.quarantine.count) input rows quarantined"
        if !written.isEmpty { summary += " -> " + written.joined(separator: ", ") }
        return Report(table: table, output: output, quarantinedRows: export.quarantine.count, summary: summary)
    }
}
