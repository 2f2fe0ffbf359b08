import FileSafety
import Foundation
import Tabular
import TestSupport
import Testing

// Support for the `arscore score` tests: hand-built exports, CSV parsing, queue-folder checks, the child process.
// (Days, CSVTable and HandExport come from Tests/TestSupport, shared with ScoringTests.)

// MARK: - Paths

/// The committed demo bundle and export.
let demoModelPath = packageRoot + "/Models/demo"
let demoDataPath = packageRoot + "/Datasets/demo"

// MARK: - Queue folders

/// The manifest.json of a queue folder as a JSON object (empty when unreadable).
func queueManifest(_ folder: String) -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: folder + "/manifest.json"),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
    return object
}

/// What is wrong with a published queue folder, checked against its manifest.json: it must hold exactly the files the
/// manifest lists plus manifest.json, each with the listed size, SHA-256 (Tabular's `SHA256.hash(fileAt:)`) and
/// number of data rows. Empty when the folder is complete and intact.
func queueFolderProblems(_ folder: String) -> [String] {
    let manager = FileManager.default
    guard let present = try? manager.contentsOfDirectory(atPath: folder) else { return ["\(folder): cannot be listed"] }
    let manifest = queueManifest(folder)
    guard let files = manifest["files"] as? [String: [String: Any]] else { return ["\(folder): no readable manifest.json"] }
    var problems: [String] = []
    if Set(present) != Set(files.keys).union(["manifest.json"]) {
        problems.append("\(folder) holds \(present.sorted()), the manifest lists \(files.keys.sorted())")
    }
    for (name, entry) in files.sorted(by: { $0.key < $1.key }) {
        let path = folder + "/" + name
        guard let data = manager.contents(atPath: path) else {
            problems.append("\(name): missing")
            continue
        }
        if (entry["bytes"] as? Int) != data.count { problems.append("\(name): \(data.count) bytes, manifest \(entry["bytes"] ?? "-")") }
        let digest = (try? SHA256.hash(fileAt: path)) ?? "unreadable"
        if (entry["sha256"] as? String) != digest { problems.append("\(name): SHA-256 \(digest), manifest \(entry["sha256"] ?? "-")") }
        let rows = CSVTable(data).rows.count
        if (entry["rows"] as? Int) != rows { problems.append("\(name): \(rows) rows, manifest \(entry["rows"] ?? "-")") }
    }
    return problems
}

/// Where `<out>/latest` points (the link's text), or nil.
func latestTarget(_ out: String) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest")
}

/// Names in a folder, hidden ones included, sorted.
func entries(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0 != ".lock" }.sorted()
}

/// `arscore score` arguments (quiet).
func scoreArguments(data: String, model: String = demoModelPath, out: String, asOf: String, _ extra: [String] = []) -> [String] {
    ["score", "--data", data, "--model", model, "--out", out, "--as-of", asOf, "--quiet"] + extra
}

/// Writes `hand` into `folder/name` and returns the export folder's path.
func writeExport(_ hand: HandExport, in folder: TemporaryFolder, name: String = "export") throws -> String {
    let path = folder.path + "/" + name
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try hand.write(to: path)
    return path
}

/// A small export of ordinary callable accounts (Madrid and New York) as of `asOf`.
func baselineExport(asOf: String = "2026-06-17") -> HandExport {
    var hand = HandExport(asOf: asOf)
    hand.regular("R-MAD", zone: "Europe/Madrid")
    hand.regular("R-NYC", zone: "America/New_York", amount: 800)
    return hand
}

// MARK: - The arscore executable

/// The built `arscore` executable next to the test bundle (.build/<triple>/debug), or nil.
func arscoreExecutable() -> String? {
    var starts: [URL] = [URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath(),
                         Bundle.main.bundleURL]
    if let executable = Bundle.main.executableURL { starts.append(executable) }
    starts.append(URL(fileURLWithPath: packageRoot + "/.build/debug/placeholder"))
    for start in starts {
        var folder = start.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("arscore").path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
    }
    return nil
}

/// Runs `executable` with `arguments` and extra environment variables; returns its exit status and stderr.
func runChild(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
              scratch: String) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
    let errorPath = scratch + "/stderr-\(UUID().uuidString).txt"
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    process.standardError = errorHandle
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try errorHandle.close()
    let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: errorPath)
    return (process.terminationStatus, stderr)
}
