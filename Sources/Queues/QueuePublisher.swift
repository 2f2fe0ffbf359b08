import FileSafety
import CivilTime
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Publishes a queue folder `<out>/<as-of>` and switches `<out>/latest` to it, atomically.
///
/// Steps (see DESIGN.md, "Output: the queue folder"):
/// 0. take the lock `<out>/.lock` (`flock`, exclusive), waiting up to `lockTimeout` seconds for a concurrent
///    run on the same `<out>`; then check everything that could make a rename fail, before anything is renamed:
///    `latest` is absent or a symbolic link to an as-of folder name, `<out>/<as-of>` is absent or a folder (and,
///    when it exists, the system can swap folders atomically);
/// 1. create `<out>` if missing; remove stale `.<YYYY-MM-DD>.partial-*` folders (of any date) and
///    `.latest.tmp-*` links left by crashed runs (those whose process is gone);
/// 2. write every file and `manifest.json` into `<out>/.<as-of>.partial-<pid>`, flush them and
///    the folder to disk;
/// 3. verify: re-read every file from disk and compare its size and SHA-256 with what was meant
///    to be written (a mismatch is an error and nothing is published);
/// 4. give the folder its final name `<out>/<as-of>`; when that name exists (a re-run of the same
///    day) the two folders are swapped in one step (Linux `renameat2` with `RENAME_EXCHANGE`), so
///    `<out>/<as-of>` never disappears, and the previous content is then deleted;
/// 5. when `<as-of>` is not older than the date `latest` points to, point `<out>/latest` (a symbolic link to
///    the relative name `<as-of>`) at it by renaming a new link (made before step 4) over the old one, and flush
///    `<out>`. A replay of an older day publishes its folder and leaves `latest` where it is
///    (`QueuePublication.movedLatest` is false): `latest` only ever moves forward.
///
/// A crash or an error at any point leaves `latest` and the folder it points to as they were
/// (on a re-run of the same day, `<as-of>` holds either the complete old or the complete new
/// content) and never leaves a partial folder under a final name. On an error the temporary
/// folder and link are removed; after a crash the next run removes them.
///
/// Needs a file system with `renameat2` flags (ext4, xfs, btrfs, tmpfs) to replace a folder of
/// the same day; without them a re-run of the same day fails with a clear error.
public struct QueuePublisher {
    /// The output root `<out>`.
    public let root: String
    /// Called at every `QueuePublishStep`; whatever it throws aborts the run as an error would.
    /// For tests, and for a crash switch that stops the process at a named step.
    public let faultPoint: ((QueuePublishStep) throws -> Void)?
    /// How long to wait for the lock of a concurrent run on the same root, in seconds (default 60).
    public let lockTimeout: Double

    /// A publisher writing under `root`.
    public init(root: String, lockTimeout: Double = 60, faultPoint: ((QueuePublishStep) throws -> Void)? = nil) {
        self.root = root
        self.lockTimeout = lockTimeout
        self.faultPoint = faultPoint
    }

    /// The lock file in the root that serialises runs publishing there.
    public static let lockFileName = ".lock"

    /// Writes `files` and the manifest into `<root>/<manifest.asOf>` and switches `latest` to it.
    ///
    /// The manifest's `files` are replaced by entries computed from `files` (rows as given,
    /// bytes and SHA-256 from the contents).
    /// - Throws: `FileSafetyError` naming the path and the reason (an invalid as-of date or
    ///   file name, an unusable `root`, a failed system call, a verification mismatch);
    ///   `SHA256Error` when a written file cannot be re-read; whatever `faultPoint` throws.
    @discardableResult
    public func publish(_ files: [QueueFile], manifest template: QueueManifest) throws -> QueuePublication {
        let asOf = template.asOf
        guard CivilDate.parseExact(asOf) != nil else {
            throw FileSafetyError(path: root, reason: "invalid as-of date \"\(asOf)\" (expected YYYY-MM-DD)")
        }
        let final = root + "/" + asOf
        try checkNames(files, folder: final)
        var manifest = template
        manifest.files = Dictionary(uniqueKeysWithValues: files.map {
            ($0.name, QueueManifest.Entry(describing: $0.contents, rows: $0.rows))
        })
        let manifestData = manifest.json()
        var intended = manifest.files.map { (name: $0.key, entry: $0.value) }
        intended.append((QueueManifest.fileName, QueueManifest.Entry(describing: manifestData, rows: 0)))

        try createRoot()
        let lock = try PublishLock(path: root + "/" + Self.lockFileName, timeout: lockTimeout)
        defer { lock.release() }
        removeStaleTemporaries()
        let previousLatest = try currentLatest()
        try checkFinalName(final)
        let movesLatest = previousLatest.map { asOf >= $0 } ?? true
        let partial = root + "/." + asOf + ".partial-\(getpid())"
        let latestTemporary = root + "/.latest.tmp-\(getpid())"
        guard mkdir(partial, 0o755) == 0 else {
            throw FileSafetyError(path: partial, operation: "create the temporary folder", code: errno)
        }
        do {
            try faultPoint?(.createdPartialFolder)
            for file in files {
                try AtomicFile.writeNew(file.contents, to: partial + "/" + file.name)
                try faultPoint?(.wroteFile(file.name))
            }
            try AtomicFile.writeNew(manifestData, to: partial + "/" + QueueManifest.fileName)
            try faultPoint?(.wroteManifest)
            try AtomicFolder.flushTree(partial)
            try faultPoint?(.beforeVerify)
            try Self.verify(partial, intended: intended)
            if movesLatest {
                // Made before the folder is renamed, so nothing that can fail is left once it is.
                unlink(latestTemporary)
                guard symlink(asOf, latestTemporary) == 0 else {
                    throw FileSafetyError(path: latestTemporary, operation: "create the link to \(asOf)", code: errno)
                }
            }
            try faultPoint?(.beforeRename)
            let replaced = try moveIntoPlace(partial, final)
            try flushRoot()
            if replaced {
                try faultPoint?(.beforeRemovingReplaced)
                try? FileManager.default.removeItem(atPath: partial)
            }
            try faultPoint?(.beforeLatestSwitch)
            if movesLatest {
                try faultPoint?(.beforeLatestRename)
                guard rename(latestTemporary, root + "/latest") == 0 else {
                    throw FileSafetyError(path: root + "/latest", operation: "switch to \(asOf)", code: errno)
                }
                try flushRoot()
            }
            return QueuePublication(folder: final, manifest: manifest, replacedPrevious: replaced,
                                    latestAsOf: movesLatest ? asOf : previousLatest!, movedLatest: movesLatest)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            unlink(latestTemporary)
            throw error
        }
    }

    /// The as-of date `<root>/latest` points to, or nil when there is no `latest` yet.
    /// - Throws: `FileSafetyError` when `latest` is not a symbolic link (a folder or file put there by hand) or
    ///   points to something other than an as-of folder name: nothing is published then.
    private func currentLatest() throws -> String? {
        let path = root + "/latest"
        var status = stat()
        guard lstat(path, &status) == 0 else {
            guard errno == ENOENT else { throw FileSafetyError(path: path, operation: "inspect", code: errno) }
            return nil
        }
        guard status.st_mode & S_IFMT == S_IFLNK else {
            throw FileSafetyError(path: path, reason: "exists and is not a symbolic link (arscore publishes latest as a "
                + "link to a day folder); nothing was published: move it away and run again")
        }
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path),
              CivilDate.parseExact(target) != nil else {
            throw FileSafetyError(path: path, reason: "is a link that does not point to an as-of folder (YYYY-MM-DD); "
                + "nothing was published: remove it and run again")
        }
        return target
    }

    /// Checks that `final` can receive the new folder: absent, or a folder that the system can swap atomically.
    private func checkFinalName(_ final: String) throws {
        var status = stat()
        guard lstat(final, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw FileSafetyError(path: final, reason: "exists and is not a folder; not replaced")
        }
        guard Self.renameAt2Function != nil else {
            throw FileSafetyError(path: final, reason: "exists, and this system cannot replace a folder atomically "
                + "(no renameat2); nothing was published")
        }
    }

    /// Refuses file names that are empty, hidden, contain `/` or NUL, repeat, or are the manifest's.
    private func checkNames(_ files: [QueueFile], folder: String) throws {
        var seen = Set<String>()
        for file in files {
            let name = file.name
            guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !name.contains("\0"),
                  name != QueueManifest.fileName
            else {
                throw FileSafetyError(path: folder + "/" + name,
                                        reason: "not a valid queue file name (plain, not hidden, not \(QueueManifest.fileName))")
            }
            guard seen.insert(name).inserted else {
                throw FileSafetyError(path: folder + "/" + name, reason: "given twice")
            }
        }
    }

    /// Creates `root` and missing parents (flushing each new entry); refuses a `root` that exists
    /// and is not a folder.
    private func createRoot() throws {
        guard !root.isEmpty else { throw FileSafetyError(path: root, reason: "the output folder path is empty") }
        var status = stat()
        if stat(root, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw FileSafetyError(path: root, reason: "output root exists and is not a folder")
            }
            return
        }
        var prefix = root.hasPrefix("/") ? "/" : ""
        for component in root.split(separator: "/") {
            let parent = prefix.isEmpty ? "." : prefix
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + component
            if mkdir(prefix, 0o755) == 0 {
                AtomicFile.syncFolder(parent)
                continue
            }
            let code = errno
            guard code == EEXIST, stat(prefix, &status) == 0 else {
                throw FileSafetyError(path: prefix, operation: "create the output folder", code: code)
            }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw FileSafetyError(path: prefix, reason: "exists and is not a folder")
            }
        }
    }

    /// Removes what crashed runs left in `root` (entries whose process is gone): temporary
    /// folders `.<YYYY-MM-DD>.partial-<pid>` of any as-of date and links `.latest.tmp-<pid>`.
    private func removeStaleTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var prefixes: Set<String> = [".latest.tmp-"]
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: ".partial-") else { continue }
            let date = name[name.index(after: name.startIndex)..<marker.lowerBound]
            if CivilDate.parseExact(String(date)) != nil { prefixes.insert(String(name[..<marker.upperBound])) }
        }
        for prefix in prefixes.sorted() {
            AtomicFolder.removeStalePartials(in: root, prefix: prefix)
        }
    }

    /// Flushes `root`'s entries (makes renames in it durable).
    private func flushRoot() throws {
        let descriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSafetyError(path: root, operation: "open for flushing", code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileSafetyError(path: root, operation: "flush to disk", code: errno) }
    }

    /// Renames `partial` to `final`; when `final` is an existing folder, swaps the two atomically.
    /// - Returns: whether a previous folder was swapped out (it is now at `partial`).
    private func moveIntoPlace(_ partial: String, _ final: String) throws -> Bool {
        if Self.renameat2(partial, final, flags: Self.renameNoReplace) == 0 { return false }
        let code = errno
        var status = stat()
        let exists = lstat(final, &status) == 0
        if !exists && (code == EINVAL || code == ENOSYS) {
            // No renameat2 flags here: a plain rename only ever replaces an empty folder.
            guard rename(partial, final) == 0 else {
                throw FileSafetyError(path: final, operation: "publish the folder", code: errno)
            }
            return false
        }
        guard exists else { throw FileSafetyError(path: final, operation: "publish the folder", code: code) }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw FileSafetyError(path: final, reason: "exists and is not a folder; not replaced")
        }
        guard Self.renameat2(partial, final, flags: Self.renameExchange) == 0 else {
            throw FileSafetyError(path: final, operation: "replace the folder atomically (renameat2 RENAME_EXCHANGE)", code: errno)
        }
        return true
    }

    /// Checks that `folder` holds exactly the intended files and that each one, read back from
    /// disk, has the intended size and SHA-256.
    private static func verify(_ folder: String, intended: [(name: String, entry: QueueManifest.Entry)]) throws {
        let present: [String]
        do {
            present = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw FileSafetyError(path: folder, reason: "verification failed: cannot list the folder: \(error.localizedDescription)")
        }
        let expected = intended.map(\.name).sorted()
        guard present == expected else {
            throw FileSafetyError(path: folder, reason: "verification failed: holds \(present), expected \(expected)")
        }
        for (name, entry) in intended {
            let path = folder + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else { throw FileSafetyError(path: path, operation: "inspect", code: errno) }
            let digest = try SHA256.hash(fileAt: path)
            guard status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) == entry.bytes, digest == entry.sha256 else {
                throw FileSafetyError(
                    path: path,
                    reason: "verification failed: wrote \(entry.bytes) bytes with SHA-256 \(entry.sha256), "
                        + "read back \(status.st_size) bytes with SHA-256 \(digest)"
                )
            }
        }
    }

    /// `renameat2(2)` flag: fail with `EEXIST` instead of replacing the destination.
    private static let renameNoReplace: UInt32 = 1
    /// `renameat2(2)` flag: swap source and destination atomically (both must exist).
    private static let renameExchange: UInt32 = 2

    /// The C signature of glibc's `renameat2` (glibc ≥ 2.28; not exported by Swift's Glibc module).
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up once at run time; nil on a C library without it.
    private static let renameAt2Function: RenameAt2? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    /// `renameat2(AT_FDCWD, source, AT_FDCWD, destination, flags)`; -1 with `errno` = `ENOSYS`
    /// when the C library lacks it.
    private static func renameat2(_ source: String, _ destination: String, flags: UInt32) -> Int32 {
        guard let function = renameAt2Function else {
            errno = ENOSYS
            return -1
        }
        return function(AT_FDCWD, source, AT_FDCWD, destination, flags)
    }
}
