import Foundation
import TestSupport
import Testing
@testable import ArscoreCLI
import Models

/// `arscore fit cox` and `arscore predict` on a Cox model, in-process.
struct CoxCommandTests {
    /// Durations in days that shrink as x grows, with some censoring and ties.
    static func survivalTable() -> String {
        var lines = ["id,x,z,days,paid"]
        for i in 0..<80 {
            let x = Double(i % 9) / 4 - 1
            let z = Double((i * 5) % 7) / 3
            let days = max(1, Int(40 - 12 * x + Double((i * 13) % 17)))
            let paid = i % 6 == 0 ? 0 : 1
            lines.append(String(format: "%03d,%.3f,%.3f,%d,%d", i, x, z, days, paid))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func fitThenPredictWritesLinearPredictorAndEventProbabilities() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", Self.survivalTable())
        #expect(runCommand(["fit", "cox", "--table", table, "--duration", "days", "--event", "paid",
                            "--features", "x,z", "--out", "\(folder.path)/m.json", "--quiet"]) == nil)
        let model = try CoxModel.load(jsonData: Data(try folder.read("m.json").utf8), source: "m.json")
        #expect(model.kind == "cox" && model.features == ["x", "z"])
        #expect(model.coefficients["x"]! > 0)   // larger x, shorter time to pay: higher hazard
        #expect(runCommand(["predict", "--model", "\(folder.path)/m.json", "--table", table, "--keep", "id",
                            "--horizons", "7,30,90", "--out", "\(folder.path)/p.csv", "--quiet"]) == nil)
        let lines = try folder.read("p.csv").split(separator: "\n").map(String.init)
        #expect(lines.first == "id,linear_predictor,p_event_by_7,p_event_by_30,p_event_by_90")
        #expect(lines.count == 81 && lines[1].hasPrefix("000,"))
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",").dropFirst(2).map { Double($0)! }
            #expect(cells == cells.sorted() && cells.allSatisfy { $0 >= 0 && $0 <= 1 })   // P(event by t) grows with t
        }
    }

    @Test func badEventAndDurationCellsAreLocated() throws {
        let folder = try TemporaryFolder()
        let badEvent = try folder.write("e.csv", "x,days,paid\n1,5,1\n2,6,2\n3,7,0\n")
        #expect(runCommand(["fit", "cox", "--table", badEvent, "--duration", "days", "--event", "paid",
                            "--out", "\(folder.path)/m.json"])
                == "arscore: \(badEvent):3: column \"paid\": event must be 0 or 1, found 2")
        let badDuration = try folder.write("d.csv", "x,days,paid\n1,5,1\n2,-6,1\n3,7,0\n")
        #expect(runCommand(["fit", "cox", "--table", badDuration, "--duration", "days", "--event", "paid",
                            "--out", "\(folder.path)/m.json"])
                == "arscore: \(badDuration):3: column \"days\": duration must be finite and non-negative, found -6")
        #expect(!folder.exists("m.json"))
    }

    @Test func argumentProblemsAreReported() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", Self.survivalTable())
        let ties = try #require(runCommand(["fit", "cox", "--table", table, "--duration", "days", "--event", "paid",
                                            "--ties", "exact", "--out", "\(folder.path)/m.json"]))
        #expect(ties.contains("--ties"))
        let same = try #require(runCommand(["fit", "cox", "--table", table, "--duration", "days", "--event", "days",
                                            "--out", "\(folder.path)/m.json"]))
        #expect(same.contains("--duration and --event"))
        let horizons = try #require(runCommand(["predict", "--model", "m.json", "--table", table, "--horizons", "7,abc",
                                                "--out", "\(folder.path)/p.csv"]))
        #expect(horizons.contains("--horizons"))
    }

    @Test func noEventsIsAnError() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", "x,days,paid\n1,5,0\n2,6,0\n3,7,0\n")
        let message = try #require(runCommand(["fit", "cox", "--table", table, "--duration", "days", "--event", "paid",
                                               "--out", "\(folder.path)/m.json"]))
        #expect(message.contains("no events"))
    }
}
