import Foundation
import Parallelism
import Tabular

/// Reads a large export file as many consecutive chunks on all cores and folds each chunk into the file's
/// final table as soon as it and every chunk before it are parsed, so memory holds the table plus a few
/// chunks (never a second copy of the file's rows, as joining per-core halves did).
///
/// Chunks start just after a line break near every `chunkBytes` of the file. Each chunk counts lines from 1
/// and must stop exactly where the next begins, which proves the boundary is a record start; when a chunk
/// fails or stops elsewhere (the boundary fell inside a quoted field), `run` returns nil and the caller reads
/// the file in one pass, so errors name physical lines. Folding shifts lines to physical lines and indexes
/// the chunk's ids at once, so the result equals that of one sequential pass.
final class ChunkedFileRead<Table: IdentifiedRows>: @unchecked Sendable {
    typealias Parser = (inout RowCheck, inout Table) -> Bool

    private let scan: FileScan
    private let idColumn: Int
    /// File offsets where chunks start (the first is the first data record), ascending.
    private let boundaries: [Int]
    private let firstLine: Int
    private let rowsPerChunk: Int
    private let emptyTable: Table
    /// Chunks a worker may parse ahead of the next one to fold (bounds the chunks held at once).
    private let maximumAhead: Int

    private let condition = NSCondition()
    /// Next chunk to hand out, next chunk to fold; guarded by `condition`.
    private var nextChunk = 0, nextToFold = 0
    /// Parsed chunks waiting for an earlier one; guarded by `condition`.
    private var parsed: [Int: Result<FilePart<Table>, Error>] = [:]
    /// Whether a worker is folding (only one folds at a time); guarded by `condition`.
    private var folding = false
    /// Set when a chunk failed or stopped off its boundary; guarded by `condition`.
    private var failed = false

    /// The file so far (touched only by the folding worker).
    private var result: FilePart<Table>
    /// Line shift of the next chunk to fold, and where (in its own line count) the last folded chunk stopped.
    private var lineShift = Int32(0), previousStopLine = 0

    private init(scan: FileScan, idColumn: Int, boundaries: [Int], firstLine: Int, expectedRows: Int,
                 dataBytes: Int, chunkBytes: Int, emptyTable: Table, workers: Int) {
        self.scan = scan
        self.idColumn = idColumn
        self.boundaries = boundaries
        self.firstLine = firstLine
        self.emptyTable = emptyTable
        rowsPerChunk = min(expectedRows, Int(Double(expectedRows) * Double(chunkBytes) / Double(max(1, dataBytes)))) + 64
        maximumAhead = 2 * workers
        var table = emptyTable
        table.ids = IDIndex(capacity: expectedRows)
        table.reserveCapacity(expectedRows)
        var rowLines: [Int32] = []
        rowLines.reserveCapacity(expectedRows)
        result = FilePart(table: table, rows: RowOutcomes(file: scan.file, path: scan.path), rowLines: rowLines,
                          stoppedAt: nil)
    }

    /// The file read in chunks on all cores, or nil for a file below `minimumBytes` (or of one chunk), or when a
    /// chunk failed or a guessed boundary fell inside a quoted field (then the caller reads it in one pass).
    static func run(
        _ scan: FileScan, reader: CSVReader, idColumn: Int, expectedRows: Int, minimumBytes: Int, chunkBytes: Int,
        emptyTable: Table, makeParser: (CSVReader, FileScan) throws -> Parser
    ) throws -> FilePart<Table>? {
        guard let size = reader.fileByteCount, size - reader.dataStartOffset >= minimumBytes else { return nil }
        let boundaries = try chunkBoundaries(reader, fileSize: size, chunkBytes: chunkBytes)
        guard boundaries.count >= 2 else { return nil }
        let workers = max(2, min(8, ProcessInfo.processInfo.activeProcessorCount))
        // Small reads: a chunk's last read runs past its end, so a small read wastes little.
        let readers = try (0..<workers).map { _ in try scan.reopen(chunkSize: min(1 << 20, max(1 << 12, chunkBytes / 4))) }
        let read = ChunkedFileRead(scan: scan, idColumn: idColumn, boundaries: boundaries,
                                   firstLine: reader.dataStartLine, expectedRows: expectedRows,
                                   dataBytes: size - reader.dataStartOffset, chunkBytes: chunkBytes, emptyTable: emptyTable,
                                   workers: workers)
        Parallel.perform(workers) { worker in
            read.work(reader: readers[worker], makeParser: makeParser)
        }
        guard !read.failed else { return nil }
        return read.result
    }

    /// Chunk starts: the first data record, then the record start just after each further `chunkBytes`.
    static func chunkBoundaries(_ reader: CSVReader, fileSize: Int, chunkBytes: Int) throws -> [Int] {
        let start = reader.dataStartOffset, step = max(1, chunkBytes)
        var boundaries = [start]
        var target = start + step
        while target < fileSize {
            guard let next = try reader.lineStart(after: target), next < fileSize else { break }
            if next > boundaries.last! { boundaries.append(next) }
            target = max(target + step, next)
        }
        return boundaries
    }

    /// One worker: takes the next chunk, parses it, and folds every chunk that is ready, until all are taken.
    private func work(reader: CSVReader, makeParser: (CSVReader, FileScan) throws -> Parser) {
        while let (chunk, parser) = claim(reader: reader, makeParser: makeParser) {
            reader.restrict(start: boundaries[chunk], firstLine: chunk == 0 ? firstLine : 1,
                            stopBefore: chunk + 1 < boundaries.count ? boundaries[chunk + 1] : nil)
            let part = Result {
                try ExportLoader.readPart(scan, reader: reader, idColumn: idColumn, expectedRows: rowsPerChunk,
                                          emptyTable: emptyTable, indexed: false, parse: try parser.get())
            }
            deliver(part, chunk: chunk)
        }
    }

    /// The next chunk and its parser (made here, under the lock: parsers keep per-chunk state such as interned
    /// names), or nil when every chunk is taken or the read failed. Waits while too many chunks are unfolded.
    private func claim(reader: CSVReader, makeParser: (CSVReader, FileScan) throws -> Parser)
        -> (Int, Result<Parser, Error>)? {
        condition.lock()
        defer { condition.unlock() }
        while !failed && nextChunk < boundaries.count && nextChunk > nextToFold + maximumAhead { condition.wait() }
        guard !failed && nextChunk < boundaries.count else { return nil }
        let chunk = nextChunk
        nextChunk += 1
        return (chunk, Result { try makeParser(reader, scan) })
    }

    /// Hands in a parsed chunk and, unless another worker is folding, folds every chunk that is next in line.
    private func deliver(_ part: Result<FilePart<Table>, Error>, chunk: Int) {
        condition.lock()
        parsed[chunk] = part
        while !folding && !failed, let ready = parsed.removeValue(forKey: nextToFold) {
            folding = true
            let index = nextToFold
            condition.unlock()
            let folded = fold(ready, chunk: index)
            condition.lock()
            folding = false
            nextToFold += 1
            if !folded {
                failed = true
                parsed = [:]
            }
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Appends a chunk to the file's table with physical lines and indexes its ids; false when it failed or did
    /// not stop at the next chunk's start.
    private func fold(_ part: Result<FilePart<Table>, Error>, chunk: Int) -> Bool {
        guard case .success(let part) = part,
              chunk + 1 == boundaries.count || part.stoppedAt?.offset == boundaries[chunk + 1] else { return false }
        if chunk > 0 { lineShift += Int32(previousStopLine) - 1 }
        result.table.append(contentsOf: part.table)
        result.duplicates += result.table.ids.indexPending()
        for line in part.rowLines { result.rowLines.append(line + lineShift) }
        result.rows.append(part.rows, lineShift: Int(lineShift))
        previousStopLine = part.stoppedAt?.line ?? 0
        result.stoppedAt = part.stoppedAt
        return true
    }
}
