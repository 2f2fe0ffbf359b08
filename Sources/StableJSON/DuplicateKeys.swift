import Foundation

/// Finds repeated keys in JSON objects, which Foundation's `JSONDecoder` silently accepts (one of the values wins).
///
/// A model or bundle file with a key given twice is ambiguous — a hand edit that adds a second `"intercept"` would
/// be half ignored — so every arscore file is scanned before it is decoded. The scanner only tracks object keys;
/// malformed JSON is left for the decoder to report (it returns nil then).
extension StableJSON {
    /// A key that appears twice in one object: the object's path (`models.pay_likelihood`, `$` for the top level)
    /// and the key.
    public struct DuplicateKey: Error, Equatable, Sendable, CustomStringConvertible {
        public let path: String
        public let key: String
        public var description: String { "duplicate key \"\(key)\" in \(path == "$" ? "the top-level object" : "\"" + path + "\"")" }
    }

    /// The first key repeated within one object of `data`, or nil when there is none (or `data` is not JSON).
    public static func firstDuplicateKey(in data: Data) -> DuplicateKey? {
        var scanner = DuplicateKeyScanner(bytes: [UInt8](data))
        do {
            try scanner.value(path: "$", depth: 0)
        } catch let found as DuplicateKey {
            return found
        } catch {
            return nil
        }
        return nil
    }
}

/// A recursive scan of JSON values that records each object's keys.
private struct DuplicateKeyScanner {
    struct Malformed: Error {}
    let bytes: [UInt8]
    var i = 0

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    /// Scans one value at `i`.
    mutating func value(path: String, depth: Int) throws {
        guard depth < 512 else { throw Malformed() }
        skipSpace()
        guard i < bytes.count else { throw Malformed() }
        switch bytes[i] {
        case UInt8(ascii: "{"): try object(path: path, depth: depth)
        case UInt8(ascii: "["):
            i += 1
            var index = 0
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return }
            while true {
                try value(path: path + "[\(index)]", depth: depth + 1)
                index += 1
                skipSpace()
                guard i < bytes.count else { throw Malformed() }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "]") else { throw Malformed() }
                i += 1
                return
            }
        case UInt8(ascii: "\""): _ = try string()
        default:
            while i < bytes.count, !",]} \t\n\r".utf8.contains(bytes[i]) { i += 1 }
        }
    }

    /// Scans an object at `i` (on its `{`); throws `DuplicateKey` at the first repeated key.
    mutating func object(path: String, depth: Int) throws {
        i += 1
        var keys = Set<String>()
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Malformed() }
            let key = try string()
            guard keys.insert(key).inserted else { throw StableJSON.DuplicateKey(path: path, key: key) }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw Malformed() }
            i += 1
            try value(path: path == "$" ? key : path + "." + key, depth: depth + 1)
            skipSpace()
            guard i < bytes.count else { throw Malformed() }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard bytes[i] == UInt8(ascii: "}") else { throw Malformed() }
            i += 1
            return
        }
    }

    /// Scans a string at `i` (on its opening quote) and returns its text (escapes decoded).
    mutating func string() throws -> String {
        let start = i
        i += 1
        var escaped = false
        while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") { escaped = true; i += 1 }
            i += 1
        }
        guard i < bytes.count else { throw Malformed() }
        i += 1
        let raw = Array(bytes[start..<i])
        guard escaped else { return String(decoding: raw.dropFirst().dropLast(), as: UTF8.self) }
        guard let text = try? JSONDecoder().decode(String.self, from: Data(raw)) else { throw Malformed() }
        return text
    }
}
