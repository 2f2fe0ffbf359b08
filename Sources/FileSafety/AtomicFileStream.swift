import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file in parts so readers never see a half-written one under its final name (`AtomicFile` for output too
/// large to hold in memory).
///
/// The parts go to a hidden temporary file in the destination's folder; `commit` flushes it (`fsync`), renames it
/// over the destination and syncs the folder. A stream dropped without `commit` (an error on the way) removes its
/// temporary file and leaves the destination as it was.
public final class AtomicFileStream {
    /// The destination path, as given.
    public let path: String
    private let temporary: String
    private var descriptor: Int32
    private var committed = false

    /// Creates the temporary file next to `path`.
    /// - Throws: `FileSafetyError` naming the path and the operating-system reason.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.path = path
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSafetyError(path: path, operation: "create output file", code: errno) }
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporary)
        }
    }

    /// Appends `bytes` to the file.
    /// - Throws: `FileSafetyError` naming the path and the operating-system reason.
    public func append(_ bytes: [UInt8]) throws {
        precondition(!committed && descriptor >= 0, "append after commit")
        try bytes.withUnsafeBytes {
            try AtomicFile.writeAll($0, descriptor: descriptor, path: path, operation: "write output file")
        }
    }

    /// Flushes the file and renames it over `path`; after this the stream takes no more parts.
    /// - Throws: `FileSafetyError`; the temporary file is then removed and `path` is left as it was.
    public func commit() throws {
        precondition(!committed && descriptor >= 0, "commit twice")
        if fsync(descriptor) != 0 { throw FileSafetyError(path: path, operation: "flush output file", code: errno) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw FileSafetyError(path: path, operation: "close output file", code: errno) }
        guard rename(temporary, path) == 0 else {
            throw FileSafetyError(path: path, operation: "rename output file", code: errno)
        }
        committed = true
        AtomicFile.syncFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}
