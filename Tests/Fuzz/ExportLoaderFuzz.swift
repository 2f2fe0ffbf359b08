import Foundation
import Receivables

/// libFuzzer entry point for the export loader: the input is up to five CSV files joined by 0x1E bytes, written as
/// customers.csv, invoices.csv, payments.csv, calls.csv and promises.csv (missing parts are absent files).
///
/// `ExportLoader.load` must either return validated tables with every bad row quarantined or throw a
/// `ReceivablesError`; a crash, a sanitizer report or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExportLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let folder = fuzzScratch + "/export"
    mkdir(folder, 0o700)
    let names = ["customers.csv", "invoices.csv", "payments.csv", "calls.csv", "promises.csv"]
    let parts = splitParts(UnsafeRawBufferPointer(start: data, count: size), separator: 0x1E)
    for (index, name) in names.enumerated() {
        let path = folder + "/" + name
        if index < parts.count { writeFile(path, parts[index]) } else { unlink(path) }
    }
    if let export = try? ExportLoader.load(folder: folder, options: ExportLoadOptions(badRowThreshold: 1)) {
        // Every rejected row is in the quarantine, and the accepted rows are the table sizes.
        let rejected = export.files.reduce(0) { $0 + $1.rejectedRows }
        precondition(rejected == export.quarantine.count, "rejected rows \(rejected) ≠ quarantined \(export.quarantine.count)")
        precondition(export.files.first { $0.file == "customers.csv" }?.acceptedRows ?? 0 == export.customers.count,
                     "customers accepted ≠ table rows")
    }
    return 0
}
