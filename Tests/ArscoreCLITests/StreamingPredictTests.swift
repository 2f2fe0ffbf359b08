import Foundation
import Jobs
import LinearAlgebra
import Models
import Tabular
import TestSupport
import Testing

/// `TableModeling.predict` streams the table in chunks: results equal scoring the whole table at once, in order,
/// and a non-finite score fails the run naming the model file, leaving no output.
@Suite("Streaming predict")
struct StreamingPredictTests {
    /// A 50-row table: id (text, one with a quoted line break), x, z, and y drawn from a logistic model.
    static func table() -> String {
        var text = "id,x,note,z,y\n"
        for row in 0..<50 {
            let x = Double(row % 7) - 3, z = Double((row * 13) % 11) / 4
            let id = row == 17 ? "\"a,\nb\"" : String(format: "%04d", row)
            text += "\(id),\(x),n\(row),\(z),\((row * 7919) % 3 == 0 ? 1 : 0)\n"
        }
        return text
    }

    @Test("chunks of 1, 7 and 64 rows give the whole-table probabilities and ids in input order", arguments: [1, 7, 64])
    func chunkedEqualsWholeTable(chunkRows: Int) throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", Self.table())
        let model = try TableModeling.fitLogistic(.init(tablePath: table, target: "y", features: ["x", "z"],
                                                        outputPath: folder.path("m.json")))
        let rows = try TableModeling.predict(.init(modelPath: folder.path("m.json"), tablePath: table,
                                                   outputPath: folder.path("p.csv"), keepColumns: ["id"],
                                                   chunkRows: chunkRows))
        #expect(rows == 50)
        let whole = try NumericTableReader.read(path: table, columns: ["x", "z"])
        let expected = try model.probabilities(
            Matrix(rows: 50, columns: 2, columnMajor: whole.values))
        let reader = try CSVReader(path: folder.path("p.csv"))
        var ids: [String] = [], probabilities: [Double] = []
        try reader.forEachRecord { record in
            ids.append(try record.string(0))
            probabilities.append(record.double(1)!)
        }
        #expect(ids.count == 50 && ids[17] == "a,\nb" && ids[0] == "0000" && ids[49] == "0049")
        #expect(zip(probabilities, expected).allSatisfy { abs($0 - $1) <= 1e-15 })
    }

    @Test("a Cox model over chunks writes the linear predictor and P(event by t) of the whole-table computation")
    func coxChunkedEqualsWholeTable() throws {
        let folder = try TemporaryFolder()
        var text = "x,z,duration,event\n"
        for row in 0..<40 { text += "\(row % 5),\(Double(row % 3) / 2),\(1 + (row * 7) % 13),\(row % 4 == 0 ? 0 : 1)\n" }
        let table = try folder.write("c.csv", text)
        let model = try TableModeling.fitCox(.init(tablePath: table, duration: "duration", event: "event",
                                                   features: ["x", "z"], outputPath: folder.path("c.json")))
        try TableModeling.predict(.init(modelPath: folder.path("c.json"), tablePath: table,
                                        outputPath: folder.path("p.csv"), horizons: [5, 10], chunkRows: 3))
        let whole = try NumericTableReader.read(path: table, columns: ["x", "z"])
        let eta = try model.linearPredictors(Matrix(rows: 40, columns: 2, columnMajor: whole.values))
        let byTen = model.eventProbabilities(linearPredictors: eta, by: 10)
        let written = try NumericTableReader.read(path: folder.path("p.csv"),
                                                  columns: ["linear_predictor", "p_event_by_5", "p_event_by_10"])
        #expect(written.rowCount == 40)
        #expect(zip(written.column("linear_predictor")!, eta).allSatisfy { abs($0 - $1) <= 1e-13 })
        #expect(zip(written.column("p_event_by_10")!, byTen).allSatisfy { abs($0 - $1) <= 1e-13 })
    }

    @Test("coefficients that overflow fail naming the model file and the line; no output or temporary file is left")
    func nonFiniteScoreFailsNamingTheModel() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", Self.table())
        try TableModeling.fitLogistic(.init(tablePath: table, target: "y", features: ["x", "z"],
                                            outputPath: folder.path("m.json")))
        var json = try JSONSerialization.jsonObject(with: Data(try folder.read("m.json").utf8)) as! [String: Any]
        json["coefficients"] = ["x": 1e308, "z": -1e308]
        let hostile = folder.path("hostile.json")
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: hostile))
        let error = #expect(throws: ArscoreError.self) {
            try TableModeling.predict(.init(modelPath: hostile, tablePath: table, outputPath: folder.path("p.csv"),
                                            chunkRows: 8))
        }
        #expect(error?.description.hasPrefix("\(hostile): the model gives a non-finite score") == true)
        #expect(error?.description.contains("\(table) line ") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["hostile.json", "m.json", "t.csv"])
    }

    @Test("a bad cell in a later chunk names its line, and nothing is written")
    func badCellInALaterChunk() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", Self.table())
        try TableModeling.fitLogistic(.init(tablePath: table, target: "y", features: ["x", "z"],
                                            outputPath: folder.path("m.json")))
        let lines = Self.table().split(separator: "\n", omittingEmptySubsequences: false)
        var edited = lines
        edited[44] = "0042,abc,n42,1,0"  // line 45 of the file: the header is line 1 and row 17 spans two lines
        let bad = try folder.write("bad.csv", edited.joined(separator: "\n"))
        let error = #expect(throws: CSVError.self) {
            try TableModeling.predict(.init(modelPath: folder.path("m.json"), tablePath: bad,
                                            outputPath: folder.path("p.csv"), keepColumns: ["id"], chunkRows: 4))
        }
        #expect(error?.line == 45 && error?.column == "x")
        #expect(!folder.exists("p.csv"))
    }
}
