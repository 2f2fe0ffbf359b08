import CivilTime
import FileSafety
import Foundation

/// The `manifest.json` of a queue folder: what was scored, when, with which model, and a
/// checksum of every file.
///
/// `json()` writes sorted keys, two-space indentation and a final newline, so identical fields
/// give byte-identical text. Keys: `as_of` (`YYYY-MM-DD`), `created_at` (ISO 8601 UTC, whole
/// seconds, `Z`), `exclusions` ({rule: accounts excluded}), `extra` ({key: text}),
/// `files` ({name: {bytes, rows, sha256}}), `format_version` (1), `kpis` (the collection KPIs of the 30 days
/// before the as-of date: {from, to, kpis: {name: value or null}, counts: {name: count}, null_reasons: {name: why}};
/// absent when not computed), `model` ({name, version}), `score_psi` (a number, or `null` when absent or not finite).
public struct QueueManifest: Sendable, Equatable {
    /// Collection KPIs over a window (`from` inclusive, `to` exclusive, `YYYY-MM-DD`), as docs/KPIS.md defines them.
    public struct KPIBlock: Sendable, Equatable {
        public var from: String
        public var to: String
        /// Value of each KPI; nil when it is undefined (see `nullReasons`).
        public var kpis: [String: Double?]
        /// The counts and amounts beside the rates (attempts, contacts, promises, receivables, ...).
        public var counts: [String: Double]
        /// Why a KPI is null.
        public var nullReasons: [String: String]

        public init(from: String, to: String, kpis: [String: Double?], counts: [String: Double], nullReasons: [String: String]) {
            self.from = from
            self.to = to
            self.kpis = kpis
            self.counts = counts
            self.nullReasons = nullReasons
        }
    }

    /// One file's manifest entry: data rows, size in bytes, and SHA-256 as 64 lowercase hex digits.
    public struct Entry: Sendable, Equatable {
        /// Data rows (records after the header).
        public let rows: Int
        /// File size in bytes.
        public let bytes: Int
        /// SHA-256 of the file's bytes, lowercase hex.
        public let sha256: String

        /// An entry from its parts.
        public init(rows: Int, bytes: Int, sha256: String) {
            self.rows = rows
            self.bytes = bytes
            self.sha256 = sha256
        }

        /// The entry of a file with these contents and `rows` data rows.
        public init(describing contents: Data, rows: Int) {
            self.init(rows: rows, bytes: contents.count, sha256: SHA256.hash(contents))
        }
    }

    /// The manifest layout's version, written as `format_version`.
    public static let formatVersion = 1
    /// The manifest's file name inside a queue folder.
    public static let fileName = "manifest.json"

    /// The as-of date, `YYYY-MM-DD`; also the queue folder's name.
    public var asOf: String
    /// When the run was made; written in whole seconds (the fraction is dropped).
    public var createdAt: Date
    /// The model bundle's name.
    public var modelName: String
    /// The model bundle's version.
    public var modelVersion: String
    /// Entries by file name (`QueuePublisher` fills them from the files it writes).
    public var files: [String: Entry]
    /// Accounts excluded, by rule (for example `do_not_call`, `dispute`, `contact_cap`).
    public var exclusions: [String: Int]
    /// Population stability index of the scores against the training scores, if computed.
    public var scorePSI: Double?
    /// Any other facts worth recording, as text (written under `extra`).
    public var extra: [String: String]
    /// The collection KPIs of the days before the as-of date (written under `kpis` when present).
    public var kpis: KPIBlock?

    /// A manifest; `files` is usually left empty for `QueuePublisher` to fill.
    public init(
        asOf: String, createdAt: Date, modelName: String, modelVersion: String,
        files: [String: Entry] = [:], exclusions: [String: Int] = [:], scorePSI: Double? = nil,
        extra: [String: String] = [:], kpis: KPIBlock? = nil
    ) {
        self.asOf = asOf
        self.createdAt = createdAt
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.files = files
        self.exclusions = exclusions
        self.scorePSI = scorePSI
        self.extra = extra
        self.kpis = kpis
    }

    /// `created_at` as written: `YYYY-MM-DDTHH:MM:SSZ`.
    public var createdAtText: String {
        CivilDate.formatInstant(Int64(createdAt.timeIntervalSince1970.rounded(.down)))
    }

    /// The manifest as pretty-printed JSON with sorted keys, UTF-8, ending in a newline.
    public func json() -> Data {
        let fileMembers = files.map { name, entry in
            (name, Self.object([
                ("bytes", String(entry.bytes)), ("rows", String(entry.rows)), ("sha256", Self.quote(entry.sha256)),
            ], indent: 2))
        }
        let psi = scorePSI.flatMap { $0.isFinite ? "\($0)" : nil } ?? "null"
        var members: [(String, String)] = [
            ("as_of", Self.quote(asOf)),
            ("created_at", Self.quote(createdAtText)),
            ("exclusions", Self.object(exclusions.map { ($0.key, String($0.value)) }, indent: 1)),
            ("extra", Self.object(extra.map { ($0.key, Self.quote($0.value)) }, indent: 1)),
            ("files", Self.object(fileMembers, indent: 1)),
            ("format_version", String(Self.formatVersion)),
            ("model", Self.object([("name", Self.quote(modelName)), ("version", Self.quote(modelVersion))], indent: 1)),
            ("score_psi", psi),
        ]
        if let kpis { members.append(("kpis", Self.kpiObject(kpis))) }
        return Data((Self.object(members, indent: 0) + "\n").utf8)
    }

    /// The `kpis` member: numbers as JSON numbers (whole values without a fraction), undefined values as null.
    private static func kpiObject(_ block: KPIBlock) -> String {
        func number(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "null" }
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return "\(value)"
        }
        return object([
            ("from", quote(block.from)), ("to", quote(block.to)),
            ("kpis", object(block.kpis.map { ($0.key, number($0.value)) }, indent: 2)),
            ("counts", object(block.counts.map { ($0.key, number($0.value)) }, indent: 2)),
            ("null_reasons", object(block.nullReasons.map { ($0.key, quote($0.value)) }, indent: 2)),
        ], indent: 1)
    }

    /// A JSON object of already-encoded values, keys sorted by their UTF-8 bytes, at nesting `indent`.
    private static func object(_ members: [(String, String)], indent: Int) -> String {
        guard !members.isEmpty else { return "{}" }
        let inner = String(repeating: "  ", count: indent + 1)
        let lines = members
            .sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { inner + quote($0.0) + ": " + $0.1 }
        return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: "  ", count: indent) + "}"
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`.
    private static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
