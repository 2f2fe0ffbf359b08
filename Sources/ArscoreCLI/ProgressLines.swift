import Foundation

/// Progress on stderr, only when stderr is a terminal and not `--quiet`: stage lines (`arscore: [elapsed] line`) and
/// an in-place percentage for long loops.
final class ProgressLines: @unchecked Sendable {
    let enabled: Bool
    private let start = Date()
    private let lock = NSLock()
    private var lastPercent = -1

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
    }

    /// Writes `arscore: [elapsed s] line`, elapsed since this value was made.
    var write: @Sendable (String) -> Void {
        { [self] line in
            guard enabled else { return }
            let elapsed = String(format: "%6.1f s", Date().timeIntervalSince(start))
            FileHandle.standardError.write(Data("arscore: [\(elapsed)] \(line)\n".utf8))
        }
    }

    /// Rewrites `label N%` in place as `done` of `total` advances (only when the whole percentage changes).
    func percent(label: String) -> @Sendable (_ done: Int, _ total: Int) -> Void {
        { [self] done, total in
            guard enabled, total > 0 else { return }
            let percent = done * 100 / total
            lock.lock()
            defer { lock.unlock() }
            guard percent != lastPercent else { return }
            lastPercent = percent
            FileHandle.standardError.write(Data("\r\(label) \(percent)%".utf8))
        }
    }

    /// Clears the percentage line, if one was written.
    func clearPercent() {
        if enabled && lastPercent >= 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
