import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so readers never see a half-written one under its final name.
///
/// The content goes to a hidden temporary file in the destination's folder, is flushed
/// to disk (`fsync`), and is then renamed over the destination (atomic on POSIX file
/// systems); the folder is synced too so the rename itself survives a crash. On any
/// failure the temporary file is removed and the destination is left as it was.
public enum AtomicFile {
    /// Writes `contents` to `path` atomically.
    /// - Throws: `FileSafetyError` naming the path and the operating-system reason.
    public static func write(_ contents: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSafetyError(path: path, operation: "create output file", code: errno) }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        try writeAndClose(contents, descriptor: descriptor, flush: true, path: path, operationSuffix: " output file")
        guard rename(temporary, path) == 0 else {
            throw FileSafetyError(path: path, operation: "rename output file", code: errno)
        }
        succeeded = true
        syncFolder(folder)
    }

    /// Writes `contents` to a new file at `path`, which must not exist yet (no temporary name, no flush: for files
    /// inside a folder that `AtomicFolder` publishes and flushes as a whole).
    /// - Throws: `FileSafetyError` naming the path and the operating-system reason.
    public static func writeNew(_ contents: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSafetyError(path: path, operation: "create", code: errno) }
        try writeAndClose(contents, descriptor: descriptor, flush: false, path: path, operationSuffix: "")
    }

    /// The one write loop: writes all of `contents` (retrying on EINTR), optionally `fsync`s, and closes `descriptor`
    /// (also on failure). Operation names in errors get `operationSuffix` ("write output file").
    private static func writeAndClose(_ contents: Data, descriptor: Int32, flush: Bool, path: String,
                                      operationSuffix: String) throws {
        do {
            try contents.withUnsafeBytes { buffer in
                try writeAll(buffer, descriptor: descriptor, path: path, operation: "write" + operationSuffix)
            }
            if flush, fsync(descriptor) != 0 {
                throw FileSafetyError(path: path, operation: "flush" + operationSuffix, code: errno)
            }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else {
            throw FileSafetyError(path: path, operation: "close" + operationSuffix, code: errno)
        }
    }

    /// Writes all of `buffer` to `descriptor`, retrying on EINTR and short writes.
    /// - Throws: `FileSafetyError` with `operation` and the operating-system reason.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, descriptor: Int32, path: String, operation: String) throws {
        var offset = 0
        while offset < buffer.count {
            let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSafetyError(path: path, operation: operation, code: errno)
            }
            offset += written
        }
    }

    /// POSIX `write(2)` on every platform the package declares.
    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(descriptor, bytes, count)
        #elseif canImport(Musl)
        return Musl.write(descriptor, bytes, count)
        #else
        return Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// Flushes a folder's entries (makes a completed rename durable). Best effort.
    public static func syncFolder(_ folder: String) {
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
