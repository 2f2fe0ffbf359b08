import FileSafety
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive lock that serialises runs publishing into one queue root: `flock` on `<out>/.lock`.
///
/// A second run waits (polling every 50 ms) up to its timeout, then fails with a message naming the lock file;
/// the lock is released when the run ends, also when its process dies (the kernel drops `flock` locks with the
/// descriptor), so a crashed run never blocks the next one.
struct PublishLock {
    private let descriptor: Int32

    /// Takes the lock at `path` (creating the file), waiting up to `timeout` seconds.
    /// - Throws: `FileSafetyError` naming the lock file when it cannot be created or is still held after `timeout`.
    init(path: String, timeout: Double) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSafetyError(path: path, operation: "open the publishing lock", code: errno) }
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(descriptor)
                throw FileSafetyError(path: path, operation: "take the publishing lock", code: code)
            }
            guard Date() < deadline else {
                close(descriptor)
                throw FileSafetyError(path: path, reason: "another arscore run is publishing to this folder and held the "
                    + "lock for \(Int(timeout.rounded())) s; nothing was published: run again when it has finished")
            }
            usleep(50_000)
        }
        self.descriptor = descriptor
    }

    /// Releases the lock (closing the descriptor drops it).
    func release() {
        close(descriptor)
    }
}
