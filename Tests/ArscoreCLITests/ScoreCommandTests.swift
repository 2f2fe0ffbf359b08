@testable import ArscoreCLI
import Foundation
import Jobs
import Tabular
import TestSupport
import Testing

/// `arscore score` end to end: the queue folder, its manifest, the exclusion counts, determinism, crash safety,
/// refusing bad bundles, bad input rows and bad policy files, and neutralised spreadsheet formulas.
@Suite("arscore score")
struct ScoreCommandTests {
    static let callsHeader = "rank,customer_id,priority,expected_cash,p_pay,expected_days_to_pay,past_due_balance,open_balance,"
        + "max_days_past_due,segment,window_local,window_start_utc,p_contact,reason_1,reason_2,reason_3,"
        + "incremental_cash,window_end_utc,timezone,best_window_local,disputed_balance,selection,selection_probability"
    static let headers: [String: String] = [
        "calls.csv": callsHeader,
        "promise_followups.csv": "rank,customer_id,promise_id,created_date,promised_date,promised_amount,remaining_amount,"
            + "p_kept,expected_shortfall,window_local,window_start_utc,p_contact",
        "disputes.csv": "rank,customer_id,disputed_balance,disputed_past_due_balance,disputed_invoices,past_due_balance,"
            + "open_balance,max_days_past_due,dispute_calls_90d,invoice_id,invoice_date,due_date,invoice_amount,open_amount,"
            + "days_past_due",
        "escalations.csv": "rank,customer_id,past_due_balance,open_balance,max_days_past_due,p_pay,expected_cash,"
            + "days_since_last_payment,days_since_last_rpc,reason_1,reason_2,reason_3,p_contact,call_value,recovery_value",
        "holdout.csv": "rank,customer_id,priority,expected_cash,p_pay,p_contact,past_due_balance,selection_probability",
        "quarantine.csv": "file,line,field,reason",
    ]
    static let rules = ["below_minimum_past_due", "do_not_call", "do_not_call_times", "dispute", "escalation", "open_promise_not_due",
                        "promise_follow_up", "contact_cap", "recent_conversation", "holdout", "better_another_day", "capacity"]

    // MARK: - The queue folder and its manifest

    @Test func publishesADatedFolderWithAManifestOfEveryFile() throws {
        let folder = try TemporaryFolder()
        let out = folder.path + "/queues"
        #expect(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: "2026-10-01")) == nil)
        #expect(latestTarget(out) == "2026-10-01")
        #expect(entries(out) == ["2026-10-01", "latest"])
        let published = out + "/2026-10-01"
        #expect(queueFolderProblems(published) == [])
        #expect(queueFolderProblems(out + "/latest") == [])

        let manifest = queueManifest(published)
        #expect(manifest["format_version"] as? Int == 1)
        #expect(manifest["as_of"] as? String == "2026-10-01")
        let created = try #require(manifest["created_at"] as? String)
        #expect(Days.parseISOUTC(created) != nil, "created_at \(created)")
        let model = manifest["model"] as? [String: Any]
        #expect(model?["name"] as? String == "demo" && model?["version"] as? String == "v1")
        let files = try #require(manifest["files"] as? [String: [String: Any]])
        #expect(files.keys.sorted() == Self.headers.keys.sorted())
        for (name, header) in Self.headers {
            let text = try String(contentsOfFile: published + "/" + name, encoding: .utf8)
            #expect(text.hasPrefix(header + "\n"), "\(name) header")
            // escalations.csv may be empty: on the demo book a call is expected to bring more than the default recovery
            // path (5% of the past-due balance) for every long-delinquent account; holdout.csv is header only under the
            // default holdout_share 0.
            #expect((files[name]?["rows"] as? Int ?? 0) > 0 || ["quarantine.csv", "escalations.csv", "holdout.csv"].contains(name),
                    "\(name) is empty on the demo data")
        }
        // Every scored account is a call or counted under exactly one rule.
        let exclusions = try #require(manifest["exclusions"] as? [String: Int])
        #expect(exclusions.keys.sorted() == Self.rules.sorted())
        let scored = Int((manifest["extra"] as? [String: String])?["accounts_scored"] ?? "") ?? -1
        #expect(exclusions.values.reduce(0, +) + (files["calls.csv"]?["rows"] as? Int ?? 0) == scored)
        // disputes.csv has a row per disputed invoice: at least one per account counted under `dispute`.
        #expect(exclusions["dispute"] ?? 0 <= files["disputes.csv"]?["rows"] as? Int ?? 0)
        #expect(exclusions["escalation"] == files["escalations.csv"]?["rows"] as? Int)
        let extra = manifest["extra"] as? [String: String]
        #expect(extra?["priority"] == "pay_likelihood" && extra?["escalation"] == "on")
        // The draws of the default policy: 5% of the candidates (no capacity) explored, nothing held out.
        #expect(extra?["exploration_share"] == "0.05" && extra?["holdout_share"] == "0.0" && extra?["policy_seed"] == "1")
        let calls = try CSVTable(path: published + "/calls.csv")
        let explore = calls.column("selection").filter { $0 == "explore" }.count
        #expect(extra?["explore_calls"] == String(explore) && explore > 0)
        #expect(extra?["priority_calls"] == String(calls.rows.count - explore))
        #expect(extra?["holdout_accounts"] == "0" && exclusions["holdout"] == 0)
    }

    // MARK: - Exclusion rules

    /// For each rule, a hand-built export where exactly one account (SPECIAL) triggers it, next to two ordinary ones.
    @Test(arguments: rules)
    func eachExclusionRuleIsCountedInTheManifest(_ rule: String) throws {
        var hand = baselineExport()
        var extra: [String] = []
        let folder = try TemporaryFolder()
        switch rule {
        case "below_minimum_past_due":
            hand.current("SPECIAL", zone: "Europe/Madrid")
        case "do_not_call":
            hand.regular("SPECIAL", zone: "Europe/Madrid", doNotCall: true)
        case "do_not_call_times":  // the customer asked not to be called at any hour of any weekday window
            hand.regular("SPECIAL", zone: "Europe/Madrid")
            hand.doNotCallTimes["SPECIAL"] = "Mon-Fri 07:00-19:00"
        case "dispute":  // all of its past-due balance is disputed
            hand.customer("SPECIAL", zone: "Europe/Madrid")
            hand.invoice("SPECIAL", issued: -60, amount: 300, disputed: true)
        case "escalation":  // with a recovery path netting half the past-due balance, more than a call to SPECIAL brings
            hand.hopeless("SPECIAL", zone: "America/New_York")
            extra = ["--config", try folder.write("policy.json", #"{"escalation_recovery_share": 0.5}"#)]
        case "open_promise_not_due":
            hand.regular("SPECIAL", zone: "Europe/Madrid")
            hand.promise("SPECIAL", created: -7, due: 13, amount: 1000)
        case "promise_follow_up":
            hand.regular("SPECIAL", zone: "Europe/Madrid")
            hand.promise("SPECIAL", created: -12, due: -2, amount: 1000)
        case "contact_cap":
            hand.regular("SPECIAL", zone: "America/New_York")
            for day in [-6, -4, -1] { hand.call("SPECIAL", day: day, hour: 9, outcome: "no_answer") }
        case "recent_conversation":  // consumer rules: no call within 7 days after a right-party conversation
            hand.regular("SPECIAL", zone: "Europe/Madrid")
            hand.call("SPECIAL", day: -2, hour: 11, outcome: "right_party")
            extra = ["--config", try folder.write("policy.json", #"{"contact_rules": "consumer"}"#)]
        case "better_another_day":  // today's plan from a UTC 08-18 team: no slot reaches Auckland's windows today
            hand.regular("SPECIAL", zone: "Pacific/Auckland")
            extra = ["--config", try folder.write("policy.json", #"{"plan": "today", "wait_discount_per_day": 0}"#)]
        case "holdout":  // ⌊0.34 × 3⌋ = 1 of the three candidates is drawn and held out: whichever the seeded draw picks
            hand.regular("SPECIAL", zone: "Europe/Madrid")
            extra = ["--config", try folder.write("policy.json", #"{"holdout_share": 0.34}"#)]
        case "capacity":
            hand.regular("SPECIAL", zone: "Europe/Madrid", amount: 10)
            extra = ["--capacity", "2"]
        default:
            Issue.record("no export for rule \(rule)")
        }
        let data = try writeExport(hand, in: folder), out = folder.path + "/queues"
        let failure = runCommand(scoreArguments(data: data, out: out, asOf: hand.asOfText, extra))
        #expect(failure == nil)
        let published = out + "/" + hand.asOfText
        #expect(queueFolderProblems(published) == [])
        let exclusions = try #require(queueManifest(published)["exclusions"] as? [String: Int])
        var expected = Dictionary(uniqueKeysWithValues: Self.rules.map { ($0, 0) })
        expected[rule] = 1
        #expect(exclusions == expected)

        let calls = try CSVTable(path: published + "/calls.csv").customerIDs
        let heldOut = try CSVTable(path: published + "/holdout.csv").customerIDs
        #expect(heldOut.count == (rule == "holdout" ? 1 : 0))
        #expect(calls.count == 2 && Set(calls).isSubset(of: ["R-MAD", "R-NYC", "SPECIAL"]))
        #expect(!calls.contains(rule == "holdout" ? heldOut.first ?? "SPECIAL" : "SPECIAL"))
        let routed = ["dispute": "disputes.csv", "escalation": "escalations.csv", "promise_follow_up": "promise_followups.csv"]
        for file in ["disputes.csv", "escalations.csv", "promise_followups.csv"] {
            let ids = try CSVTable(path: published + "/" + file).customerIDs
            #expect(ids == (routed[rule] == file ? ["SPECIAL"] : []), "\(file) for rule \(rule)")
        }
    }

    // MARK: - Determinism

    @Test func identicalInputsGiveByteIdenticalQueues() throws {
        let folder = try TemporaryFolder()
        let created = Date(timeIntervalSince1970: 1_795_000_000.75)
        var reports: [NightlyScoring.Report] = []
        for out in ["a", "b"] {
            reports.append(try NightlyScoring.run(.init(
                exportFolder: demoDataPath, modelPath: demoModelPath, outFolder: folder.path + "/" + out,
                asOf: Int32(Days.number("2026-10-01")), createdAt: created)))
        }
        #expect(reports.map(\.folder) == [folder.path + "/a/2026-10-01", folder.path + "/b/2026-10-01"])
        let names = entries(reports[0].folder)
        #expect(names == (Array(Self.headers.keys) + ["manifest.json"]).sorted())
        for name in names {
            let a = FileManager.default.contents(atPath: reports[0].folder + "/" + name)
            let b = FileManager.default.contents(atPath: reports[1].folder + "/" + name)
            #expect(a != nil && a == b, "\(name) differs between two identical runs")
        }
        #expect(queueManifest(reports[0].folder)["created_at"] as? String == Days.isoUTC(1_795_000_000))

        // Through the command (created now): the queue files are still identical; the manifests differ at most in
        // created_at.
        #expect(runCommand(scoreArguments(data: demoDataPath, out: folder.path + "/c", asOf: "2026-10-01")) == nil)
        let third = folder.path + "/c/2026-10-01"
        for name in Self.headers.keys {
            #expect(FileManager.default.contents(atPath: third + "/" + name)
                    == FileManager.default.contents(atPath: reports[0].folder + "/" + name), "\(name)")
        }
        func withoutCreated(_ folder: String) throws -> [String] {
            try String(contentsOfFile: folder + "/manifest.json", encoding: .utf8)
                .split(separator: "\n").filter { !$0.contains("\"created_at\"") }.map(String.init)
        }
        #expect(try withoutCreated(third) == withoutCreated(reports[0].folder))
    }

    // MARK: - Crash safety

    /// The publishing steps, in the order a re-run of the same day meets them (found in-process).
    func publishingSteps(data: String, out: String) throws -> (fresh: [String], rerun: [String]) {
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var names: [String] = []
            func add(_ name: String) { lock.lock(); names.append(name); lock.unlock() }
        }
        var runs: [[String]] = []
        for _ in 0..<2 {
            let log = Log()
            _ = try NightlyScoring.run(.init(exportFolder: data, modelPath: demoModelPath, outFolder: out,
                                             asOf: Int32(Days.number("2026-06-17")),
                                             faultPoint: { step in log.add(String(describing: step)) }))
            runs.append(log.names)
        }
        return (runs[0], runs[1])
    }

    /// The built executable is killed (`ARSCORE_FAULT_POINT`, `_exit(86)`) at each publishing step in turn while
    /// publishing 2026-06-18 over a complete 2026-06-17: `latest` and its folder stay intact, 2026-06-18 is absent
    /// until the step after the rename and complete from then on, and a normal re-run publishes and cleans up.
    @Test func aKilledRunNeverHarmsLatestOrLeavesAPartialFolder() throws {
        guard let executable = arscoreExecutable() else {
            Issue.record("the arscore executable was not found next to the test bundle (\(ProcessInfo.processInfo.arguments[0]))")
            return
        }
        let folder = try TemporaryFolder()
        var hand = baselineExport()
        hand.regular("DSP", zone: "Europe/Madrid")
        hand.invoice("DSP", issued: -60, amount: 300, disputed: true)
        hand.hopeless("ESC", zone: "Europe/Madrid")
        hand.regular("PFU", zone: "Europe/Madrid")
        hand.promise("PFU", created: -12, due: 1, amount: 1000)
        let data = try writeExport(hand, in: folder), out = folder.path + "/queues"

        let known = ["created-partial-folder", "wrote-file:calls.csv", "wrote-file:promise_followups.csv",
                     "wrote-file:disputes.csv", "wrote-file:escalations.csv", "wrote-file:holdout.csv",
                     "wrote-file:quarantine.csv", "wrote-manifest",
                     "before-verify", "before-rename", "before-removing-replaced", "before-latest-switch",
                     "before-latest-rename"]
        let steps = try publishingSteps(data: data, out: folder.path + "/discover")
        #expect(Set(steps.rerun) == Set(known))
        #expect(steps.fresh == steps.rerun.filter { $0 != "before-removing-replaced" })
        // Killing at before-removing-replaced needs 2026-06-18 to exist already: it comes after before-latest-switch,
        // the first step at which the killed run has renamed its folder into place.
        var order = steps.rerun.filter { $0 != "before-removing-replaced" }
        order.insert("before-removing-replaced", at: (order.firstIndex(of: "before-latest-switch") ?? order.count - 1) + 1)

        let first = try runChild(executable, scoreArguments(data: data, out: out, asOf: "2026-06-17"), scratch: folder.path)
        try #require(first.status == 0, "first publish failed: \(first.stderr)")
        #expect(latestTarget(out) == "2026-06-17")
        try #require(queueFolderProblems(out + "/2026-06-17") == [])
        let previousManifest = FileManager.default.contents(atPath: out + "/2026-06-17/manifest.json")

        var renamed = false
        for step in order {
            let run = try runChild(executable, scoreArguments(data: data, out: out, asOf: "2026-06-18"),
                                   environment: ["ARSCORE_FAULT_POINT": step], scratch: folder.path)
            #expect(run.status == 86, "killed at \(step): exit \(run.status), \(run.stderr)")
            #expect(latestTarget(out) == "2026-06-17", "killed at \(step)")
            #expect(queueFolderProblems(out + "/latest") == [], "killed at \(step)")
            #expect(FileManager.default.contents(atPath: out + "/2026-06-17/manifest.json") == previousManifest)
            if ["before-removing-replaced", "before-latest-switch", "before-latest-rename"].contains(step) { renamed = true }
            let visible = entries(out).filter { !$0.hasPrefix(".") }
            #expect(visible == (renamed ? ["2026-06-17", "2026-06-18", "latest"] : ["2026-06-17", "latest"]),
                    "killed at \(step): \(entries(out))")
            if renamed { #expect(queueFolderProblems(out + "/2026-06-18") == [], "killed at \(step)") }
        }
        #expect(entries(out).contains { $0.hasPrefix(".2026-06-18.partial-") || $0.hasPrefix(".latest.tmp-") },
                "the killed runs should have left temporaries behind")

        let rerun = try runChild(executable, scoreArguments(data: data, out: out, asOf: "2026-06-18"), scratch: folder.path)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(latestTarget(out) == "2026-06-18")
        #expect(queueFolderProblems(out + "/2026-06-18") == [])
        #expect(queueFolderProblems(out + "/2026-06-17") == [])
        #expect(entries(out) == ["2026-06-17", "2026-06-18", "latest"], "stale temporaries left: \(entries(out))")
    }

    // MARK: - Bad bundles

    enum BadBundle: String, CaseIterable, Sendable {
        case missingFile, wrongKind, nanCoefficient, overflowingCoefficient, textCoefficient, unknownFeature

        /// The file the message must name.
        var file: String { self == .missingFile ? "time_to_pay.json" : "pay_likelihood.json" }

        func apply(to version: String) throws {
            let pay = version + "/pay_likelihood.json"
            var text = try String(contentsOfFile: pay, encoding: .utf8)
            switch self {
            case .missingFile:
                try FileManager.default.removeItem(atPath: version + "/time_to_pay.json")
                return
            case .wrongKind:
                text = try #require(replacingOnce(text, #""kind" : "logistic""#, #""kind" : "cox""#))
            case .nanCoefficient:
                text = try #require(replacingFirstCoefficient(text, with: "NaN"))
            case .overflowingCoefficient:
                text = try #require(replacingFirstCoefficient(text, with: "1e999"))
            case .textCoefficient:
                text = try #require(replacingFirstCoefficient(text, with: "\"NaN\""))
            case .unknownFeature:
                #expect(text.contains("\"attempts_30d\""))
                text = text.replacingOccurrences(of: "\"attempts_30d\"", with: "\"mystery_feature\"")
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: pay))
        }

        private func replacingOnce(_ text: String, _ old: String, _ new: String) -> String? {
            guard let range = text.range(of: old) else { return nil }
            return text.replacingCharacters(in: range, with: new)
        }

        /// The first coefficient's number in `"coefficients" : { "<feature>" : <number>, …` replaced by `value`.
        private func replacingFirstCoefficient(_ text: String, with value: String) -> String? {
            guard let block = text.range(of: "\"coefficients\" : {"),
                  let colon = text.range(of: "\" : ", range: block.upperBound..<text.endIndex),
                  let end = text[colon.upperBound...].firstIndex(where: { $0 == "," || $0 == "\n" }),
                  Double(text[colon.upperBound..<end]) != nil else { return nil }
            return text.replacingCharacters(in: colon.upperBound..<end, with: value)
        }
    }

    @Test(arguments: BadBundle.allCases)
    func aBadBundleFailsWithOneLineNamingTheFileAndPublishesNothing(_ bad: BadBundle) throws {
        let folder = try TemporaryFolder()
        let hand = baselineExport()
        let data = try writeExport(hand, in: folder), out = folder.path + "/queues"
        #expect(runCommand(scoreArguments(data: data, out: out, asOf: "2026-06-17")) == nil)
        let bundle = folder.path + "/Models/broken"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: demoModelPath + "/v1", toPath: bundle + "/v1")
        try bad.apply(to: bundle + "/v1")

        let arguments = scoreArguments(data: data, model: bundle, out: out, asOf: "2026-06-18")
        #expect(ArscoreMain.run(arguments) != 0)
        let message = try #require(runCommand(arguments))
        #expect(message.hasPrefix("arscore: ") && !message.contains("\n"))
        #expect(message.contains(bad.file), "\(bad): \(message)")
        if bad == .unknownFeature { #expect(message.contains("mystery_feature"), "\(message)") }
        #expect(entries(out) == ["2026-06-17", "latest"])
        #expect(latestTarget(out) == "2026-06-17")
    }

    // MARK: - Bad input rows

    /// A copy of Datasets/demo whose invoices.csv has `count` bad rows among invoices no payment refers to; returns
    /// the folder and the physical line numbers (header = line 1) of the bad rows with the field made bad.
    func demoWithBadInvoices(_ count: Int, in folder: TemporaryFolder) throws -> (String, [(line: Int, field: String)]) {
        let data = folder.path + "/export"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for name in ["customers.csv", "payments.csv", "calls.csv", "promises.csv"] {
            try FileManager.default.copyItem(atPath: demoDataPath + "/" + name, toPath: data + "/" + name)
        }
        let paid = Set(try CSVTable(path: demoDataPath + "/payments.csv").column("invoice_id"))
        var lines = try String(contentsOfFile: demoDataPath + "/invoices.csv", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed")
        var bad: [(line: Int, field: String)] = []
        for index in 1..<lines.count where bad.count < count {
            var cells = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 7, !paid.contains(cells[0]) else { continue }
            switch bad.count % 3 {
            case 0: cells[4] = "abc"; bad.append((index + 1, "amount"))
            case 1: cells[3] = "2026-13-45"; bad.append((index + 1, "due_date"))
            default: cells[1] = "NOBODY"; bad.append((index + 1, "customer_id"))
            }
            lines[index] = cells.joined(separator: ",")
        }
        try #require(bad.count == count)
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: data + "/invoices.csv"))
        return (data, bad)
    }

    @Test func moreThanOnePercentBadInvoicesFailsAndPublishesNothing() throws {
        let folder = try TemporaryFolder()
        let out = folder.path + "/queues"
        #expect(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: "2026-09-30")) == nil)
        let total = try CSVTable(path: demoDataPath + "/invoices.csv").rows.count
        let (data, _) = try demoWithBadInvoices(total / 100 + 2, in: folder)
        let message = try #require(runCommand(scoreArguments(data: data, out: out, asOf: "2026-10-01")))
        #expect(message.contains("invoices.csv"), "\(message)")
        #expect(!message.contains("\n"))
        #expect(entries(out) == ["2026-09-30", "latest"])
        #expect(latestTarget(out) == "2026-09-30")
    }

    @Test func fewBadInvoicesArePublishedInTheQuarantineFile() throws {
        let folder = try TemporaryFolder()
        let (data, bad) = try demoWithBadInvoices(3, in: folder)
        let out = folder.path + "/queues"
        #expect(runCommand(scoreArguments(data: data, out: out, asOf: "2026-10-01")) == nil)
        let published = out + "/2026-10-01"
        #expect(queueFolderProblems(published) == [])
        let quarantine = try CSVTable(path: published + "/quarantine.csv")
        #expect(quarantine.header == ["file", "line", "field", "reason"])
        #expect(quarantine.rows.map { $0[0] } == ["invoices.csv", "invoices.csv", "invoices.csv"])
        #expect(quarantine.rows.map { Int($0[1]) ?? 0 } == bad.map(\.line))
        #expect(quarantine.rows.map { $0[2] } == bad.map(\.field))
        for row in quarantine.rows { #expect(row[3].count > 5, "reason \"\(row[3])\"") }
        let files = queueManifest(published)["files"] as? [String: [String: Any]]
        #expect(files?["quarantine.csv"]?["rows"] as? Int == 3)
    }

    // MARK: - Spreadsheet injection

    @Test func formulaLikeIDsAreNeutralised() throws {
        var hand = baselineExport()
        hand.regular("=HYPERLINK(\"http://x\",\"y\")", zone: "Europe/Madrid")
        hand.regular("@SUM(1)", zone: "Europe/Madrid")
        hand.invoice("@SUM(1)", issued: -60, amount: 300, disputed: true)
        hand.regular("+PFU", zone: "America/New_York")
        hand.promise("+PFU", id: "=1+1", created: -12, due: -2, amount: 1000)
        hand.hopeless("-ESC", zone: "Europe/Madrid")
        let folder = try TemporaryFolder()
        let data = try writeExport(hand, in: folder), out = folder.path + "/queues"
        // A recovery path netting half the past-due balance, so that -ESC is escalated and escalations.csv is checked too.
        let policy = try folder.write("policy.json", #"{"escalation_recovery_share": 0.5}"#)
        #expect(runCommand(scoreArguments(data: data, out: out, asOf: hand.asOfText, ["--config", policy])) == nil)
        let published = out + "/" + hand.asOfText
        #expect(try CSVTable(path: published + "/calls.csv").customerIDs.contains("'=HYPERLINK(\"http://x\",\"y\")"))
        #expect(try CSVTable(path: published + "/disputes.csv").customerIDs == ["'@SUM(1)"])
        let promises = try CSVTable(path: published + "/promise_followups.csv")
        #expect(promises.customerIDs == ["'+PFU"] && promises.column("promise_id") == ["'=1+1"])
        #expect(try CSVTable(path: published + "/escalations.csv").customerIDs == ["'-ESC"])
        // No cell of any file starts a formula (numbers such as -0.5 excepted).
        for name in Self.headers.keys {
            for row in try CSVTable(path: published + "/" + name).rows {
                for cell in row where cell.first.map({ "=+-@".contains($0) }) ?? false {
                    #expect(Double(cell) != nil, "\(name): cell \(cell)")
                }
            }
        }
    }

    // MARK: - Policy file

    @Test func policyFileUnknownKeyIsRefusedNamingFileAndKey() throws {
        let folder = try TemporaryFolder()
        let data = try writeExport(baselineExport(), in: folder), out = folder.path + "/queues"
        let policy = try folder.write("policy.json", #"{"capacity": 1, "max_calls": 5}"#)
        let message = try #require(runCommand(scoreArguments(data: data, out: out, asOf: "2026-06-17", ["--config", policy])))
        #expect(message.contains(policy) && message.contains("max_calls"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: out + "/2026-06-17"))
        #expect(latestTarget(out) == nil)
    }

    @Test func policyCapacityIsAppliedAndTheOptionOverridesIt() throws {
        let folder = try TemporaryFolder()
        var hand = baselineExport()
        hand.regular("R-BIG", zone: "Europe/Madrid", amount: 3000)
        let data = try writeExport(hand, in: folder)
        let policy = try folder.write("policy.json", #"{"capacity": 1, "contact_cap_attempts": 3}"#)

        let fromFile = folder.path + "/file"
        #expect(runCommand(scoreArguments(data: data, out: fromFile, asOf: "2026-06-17", ["--config", policy])) == nil)
        let capped = fromFile + "/2026-06-17"
        #expect(try CSVTable(path: capped + "/calls.csv").customerIDs == ["R-BIG"])
        #expect((queueManifest(capped)["exclusions"] as? [String: Int])?["capacity"] == 2)
        #expect((queueManifest(capped)["extra"] as? [String: String])?["capacity"] == "1")

        let overridden = folder.path + "/option"
        #expect(runCommand(scoreArguments(data: data, out: overridden, asOf: "2026-06-17",
                                          ["--config", policy, "--capacity", "2"])) == nil)
        let wider = overridden + "/2026-06-17"
        #expect(try CSVTable(path: wider + "/calls.csv").customerIDs == ["R-BIG", "R-NYC"])
        #expect((queueManifest(wider)["exclusions"] as? [String: Int])?["capacity"] == 1)
        #expect((queueManifest(wider)["extra"] as? [String: String])?["capacity"] == "2")

        let closed = folder.path + "/closed"
        #expect(runCommand(scoreArguments(data: data, out: closed, asOf: "2026-06-17", ["--config", policy, "--capacity", "0"])) == nil)
        #expect(try String(contentsOfFile: closed + "/2026-06-17/calls.csv", encoding: .utf8) == Self.callsHeader + "\n")
        #expect((queueManifest(closed + "/2026-06-17")["exclusions"] as? [String: Int])?["capacity"] == 3)

        let unlimited = folder.path + "/none"
        #expect(runCommand(scoreArguments(data: data, out: unlimited, asOf: "2026-06-17")) == nil)
        #expect(try CSVTable(path: unlimited + "/2026-06-17/calls.csv").customerIDs == ["R-BIG", "R-NYC", "R-MAD"])
    }

    @Test func invalidOptionsAreRefusedBeforeAnyWork() throws {
        let folder = try TemporaryFolder()
        let out = folder.path + "/queues"
        let date = try #require(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: "2026-02-30")))
        #expect(date.contains("--as-of"))
        let capacity = try #require(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: "2026-06-17", ["--capacity", "-1"])))
        #expect(capacity.contains("--capacity"))
        let missing = try #require(runCommand(scoreArguments(data: folder.path + "/nope", out: out, asOf: "2026-06-17")))
        #expect(missing.contains("nope"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
