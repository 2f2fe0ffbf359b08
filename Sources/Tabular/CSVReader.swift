#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader over one CSV file with a header row.
///
/// The file is read with POSIX `read` in fixed-size chunks (default 4 MiB) into one reusable buffer, so files
/// larger than memory stream; only a record longer than the buffer makes the buffer grow.
///
/// Format accepted:
/// - UTF-8, with or without a byte-order mark (stripped);
/// - records end with LF or CRLF; a line break at the very end of the file does not start an empty record;
/// - a field that starts with `"` is quoted: it may hold commas, line breaks and `""` (one quote);
///   a quoted field must be followed by a comma, a line break or the end of the file;
/// - a `"` inside an unquoted field is kept as a literal character;
/// - every record must have as many fields as the header (`.fieldCount` otherwise), so an empty line in a file
///   with more than one column is an error;
/// - header names are trimmed of surrounding spaces and tabs, must be valid UTF-8 and unique.
///
/// Line numbers are physical lines (the header starts on line 1), counting the line breaks inside quoted fields.
///
/// Only regular files are read (after resolving symbolic links): a device such as /dev/zero would never end and a
/// FIFO would block, so both are refused at open. A record longer than `maximumRecordBytes` (default 16 MiB) is a
/// `.recordTooLong` error naming the file and line, so a file without line breaks cannot grow the buffer for ever.
public final class CSVReader {
    /// The path of the file, as given.
    public let path: String
    /// The column names from the header row, trimmed of surrounding spaces.
    public private(set) var header: [String]

    /// Maps each header name to its index.
    private var columnIndices: [String: Int]
    /// The open file descriptor.
    private let fd: Int32
    /// Size of one `read` (and the initial buffer size).
    let chunkSize: Int
    /// Size of the file in bytes when it is a regular file, otherwise `nil`.
    let fileSize: Int?
    /// Longest record (in bytes) read; a longer one is a `.recordTooLong` error instead of an ever-growing buffer.
    let maximumRecordBytes: Int
    /// The default record-length limit: 16 MiB (an export row is a few hundred bytes).
    public static let defaultMaximumRecordBytes = 16 << 20

    /// Zero bytes kept after `length` in `buffer`, so number scanning can stop without bounds checks
    /// and read up to 8 bytes at a time.
    static let padding = 16
    /// The byte buffer; bytes `position ..< length` are read but not yet consumed, followed by `padding` zero bytes.
    var buffer: UnsafeMutablePointer<UInt8>
    /// Allocated size of `buffer`.
    var capacity: Int
    /// Offset in `buffer` of the next unconsumed byte (the start of the next record).
    var position = 0
    /// Number of valid bytes in `buffer`.
    var length = 0
    /// Whether `read` has reported the end of the file.
    var atEOF = false
    /// The physical line number of the byte at `position`.
    var line = 1
    /// Total bytes read from the file since the last rewind.
    private var bytesRead = 0

    /// Field bounds of the current record: start and end offsets in `buffer`, two per field.
    var fieldBounds: UnsafeMutablePointer<Int>
    /// Number of fields `fieldBounds` can hold.
    var fieldCapacity: Int
    /// Indices of the current record's quoted fields that contain `""` escapes.
    private var escapedFields: [Int] = []
    /// Number of fields of the current record (valid after a successful `scanRecord`).
    var recordFieldCount = 0
    /// Offset in `buffer` just past the current record (valid after a successful `scanRecord`).
    var recordEnd = 0
    /// Number of line breaks the current record consumed (valid after a successful `scanRecord`).
    var recordNewlines = 0

    /// File offset of the first data record.
    private var dataOffset = 0
    /// Physical line of the first data record.
    private var dataLine = 2
    /// Whether the buffer no longer starts at the first data record (a rewind is needed for a new pass).
    private var started = false
    /// A pass ends at the first record starting at or after this file offset (see `restrict`).
    private var stopOffset: Int?
    /// Where the last restricted pass stopped: file offset and physical line of the first record not read.
    public private(set) var stoppedAt: (offset: Int, line: Int)?

    /// Opens `path` and reads its header row.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - chunkSize: bytes per `read` call; the buffer starts at this size (minimum 1).
    /// - Throws: `CSVError` (`.unreadable`, `.emptyFile`, `.invalidUTF8`, `.duplicateColumn`, `.unterminatedQuote`, `.other`).
    public init(path: String, chunkSize: Int = 4 << 20, maximumRecordBytes: Int = CSVReader.defaultMaximumRecordBytes) throws {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        self.maximumRecordBytes = max(1, maximumRecordBytes)
        let descriptor = try CSVReader.openRegularFile(path)
        fd = descriptor
        var info = stat()
        _ = fstat(descriptor, &info)
        fileSize = Int(info.st_size)
        capacity = self.chunkSize
        buffer = .allocate(capacity: capacity + CSVReader.padding)
        buffer.initialize(repeating: 0, count: CSVReader.padding)
        fieldCapacity = 16
        fieldBounds = .allocate(capacity: 2 * fieldCapacity)

        // From here on `deinit` closes the file and frees the buffers, also when the header is rejected.
        header = []
        columnIndices = [:]
        let names = try readHeader()
        header = names
        var indices: [String: Int] = [:]
        indices.reserveCapacity(names.count)
        for (index, name) in names.enumerated() {
            if indices[name] != nil {
                throw CSVError(
                    kind: .duplicateColumn, file: path, line: 1, column: name,
                    detail: "duplicate column \(CSVError.quoted(name))")
            }
            indices[name] = index
        }
        columnIndices = indices
        dataOffset = bytesRead - (length - position)
        dataLine = line
    }

    /// Opens `path` for reading after checking, with symbolic links resolved, that it is a regular file: a
    /// device (`/dev/zero`), a FIFO or a socket would never end or block for ever, a folder is not a file.
    /// The open itself does not block (`O_NONBLOCK`, cleared after the check), so a FIFO swapped in between
    /// the check and the open is refused too.
    /// - Throws: `CSVError` `.unreadable` with the reason (the system's, or the kind of file found).
    static func openRegularFile(_ path: String) throws -> Int32 {
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            throw CSVError(kind: .unreadable, file: path, detail: "cannot open: \(CSVReader.errorText(errno))")
        }
        var info = stat()
        let fileType = fstat(descriptor, &info) == 0 ? info.st_mode & S_IFMT : 0
        guard fileType == S_IFREG else {
            close(descriptor)
            throw CSVError(kind: .unreadable, file: path,
                           detail: "cannot read: not a regular file (\(CSVReader.fileTypeName(fileType)))")
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return descriptor
    }

    /// What a non-regular file is, in words.
    static func fileTypeName(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a folder"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        default: return "an unknown kind of file"
        }
    }

    deinit {
        close(fd)
        buffer.deallocate()
        fieldBounds.deallocate()
    }

    /// The index of the column named `name` (after trimming of the header), or `nil` when there is none.
    public func columnIndex(_ name: String) -> Int? {
        columnIndices[name]
    }

    /// The index of a required column, or a `.missingColumn` error naming the column and the file.
    public func requireColumn(_ name: String) throws -> Int {
        guard let index = columnIndices[name] else {
            throw CSVError(
                kind: .missingColumn, file: path, column: name, detail: "missing column \(CSVError.quoted(name))")
        }
        return index
    }

    /// Calls `body` once per data record, in file order.
    ///
    /// The record is a view into the reader's buffer and is valid only during the call.
    /// Each call starts again from the first data record (the file is rewound when needed).
    /// - Throws: the first `CSVError` in the file (`.fieldCount`, `.unterminatedQuote`, ...) or whatever `body` throws.
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        try forEachRecord(onMalformedRecord: { throw $0 }, body)
    }

    /// Calls `body` once per well-formed data record, in file order, and `onMalformedRecord` with the
    /// `.fieldCount` error of each record whose field count differs from the header's, then goes on.
    ///
    /// This is the ingest path: a bad row is reported (to be quarantined) without losing the rest of the file.
    /// Errors that leave the reader unable to find the next record (an unterminated quote, a character after a
    /// closing quote) still throw.
    public func forEachRecord(
        onMalformedRecord: (CSVError) throws -> Void, _ body: (CSVRecord) throws -> Void
    ) throws {
        try rewindIfNeeded()
        started = true
        let expected = header.count
        while true {
            if position == length {
                if atEOF {
                    stoppedAt = (bytesRead, line)
                    return
                }
                try refill()
                continue
            }
            if let stopOffset, bytesRead - (length - position) >= stopOffset {
                stoppedAt = (bytesRead - (length - position), line)
                return
            }
            guard try scanRecord() else {
                try refill()
                continue
            }
            if recordFieldCount != expected {
                try onMalformedRecord(fieldCountError(found: recordFieldCount))
                position = recordEnd
                line += recordNewlines
                continue
            }
            if !escapedFields.isEmpty { unescapeFields() }
            let record = CSVRecord(
                line: line, base: buffer, bounds: fieldBounds, fieldCount: recordFieldCount, reader: self)
            try body(record)
            position = recordEnd
            line += recordNewlines
        }
    }

    /// Calls `body` once per data record, in file order, with the record's bytes exactly as in the file (quotes,
    /// escapes and line break included; the last record may lack a line break) and the parsed record, or nil when
    /// the record's field count differs from the header's.
    ///
    /// This is the copying path (`arscore partition`): a row is routed by one parsed cell and written unchanged.
    /// - Throws: errors that leave the reader unable to find the next record, or whatever `body` throws.
    public func forEachRawRecord(_ body: (_ raw: UnsafeBufferPointer<UInt8>, _ record: CSVRecord?) throws -> Void) throws {
        try rewindIfNeeded()
        started = true
        let expected = header.count
        var escapedCopy: [UInt8] = []
        while true {
            if position == length {
                if atEOF { return }
                try refill()
                continue
            }
            guard try scanRecord() else {
                try refill()
                continue
            }
            let raw = UnsafeBufferPointer(start: buffer + position, count: recordEnd - position)
            if recordFieldCount != expected {
                try body(raw, nil)
            } else if escapedFields.isEmpty {
                try body(raw, CSVRecord(line: line, base: buffer, bounds: fieldBounds, fieldCount: recordFieldCount, reader: self))
            } else {
                escapedCopy.removeAll(keepingCapacity: true)
                escapedCopy.append(contentsOf: raw)
                unescapeFields()
                let record = CSVRecord(line: line, base: buffer, bounds: fieldBounds, fieldCount: recordFieldCount, reader: self)
                try escapedCopy.withUnsafeBufferPointer { try body($0, record) }
            }
            position = recordEnd
            line += recordNewlines
        }
    }

    /// File offset of the first data record (just after the header).
    public var dataStartOffset: Int { dataOffset }

    /// Physical line of the first data record.
    public var dataStartLine: Int { dataLine }

    /// Size of the file in bytes, when it is a regular file.
    public var fileByteCount: Int? { fileSize }

    /// Restricts the following passes to part of the file, for reading one file on several threads.
    ///
    /// A pass starts at file offset `start`, which must be the start of a record, counting lines from
    /// `firstLine`; it ends before the first record that starts at or after `stopBefore` (nil: the end
    /// of the file) and records where in `stoppedAt`. A caller that guessed `stopBefore` from a line
    /// break checks that `stoppedAt.offset` equals it: otherwise the guess fell inside a quoted field.
    public func restrict(start: Int, firstLine: Int, stopBefore: Int?) {
        dataOffset = start
        dataLine = firstLine
        stopOffset = stopBefore
        stoppedAt = nil
        started = true
    }

    /// The offset just after the first line break at or after `offset` (nil when there is none).
    public func lineStart(after offset: Int) throws -> Int? {
        var probe = [UInt8](repeating: 0, count: 1 << 16)
        var cursor = offset
        while true {
            let got = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(cursor)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CSVError(kind: .unreadable, file: path, detail: "cannot read: \(CSVReader.errorText(errno))")
            }
            if got == 0 { return nil }
            if let index = probe[0..<got].firstIndex(of: 0x0A) { return cursor + index + 1 }
            cursor += got
        }
    }

    // MARK: - Internals shared with NumericTableReader

    /// Goes back to the first data record when an earlier pass moved past it.
    func rewindIfNeeded() throws {
        guard started else { return }
        guard lseek(fd, off_t(dataOffset), SEEK_SET) >= 0 else {
            throw CSVError(kind: .unreadable, file: path, detail: "cannot rewind: \(CSVReader.errorText(errno))")
        }
        position = 0
        length = 0
        buffer[0] = 0
        atEOF = false
        bytesRead = dataOffset
        line = dataLine
        started = false
    }

    /// Marks the reader as moved past the first data record (a later pass rewinds).
    func markStarted() {
        started = true
    }

    /// Estimates the number of data records from the file size and the records already in the buffer.
    public func estimatedRecordCount() throws -> Int {
        guard let fileSize else { return 1024 }
        // Make sure a good sample is buffered.
        while !atEOF && length - position < min(chunkSize, 1 << 20) && length < capacity {
            try fillFreeSpace()
        }
        let sampleBytes = length - position
        guard sampleBytes > 0 else { return 0 }
        var newlines = 0
        var p = buffer + position
        let end = buffer + length
        while p < end {
            guard let hit = memchr(p, 0x0A, end - p) else { break }
            newlines += 1
            p = hit.assumingMemoryBound(to: UInt8.self) + 1
        }
        if atEOF { return newlines + 1 }
        let remainingBytes = max(0, fileSize - dataOffset)
        let perRecord = Double(sampleBytes) / Double(max(newlines, 1))
        return Int(Double(remainingBytes) / perRecord * 1.001) + 64
    }

    /// Reads more bytes after moving the unconsumed bytes to the start of the buffer (growing it when full).
    func refill() throws {
        if position > 0 {
            let remaining = length - position
            if remaining > 0 { memmove(buffer, buffer + position, remaining) }
            length = remaining
            position = 0
        }
        if length == capacity {
            guard capacity < maximumRecordBytes else {
                throw CSVError(kind: .recordTooLong, file: path, line: line,
                               detail: "record longer than \(maximumRecordBytes) bytes (the record-length limit): "
                                   + "not a CSV export, or a line break or closing quote is missing")
            }
            let newCapacity = min(capacity * 2, maximumRecordBytes)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + CSVReader.padding)
            newBuffer.update(from: buffer, count: length)
            (newBuffer + length).initialize(repeating: 0, count: newCapacity + CSVReader.padding - length)
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }
        try fillFreeSpace()
    }

    /// Reads once into the free space at the end of the buffer; sets `atEOF` on end of file.
    private func fillFreeSpace() throws {
        let want = capacity - length
        var got: Int
        repeat {
            got = read(fd, buffer + length, want)
        } while got < 0 && errno == EINTR
        if got < 0 {
            throw CSVError(kind: .unreadable, file: path, detail: "cannot read: \(CSVReader.errorText(errno))")
        }
        if got == 0 {
            atEOF = true
        } else {
            length += got
            bytesRead += got
        }
        (buffer + length).update(repeating: 0, count: CSVReader.padding)
    }

    /// Reads, checks and trims the header row; leaves `position` at the first data record.
    private func readHeader() throws -> [String] {
        // Strip a UTF-8 byte-order mark.
        while length < 3 && !atEOF { try refill() }
        if length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            position = 3
        }
        if position == length && atEOF {
            throw CSVError(kind: .emptyFile, file: path, line: 1, detail: "empty file (no header row)")
        }
        while try !scanRecord() { try refill() }
        if !escapedFields.isEmpty { unescapeFields() }
        var names: [String] = []
        names.reserveCapacity(recordFieldCount)
        for index in 0..<recordFieldCount {
            let bytes = UnsafeBufferPointer(
                start: buffer + fieldBounds[2 * index], count: fieldBounds[2 * index + 1] - fieldBounds[2 * index])
            guard let name = CSVReader.decodeUTF8(bytes) else {
                throw CSVError(
                    kind: .invalidUTF8, file: path, line: 1,
                    detail: "header field \(index + 1) is not valid UTF-8: \(CSVError.quoted(bytes))")
            }
            names.append(CSVReader.trimmed(name))
        }
        if names.count == 1 && names[0].isEmpty {
            throw CSVError(kind: .emptyFile, file: path, line: 1, detail: "empty file (empty header row)")
        }
        position = recordEnd
        line += recordNewlines
        return names
    }

    /// Scans one record starting at `position`, filling `fieldBounds`, `recordFieldCount`, `recordEnd` and `recordNewlines`.
    ///
    /// Does not modify the buffer, so it can be repeated after a refill.
    /// - Returns: `false` when the buffered bytes end before the record does and the file has more bytes.
    func scanRecord() throws -> Bool {
        var scan = RecordScan(
            buffer: buffer, limit: length, eof: atEOF, p: position, bounds: fieldBounds, boundsCapacity: fieldCapacity)
        if !escapedFields.isEmpty { escapedFields.removeAll(keepingCapacity: true) }
        while true {
            if scan.fieldCount == scan.boundsCapacity {
                growFieldBounds()
                scan.bounds = fieldBounds
                scan.boundsCapacity = fieldCapacity
            }
            let next: FieldEnd
            if scan.p < scan.limit && scan.buffer[scan.p] == 0x22 {
                next = try scanQuotedField(&scan)
            } else {
                next = scanUnquotedField(&scan)
            }
            if next == .comma { continue }
            if next == .needMoreBytes { return false }
            break
        }
        recordFieldCount = scan.fieldCount
        recordEnd = scan.p
        recordNewlines = scan.newlines
        return true
    }

    /// Scans an unquoted field at `scan.p`: up to the next comma or line feed (a CR before the line feed, or before
    /// the end of the file, is not part of the field).
    @inline(__always)
    private func scanUnquotedField(_ scan: inout RecordScan) -> FieldEnd {
        let buf = scan.buffer
        let start = scan.p
        let p = CSVReader.findDelimiter(buf, from: start, limit: scan.limit)
        if p < scan.limit && buf[p] == 0x2C {
            scan.addField(start, p)
            scan.p = p + 1
            return .comma
        }
        if p == scan.limit && !scan.eof { return .needMoreBytes }
        var end = p
        if end > start && buf[end - 1] == 0x0D { end -= 1 }
        scan.addField(start, end)
        if p == scan.limit {
            scan.p = p
        } else {
            scan.newlines += 1
            scan.p = p + 1
        }
        return .recordEnd
    }

    /// Scans a quoted field at `scan.p` (on its opening quote): up to the closing quote, skipping `""` escapes and
    /// counting line breaks, then what follows it.
    @inline(__always)
    private func scanQuotedField(_ scan: inout RecordScan) throws -> FieldEnd {
        let buf = scan.buffer, limit = scan.limit
        let fieldLine = line + scan.newlines
        let contentStart = scan.p + 1
        var q = contentStart
        var hasEscape = false
        while true {
            guard q < limit else {
                guard scan.eof else { return .needMoreBytes }
                throw CSVError(
                    kind: .unterminatedQuote, file: path, line: fieldLine, column: columnName(scan.fieldCount),
                    detail: "quoted field is not closed before the end of the file")
            }
            let c = buf[q]
            if c == 0x22 {
                if q + 1 < limit {
                    if buf[q + 1] != 0x22 { break }
                    hasEscape = true
                    q += 2
                    continue
                }
                if scan.eof { break }
                return .needMoreBytes
            }
            if c == 0x0A { scan.newlines += 1 }
            q += 1
        }
        if hasEscape { escapedFields.append(scan.fieldCount) }
        scan.addField(contentStart, q)
        scan.p = q + 1
        return try afterClosingQuote(&scan)
    }

    /// Checks what follows a closing quote at `scan.p`: a comma, a line break or the end of the file.
    @inline(__always)
    private func afterClosingQuote(_ scan: inout RecordScan) throws -> FieldEnd {
        let buf = scan.buffer, limit = scan.limit, p = scan.p
        if p >= limit { return scan.eof ? .recordEnd : .needMoreBytes }
        let c = buf[p]
        if c == 0x2C {
            scan.p = p + 1
            return .comma
        }
        if c == 0x0A {
            scan.newlines += 1
            scan.p = p + 1
            return .recordEnd
        }
        if c == 0x0D {
            if p + 1 < limit {
                if buf[p + 1] == 0x0A {
                    scan.newlines += 1
                    scan.p = p + 2
                    return .recordEnd
                }
            } else if scan.eof {
                scan.p = p + 1
                return .recordEnd
            } else {
                return .needMoreBytes
            }
        }
        throw CSVError(
            kind: .other, file: path, line: line + scan.newlines, column: columnName(scan.fieldCount - 1),
            detail: "unexpected character \(CSVError.quoted(String(decoding: [c], as: UTF8.self))) after a closing quote")
    }

    /// The offset of the first `,` or line feed in `buffer[from ..< limit]`, or `limit` when there is none.
    ///
    /// Looks at 8 bytes at a time (SWAR zero-byte test on the bytes XOR-ed with each delimiter).
    @inline(__always)
    static func findDelimiter(_ buffer: UnsafeMutablePointer<UInt8>, from: Int, limit: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var p = from
        while p + 8 <= limit {
            let word = UnsafeRawPointer(buffer + p).loadUnaligned(as: UInt64.self)
            let commas = word ^ (ones &* 0x2C)
            let feeds = word ^ (ones &* 0x0A)
            // A byte of `x` is zero exactly where the lowest set bit of `(x - ones) & ~x & highs` says (little endian).
            let hits = ((commas &- ones) & ~commas | (feeds &- ones) & ~feeds) & highs
            if hits != 0 {
                return p + hits.trailingZeroBitCount / 8
            }
            p += 8
        }
        while p < limit {
            let c = buffer[p]
            if c == 0x2C || c == 0x0A { return p }
            p += 1
        }
        return limit
    }

    /// Doubles the capacity of `fieldBounds`, keeping its contents.
    private func growFieldBounds() {
        let newCapacity = fieldCapacity * 2
        let newBounds = UnsafeMutablePointer<Int>.allocate(capacity: 2 * newCapacity)
        newBounds.update(from: fieldBounds, count: 2 * fieldCapacity)
        fieldBounds.deallocate()
        fieldBounds = newBounds
        fieldCapacity = newCapacity
    }

    /// Removes the `""` escapes of the current record's quoted fields in place.
    func unescapeFields() {
        for field in escapedFields {
            let start = fieldBounds[2 * field]
            let end = fieldBounds[2 * field + 1]
            var read = start
            var write = start
            while read < end {
                let c = buffer[read]
                buffer[write] = c
                write += 1
                read += c == 0x22 ? 2 : 1
            }
            fieldBounds[2 * field + 1] = write
        }
        escapedFields.removeAll(keepingCapacity: true)
    }

    /// Whether the current record has quoted fields with `""` escapes that still need `unescapeFields`.
    var hasPendingEscapes: Bool { !escapedFields.isEmpty }

    /// The `.fieldCount` error for the current record.
    func fieldCountError(found: Int) -> CSVError {
        CSVError(
            kind: .fieldCount, file: path, line: line,
            detail: "expected \(header.count) field\(header.count == 1 ? "" : "s") (as in the header), found \(found)")
    }

    /// The header name of column `index`, or `nil` past the header (or while reading the header).
    func columnName(_ index: Int) -> String? {
        index >= 0 && index < header.count ? header[index] : nil
    }

    /// Decodes `bytes` as UTF-8, or returns `nil` when they are not valid UTF-8.
    static func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        // Pure ASCII is always valid; otherwise invalid input shows up as U+FFFD replacements.
        if !bytes.contains(where: { $0 >= 0x80 }) { return text }
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// `text` without surrounding spaces and tabs.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
        return String(text[first...last])
    }

    /// The OS description of an `errno` value.
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// What ends a field scanned by `CSVReader.scanRecord`.
enum FieldEnd {
    /// A comma: another field follows.
    case comma
    /// A line break or the end of the file: the record is complete.
    case recordEnd
    /// The buffered bytes end first and the file has more.
    case needMoreBytes
}

/// The state of one `CSVReader.scanRecord` call, kept in locals while the record's fields are scanned.
struct RecordScan {
    let buffer: UnsafeMutablePointer<UInt8>
    /// Number of valid bytes in `buffer`.
    let limit: Int
    /// Whether no bytes follow `limit` in the file.
    let eof: Bool
    /// Offset of the next byte to scan.
    var p: Int
    /// Where field bounds go (two per field), and how many fields it holds.
    var bounds: UnsafeMutablePointer<Int>
    var boundsCapacity: Int
    var fieldCount = 0
    /// Line breaks seen so far in the record.
    var newlines = 0

    init(buffer: UnsafeMutablePointer<UInt8>, limit: Int, eof: Bool, p: Int, bounds: UnsafeMutablePointer<Int>,
         boundsCapacity: Int) {
        self.buffer = buffer
        self.limit = limit
        self.eof = eof
        self.p = p
        self.bounds = bounds
        self.boundsCapacity = boundsCapacity
    }

    /// Records field `fieldCount` as bytes `start ..< end` and counts it.
    @inline(__always)
    mutating func addField(_ start: Int, _ end: Int) {
        bounds[2 * fieldCount] = start
        bounds[2 * fieldCount + 1] = end
        fieldCount += 1
    }
}
