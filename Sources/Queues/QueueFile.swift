import Foundation

/// One data file of a queue folder: its file name, its complete bytes and its number of data rows.
public struct QueueFile: Sendable, Equatable {
    /// The file name inside the queue folder, for example `calls.csv` (no `/`, not starting
    /// with `.`, not `manifest.json`).
    public let name: String
    /// The whole file, for example CSV text from `CSVWriter` (header included).
    public let contents: Data
    /// The number of data rows (records after the header), recorded in the manifest.
    public let rows: Int

    /// A file to publish.
    public init(name: String, contents: Data, rows: Int) {
        self.name = name
        self.contents = contents
        self.rows = rows
    }
}
