import Foundation
@testable import FileSafety
import Testing

/// Publishing, refusal, failure clean-up and stale-folder removal of `AtomicFolder`.
@Suite("AtomicFolder")
struct AtomicFolderTests {
    /// A process id that cannot be running (above Linux's largest `pid_max`, 2^22).
    private static let deadProcess: Int32 = Int32.max - 1

    /// A new empty folder under the temporary directory; the caller removes it.
    private static func scratchFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("atomic-folder-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The names in `folder`, sorted.
    private static func names(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    /// A failure thrown by test bodies.
    private struct Planned: Error, Equatable {}

    @Test("the body's files, nested ones too, appear under the final name; no temporary folder is left")
    func success() throws {
        let root = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/parent/export"
        var seenTemporary = ""
        let result = try AtomicFolder.write(at: path) { temporary in
            seenTemporary = temporary
            #expect(!FileManager.default.fileExists(atPath: path))
            try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: temporary + "/table.csv"))
            try FileManager.default.createDirectory(atPath: temporary + "/nested", withIntermediateDirectories: false)
            try Data("x".utf8).write(to: URL(fileURLWithPath: temporary + "/nested/inner.txt"))
            return 42
        }
        #expect(result == 42)
        #expect(seenTemporary == root + "/parent/.export.partial-\(getpid())")
        #expect(try Self.names(root + "/parent") == ["export"])
        #expect(try Self.names(path) == ["nested", "table.csv"])
        #expect(try String(contentsOfFile: path + "/table.csv", encoding: .utf8) == "a,b\n1,2\n")
        #expect(try String(contentsOfFile: path + "/nested/inner.txt", encoding: .utf8) == "x")
    }

    @Test("an existing empty folder is replaced")
    func emptyDestination() throws {
        let root = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/export"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try AtomicFolder.write(at: path) { temporary in
            try Data("1".utf8).write(to: URL(fileURLWithPath: temporary + "/one.txt"))
        }
        #expect(try Self.names(path) == ["one.txt"])
        #expect(try Self.names(root) == ["export"])
    }

    @Test("when the body throws, its error propagates and nothing is left: no final folder, no temporary one")
    func bodyThrows() throws {
        let root = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/export"
        #expect(throws: Planned()) {
            try AtomicFolder.write(at: path) { temporary in
                try Data("half".utf8).write(to: URL(fileURLWithPath: temporary + "/half.csv"))
                throw Planned()
            }
        }
        #expect(try Self.names(root) == [])
    }

    @Test("a non-empty folder or a file at the destination is refused before the body runs and stays as it was")
    func nonEmptyDestination() throws {
        let root = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = root + "/export"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try Data("old".utf8).write(to: URL(fileURLWithPath: folder + "/old.csv"))
        let file = root + "/plain"
        try Data("file".utf8).write(to: URL(fileURLWithPath: file))

        for path in [folder, file] {
            var ran = false
            #expect(throws: FileSafetyError(path: path, reason: "already exists and is not empty")) {
                try AtomicFolder.write(at: path) { _ in ran = true }
            }
            #expect(!ran)
        }
        #expect(FileSafetyError(path: folder, reason: "already exists and is not empty").description
            == "\(folder): already exists and is not empty")
        #expect(try Self.names(root) == ["export", "plain"])
        #expect(try Self.names(folder) == ["old.csv"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "file")
    }

    @Test("temporary folders of crashed runs are removed; a running process's folder and other names stay")
    func staleCleaned() throws {
        let root = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let manager = FileManager.default
        let dead = root + "/.export.partial-\(Self.deadProcess)"
        let ownOld = root + "/.export.partial-\(getpid())"
        let garbled = root + "/.export.partial-x"
        let live = root + "/.export.partial-1"
        let otherName = root + "/.exports.partial-\(Self.deadProcess)"
        for folder in [dead, ownOld, garbled, live, otherName] {
            try manager.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
            try Data("stale".utf8).write(to: URL(fileURLWithPath: folder + "/sub/file.csv"))
        }
        try AtomicFolder.write(at: root + "/export") { temporary in
            #expect(try Self.names(temporary) == [])
            try Data("new".utf8).write(to: URL(fileURLWithPath: temporary + "/new.csv"))
        }
        #expect(try Self.names(root) == [".export.partial-1", ".exports.partial-\(Self.deadProcess)", "export"])
        #expect(try Self.names(root + "/export") == ["new.csv"])
    }

    @Test("a destination under a file is refused with the parent's path and the system's reason")
    func parentIsFile() throws {
        let root = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/file"))
        var ran = false
        let error = try #require(throws: FileSafetyError.self) {
            try AtomicFolder.write(at: root + "/file/export") { _ in ran = true }
        }
        #expect(!ran)
        #expect(error.path == root + "/file")
        #expect(error.reason.hasPrefix("cannot create the folder: "))
        #expect(!error.description.contains("\n"))
        #expect(try Self.names(root) == ["file"])
    }

    @Test("flushing a missing file names it and the system's reason")
    func flushMissingFile() throws {
        let path = "/nonexistent-\(UUID().uuidString)/file.csv"
        #expect(throws: FileSafetyError(path: path, reason: "cannot open for flushing: No such file or directory")) {
            try AtomicFolder.flush(file: path)
        }
    }

    @Test("flushTree flushes nested files and skips symbolic links without following them")
    func flushTreeSkipsLinks() throws {
        let root = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/a/b/file"))
        try FileManager.default.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: "missing")
        try AtomicFolder.flushTree(root)
        let error = try #require(throws: FileSafetyError.self) { try AtomicFolder.flushTree(root + "/missing") }
        #expect(error.path == root + "/missing")
    }
}
