/// A model file that cannot be used, with the file and the reason.
public enum ModelFileError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Not valid JSON or missing/mistyped fields.
    case malformed(source: String, detail: String)
    /// The file is for another kind of model.
    case wrongKind(source: String, expected: String, found: String)
    /// A format version this build does not read.
    case unsupportedVersion(source: String, version: Int)

    public var description: String {
        switch self {
        case .malformed(let source, let detail):
            return "\(source): invalid model file: \(detail)"
        case .wrongKind(let source, let expected, let found):
            return "\(source): model kind is \"\(found)\", expected \"\(expected)\""
        case .unsupportedVersion(let source, let version):
            return "\(source): unsupported model format_version \(version)"
        }
    }

    /// A one-line summary of a decoding error with the JSON path.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "top level" : "\"" + keys.joined(separator: ".") + "\""
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "not valid JSON at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
