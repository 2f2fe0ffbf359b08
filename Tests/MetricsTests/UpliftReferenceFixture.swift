import Foundation

@testable import Metrics

/// The data set and scikit-uplift values written by `Benchmarks/reference/uplift_sklift.py`:
/// `Fixtures/uplift_data.csv` and `Fixtures/uplift_reference.json`.
struct UpliftReferenceFixture: Decodable {
    var seed: Int
    var examples: Int
    var versions: [String: String]
    var cases: [Case]
    var perfect: [String: Perfect]

    /// One score column against one outcome column.
    struct Case: Decodable, Sendable {
        var score: String
        var outcome: String
        var qiniCurve: Curve
        var upliftCurve: Curve
        var qiniAuc: Double
        /// `nil` for the real-valued outcome (sklift's perfect curve needs binary outcomes).
        var qiniAucNoNegativeEffect: Double?
        var upliftAuc: Double?
        var upliftAtK: [TopValue]
    }

    /// One `uplift_at_k` call: a share or a count, and its result.
    struct TopValue: Decodable, Sendable {
        var strategy: String
        var share: Double?
        var count: Int?
        var uplift: Double
    }

    /// The perfect curves of one outcome column.
    struct Perfect: Decodable, Sendable {
        var qini: Curve
        var qiniNoNegativeEffect: Curve?
        var uplift: Curve?
    }

    /// Curve points as two arrays.
    struct Curve: Decodable, Sendable {
        var x: [Double]
        var y: [Double]
    }

    /// The data set's columns by name, parsed from the CSV (a header, then numbers only).
    var columns: [String: [Double]]

    private enum CodingKeys: String, CodingKey {
        case seed, examples, versions, cases, perfect
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decode(Int.self, forKey: .seed)
        examples = try container.decode(Int.self, forKey: .examples)
        versions = try container.decode([String: String].self, forKey: .versions)
        cases = try container.decode([Case].self, forKey: .cases)
        perfect = try container.decode([String: Perfect].self, forKey: .perfect)
        columns = [:]
    }

    /// Loads the JSON values and the CSV data from the test bundle.
    static func load() throws -> UpliftReferenceFixture {
        func url(_ name: String, _ ext: String) throws -> URL {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures") else {
                throw CocoaError(.fileNoSuchFile)
            }
            return url
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var fixture = try decoder.decode(UpliftReferenceFixture.self, from: Data(contentsOf: url("uplift_reference", "json")))
        let text = try String(contentsOf: url("uplift_data", "csv"), encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var columns = [String: [Double]](uniqueKeysWithValues: header.map { ($0, []) })
        for (number, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count else { throw CocoaError(.fileReadCorruptFile, userInfo: ["line": number + 2]) }
            for (name, cell) in zip(header, cells) {
                guard let value = Double(cell) else { throw CocoaError(.fileReadCorruptFile, userInfo: ["line": number + 2]) }
                columns[name]?.append(value)
            }
        }
        fixture.columns = columns
        return fixture
    }

    /// The treatment column as flags.
    var treated: [Bool] { (columns["treated"] ?? []).map { $0 == 1 } }
}
