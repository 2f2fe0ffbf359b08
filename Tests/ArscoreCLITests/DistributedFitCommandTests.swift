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

    /// Drives the stateless protocol as the Spark driver does: moments pass, then steps until converged.
    /// Returns the number of passes over the shards and the last state file.
    static func driveProtocol(_ folder: TemporaryFolder, model: String, shards: [String], shardOptions: [String],
                              combineOptions: [String]) throws -> (passes: Int, state: String) {
        func shardPass(_ pass: Int, state: String?) throws -> [String] {
            try shards.indices.map { k in
                let out = "\(folder.path)/stats-\(pass)-\(k).json"
                let message = runCommand(["fit-shard", model, "--table", shards[k], "--out", out] + shardOptions
                                         + (state.map { ["--state", $0] } ?? []))
                #expect(message == nil, "\(message ?? "")")
                return out
            }
        }
        var state = "\(folder.path)/state-0.json"
        #expect(runCommand(["fit-combine", model, "--stats"] + (try shardPass(0, state: nil))
                           + ["--out", state] + combineOptions) == nil)
        for pass in 1...60 {
            let next = "\(folder.path)/state-\(pass).json"
            let message = runCommand(["fit-combine", model, "--stats"] + (try shardPass(pass, state: state))
                                     + ["--state", state, "--out", next, "--model-out", "\(folder.path)/protocol.json"])
            #expect(message == nil, "\(message ?? "")")
            if message != nil { return (pass, state) }
            state = next
            if folder.exists("protocol.json") { return (pass + 1, state) }
        }
        Issue.record("the protocol did not converge in 60 passes")
        return (61, state)
    }

    @Test func logisticStepProtocolEqualsFitOnTheWholeTable() throws {
        let folder = try TemporaryFolder()
        let (whole, shards) = try Self.write(folder)
        let options = ["--target", "y", "--features", "balance,days_late,noise", "--weight", "w"]
        #expect(runCommand(["fit", "logistic", "--table", whole, "--out", "\(folder.path)/single.json", "--l2", "0.3",
                            "--quiet"] + options) == nil)
        let run = try Self.driveProtocol(folder, model: "logistic", shards: shards, shardOptions: options,
                                         combineOptions: ["--l2", "0.3"])
        let single = try LogisticRegressionModel.load(jsonData: Data(try folder.read("single.json").utf8), source: "s")
        let sharded = try LogisticRegressionModel.load(jsonData: Data(try folder.read("protocol.json").utf8), source: "p")
        Self.expectClose(sharded.coefficients, single.coefficients)
        #expect(sharded.l2 == 0.3)
        #expect(sharded.fit.iterations == single.fit.iterations)
        #expect(run.passes == single.fit.iterations + 2)   // moments, start, one per Newton step (no halvings)
    }

    @Test(arguments: ["efron", "breslow"])
    func coxStepProtocolEqualsFitOnTheWholeTable(ties: String) throws {
        let folder = try TemporaryFolder()
        let (whole, shards) = try Self.write(folder)
        let options = ["--duration", "duration", "--event", "event", "--features", "balance,days_late,noise",
                       "--weight", "w"]
        #expect(runCommand(["fit", "cox", "--table", whole, "--out", "\(folder.path)/single.json", "--ties", ties,
                            "--quiet"] + options) == nil)
        _ = try Self.driveProtocol(folder, model: "cox", shards: shards, shardOptions: options,
                                   combineOptions: ["--ties", ties])
        let single = try CoxModel.load(jsonData: Data(try folder.read("single.json").utf8), source: "s")
        let sharded = try CoxModel.load(jsonData: Data(try folder.read("protocol.json").utf8), source: "p")
        Self.expectClose(sharded.coefficients, single.coefficients)
        #expect(sharded.baseline.times == single.baseline.times)
        for k in single.baseline.times.indices {
            let a = sharded.baseline.cumulativeHazard[k], b = single.baseline.cumulativeHazard[k]
            #expect(abs(a - b) <= 1e-9 * max(1, b))
        }
    }

    @Test func statisticsOfAnotherStateOrModelAreRejected() throws {
        let folder = try TemporaryFolder()
        let (_, shards) = try Self.write(folder)
        let options = ["--target", "y", "--features", "balance,days_late,noise"]
        let moments = try shards.indices.map { k -> String in
            let out = "\(folder.path)/m\(k).json"
            #expect(runCommand(["fit-shard", "logistic", "--table", shards[k], "--out", out] + options) == nil)
            return out
        }
        let state0 = "\(folder.path)/s0.json", state1 = "\(folder.path)/s1.json"
        #expect(runCommand(["fit-combine", "logistic", "--stats"] + moments + ["--out", state0]) == nil)
        let step0 = try shards.indices.map { k -> String in
            let out = "\(folder.path)/a\(k).json"
            #expect(runCommand(["fit-shard", "logistic", "--table", shards[k], "--state", state0, "--out", out]
                               + options) == nil)
            return out
        }
        #expect(runCommand(["fit-combine", "logistic", "--stats"] + step0 + ["--state", state0, "--out", state1]) == nil)
        // Last step's statistics against the new state.
        let stale = runCommand(["fit-combine", "logistic", "--stats"] + step0
                               + ["--state", state1, "--out", "\(folder.path)/s2.json"])
        #expect(stale?.contains("a0.json: statistics for state") == true, "\(stale ?? "")")
        #expect(!folder.exists("s2.json"))
        // Moments files as a step's statistics.
        let early = runCommand(["fit-combine", "logistic", "--stats"] + moments
                               + ["--state", state1, "--out", "\(folder.path)/s2.json"])
        #expect(early?.contains("m0.json: statistics for state (moments pass)") == true, "\(early ?? "")")
        // A logistic state given to a Cox shard.
        let wrong = runCommand(["fit-shard", "cox", "--table", shards[0], "--duration", "duration", "--event", "event",
                                "--features", "balance,days_late,noise", "--state", state1,
                                "--out", "\(folder.path)/c.json"])
        #expect(wrong?.contains("a logistic state, not cox") == true, "\(wrong ?? "")")
    }
}
