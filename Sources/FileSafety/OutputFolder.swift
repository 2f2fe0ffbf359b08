import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output folders given on the command line (`train --out`, ...): created when missing, checked to be writable
/// folders before any work, and Foundation's file errors turned into plain `path: reason` lines.
public enum OutputFolder {
    /// Creates `path` and its missing parents, then checks that it is a folder this process can write into.
    /// - Throws: `FileSafetyError` naming the path: "exists and is not a folder", "cannot create the folder:
    ///   Permission denied", "is not writable: Permission denied".
    public static func prepare(_ path: String) throws {
        guard !path.isEmpty else { throw FileSafetyError(path: path, reason: "the output folder path is empty") }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + component
            var status = stat()
            if stat(prefix, &status) == 0 {
                guard status.st_mode & S_IFMT == S_IFDIR else {
                    throw FileSafetyError(path: prefix, reason: "exists and is not a folder")
                }
                continue
            }
            guard mkdir(prefix, 0o755) == 0 || errno == EEXIST else {
                throw FileSafetyError(path: prefix, operation: "create the folder", code: errno)
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw FileSafetyError(path: path, reason: "is not writable: \(String(cString: strerror(errno)))")
        }
    }
}

extension FileSafetyError {
    /// A plain error for a Foundation file error (`NSCocoaErrorDomain Code=516 … UserInfo=…`): the path it names
    /// (or `fallbackPath`) and the operating-system reason, or a short phrase for the common Cocoa codes. Nil for
    /// errors that are not Foundation file errors.
    public init?(foundationError error: Error, fallbackPath: String? = nil) {
        let nsError = error as NSError
        guard nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain else { return nil }
        let path = (nsError.userInfo[NSFilePathErrorKey] as? String)
            ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path ?? fallbackPath ?? "?"
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            self.init(path: path, reason: String(cString: strerror(Int32(underlying.code))))
            return
        }
        if nsError.domain == NSPOSIXErrorDomain {
            self.init(path: path, reason: String(cString: strerror(Int32(nsError.code))))
            return
        }
        let reason: String
        switch nsError.code {
        case NSFileWriteFileExistsError: reason = "a file with this name already exists (expected a folder or nothing)"
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: reason = "No such file or directory"
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: reason = "Permission denied"
        case NSFileWriteOutOfSpaceError: reason = "No space left on device"
        case NSFileWriteVolumeReadOnlyError: reason = "Read-only file system"
        default: reason = "file operation failed (Foundation error \(nsError.code))"
        }
        self.init(path: path, reason: reason)
    }
}
