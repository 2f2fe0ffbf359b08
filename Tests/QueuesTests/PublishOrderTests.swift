import Foundation
import Testing
@testable import Queues

/// Issue 16: a failed run changes nothing published; `latest` only moves forward; runs on one root are serialised.
@Suite("Publish order and latest") struct PublishOrderTests {
    static func publish(_ out: String, _ asOf: String, _ tag: String, lockTimeout: Double = 60) throws -> QueuePublication {
        try QueuePublisher(root: out, lockTimeout: lockTimeout).publish(sampleFiles(tag), manifest: sampleManifest(asOf, tag: tag))
    }

    @Test("a re-run of a published day whose latest is not a link fails before touching the published folder")
    func failedRerunKeepsPublishedFolder() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        try Self.publish(out, "2026-11-23", "a")
        let before = try snapshot(out + "/2026-11-23")
        try FileManager.default.removeItem(atPath: out + "/latest")
        try FileManager.default.createDirectory(atPath: out + "/latest", withIntermediateDirectories: false)
        #expect { try Self.publish(out, "2026-11-23", "b") } throws: { "\($0)".contains("is not a symbolic link") }
        #expect(try snapshot(out + "/2026-11-23") == before)
        #expect(try names(out) == ["2026-11-23", "latest"])
        // A link that points to no as-of folder is refused the same way.
        try FileManager.default.removeItem(atPath: out + "/latest")
        try FileManager.default.createSymbolicLink(atPath: out + "/latest", withDestinationPath: "/etc")
        #expect { try Self.publish(out, "2026-11-24", "b") } throws: { "\($0)".contains("does not point to an as-of folder") }
        #expect(try names(out) == ["2026-11-23", "latest"])
    }

    @Test("a replay of an older day publishes its folder and leaves latest on the newest day")
    func latestNeverMovesBack() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        let newest = try Self.publish(out, "2026-11-03", "a")
        #expect(newest.movedLatest && newest.latestAsOf == "2026-11-03")
        let replay = try Self.publish(out, "2026-10-15", "b")
        #expect(!replay.movedLatest && replay.latestAsOf == "2026-11-03")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest") == "2026-11-03")
        #expect(try snapshot(out + "/2026-10-15") == expectedFolder(sampleFiles("b"), manifest: sampleManifest("2026-10-15", tag: "b")))
        // The same day again and a newer day move it as before.
        #expect(try Self.publish(out, "2026-11-03", "c").movedLatest)
        #expect(try Self.publish(out, "2026-11-04", "c").latestAsOf == "2026-11-04")
    }

    @Test("concurrent runs for different days on one root always leave latest on the newest day")
    func concurrentRuns() throws {
        for attempt in 0..<6 {
            let scratch = try ScratchRoot()
            defer { scratch.remove() }
            let out = scratch.path
            let days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
            let order = attempt % 2 == 0 ? days : days.reversed()
            DispatchQueue.concurrentPerform(iterations: order.count) { k in
                _ = try? Self.publish(out, order[k], "t\(k)")
            }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest") == "2026-11-04")
            #expect(try names(out) == days + ["latest"])
        }
    }

    @Test("a run that cannot take the lock in time fails with a message naming the lock file")
    func lockTimeout() throws {
        let scratch = try ScratchRoot()
        defer { scratch.remove() }
        let out = scratch.path
        let descriptor = open(out + "/" + QueuePublisher.lockFileName, O_RDWR | O_CREAT, 0o644)
        #expect(flock(descriptor, LOCK_EX) == 0)
        defer { close(descriptor) }
        #expect { try Self.publish(out, "2026-11-23", "a", lockTimeout: 0.2) } throws: { error in
            "\(error)".hasPrefix(out + "/.lock: another arscore run is publishing to this folder")
        }
        #expect(try names(out).isEmpty)
    }
}
