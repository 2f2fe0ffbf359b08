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

    /// A JSON fixture as Foundation values (numbers as `Double`, integers as `Int` too via `as? Int`).
    ///
    /// Parsed with `JSONDecoder`, whose number parsing is correctly rounded: on Linux,
    /// `JSONSerialization` can be off by an ulp or more (e.g. it reads 10.205424167693048 as
    /// 10.205424167693044), which breaks exact comparisons with the reference values.
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(name))
        guard let object = try JSONDecoder().decode(JSONValue.self, from: data).foundation as? [String: Any] else {
            throw FixtureError.badCell(name, "top level is not an object")
        }
        return object
    }
}

/// Any JSON value, decoded exactly.
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// `[String: Any]`, `[Any]`, `Double`, `String`, `Bool` or `NSNull`; arrays of numbers become `[Double]`,
    /// arrays of number arrays `[[Double]]`, objects of numbers `[String: Double]`.
    var foundation: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .number(let value): return value
        case .string(let value): return value
        case .array(let values):
            let converted = values.map(\.foundation)
            if let numbers = converted as? [Double] { return numbers }
            if let rows = converted as? [[Double]] { return rows }
            if let strings = converted as? [String] { return strings }
            return converted
        case .object(let members):
            let converted = members.mapValues(\.foundation)
            if let numbers = converted as? [String: Double] { return numbers }
            if let nested = converted as? [String: [String: Double]] { return nested }
            return converted
        }
    }
}

enum FixtureError: Error {
    case missing(String)
    case badCell(String, String)
}
