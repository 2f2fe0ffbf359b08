import Foundation

/// A model file that cannot be used, with the file and the reason.
public enum ModelFileError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Not valid JSON or missing/mistyped fields.
    case malformed(source: String, detail: String)
    /// The file is for another kind of model.
    case wrongKind(source: String, expected: String, found: String)
    /// A format version this build does not read.
    case unsupportedVersion(source: String, version: Int)
    /// The file cannot be read (missing, a folder, no permission); `reason` is the system's.
    case unreadable(source: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let source, let detail):
            return "\(source): invalid model file: \(detail)"
        case .wrongKind(let source, let expected, let found):
            return "\(source): model kind is \"\(found)\", expected \"\(expected)\""
        case .unsupportedVersion(let source, let version):
            return "\(source): unsupported model format_version \(version)"
        case .unreadable(let source, let reason):
            return "\(source): cannot read model file: \(reason)"
        }
    }

    /// A one-line summary of a decoding error with the JSON path.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }
            return keys.isEmpty ? "top level" : "\"" + keys.joined(separator: ".") + "\""
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(snakeCase(key.stringValue))\" at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "not valid JSON at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// A property name as the file spells it (`formatVersion` → `format_version`); snake_case names are unchanged.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The bytes of the file at `path`.
    /// - Throws: `ModelFileError.unreadable` with the system's reason (e.g. "No such file or directory").
    static func readFile(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let nsError = error as NSError
            let reason: String
            if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                reason = String(cString: strerror(Int32(underlying.code)))
            } else if nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadNoSuchFileError {
                reason = "No such file or directory"
            } else {
                reason = nsError.localizedDescription
            }
            throw ModelFileError.unreadable(source: path, reason: reason)
        }
    }
}
