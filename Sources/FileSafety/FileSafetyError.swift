import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file operation: the path concerned and why, as one line (`path: reason`).
///
/// The one error type of atomic files, atomic folders and queue publishing.
public struct FileSafetyError: Error, CustomStringConvertible, Equatable {
    /// The path concerned, as given by (or derived from) the caller's path.
    public let path: String
    /// Why, for example "already exists and is not empty" or "cannot write: No space left on device".
    public let reason: String

    /// An error with a ready-made reason.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// A failed system call: "cannot <operation>: <strerror(code)>".
    public init(path: String, operation: String, code: Int32) {
        self.init(path: path, reason: "cannot \(operation): \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(reason)" }
}
