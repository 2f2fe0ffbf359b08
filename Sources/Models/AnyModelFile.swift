import Foundation
import StableJSON

/// The kinds of model file: the values of their `kind` field.
public enum ModelKind: String, CaseIterable, Sendable {
    case logistic
    case cox
    case callWindow = "call_window"

    /// The `kind` field of a model file, without decoding the rest.
    /// - Throws: `ModelFileError.malformed` when `data` is not a JSON object or has no string `kind`.
    public static func field(of data: Data, source: String) throws -> String {
        if let duplicate = StableJSON.firstDuplicateKey(in: data) {
            throw ModelFileError.malformed(source: source, detail: duplicate.description)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelFileError.malformed(source: source, detail: "not a JSON object")
        }
        guard let kind = object["kind"] as? String else {
            throw ModelFileError.malformed(source: source, detail: "missing key \"kind\"")
        }
        return kind
    }

    /// `kinds` for an error message: "logistic", "logistic or cox", "logistic, cox or call_window".
    static func list(_ kinds: [ModelKind]) -> String {
        let names = kinds.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

/// A model file of any kind, read by its `kind` field: the one place a file's kind is dispatched on.
public enum AnyModelFile: Equatable, Sendable {
    case logistic(LogisticRegressionModel)
    case cox(CoxModel)
    case callWindow(CallWindowModel)

    /// The kind of the model held.
    public var kind: ModelKind {
        switch self {
        case .logistic: return .logistic
        case .cox: return .cox
        case .callWindow: return .callWindow
        }
    }

    /// Reads and validates a model file of one of `kinds`, as that kind's `ModelFile.load` does.
    ///
    /// The kind is checked first, so a file of another kind fails with `wrongKind` whatever else is in it.
    /// - Throws: `ModelFileError.malformed` when the data is not a JSON object with a `kind`; `.wrongKind` (expecting
    ///   `kinds`) for any other kind; then the errors of the kind's own reading.
    public static func load(jsonData: Data, source: String, accepting kinds: [ModelKind] = ModelKind.allCases) throws
        -> AnyModelFile {
        let found = try ModelKind.field(of: jsonData, source: source)
        guard let kind = ModelKind(rawValue: found), kinds.contains(kind) else {
            throw ModelFileError.wrongKind(source: source, expected: ModelKind.list(kinds), found: found)
        }
        switch kind {
        case .logistic: return .logistic(try LogisticRegressionModel.load(jsonData: jsonData, source: source))
        case .cox: return .cox(try CoxModel.load(jsonData: jsonData, source: source))
        case .callWindow: return .callWindow(try CallWindowModel.load(jsonData: jsonData, source: source))
        }
    }

    /// Reads and validates the model file at `path` (see `load(jsonData:source:accepting:)`).
    /// - Throws: `ModelFileError.unreadable` when the file cannot be read, else as `load(jsonData:source:accepting:)`.
    public static func load(path: String, accepting kinds: [ModelKind] = ModelKind.allCases) throws -> AnyModelFile {
        try load(jsonData: try ModelFileError.readFile(path), source: path, accepting: kinds)
    }
}
