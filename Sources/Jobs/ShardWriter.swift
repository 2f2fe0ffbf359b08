import FileSafety
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Appends rows to one file per shard (`shard-0000/<name>` ...), buffering each shard's bytes and writing them out in
/// blocks, so thousands of shards need no more than one open file at a time.
final class ShardWriter {
    /// The shard folders, index = shard number.
    private let paths: [String]
    private var buffers: [[UInt8]]
    /// Bytes held per shard before they are written out.
    private let blockBytes = 64 << 10
    /// Data rows written per shard (header excluded).
    private(set) var rowCounts: [Int]

    /// Creates `<folder>/<name>` for every shard folder, each starting with `header` (the input's header bytes).
    init(shardFolders: [String], fileName: String, header: [UInt8]) throws {
        paths = shardFolders.map { $0 + "/" + fileName }
        buffers = Array(repeating: header, count: shardFolders.count)
        rowCounts = Array(repeating: 0, count: shardFolders.count)
        for shard in paths.indices { try flush(shard, create: true) }
    }

    /// Appends one record's bytes to `shard`, adding a line feed when the record (the file's last) has none.
    func append(_ raw: UnsafeBufferPointer<UInt8>, to shard: Int) throws {
        buffers[shard].append(contentsOf: raw)
        if raw.last != 0x0A { buffers[shard].append(0x0A) }
        rowCounts[shard] += 1
        if buffers[shard].count >= blockBytes { try flush(shard, create: false) }
    }

    /// Appends bytes arscore wrote itself (a line of a sidecar file) to `shard`.
    func append(line: [UInt8], to shard: Int) throws {
        buffers[shard].append(contentsOf: line)
        rowCounts[shard] += 1
        if buffers[shard].count >= blockBytes { try flush(shard, create: false) }
    }

    /// Writes out every buffered byte.
    func finish() throws {
        for shard in paths.indices where !buffers[shard].isEmpty { try flush(shard, create: false) }
    }

    private func flush(_ shard: Int, create: Bool) throws {
        let path = paths[shard]
        let flags = O_WRONLY | O_CLOEXEC | (create ? (O_CREAT | O_EXCL) : O_APPEND)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw FileSafetyError(path: path, operation: "create output file", code: errno) }
        defer { close(descriptor) }
        try buffers[shard].withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let wrote = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw FileSafetyError(path: path, operation: "write", code: errno)
                }
                done += wrote
            }
        }
        buffers[shard].removeAll(keepingCapacity: true)
    }
}
