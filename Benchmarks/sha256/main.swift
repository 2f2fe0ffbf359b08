import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// swift-crypto's SHA-256 of a file, read in 4 MiB pieces like the hand-written `SHA256.hash(fileAt:)`.
func cryptoHash(fileAt path: String) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    precondition(descriptor >= 0)
    defer { close(descriptor) }
    let size = 4 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    defer { buffer.deallocate() }
    var hasher = Crypto.SHA256()
    while true {
        let count = read(descriptor, buffer, size)
        if count <= 0 { break }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

let path = CommandLine.arguments[1]
let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).doubleValue
var hand: [Double] = [], crypto: [Double] = []
var digests: Set<String> = []
for _ in 0..<3 {
    var start = Date()
    digests.insert(try SHA256.hash(fileAt: path))
    hand.append(Date().timeIntervalSince(start))
    start = Date()
    digests.insert(cryptoHash(fileAt: path))
    crypto.append(Date().timeIntervalSince(start))
}
let h = hand.min()!, c = crypto.min()!
print(String(format: "file %.0f MB; hand-written FileSafety.SHA256: %.3f s (%.0f MB/s); swift-crypto SHA256: %.3f s (%.0f MB/s); ratio %.2f×; digests equal: %@",
             bytes / 1e6, h, bytes / h / 1e6, c, bytes / c / 1e6, h / c, digests.count == 1 ? "yes" : "NO"))
print("runs hand: \(hand.map { String(format: "%.3f", $0) }), crypto: \(crypto.map { String(format: "%.3f", $0) })")
