import Foundation
@testable import FileSafety
import Testing

/// FIPS 180-4 test vectors, streaming splits, padding at every length and file hashing of `SHA256`.
@Suite("SHA256")
struct SHA256Tests {
    /// The hex digest of the UTF-8 of `text`.
    private static func digest(_ text: String) -> String {
        SHA256.hash(Data(text.utf8))
    }

    /// `count` deterministic bytes: byte i is (31 i + 7) mod 256.
    private static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    @Test("NIST vectors: empty, \"abc\", the 448-bit and the 896-bit message")
    func nistVectors() {
        #expect(Self.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Self.digest("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
            == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("NIST vector: one million 'a', fed in pieces of 1000 bytes")
    func millionA() {
        var hasher = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(piece) }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hash(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("splitting a 130-byte message at every position 0...130 gives the one-shot digest")
    func everySplit() {
        let message = Self.pattern(130)
        let oneShot = SHA256.hash(Data(message))
        for split in 0...130 {
            var hasher = SHA256()
            hasher.update(Array(message[..<split]))
            hasher.update(Data(message[split...]))
            #expect(SHA256.hex(hasher.finalize()) == oneShot, "split at \(split)")
        }
    }

    @Test("three-way splits across the 64-byte block boundary give the one-shot digest")
    func threeWaySplits() {
        let message = Self.pattern(130)
        let oneShot = SHA256.hash(Data(message))
        for first in stride(from: 0, through: 130, by: 5) {
            for second in first...130 {
                var hasher = SHA256()
                message.withUnsafeBytes { bytes in
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[..<first]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[first..<second]))
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[second...]))
                }
                #expect(SHA256.hex(hasher.finalize()) == oneShot, "splits at \(first), \(second)")
            }
        }
    }

    @Test("padding is right at every length 0...130 (the digest of all 131 digests, from Python's hashlib)")
    func everyLength() {
        let digests = (0...130).map { SHA256.hash(Data(Self.pattern($0))) }
        #expect(digests[55] == "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b")
        #expect(digests[64] == "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd")
        #expect(SHA256.hash(Data(digests.joined(separator: "\n").utf8))
            == "8e982be2407632336fcb637755cd1b05f3d4d5b3f79239f4ace305ddd68f7d83")
    }

    @Test("finalize resets the hasher to empty")
    func finalizeResets() {
        var hasher = SHA256()
        hasher.update(Array("abc".utf8))
        _ = hasher.finalize()
        #expect(SHA256.hex(hasher.finalize()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        hasher.update(Array("abc".utf8))
        #expect(SHA256.hex(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("hex is lowercase, two digits per byte")
    func hexDigits() {
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(SHA256.hex([]) == "")
    }

    @Test("a file larger than one 4 MiB read hashes as /usr/bin/sha256sum says",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
    func fileMatchesSha256sum() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sha256-tests-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.pattern(SHA256.fileReadSize + 4099)).write(to: URL(fileURLWithPath: path))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let expected = String(decoding: printed, as: UTF8.self).split(separator: " ").first.map(String.init)

        #expect(try SHA256.hash(fileAt: path) == expected)
    }

    @Test("an empty file hashes like no bytes")
    func emptyFile() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sha256-tests-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(try SHA256.hash(fileAt: path) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("a missing file throws an error naming the path and the system's reason")
    func missingFile() {
        let path = "/nonexistent-\(UUID().uuidString)/file.csv"
        #expect(throws: SHA256Error(path: path, operation: "open", code: ENOENT)) {
            try SHA256.hash(fileAt: path)
        }
        let error = SHA256Error(path: path, operation: "open", code: ENOENT)
        #expect(error.description == "\(path): cannot open file to compute its SHA-256: No such file or directory")
    }

    @Test("a folder cannot be hashed: the read fails with the system's reason")
    func folderIsNotAFile() {
        let path = FileManager.default.temporaryDirectory.path
        #expect(throws: SHA256Error(path: path, operation: "read", code: EISDIR)) {
            try SHA256.hash(fileAt: path)
        }
    }
}
