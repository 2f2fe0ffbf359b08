import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes whole folders so they appear under their final name only when complete and on disk.
///
/// The caller fills a hidden temporary sibling folder `.<name>.partial-<pid>`; every file in it
/// (recursively) and every folder in it are flushed (`fsync`), the folder is renamed to its final
/// name (atomic on POSIX file systems) and the parent folder is flushed so the rename survives a
/// crash. A crash or an error leaves nothing under the final name; temporary folders left by
/// crashed runs for the same name (their process is gone) are removed by the next run.
public enum AtomicFolder {
    /// Runs `body` on a new temporary sibling folder of `path`, then publishes it as `path`.
    ///
    /// `path` may be missing (its parent folders are created) or an empty folder (it is replaced);
    /// anything else is refused before `body` runs. On any error the temporary folder is removed
    /// and `path` is left as it was.
    /// - Parameter body: receives the temporary folder's path and writes the content there.
    /// - Returns: what `body` returns.
    /// - Throws: `FileSafetyError` naming the path and the reason; whatever `body` throws.
    public static func write<T>(at path: String, _ body: (String) throws -> T) throws -> T {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            let contents = isFolder.boolValue ? ((try? manager.contentsOfDirectory(atPath: path)) ?? ["?"]) : ["?"]
            guard contents.isEmpty else { throw FileSafetyError(path: path, reason: "already exists and is not empty") }
        }
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        let prefix = "." + url.lastPathComponent + ".partial-"
        do {
            try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw FileSafetyError(path: parent, reason: "cannot create the folder: \(reasonText(error))")
        }
        removeStalePartials(in: parent, prefix: prefix)
        let temporary = parent + "/" + prefix + "\(getpid())"
        guard mkdir(temporary, 0o755) == 0 else {
            throw FileSafetyError(path: temporary, operation: "create", code: errno)
        }
        do {
            let result = try body(temporary)
            try flushTree(temporary)
            guard rename(temporary, path) == 0 else {
                throw FileSafetyError(path: path, operation: "publish the folder", code: errno)
            }
            AtomicFile.syncFolder(parent)
            return result
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Flushes one file's contents to disk (`fsync`).
    /// - Throws: `FileSafetyError` naming the file and the operating-system reason.
    public static func flush(file path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSafetyError(path: path, operation: "open for flushing", code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileSafetyError(path: path, operation: "flush to disk", code: errno) }
    }

    /// Flushes every regular file under `folder` (recursively), then each folder itself, deepest first.
    /// Symbolic links are not followed (their target is not part of the folder).
    /// - Throws: `FileSafetyError` naming the entry and the operating-system reason.
    public static func flushTree(_ folder: String) throws {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw FileSafetyError(path: folder, reason: "cannot list the folder: \(reasonText(error))")
        }
        for name in entries.sorted() {
            let entry = folder + "/" + name
            var status = stat()
            guard lstat(entry, &status) == 0 else { throw FileSafetyError(path: entry, operation: "inspect", code: errno) }
            switch status.st_mode & S_IFMT {
            case S_IFDIR: try flushTree(entry)
            case S_IFREG: try flush(file: entry)
            default: continue
            }
        }
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSafetyError(path: folder, operation: "open for flushing", code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileSafetyError(path: folder, operation: "flush to disk", code: errno) }
    }

    /// Removes the temporary folders of crashed runs: entries of `parent` named `<prefix><pid>` whose
    /// process is no longer running (or is this process, which has not created its own yet), and
    /// entries named `<prefix>` + anything that is not a process id.
    ///
    /// A folder whose process is still running belongs to a concurrent run and is left alone.
    /// Best effort: an entry that cannot be removed is left for a later run.
    public static func removeStalePartials(in parent: String, prefix: String) {
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            if let owner = Int32(name.dropFirst(prefix.count)), owner > 0, owner != getpid(),
               kill(owner, 0) == 0 || errno == EPERM {
                continue
            }
            try? manager.removeItem(atPath: parent + "/" + name)
        }
    }

    /// The operating-system reason inside a Foundation error, or its description.
    private static func reasonText(_ error: Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
