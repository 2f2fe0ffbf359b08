import Tabular

/// libFuzzer entry point for the CSV reader: the input is one CSV file; its first byte also picks the read chunk size.
///
/// Every record is read as strings and numbers, then the file is read again as a numeric table (type detection and
/// the two-thread fast path). Errors (`CSVError`) are expected; a crash, a sanitizer report or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let path = fuzzScratch + "/input.csv"
    writeFile(path, bytes)
    let chunkSizes = [1, 2, 3, 7, 64, 4096, 4 << 20]
    let chunkSize = size > 0 ? chunkSizes[Int(data[0]) % chunkSizes.count] : 4096
    if let reader = try? CSVReader(path: path, chunkSize: chunkSize) {
        let columns = reader.header.count
        try? reader.forEachRecord(onMalformedRecord: { _ in }) { record in
            precondition(record.fieldCount == columns, "a well-formed record has the header's field count")
            for index in 0..<record.fieldCount {
                _ = try? record.string(index)
                _ = record.double(index)
            }
        }
        if let first = reader.header.first {
            _ = try? NumericTableReader.read(path: path, columns: [first], recordLines: true, chunkSize: chunkSize)
        }
    }
    _ = try? NumericTableReader.readAllNumeric(path: path, recordLines: true, chunkSize: chunkSize)
    if let chunks = try? NumericChunkReader(path: path, columns: [], keptColumns: [], chunkRows: 3) {
        while (try? chunks.next()) == true {}
    }
    return 0
}
