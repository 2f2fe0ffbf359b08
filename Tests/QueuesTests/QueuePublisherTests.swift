import FileSafety
import Foundation
import Testing
import Tabular
@testable import Queues
#if canImport(Glibc)
import Glibc
#endif

/// Publishing, same-day replacement, crash safety at every step, verification and errors of
/// `QueuePublisher`.
@Suite("QueuePublisher")
struct QueuePublisherTests {
    static let previousDay = "2026-11-22"
    static let day = "2026-11-23"

    /// The hook calls of a first publication of a day, in order.
    static let newDaySteps: [QueuePublishStep] = [
        .createdPartialFolder, .wroteFile("calls.csv"), .wroteFile("disputes.csv"), .wroteFile("quarantine.csv"),
        .wroteManifest, .beforeVerify, .beforeRename, .beforeLatestSwitch, .beforeLatestRename,
    ]

    /// The hook calls of a re-run of a day that is already published, in order.
    static let rerunSteps: [QueuePublishStep] = [
        .createdPartialFolder, .wroteFile("calls.csv"), .wroteFile("disputes.csv"), .wroteFile("quarantine.csv"),
        .wroteManifest, .beforeVerify, .beforeRename, .beforeRemovingReplaced, .beforeLatestSwitch, .beforeLatestRename,
    ]

    /// The temporary folder this process uses for `asOf` under `out`.
    static func partial(_ out: String, _ asOf: String) -> String {
        out + "/." + asOf + ".partial-\(getpid())"
    }

    /// Where `<out>/latest` points, or nil when it is not a symbolic link.
    static func latest(_ out: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest")
    }

    /// Publishes the sample files tagged `tag` for `asOf` under `out`.
    @discardableResult
    static func publish(_ out: String, _ asOf: String, _ tag: String,
                        faultPoint: ((QueuePublishStep) throws -> Void)? = nil) throws -> QueuePublication {
        try QueuePublisher(root: out, faultPoint: faultPoint).publish(sampleFiles(tag), manifest: sampleManifest(asOf, tag: tag))
    }

    /// What a complete folder of the sample files tagged `tag` for `asOf` holds.
    static func expected(_ asOf: String, _ tag: String) -> [String: Data] {
        expectedFolder(sampleFiles(tag), manifest: sampleManifest(asOf, tag: tag))
    }

    @Test("happy path: files, manifest fields and hashes of the files on disk, latest resolves, nothing else left")
    func happyPath() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path + "/nested/out"
        let publication = try Self.publish(out, Self.day, "a")

        #expect(publication.folder == out + "/" + Self.day)
        #expect(!publication.replacedPrevious)
        #expect(try names(out) == [Self.day, "latest"])
        #expect(Self.latest(out) == Self.day)
        #expect(try snapshot(out + "/" + Self.day) == Self.expected(Self.day, "a"))
        let viaLatest = try Data(contentsOf: URL(fileURLWithPath: out + "/latest/calls.csv"))
        #expect(viaLatest == sampleFiles("a")[0].contents)

        let manifestData = try Data(contentsOf: URL(fileURLWithPath: out + "/latest/manifest.json"))
        #expect(manifestData == publication.manifest.json())
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        #expect(manifest["format_version"] as? Int == 1)
        #expect(manifest["as_of"] as? String == Self.day)
        #expect(manifest["created_at"] as? String == "2026-11-26T08:00:00Z")
        #expect(manifest["model"] as? [String: String] == ["name": "arscore-models", "version": "v-a"])
        #expect(manifest["exclusions"] as? [String: Int] == ["do_not_call": 3, "dispute": 1])
        #expect(manifest["score_psi"] as? Double == 0.0125)
        #expect(manifest["extra"] as? [String: String] == ["capacity": "500"])
        let entries = try #require(manifest["files"] as? [String: [String: Any]])
        #expect(entries.keys.sorted() == ["calls.csv", "disputes.csv", "quarantine.csv"])
        for file in sampleFiles("a") {
            let path = out + "/" + Self.day + "/" + file.name
            let entry = try #require(entries[file.name])
            #expect(entry["sha256"] as? String == (try SHA256.hash(fileAt: path)))
            #expect(entry["bytes"] as? Int == file.contents.count)
            #expect(entry["rows"] as? Int == file.rows)
        }
    }

    @Test("identical inputs and creation time give byte-identical folders in different roots")
    func deterministic() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        try Self.publish(scratch.path + "/one", Self.day, "a")
        try Self.publish(scratch.path + "/two", Self.day, "a")
        #expect(try snapshot(scratch.path + "/one") == snapshot(scratch.path + "/two"))
    }

    @Test("the fault hook is called at every step, in order, for a new day and for a re-run")
    func stepsInOrder() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        var steps: [QueuePublishStep] = []
        try Self.publish(scratch.path, Self.day, "a") { steps.append($0) }
        #expect(steps == Self.newDaySteps)
        steps = []
        try Self.publish(scratch.path, Self.day, "b") { steps.append($0) }
        #expect(steps == Self.rerunSteps)
        #expect(Self.rerunSteps.map(\.name) == [
            "created-partial-folder", "wrote-file:calls.csv", "wrote-file:disputes.csv", "wrote-file:quarantine.csv",
            "wrote-manifest", "before-verify", "before-rename", "before-removing-replaced", "before-latest-switch",
            "before-latest-rename",
        ])
    }

    @Test("a re-run of the same day swaps the content in one step: the folder is complete at every step")
    func rerunSwapsAtomically() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        try Self.publish(out, Self.day, "a")
        let old = Self.expected(Self.day, "a"), new = Self.expected(Self.day, "b")
        var checked = 0
        let publication = try Self.publish(out, Self.day, "b") { step in
            let content = try snapshot(out + "/" + Self.day)
            #expect(content == old || content == new, "at \(step)")
            #expect(Self.latest(out) == Self.day, "at \(step)")
            if step == .beforeRemovingReplaced {
                #expect(content == new)
                #expect(try snapshot(Self.partial(out, Self.day)) == old)
            }
            checked += 1
        }
        #expect(checked == Self.rerunSteps.count)
        #expect(publication.replacedPrevious)
        #expect(try snapshot(out + "/" + Self.day) == new)
        #expect(try names(out) == [Self.day, "latest"])
    }

    /// Checks what a failed publication of `day` (after `previousDay` was published) leaves in `out`:
    /// `latest` still points to the previous day with its content untouched, and a folder under
    /// the new day's name, if any, is complete.
    static func expectPreviousIntact(_ out: String, at step: QueuePublishStep) throws {
        #expect(latest(out) == previousDay, "at \(step)")
        #expect(try snapshot(out + "/" + previousDay) == expected(previousDay, "a"), "at \(step)")
        if FileManager.default.fileExists(atPath: out + "/" + day) {
            #expect(try snapshot(out + "/" + day) == expected(day, "b"), "partial folder under the final name at \(step)")
        }
    }

    @Test("a fault at any step of a new day's run leaves latest and its folder untouched", arguments: newDaySteps)
    func faultOnNewDay(_ failing: QueuePublishStep) throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path + "/out", crash = scratch.path + "/crash"
        try Self.publish(out, Self.previousDay, "a")

        #expect(throws: InjectedFault(step: failing)) {
            try Self.publish(out, Self.day, "b") { step in
                if step == failing {
                    try copyTree(out, to: crash)
                    throw InjectedFault(step: step)
                }
            }
        }
        // After the error: nothing temporary is left.
        try Self.expectPreviousIntact(out, at: failing)
        #expect(try names(out).allSatisfy { !$0.hasPrefix(".") })
        // After a crash at that point (the disk as the hook saw it), the same holds…
        try Self.expectPreviousIntact(crash, at: failing)
        if failing != .beforeLatestSwitch {
            #expect(try names(crash).contains { $0.hasPrefix(".") }, "a crash at \(failing) leaves a temporary entry")
        }
        // …and the next run cleans up and publishes.
        for root in [out, crash] {
            try Self.publish(root, Self.day, "b")
            #expect(try names(root) == [Self.previousDay, Self.day, "latest"])
            #expect(Self.latest(root) == Self.day)
            #expect(try snapshot(root + "/" + Self.day) == Self.expected(Self.day, "b"))
        }
    }

    @Test("a fault at any step of a same-day re-run leaves that day's folder complete, old or new", arguments: rerunSteps)
    func faultOnRerun(_ failing: QueuePublishStep) throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path + "/out", crash = scratch.path + "/crash"
        try Self.publish(out, Self.day, "a")
        let old = Self.expected(Self.day, "a"), new = Self.expected(Self.day, "b")
        let swapped = Self.rerunSteps.firstIndex(of: failing)! > Self.rerunSteps.firstIndex(of: .beforeRename)!

        #expect(throws: InjectedFault(step: failing)) {
            try Self.publish(out, Self.day, "b") { step in
                if step == failing {
                    try copyTree(out, to: crash)
                    throw InjectedFault(step: step)
                }
            }
        }
        for root in [out, crash] {
            #expect(Self.latest(root) == Self.day)
            #expect(try snapshot(root + "/" + Self.day) == (swapped ? new : old), "at \(failing)")
        }
        #expect(try names(out) == [Self.day, "latest"])
        try Self.publish(crash, Self.day, "b")
        #expect(try names(crash) == [Self.day, "latest"])
        #expect(try snapshot(crash + "/" + Self.day) == new)
    }

    @Test("a run removes temporary folders and links of crashed runs, of any date; a running process's stay")
    func staleCleaned() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        let manager = FileManager.default
        try Self.publish(out, Self.previousDay, "a")
        for name in [".\(Self.day).partial-\(deadProcess)", ".2026-11-20.partial-\(deadProcess)", ".\(Self.day).partial-x",
                     ".\(Self.day).partial-1"] {
            try manager.createDirectory(atPath: out + "/" + name + "/sub", withIntermediateDirectories: true)
            try Data("half".utf8).write(to: URL(fileURLWithPath: out + "/" + name + "/sub/calls.csv"))
        }
        try manager.createSymbolicLink(atPath: out + "/.latest.tmp-\(deadProcess)", withDestinationPath: "2026-11-20")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out + "/.notes"))

        try Self.publish(out, Self.day, "b")
        #expect(try names(out) == [".\(Self.day).partial-1", ".notes", Self.previousDay, Self.day, "latest"])
        #expect(Self.latest(out) == Self.day)
    }

    /// Ways of damaging the written files before verification.
    enum Damage: String, CaseIterable, Sendable {
        case flippedByte, appendedByte, strayFile
    }

    @Test("a file changed on disk before verification fails the run and publishes nothing", arguments: Damage.allCases)
    func corruptedBeforeVerify(_ damage: Damage) throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        try Self.publish(out, Self.previousDay, "a")
        let partial = Self.partial(out, Self.day)
        let calls = partial + "/calls.csv"
        let intended = sampleFiles("b")[0].contents
        var damaged = intended
        switch damage {
        case .flippedByte: damaged[0] ^= 0x20
        case .appendedByte: damaged.append(0x0A)
        case .strayFile: break
        }

        let expectedError = damage == .strayFile
            ? FileSafetyError(path: partial, reason: "verification failed: holds [\"calls.csv\", \"disputes.csv\", \"manifest.json\", "
                + "\"quarantine.csv\", \"stray.csv\"], expected [\"calls.csv\", \"disputes.csv\", \"manifest.json\", \"quarantine.csv\"]")
            : FileSafetyError(path: calls, reason: "verification failed: wrote \(intended.count) bytes with SHA-256 "
                + "\(SHA256.hash(intended)), read back \(damaged.count) bytes with SHA-256 \(SHA256.hash(damaged))")
        #expect(throws: expectedError) {
            try Self.publish(out, Self.day, "b") { step in
                guard step == .beforeVerify else { return }
                if damage == .strayFile {
                    try Data("x".utf8).write(to: URL(fileURLWithPath: partial + "/stray.csv"))
                } else {
                    try damaged.write(to: URL(fileURLWithPath: calls))
                }
            }
        }
        #expect(try names(out) == [Self.previousDay, "latest"])
        #expect(Self.latest(out) == Self.previousDay)
    }

    @Test("an output root that is a file, or under a file, is a clear error")
    func rootIsFile() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let file = scratch.path + "/out"
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: FileSafetyError(path: file, reason: "output root exists and is not a folder")) {
            try Self.publish(file, Self.day, "a")
        }
        #expect(FileSafetyError(path: file, reason: "output root exists and is not a folder").description
            == "\(file): output root exists and is not a folder")
        #expect(throws: FileSafetyError(path: file, reason: "exists and is not a folder")) {
            try Self.publish(file + "/sub", Self.day, "a")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "not a folder")
    }

    @Test("a file under the day's name is not replaced")
    func dayNameIsFile() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        try Data("x".utf8).write(to: URL(fileURLWithPath: out + "/" + Self.day))
        #expect(throws: FileSafetyError(path: out + "/" + Self.day, reason: "exists and is not a folder; not replaced")) {
            try Self.publish(out, Self.day, "a")
        }
        #expect(try names(out) == [Self.day])
    }

    @Test("invalid as-of dates are refused before anything is created", arguments: ["latest", "../2026-11-23", "2026-02-30", ""])
    func invalidAsOf(_ asOf: String) throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path + "/out"
        #expect(throws: FileSafetyError(path: out, reason: "invalid as-of date \"\(asOf)\" (expected YYYY-MM-DD)")) {
            try QueuePublisher(root: out).publish(sampleFiles("a"), manifest: sampleManifest(asOf))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("file names that are empty, hidden, nested, the manifest's or repeated are refused",
          arguments: ["", ".hidden.csv", "a/b.csv", "manifest.json", "calls.csv"])
    func invalidNames(_ name: String) throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path + "/out"
        let files = sampleFiles("a") + [QueueFile(name: name, contents: Data(), rows: 0)]
        #expect(throws: FileSafetyError.self) {
            try QueuePublisher(root: out).publish(files, manifest: sampleManifest(Self.day))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a real directory named latest is not replaced by the link; the run fails clearly")
    func latestIsFolder() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        try FileManager.default.createDirectory(atPath: out + "/latest/keep", withIntermediateDirectories: true)
        #expect { try Self.publish(out, Self.day, "a") } throws: { error in
            "\(error)".hasPrefix(out + "/latest: exists and is not a symbolic link")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/" + Self.day))
        #expect(try names(out + "/latest") == ["keep"])
        #expect(try names(out).allSatisfy { !$0.hasPrefix(".") })
    }
}
