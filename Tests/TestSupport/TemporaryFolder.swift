import Foundation

/// A fresh, empty, uniquely named folder under the temporary directory, removed with everything in it when the value
/// goes away.
///
/// File names are relative to the folder and may name files in subfolders that exist ("Models/demo/v1/bundle.json").
public final class TemporaryFolder: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// Creates the folder `arscore-<label>-<UUID>`; the label only helps to tell leftovers apart.
    public init(_ label: String = "test") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("arscore-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `name` inside the folder.
    public func path(_ name: String) -> String { path + "/" + name }

    /// Writes the UTF-8 of `text` to `name` (replacing it) and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// Writes `bytes` to `name` (replacing it) and returns the file's path.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// The text of `name`; throws when it is missing or not UTF-8.
    public func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// Whether `name` exists (a file or a folder).
    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Removes the file or folder `name`; throws when it is missing.
    public func remove(_ name: String) throws { try FileManager.default.removeItem(atPath: path(name)) }

    /// The names in the folder or in its subfolder `sub` (hidden ones included), sorted; empty when it cannot be listed.
    public func contents(_ sub: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sub.isEmpty ? path : path(sub))) ?? []).sorted()
    }
}
