import Foundation
import Jobs
import Logging
import Receivables
import TestSupport
import Testing
@testable import ArscoreCLI

/// A parsed Prometheus text-format file: samples by name, with HELP and TYPE per family.
struct PrometheusFile {
    var help: [String: String] = [:]
    var type: [String: String] = [:]
    /// (name, labels, value) in file order.
    var samples: [(name: String, labels: [String: String], value: Double)] = []
    var problems: [String] = []

    /// Parses `text` line by line, recording whatever does not follow the exposition format in `problems`.
    init(_ text: String) {
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        let sample = try! Regex(#"^(\#(name))(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)$"#)
        let label = try! Regex(#"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)
        if !text.hasSuffix("\n") { problems.append("no final line feed") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            if line.hasPrefix("# HELP ") && parts.count >= 3 {
                help[parts[2]] = parts.count == 4 ? parts[3] : ""
            } else if line.hasPrefix("# TYPE ") && parts.count == 4 {
                if type[parts[2]] != nil { problems.append("TYPE twice for \(parts[2])") }
                if samples.contains(where: { $0.name == parts[2] }) { problems.append("TYPE after samples of \(parts[2])") }
                type[parts[2]] = parts[3]
            } else if let match = try? sample.wholeMatch(in: String(line)) {
                var labels: [String: String] = [:]
                for found in String(match.output[3].substring ?? "").matches(of: label) {
                    labels[String(found.output[1].substring!)] = String(found.output[2].substring!)
                }
                guard let value = Double(String(match.output[4].substring!)) else {
                    problems.append("bad value: \(line)")
                    continue
                }
                samples.append((String(match.output[1].substring!), labels, value))
            } else {
                problems.append("not a sample, HELP or TYPE line: \(line)")
            }
        }
        for family in Set(samples.map(\.name)) where help[family] == nil || type[family] == nil {
            problems.append("\(family) has no HELP or TYPE")
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }
}

/// `--metrics-file`, `--log-format json` and the exit statuses of `arscore score` and `arscore train`.
@Suite("Operations: metrics file, JSON logs, exit statuses")
struct OperationsTests {
    @Test("score --metrics-file writes a valid Prometheus file with rows, quarantine, exclusions, PSI and the as-of date")
    func scoreMetricsFile() throws {
        let folder = try TemporaryFolder()
        let metrics = folder.path("arscore.prom")
        #expect(runCommand(scoreArguments(data: demoDataPath, out: folder.path("queues"), asOf: "2026-11-02",
                                          ["--metrics-file", metrics])) == nil)
        let file = PrometheusFile(try folder.read("arscore.prom"))
        #expect(file.problems.isEmpty, "\(file.problems)")
        #expect(file.type.values.allSatisfy { $0 == "gauge" } && !file.type.isEmpty)
        #expect(file.samples.allSatisfy { $0.labels["command"] == "score" })
        let manifest = queueManifest(folder.path("queues/latest"))
        #expect(file.value("arscore_published_as_of_timestamp_seconds") == 1_793_577_600)  // 2026-11-02T00:00Z
        #expect((file.value("arscore_run_duration_seconds") ?? -1) > 0)
        let customers = try String(contentsOfFile: demoDataPath + "/customers.csv", encoding: .utf8)
            .split(separator: "\n").count - 1
        #expect(file.value("arscore_input_rows", ["file": "customers.csv"]) == Double(customers))
        #expect(file.value("arscore_quarantined_rows", ["file": "invoices.csv"]) != nil)
        let exclusions = try #require(manifest["exclusions"] as? [String: Int])
        for (rule, count) in exclusions {
            #expect(file.value("arscore_excluded_accounts", ["rule": rule]) == Double(count), "\(rule)")
        }
        let calls = (manifest["files"] as? [String: [String: Any]])?["calls.csv"]?["rows"] as? Int
        #expect(file.value("arscore_queue_rows", ["file": "calls.csv"]) == calls.map(Double.init))
        if let psi = manifest["score_psi"] as? Double {
            // Foundation's JSON reading of the manifest may be one ulp off the value written.
            #expect(abs((file.value("arscore_score_psi", ["model": "pay_likelihood"]) ?? -1) - psi) <= 1e-15)
        }
        #expect(entries(folder.path).filter { $0.hasPrefix(".") }.isEmpty)  // no temporary file left
    }

    @Test("the text escapes label values and rejects invalid metric names")
    func escapingAndNames() {
        var metrics = RunMetrics(command: "score")
        metrics.add("arscore_input_rows", help: "Rows\nper file \\ x", samples: [([("file", "a\"b\\c\nd.csv")], 3)])
        let file = PrometheusFile(metrics.text)
        #expect(file.problems.isEmpty, "\(file.problems)")
        #expect(file.value("arscore_input_rows", ["file": #"a\"b\\c\nd.csv"#]) == 3)
        #expect(file.help["arscore_input_rows"] == #"Rows\nper file \\ x"#)
        #expect(RunMetrics.isValidName("arscore_run_duration_seconds") && RunMetrics.isValidName("a:b_1"))
        #expect(!RunMetrics.isValidName("1abc") && !RunMetrics.isValidName("a-b") && !RunMetrics.isValidName("é"))
        #expect(RunMetrics.format(0.25) == "0.25" && RunMetrics.format(3) == "3" && RunMetrics.format(.infinity) == "+Inf")
    }

    @Test("JSON log lines carry time, level, logger, message and metadata; quiet silences them")
    func jsonLogLines() throws {
        let lines = LockedLines()
        let fixed = Date(timeIntervalSince1970: 1_793_577_600.5)
        let log = RunLog.logger(command: "score", format: .json, quiet: false, write: { lines.append($0) }, now: { fixed })
        log.info("loading the bundle Models/demo", metadata: ["rows": .dictionary(["calls.csv": "12"])])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "loading the bundle Models/demo")
        #expect(object["level"] as? String == "info" && object["logger"] as? String == "arscore.score")
        #expect(object["time"] as? String == "2026-11-02T00:00:00.500Z")
        #expect((object["rows"] as? [String: String])?["calls.csv"] == "12")
        #expect(!lines.all[0].contains("\n"))
        RunLog.logger(command: "score", format: .json, quiet: true, write: { lines.append($0) }).info("hidden")
        #expect(lines.all.count == 1)
        let error = JSONLogHandler.errorLine("arscore: x.csv: missing", label: "arscore.score", now: fixed)
        #expect((try JSONSerialization.jsonObject(with: Data(error.utf8)) as? [String: Any])?["level"] as? String == "error")
    }

    @Test("exit statuses: 0 ok, 64 bad usage, 65 bad input, 66 bundle invalid, 73 publish failure")
    func exitStatuses() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("queues")
        #expect(ArscoreMain.run(scoreArguments(data: demoDataPath, out: out, asOf: "2026-11-02")) == 0)
        #expect(ArscoreMain.run(["score", "--data", demoDataPath]) == 64)
        #expect(ArscoreMain.run(scoreArguments(data: demoDataPath, out: out, asOf: "2026-11-02", ["--capacity", "-1"])) == 64)
        #expect(ArscoreMain.run(scoreArguments(data: folder.path("nothing"), out: out, asOf: "2026-11-02")) == 65)
        #expect(ArscoreMain.run(scoreArguments(data: demoDataPath, model: folder.path("no-bundle"), out: out,
                                               asOf: "2026-11-02")) == 66)
        let blocked = try folder.write("file-not-folder", "x")
        #expect(ArscoreMain.run(scoreArguments(data: demoDataPath, out: blocked, asOf: "2026-11-02")) == 73)
        let overThreshold = ReceivablesError.tooManyBadRows(file: "invoices.csv", rejected: 5, total: 10, threshold: 0.01,
                                                            first: nil, missingParent: nil)
        #expect(ArscoreMain.exitStatus(for: overThreshold, parserStatus: 1) == 65)
        #expect(ArscoreMain.exitStatus(for: ArscoreError("x"), parserStatus: 1) == 1)
    }
}

/// Lines written by a log handler, safe to append from any thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
