import Foundation
import TestSupport
import Testing
@testable import ArscoreCLI
import Models

/// `arscore fit-sharded` over 4 uneven shard tables against `arscore fit` on the concatenated table.
struct DistributedFitCommandTests {
    /// A table with weights and integer durations (ties at times present in several shards).
    static func table(rows: Int = 400) -> (header: String, lines: [String]) {
        var state: UInt64 = 42
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / 9_007_199_254_740_992.0
        }
        var lines: [String] = []
        for _ in 0..<rows {
            let balance = 1000 + 9000 * uniform(), late = Double(Int(uniform() * 60)), noise = uniform()
            let eta = -1 + 0.0002 * (balance - 5000) + 0.03 * late - 0.5 * noise
            let y = uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
            let duration = 1 + Int(uniform() * 20 / exp(0.5 * eta))
            let event = uniform() < 0.7 ? 1 : 0
            let weight = 0.5 + uniform()
            lines.append("\(balance),\(late),\(noise),\(y),\(min(duration, 30)),\(event),\(weight)")
        }
        return ("balance,days_late,noise,y,duration,event,w", lines)
    }

    /// The whole table and 4 uneven shards, written to `folder`.
    static func write(_ folder: TemporaryFolder) throws -> (whole: String, shards: [String]) {
        let (header, lines) = table()
        let whole = try folder.write("whole.csv", ([header] + lines).joined(separator: "\n") + "\n")
        let cuts = [0, 37, 190, 260, lines.count]
        let shards = try (0..<4).map { k in
            try folder.write("shard\(k).csv", ([header] + lines[cuts[k]..<cuts[k + 1]]).joined(separator: "\n") + "\n")
        }
        return (whole, shards)
    }

    static func expectClose(_ a: [String: Double], _ b: [String: Double]) {
        #expect(Set(a.keys) == Set(b.keys))
        for (name, value) in b {
            #expect(abs(a[name]! - value) <= 1e-9 * max(1, abs(value)), "\(name): \(a[name]!) vs \(value)")
        }
    }

    @Test func logisticOverShardsEqualsFitOnTheWholeTable() throws {
        let folder = try TemporaryFolder()
        let (whole, shards) = try Self.write(folder)
        let common = ["--target", "y", "--features", "balance,days_late,noise", "--weight", "w", "--quiet"]
        #expect(runCommand(["fit", "logistic", "--table", whole, "--out", "\(folder.path)/single.json"] + common) == nil)
        #expect(runCommand(["fit-sharded", "logistic", "--tables"] + shards
                           + ["--out", "\(folder.path)/sharded.json"] + common) == nil)
        let single = try LogisticRegressionModel.load(jsonData: Data(try folder.read("single.json").utf8), source: "s")
        let sharded = try LogisticRegressionModel.load(jsonData: Data(try folder.read("sharded.json").utf8), source: "d")
        Self.expectClose(sharded.coefficients, single.coefficients)
        #expect(abs(sharded.intercept - single.intercept) <= 1e-9 * max(1, abs(single.intercept)))
        // The sharded model file is one `arscore predict` reads.
        #expect(runCommand(["predict", "--model", "\(folder.path)/sharded.json", "--table", whole,
                            "--out", "\(folder.path)/p.csv", "--quiet"]) == nil)
        #expect(try folder.read("p.csv").split(separator: "\n").count == 401)
    }

    @Test(arguments: ["efron", "breslow"])
    func coxOverShardsEqualsFitOnTheWholeTable(ties: String) throws {
        let folder = try TemporaryFolder()
        let (whole, shards) = try Self.write(folder)
        let common = ["--duration", "duration", "--event", "event", "--features", "balance,days_late,noise",
                      "--weight", "w", "--ties", ties, "--l2", "0.1", "--quiet"]
        #expect(runCommand(["fit", "cox", "--table", whole, "--out", "\(folder.path)/single.json"] + common) == nil)
        #expect(runCommand(["fit-sharded", "cox", "--tables"] + shards + ["--out", "\(folder.path)/sharded.json"]
                           + common) == nil)
        let single = try CoxModel.load(jsonData: Data(try folder.read("single.json").utf8), source: "s")
        let sharded = try CoxModel.load(jsonData: Data(try folder.read("sharded.json").utf8), source: "d")
        Self.expectClose(sharded.coefficients, single.coefficients)
        #expect(sharded.baseline.times == single.baseline.times)
        #expect(sharded.ties.rawValue == ties)
    }

    @Test func shardWithOtherColumnsIsRejectedAndNothingIsWritten() throws {
        let folder = try TemporaryFolder()
        let (_, shards) = try Self.write(folder)
        let odd = try folder.write("odd.csv", "balance,noise,y,w\n1,2,0,1\n3,4,1,1\n")
        let message = runCommand(["fit-sharded", "logistic", "--tables", shards[0], odd, "--target", "y",
                                  "--weight", "w", "--out", "\(folder.path)/m.json"])
        #expect(message?.contains("odd.csv: feature columns balance,noise differ") == true, "\(message ?? "")")
        #expect(!folder.exists("m.json"))
        let missing = runCommand(["fit-sharded", "logistic", "--tables", shards[0], odd, "--target", "y",
                                  "--features", "balance,days_late", "--out", "\(folder.path)/m.json"])
        #expect(missing?.contains("odd.csv") == true && missing?.contains("days_late") == true, "\(missing ?? "")")
    }

    @Test func nonFiniteCellNamesShardFileLineAndColumn() throws {
        let folder = try TemporaryFolder()
        let (_, shards) = try Self.write(folder)
        let header = "balance,days_late,noise,y,duration,event,w"
        let bad = try folder.write("bad.csv", "\(header)\n1,2,0.5,0,3,1,1\n2,3,inf,1,4,0,1\n")
        let message = runCommand(["fit-sharded", "cox", "--tables", shards[1], bad, "--duration", "duration",
                                  "--event", "event", "--features", "balance,days_late,noise",
                                  "--out", "\(folder.path)/m.json"])
        #expect(message?.contains("bad.csv:3") == true && message?.contains("noise") == true, "\(message ?? "")")
        #expect(!folder.exists("m.json"))
    }
}
