/// A failure of an arscore command, as the one-line reason printed on stderr.
public struct ArscoreError: Error, CustomStringConvertible, Equatable {
    /// The full one-line reason (already names the file, line and column where they apply).
    public let description: String
    /// Which kind of failure it is (chooses the exit status; `.other` unless said).
    public let kind: FailureKind

    public init(_ description: String, kind: FailureKind = .other) {
        self.description = description
        self.kind = kind
    }

    /// A problem located at a cell of an input table: `file:line: column "name": detail`.
    public static func cell(file: String, line: Int?, column: String, _ detail: String) -> ArscoreError {
        let location = line.map { "\(file):\($0)" } ?? file
        return ArscoreError("\(location): column \"\(column)\": \(detail)", kind: .badInput)
    }
}
