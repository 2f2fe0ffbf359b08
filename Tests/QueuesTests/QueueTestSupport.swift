import Foundation
import Queues
#if canImport(Glibc)
import Glibc
#endif

/// A scratch output root under the temporary directory, removed by `remove()`.
struct ScratchRoot {
    /// The folder holding the test's files; the output root is usually `path + "/out"`.
    let path: String

    /// Creates a new uniquely named empty folder.
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("queues-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes the folder and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A process id that cannot be running (above Linux's largest `pid_max`, 2^22).
let deadProcess: Int32 = Int32.max - 1

/// A small queue: three CSV files whose contents depend on `tag`, so runs can be told apart.
func sampleFiles(_ tag: String) -> [QueueFile] {
    [
        QueueFile(name: "calls.csv", contents: Data("rank,customer_id\n1,C-\(tag)-1\n2,C-\(tag)-2\n".utf8), rows: 2),
        QueueFile(name: "disputes.csv", contents: Data("customer_id,invoice_id\nC-\(tag)-9,INV-1\n".utf8), rows: 1),
        QueueFile(name: "quarantine.csv", contents: Data("file,line,reason\n".utf8), rows: 0),
    ]
}

/// A manifest template for `asOf` with fixed fields and a fixed creation time.
func sampleManifest(_ asOf: String, tag: String = "a") -> QueueManifest {
    QueueManifest(
        asOf: asOf,
        createdAt: Date(timeIntervalSince1970: 1_795_680_000.75),
        modelName: "arscore-models",
        modelVersion: "v-\(tag)",
        exclusions: ["do_not_call": 3, "dispute": 1],
        scorePSI: 0.0125,
        extra: ["capacity": "500"]
    )
}

/// Every entry of a folder tree as relative path → file bytes, or "-> target" for a symbolic link,
/// or "<folder>" for a folder.
func snapshot(_ folder: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    func walk(_ relative: String) throws {
        let absolute = relative.isEmpty ? folder : folder + "/" + relative
        for name in try FileManager.default.contentsOfDirectory(atPath: absolute) {
            let child = relative.isEmpty ? name : relative + "/" + name
            let path = folder + "/" + child
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFLNK: result[child] = Data(("-> " + (try FileManager.default.destinationOfSymbolicLink(atPath: path))).utf8)
            case S_IFDIR:
                result[child] = Data("<folder>".utf8)
                try walk(child)
            default: result[child] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
    }
    try walk("")
    return result
}

/// Copies a folder tree, keeping symbolic links as links: what a crash at this moment leaves on disk.
func copyTree(_ source: String, to destination: String) throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: destination, withIntermediateDirectories: true)
    for name in try manager.contentsOfDirectory(atPath: source) {
        let from = source + "/" + name, to = destination + "/" + name
        var status = stat()
        guard lstat(from, &status) == 0 else { continue }
        switch status.st_mode & S_IFMT {
        case S_IFLNK: try manager.createSymbolicLink(atPath: to, withDestinationPath: manager.destinationOfSymbolicLink(atPath: from))
        case S_IFDIR: try copyTree(from, to: to)
        default: try manager.copyItem(atPath: from, toPath: to)
        }
    }
}

/// The names in `folder`, sorted.
func names(_ folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != ".lock" }.sorted()
}

/// The files a complete queue folder for these inputs holds: each data file and the manifest.
func expectedFolder(_ files: [QueueFile], manifest template: QueueManifest) -> [String: Data] {
    var manifest = template
    manifest.files = Dictionary(uniqueKeysWithValues: files.map { ($0.name, QueueManifest.Entry(describing: $0.contents, rows: $0.rows)) })
    var result = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) })
    result[QueueManifest.fileName] = manifest.json()
    return result
}

/// A failure thrown by fault hooks.
struct InjectedFault: Error, Equatable {
    let step: QueuePublishStep
}
