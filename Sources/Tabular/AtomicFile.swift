import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so readers never see a half-written one under its final name.
///
/// The content goes to a hidden temporary file in the destination's folder, is flushed
/// to disk (`fsync`), and is then renamed over the destination (atomic on POSIX file
/// systems); the folder is synced too so the rename itself survives a crash. On any
/// failure the temporary file is removed and the destination is left as it was.
public enum AtomicFile {
    /// Writes `contents` to `path` atomically.
    /// - Throws: `AtomicFileError` naming the path and the operating-system reason.
    public static func write(_ contents: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AtomicFileError(path: path, operation: "create", code: errno) }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        do {
            try contents.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw AtomicFileError(path: path, operation: "write", code: errno)
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw AtomicFileError(path: path, operation: "flush", code: errno) }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw AtomicFileError(path: path, operation: "close", code: errno) }
        guard rename(temporary, path) == 0 else { throw AtomicFileError(path: path, operation: "rename", code: errno) }
        succeeded = true
        syncFolder(folder)
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

/// A failed atomic write: which file, which step, and the system's reason.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let operation: String
    public let code: Int32

    public var description: String {
        "\(path): cannot \(operation) output file: \(String(cString: strerror(code)))"
    }
}
