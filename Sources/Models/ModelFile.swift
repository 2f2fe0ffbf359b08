import Foundation
import StableJSON

/// A model stored as a JSON file: a fixed `kind`, a format version, checks of its own fields, and stable reading
/// and writing.
///
/// Conforming types supply their `kind`, how their property names map to JSON names and the checks of their own
/// fields (`validateContents`). The protocol does the rest once for all of them: reading (decode, then kind,
/// format version and contents, each failure a `ModelFileError` naming the file) and writing (StableJSON's
/// sorted, pretty-printed form, so the same model always gives the same bytes).
public protocol ModelFile: Codable, Sendable {
    /// The `kind` every file of this model carries, e.g. `"logistic"`.
    static var kind: String { get }
    /// How the model's property names map to JSON names.
    static var jsonKeys: ModelFileKeys { get }
    /// The file's `kind`; a valid file has `Self.kind`.
    var kind: String { get }
    /// The file's format version; this build reads `readableFormatVersions` (default `1`).
    var formatVersion: Int { get }
    /// The format versions this build reads (default `1...1`).
    static var readableFormatVersions: ClosedRange<Int> { get }
    /// Checks the invariants of the model's own fields (kind and format version are checked before).
    /// - Throws: `ModelFileError.malformed` naming `source` and what is wrong.
    func validateContents(source: String) throws
}

/// How a model file's property names become JSON names.
public enum ModelFileKeys: Sendable {
    /// The type's own `CodingKeys`, used as written (they already spell the snake_case names, which StableJSON's
    /// key conversion would not match when decoding).
    case codingKeys
    /// StableJSON's conversion of camelCase property names to snake_case.
    case snakeCase
}

extension ModelFile {
    /// The format version this build reads and writes, unless the type says otherwise.
    public static var supportedFormatVersion: Int { 1 }
    /// Only the supported version, unless the type says otherwise.
    public static var readableFormatVersions: ClosedRange<Int> { supportedFormatVersion...supportedFormatVersion }

    /// Checks what scoring relies on: the kind, the format version, then the model's own fields.
    /// - Throws: `ModelFileError.wrongKind`, `.unsupportedVersion` or `.malformed`, naming `source`.
    public func validate(source: String) throws {
        guard kind == Self.kind else { throw ModelFileError.wrongKind(source: source, expected: Self.kind, found: kind) }
        guard Self.readableFormatVersions.contains(formatVersion) else {
            throw ModelFileError.unsupportedVersion(source: source, version: formatVersion)
        }
        try validateContents(source: source)
    }

    /// Decodes and validates a model file; `source` names the file in errors.
    /// - Throws: `ModelFileError` naming what is wrong.
    public static func load(jsonData: Data, source: String) throws -> Self {
        if let duplicate = StableJSON.firstDuplicateKey(in: jsonData) {
            throw ModelFileError.malformed(source: source, detail: duplicate.description)
        }
        let model: Self
        do {
            model = try jsonDecoder().decode(Self.self, from: jsonData)
        } catch let error as DecodingError {
            throw ModelFileError.malformed(source: source, detail: ModelFileError.describe(error))
        }
        try model.validate(source: source)
        return model
    }

    /// Reads, decodes and validates the model file at `path`.
    /// - Throws: `ModelFileError.unreadable` when the file cannot be read, else as `load(jsonData:source:)`.
    public static func load(path: String) throws -> Self {
        try load(jsonData: try ModelFileError.readFile(path), source: path)
    }

    /// The model as stable, diffable JSON (sorted keys, pretty-printed, shortest round-trip numbers).
    public func jsonData() throws -> Data {
        try Self.jsonEncoder().encode(self)
    }

    /// StableJSON's encoder, with the key mapping of `jsonKeys`.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = StableJSON.encoder()
        if jsonKeys == .codingKeys { encoder.keyEncodingStrategy = .useDefaultKeys }
        return encoder
    }

    /// StableJSON's decoder, with the key mapping of `jsonKeys`.
    public static func jsonDecoder() -> JSONDecoder {
        let decoder = StableJSON.decoder()
        if jsonKeys == .codingKeys { decoder.keyDecodingStrategy = .useDefaultKeys }
        return decoder
    }
}
