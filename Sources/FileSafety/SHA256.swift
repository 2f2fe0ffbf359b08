import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(Crypto) && !ARSCORE_SWIFT_SHA256
import Crypto
#endif

/// Streaming SHA-256 (FIPS 180-4): 32-byte digests of byte sequences, shown as 64 lowercase hex digits.
///
/// Feed the bytes with any number of `update` calls (how the input is split does not change the
/// digest), then call `finalize()`, which returns the digest and resets the hasher to empty.
/// In the package build the bytes go to swift-crypto's SHA-256 (BoringSSL's SHA-NI/AVX2 code on Linux), 8.9× faster
/// than the Swift implementation below on the publish path (Benchmarks/README.md, "SHA-256"). The Swift
/// implementation (FIPS 180-4 written from scratch; whole 64-byte blocks hashed straight from the caller's memory,
/// only a partial block buffered) is what a build without swift-crypto uses: the fuzzing harnesses compile the
/// modules with swiftc alone (Tests/Fuzz/build.sh).
public struct SHA256: Sendable {
    #if canImport(Crypto) && !ARSCORE_SWIFT_SHA256
    /// swift-crypto's hasher, which all updates go to. It is a copy-on-write value (not marked Sendable by
    /// swift-crypto); a hasher is only ever mutated by its owner.
    nonisolated(unsafe) private var fast = Crypto.SHA256()
    #endif
    /// The eight 32-bit chaining values (H0…H7 of FIPS 180-4 §5.3.3 at the start).
    private var h0: UInt32 = 0x6a09_e667
    private var h1: UInt32 = 0xbb67_ae85
    private var h2: UInt32 = 0x3c6e_f372
    private var h3: UInt32 = 0xa54f_f53a
    private var h4: UInt32 = 0x510e_527f
    private var h5: UInt32 = 0x9b05_688c
    private var h6: UInt32 = 0x1f83_d9ab
    private var h7: UInt32 = 0x5be0_cd19
    /// The bytes of an incomplete block (64 bytes of storage).
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// How many bytes of `pending` are in use (0..<64).
    private var pendingCount = 0
    /// Total message length so far, in bytes.
    private var length: UInt64 = 0

    /// The size of one read when hashing a file: 4 MiB.
    public static let fileReadSize = 4 << 20

    /// An empty hasher (the digest of no bytes, if finalized now).
    public init() {}

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        #if canImport(Crypto) && !ARSCORE_SWIFT_SHA256
        fast.update(bufferPointer: bytes)
        #else
        updateInSwift(bytes)
        #endif
    }

    /// `update` by the Swift implementation.
    private mutating func updateInSwift(_ bytes: UnsafeRawBufferPointer) {
        guard var source = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        length &+= UInt64(remaining)
        if pendingCount > 0 {
            let take = Swift.min(64 - pendingCount, remaining)
            let offset = pendingCount
            withUnsafeMutableBytes(of: &pending) { buffer in
                (buffer.baseAddress! + offset).copyMemory(from: source, byteCount: take)
            }
            pendingCount += take
            source += take
            remaining -= take
            guard pendingCount == 64 else { return }
            let block = pending
            withUnsafeBytes(of: block) { compress($0.baseAddress!, blocks: 1) }
            pendingCount = 0
        }
        let blocks = remaining >> 6
        if blocks > 0 {
            compress(source, blocks: blocks)
            source += blocks << 6
            remaining -= blocks << 6
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.copyMemory(from: source, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// Appends the bytes of `data` to the message.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest of everything appended so far; the hasher is then reset to empty.
    public mutating func finalize() -> [UInt8] {
        #if canImport(Crypto) && !ARSCORE_SWIFT_SHA256
        let digest = Array(fast.finalize())
        self = SHA256()
        return digest
        #else
        return finalizeInSwift()
        #endif
    }

    /// `finalize` by the Swift implementation.
    private mutating func finalizeInSwift() -> [UInt8] {
        let bitLength = length &* 8
        // 0x80, zeros up to 56 mod 64, then the bit length as a big-endian 64-bit number.
        let padding = (pendingCount < 56 ? 56 : 120) - pendingCount
        var tail = [UInt8](repeating: 0, count: padding + 8)
        tail[0] = 0x80
        for index in 0..<8 {
            tail[padding + index] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(index)))
        }
        tail.withUnsafeBytes { updateInSwift($0) }
        var digest = [UInt8]()
        digest.reserveCapacity(32)
        for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        self = SHA256()
        return digest
    }

    /// `digest` as lowercase hexadecimal, two digits per byte (64 characters for a SHA-256 digest).
    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SHA-256 of `data` as 64 lowercase hex digits.
    public static func hash(_ data: Data) -> String {
        var hasher = SHA256()
        hasher.update(data)
        return hex(hasher.finalize())
    }

    /// The SHA-256 of the file at `path` as 64 lowercase hex digits, read in 4 MiB pieces.
    /// - Throws: `SHA256Error` naming the path and the operating-system reason.
    public static func hash(fileAt path: String) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SHA256Error(path: path, operation: "open", code: errno) }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: fileReadSize, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let count = read(descriptor, buffer, fileReadSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw SHA256Error(path: path, operation: "read", code: errno)
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: count))
        }
        return hex(hasher.finalize())
    }

    /// Hashes `blocks` whole 64-byte blocks starting at `source` into the chaining values.
    private mutating func compress(_ source: UnsafeRawPointer, blocks: Int) {
        SHA256.roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 128) { scratch in
                let k = constants.baseAddress!
                // The message schedule W0…W63, then K[t] + W[t] for the rounds (one load per round).
                let w = scratch.baseAddress!
                let kw = w + 64
                var s0 = h0, s1 = h1, s2 = h2, s3 = h3, s4 = h4, s5 = h5, s6 = h6, s7 = h7
                var block = source
                for _ in 0..<blocks {
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t << 2, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t - 15], y = w[t - 2]
                        let sigma0 = rotateRight(x, 7) ^ rotateRight(x, 18) ^ (x &>> 3)
                        let sigma1 = rotateRight(y, 17) ^ rotateRight(y, 19) ^ (y &>> 10)
                        w[t] = w[t - 16] &+ sigma0 &+ w[t - 7] &+ sigma1
                    }
                    for t in 0..<64 {
                        kw[t] = k[t] &+ w[t]
                    }
                    var a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7
                    // Eight rounds per pass; the variables rotate by argument position, not by copying.
                    var t = 0
                    while t < 64 {
                        sha256Round(a, b, c, &d, e, f, g, &h, kw[t])
                        sha256Round(h, a, b, &c, d, e, f, &g, kw[t + 1])
                        sha256Round(g, h, a, &b, c, d, e, &f, kw[t + 2])
                        sha256Round(f, g, h, &a, b, c, d, &e, kw[t + 3])
                        sha256Round(e, f, g, &h, a, b, c, &d, kw[t + 4])
                        sha256Round(d, e, f, &g, h, a, b, &c, kw[t + 5])
                        sha256Round(c, d, e, &f, g, h, a, &b, kw[t + 6])
                        sha256Round(b, c, d, &e, f, g, h, &a, kw[t + 7])
                        t += 8
                    }
                    s0 &+= a; s1 &+= b; s2 &+= c; s3 &+= d
                    s4 &+= e; s5 &+= f; s6 &+= g; s7 &+= h
                    block += 64
                }
                h0 = s0; h1 = s1; h2 = s2; h3 = s3; h4 = s4; h5 = s5; h6 = s6; h7 = s7
            }
        }
    }

    /// The 64 round constants K0…K63 (FIPS 180-4 §4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

/// One SHA-256 round (FIPS 180-4 §6.2.2 step 3); `kw` is K[t] + W[t]. Adds T1 to `d`, sets `h` to T1 + T2.
@inline(__always)
private func sha256Round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
) {
    let sigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ sigma1 &+ choose &+ kw
    let sigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
    let majority = (a & b) | (c & (a | b))
    d &+= t1
    h = t1 &+ sigma0 &+ majority
}

/// `x` rotated right by `n` bits (0 < n < 32).
@inline(__always)
private func rotateRight(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 - n))
}

/// A file that could not be hashed: which file, which step, and the system's reason.
public struct SHA256Error: Error, CustomStringConvertible, Equatable {
    /// The path of the file, as given by the caller.
    public let path: String
    /// The failed step: "open" or "read".
    public let operation: String
    /// The `errno` value.
    public let code: Int32

    public var description: String {
        "\(path): cannot \(operation) file to compute its SHA-256: \(String(cString: strerror(code)))"
    }
}
