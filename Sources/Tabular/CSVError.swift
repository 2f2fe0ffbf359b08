/// An error for anything wrong with a CSV file, naming the file, the line and the column.
///
/// `description` is always a single line, for example
/// `table.csv:12: column "amount": not a number: "12,5x"`,
/// `table.csv: missing column "target"` or `table.csv:1: empty file (no header row)`.
public struct CSVError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// The file could not be opened or read (the detail carries the OS reason).
        case unreadable
        /// The file has no header row (0 bytes, only a BOM, or an empty first line).
        case emptyFile
        /// A required column is not in the header.
        case missingColumn
        /// Two header fields have the same (trimmed) name.
        case duplicateColumn
        /// A record has more or fewer fields than the header.
        case fieldCount
        /// A quoted field is still open at the end of the file.
        case unterminatedQuote
        /// Text that must be a string is not valid UTF-8.
        case invalidUTF8
        /// A cell that must be a number is not one.
        case notANumber
        /// A cell that must hold a value is empty.
        case emptyCell
        /// A record is longer than the reader's record-length limit (a device, a file without line breaks, a
        /// quote never closed in a huge file).
        case recordTooLong
        /// Any other malformed input (for example a character after a closing quote).
        case other
    }

    /// What went wrong.
    public let kind: Kind
    /// The path of the file, as given by the caller.
    public let file: String
    /// The 1-based physical line (the header is line 1), when the error belongs to a line.
    public let line: Int?
    /// The column's header name, when the error belongs to a column.
    public let column: String?
    /// A short human-readable explanation (one line).
    public let detail: String

    /// Creates an error; `detail` is flattened to one line.
    public init(kind: Kind, file: String, line: Int? = nil, column: String? = nil, detail: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.detail = CSVError.oneLine(detail)
    }

    /// The one-line message: `file[:line]: [column "name": ]detail`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        // Missing/duplicate column errors already name the column in the detail.
        if let column, kind != .missingColumn, kind != .duplicateColumn {
            text += "column \(CSVError.quoted(column)): "
        }
        return text + detail
    }

    /// Quotes `text` for a message: wrapped in double quotes, control characters escaped, truncated when long.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "..."
                break
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return out + "\""
    }

    /// Quotes raw cell bytes for a message, replacing invalid UTF-8 with U+FFFD.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 80) -> String {
        quoted(String(decoding: bytes, as: UTF8.self), limit: limit)
    }

    /// Replaces line breaks so that a description stays on one line.
    private static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return text }
        return text.replacingLineBreaks()
    }
}

extension String {
    /// This string with CR and LF written as `\r` and `\n`.
    fileprivate func replacingLineBreaks() -> String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
