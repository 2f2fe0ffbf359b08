/// Numeric columns of a CSV file, read into one contiguous column-major buffer.
public struct NumericTable: Sendable, Equatable {
    /// The path of the file the table was read from, as given.
    public let path: String
    /// The names of the columns, in storage order.
    public let columnNames: [String]
    /// The number of data rows.
    public let rowCount: Int
    /// The physical line where each row starts, when requested from the reader (otherwise `nil`).
    public let lines: [Int]?
    /// Column-major storage: column `j` is `values[j * rowCount ..< (j + 1) * rowCount]`.
    public let values: [Double]

    /// Creates a table; `values.count` must be `columnNames.count * rowCount`.
    public init(path: String, columnNames: [String], rowCount: Int, lines: [Int]? = nil, values: [Double]) {
        precondition(values.count == columnNames.count * rowCount, "values must hold columnNames.count * rowCount numbers")
        precondition(lines == nil || lines!.count == rowCount, "lines must hold one line per row")
        self.path = path
        self.columnNames = columnNames
        self.rowCount = rowCount
        self.lines = lines
        self.values = values
    }

    /// The values of the (first) column named `name`, or `nil` when the table has no such column.
    public func column(_ name: String) -> ArraySlice<Double>? {
        guard let index = columnNames.firstIndex(of: name) else { return nil }
        return column(at: index)
    }

    /// The values of column `index`.
    public func column(at index: Int) -> ArraySlice<Double> {
        precondition(index >= 0 && index < columnNames.count, "column index out of range")
        return values[index * rowCount ..< (index + 1) * rowCount]
    }
}
