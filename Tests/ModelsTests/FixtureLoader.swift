import Foundation
import LinearAlgebra

/// Reads the committed reference fixtures (plain numeric CSV, JSON) from the test bundle.
enum Fixture {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureError.missing(name)
        }
        return url
    }

    /// A numeric fixture table: header names and row-major values (no quoting in these files).
    static func table(_ name: String) throws -> (header: [String], rows: [[Double]]) {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let rows = try lines.map { line in
            try line.split(separator: ",").map { cell -> Double in
                guard let value = Double(cell) else { throw FixtureError.badCell(name, String(cell)) }
                return value
            }
        }
        return (header, rows)
    }

    /// Columns `names` of a fixture table as a row-major matrix.
    static func matrix(_ table: (header: [String], rows: [[Double]]), columns names: [String]) throws -> Matrix {
        let indices = try names.map { name -> Int in
            guard let index = table.header.firstIndex(of: name) else { throw FixtureError.missing(name) }
            return index
        }
        return try Matrix(table.rows.map { row in indices.map { row[$0] } })
    }

    static func column(_ table: (header: [String], rows: [[Double]]), _ name: String) throws -> [Double] {
        guard let index = table.header.firstIndex(of: name) else { throw FixtureError.missing(name) }
        return table.rows.map { $0[index] }
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.badCell(name, "top level is not an object")
        }
        return object
    }
}

enum FixtureError: Error {
    case missing(String)
    case badCell(String, String)
}
