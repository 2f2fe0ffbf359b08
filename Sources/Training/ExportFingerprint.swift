import Bundles
import CivilTime
import FileSafety
import Foundation
import Parallelism
import Receivables

/// The data fingerprint of a training export: SHA-256 of each input file and one SHA-256 over them all.
public enum ExportFingerprint {
    /// Hashes the export's files (those that were present) and summarises the loaded export.
    ///
    /// The fingerprint is the SHA-256 of the lines `"<file name>  <file sha256>\n"` in file-name order, so it
    /// changes when any input byte changes and does not depend on the folder's path or the files' dates.
    /// - Throws: `SHA256Error` naming a file that cannot be read.
    public static func summarise(_ export: ReceivablesExport) throws -> BundleManifest.DataSummary {
        let present = export.files.filter(\.present)
        // One file per core at a time, largest first.
        let order = present.indices.sorted { size(of: export.folder + "/" + present[$0].file) > size(of: export.folder + "/" + present[$1].file) }
        let digests = DigestSlots(count: present.count)
        let workers = min(order.count, Parallel.workers)
        Parallel.perform(workers) { worker in
            for position in stride(from: worker, to: order.count, by: workers) {
                let index = order[position]
                digests.set(index, Result { try SHA256.hash(fileAt: export.folder + "/" + present[index].file) })
            }
        }
        var files: [BundleManifest.FileFingerprint] = []
        for (index, summary) in present.enumerated() {
            let path = export.folder + "/" + summary.file
            files.append(.init(name: summary.file, bytes: size(of: path), rows: summary.acceptedRows + summary.rejectedRows,
                               sha256: try digests.get(index).get()))
        }
        files.sort { $0.name < $1.name }
        let listing = files.map { "\($0.name)  \($0.sha256)\n" }.joined()
        let invoiceDates = export.invoices.invoiceDate
        let first = invoiceDates.min() ?? 0
        return .init(fingerprint: SHA256.hash(Data(listing.utf8)), files: files, customers: export.customers.count,
                     firstInvoiceDate: CivilDate.format(first), dataEnd: "", quarantinedRows: export.quarantine.count)
    }
}

private func size(of path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// Per-file hashing results filled in by worker threads.
private final class DigestSlots: @unchecked Sendable {
    private var results: [Result<String, Error>]
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: .success(""), count: count) }

    func set(_ index: Int, _ result: Result<String, Error>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func get(_ index: Int) -> Result<String, Error> {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}
