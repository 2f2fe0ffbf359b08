import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A scratch folder of this fuzzing process (under `TMPDIR`, or /dev/shm when present), made once.
let fuzzScratch: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = "\(base)/arscore-fuzz-\(getpid())"
    mkdir(path, 0o700)
    atexit { _ = try? FileManager.default.removeItem(atPath: fuzzScratch) }
    return path
}()

/// Writes `bytes` to `path` (replacing it); a failure is a harness bug, so it stops the process.
func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) {
    guard let file = fopen(path, "wb") else { fatalError("cannot create \(path)") }
    if bytes.count > 0 { precondition(fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count) }
    fclose(file)
}

/// The parts of `data` between `separator` bytes (the seed corpora join several files this way).
func splitParts(_ data: UnsafeRawBufferPointer, separator: UInt8) -> [UnsafeRawBufferPointer] {
    var parts: [UnsafeRawBufferPointer] = []
    var start = 0
    for index in 0..<data.count where data[index] == separator {
        parts.append(UnsafeRawBufferPointer(rebasing: data[start..<index]))
        start = index + 1
    }
    parts.append(UnsafeRawBufferPointer(rebasing: data[start..<data.count]))
    return parts
}
