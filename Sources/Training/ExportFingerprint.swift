import Bundles
import Foundation
import Receivables
import Tabular

/// The data fingerprint of a training export: SHA-256 of each input file and one SHA-256 over them all.
public enum ExportFingerprint {
    /// Hashes the export's files (those that were present) and summarises the loaded export.
    ///
    /// The fingerprint is the SHA-256 of the lines `"<file name>  <file sha256>\n"` in file-name order, so it
    /// changes when any input byte changes and does not depend on the folder's path or the files' dates.
    /// - Throws: `SHA256Error` naming a file that cannot be read.
    public static func summarise(_ export: ReceivablesExport) throws -> BundleManifest.DataSummary {
        var files: [BundleManifest.FileFingerprint] = []
        for summary in export.files where summary.present {
            let path = export.folder + "/" + summary.file
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            files.append(.init(name: summary.file, bytes: bytes ?? 0, rows: summary.acceptedRows + summary.rejectedRows,
                               sha256: try SHA256.hash(fileAt: path)))
        }
        files.sort { $0.name < $1.name }
        let listing = files.map { "\($0.name)  \($0.sha256)\n" }.joined()
        let invoiceDates = export.invoices.invoiceDate
        let first = invoiceDates.min() ?? 0
        return .init(fingerprint: SHA256.hash(Data(listing.utf8)), files: files, customers: export.customers.count,
                     firstInvoiceDate: CivilDate.format(first), dataEnd: "", quarantinedRows: export.quarantine.count)
    }
}
