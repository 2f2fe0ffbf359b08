import Foundation
import Receivables

/// The line-number sidecar of a shard export file, `<file>.lines` (e.g. `invoices.csv.lines`), which `arscore
/// partition` writes beside each shard file and the loader ignores: a header `shard_line,export_line`, then per data row
/// of the shard file the physical line it starts on there and in the input file.
///
/// Scoring a shard with `--shard-result` rewrites its quarantine's line numbers through it (and the line quoted in a
/// duplicate-id reason, "(first on line N)"), so the merged quarantine.csv names the lines of the whole export.
enum ShardLineMap {
    static let suffix = ".lines"
    static let header = "shard_line,export_line\n"

    /// The shard-line → input-line map of `file` in `folder`; nil when the folder has no sidecar for it (an export
    /// that was not partitioned: its lines are already the export's).
    /// - Throws: `ArscoreError` naming the sidecar and line when it is malformed.
    static func load(folder: String, file: String) throws -> [Int: Int]? {
        let path = folder + "/" + file + suffix
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var map: [Int: Int] = [:]
        for (index, line) in [UInt8](data).split(separator: 10).enumerated().dropFirst() {
            let parts = line.split(separator: UInt8(ascii: ","))
            guard parts.count == 2, let shardLine = Int(String(decoding: parts[0], as: UTF8.self)),
                  let exportLine = Int(String(decoding: parts[1], as: UTF8.self)) else {
                throw ArscoreError("\(path):\(index + 1): expected \"shard_line,export_line\"", kind: .badInput)
            }
            map[shardLine] = exportLine
        }
        return map
    }

    /// `rows` with the export's line numbers, from the sidecars in `folder`.
    /// - Throws: `ArscoreError` when a quarantined line is not in its file's sidecar (the shard was edited after
    ///   partitioning).
    static func exportLines(of rows: [QuarantinedRow], folder: String) throws -> [QuarantinedRow] {
        var maps: [String: [Int: Int]?] = [:]
        return try rows.map { row in
            if maps[row.file] == nil { maps[row.file] = .some(try load(folder: folder, file: row.file)) }
            guard let map = maps[row.file] ?? nil else { return row }
            func translate(_ line: Int) throws -> Int {
                guard let exportLine = map[line] else {
                    throw ArscoreError("\(folder)/\(row.file)\(suffix): no entry for line \(line) of \(row.file) (the shard "
                        + "file changed after partitioning: partition the export again)", kind: .badInput)
                }
                return exportLine
            }
            var mapped = row
            mapped.line = try translate(row.line)
            mapped.reason = try translateFirstLine(in: row.reason, translate)
            return mapped
        }
    }

    /// A duplicate-id reason ends in "(first on line N)": N is translated too.
    static func translateFirstLine(in reason: String, _ translate: (Int) throws -> Int) throws -> String {
        let marker = "(first on line "
        guard reason.hasPrefix("duplicate "), reason.hasSuffix(")"), let range = reason.range(of: marker, options: .backwards),
              let line = Int(reason[range.upperBound..<reason.index(before: reason.endIndex)]) else { return reason }
        return String(reason[..<range.upperBound]) + String(try translate(line)) + ")"
    }
}
