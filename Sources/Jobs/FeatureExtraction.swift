import CivilTime
import Features
import FileSafety
import Foundation
import Receivables
import Scoring
import Tabular

/// The library side of `arscore features`.
public enum FeatureExtraction {
    public struct Request: Sendable {
        public var exportFolder: String
        public var asOf: Int32
        public var horizonDays: Int
        public var outputPath: String
        public var quarantinePath: String?
        public var badRowThreshold: Double

        public init(exportFolder: String, asOf: Int32, horizonDays: Int = 30, outputPath: String,
                    quarantinePath: String? = nil, badRowThreshold: Double = 0.01) {
            self.exportFolder = exportFolder
            self.asOf = asOf
            self.horizonDays = horizonDays
            self.outputPath = outputPath
            self.quarantinePath = quarantinePath
            self.badRowThreshold = badRowThreshold
        }
    }

    public struct Report: Sendable {
        public var customers: Int
        public var quarantinedRows: Int
        public var notes: [String]
        public var summary: String
    }

    /// Loads the export, builds the snapshot and labels, writes the CSV files (atomically).
    public static func run(_ request: Request) throws -> Report {
        let export = try ExportLoader.load(
            folder: request.exportFolder, options: ExportLoadOptions(badRowThreshold: request.badRowThreshold))
        if let path = request.quarantinePath {
            try AtomicFile.write(QuarantineFile.csv(export.quarantine), to: path)
        }
        let builder = FeatureBuilder(export: export)
        try builder.checkAsOf(request.asOf, source: request.exportFolder)
        let table = builder.snapshot(asOf: request.asOf)
        let labels = builder.labels(for: table, horizonDays: request.horizonDays)
        let h = request.horizonDays
        var header = ["customer_id", "as_of"] + table.columnNames
        header += ["paid_within_\(h)d", "cash_within_\(h)d", "horizon_observed", "days_to_first_payment", "payment_observed"]
        var writer = CSVWriter(header: header, reservingCapacity: table.rowCount * 64 * table.columnCount)
        let asOfText = CivilDate.format(request.asOf)
        for row in 0..<table.rowCount {
            writer.appendCell(export.customers.ids.id(Int(table.customers[row])))
            writer.appendCell(asOfText)
            for column in 0..<table.columnCount { writer.appendCell(table.value(row: row, column: column)) }
            let observed = labels.horizonObserved[row]
            if observed {
                writer.appendCell(labels.paidWithinHorizon[row])
                writer.appendCell(labels.cashWithinHorizon[row])
            } else {
                writer.appendCell("")
                writer.appendCell("")
            }
            writer.appendCell(observed ? 1 : 0)
            writer.appendCell(labels.daysToFirstPayment[row])
            writer.appendCell(labels.paymentObserved[row])
            writer.endRow()
        }
        try AtomicFile.write(writer.data, to: request.outputPath)
        var notes: [String] = []
        if !export.hasCallLog { notes.append("no calls.csv: call-history features are zero") }
        if !export.hasPromises { notes.append("no promises.csv: promise features are zero") }
        var summary = "\(table.rowCount) customers with an open balance on \(asOfText), \(table.columnCount) features"
        summary += "; \(export.quarantine.count) input rows quarantined"
        if !notes.isEmpty { summary += "; " + notes.joined(separator: "; ") }
        summary += " -> \(request.outputPath)"
        return Report(customers: table.rowCount, quarantinedRows: export.quarantine.count, notes: notes, summary: summary)
    }
}
