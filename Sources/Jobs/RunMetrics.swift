import CivilTime
import FileSafety
import Foundation
import Receivables

/// The metrics of one `arscore score` or `arscore train` run as a Prometheus text-format file (exposition format
/// 0.0.4), for node_exporter's textfile collector.
///
/// Every metric has `# HELP` and `# TYPE` lines and a `command` label (`score` or `train`; not `job`, which
/// Prometheus sets itself when it scrapes). All are gauges: the file describes the last successful run.
public struct RunMetrics: Sendable, Equatable {
    /// One metric family: name, help text and its samples (labels → value).
    public struct Family: Sendable, Equatable {
        public var name: String
        public var help: String
        public var samples: [(labels: [(String, String)], value: Double)]

        public static func == (a: Family, b: Family) -> Bool {
            a.name == b.name && a.help == b.help && a.samples.count == b.samples.count
                && zip(a.samples, b.samples).allSatisfy { $0.value == $1.value && $0.labels.elementsEqual($1.labels, by: ==) }
        }
    }

    /// `score` or `train`.
    public let command: String
    /// The families, in output order.
    public private(set) var families: [Family] = []

    /// An empty set of metrics for `command`.
    public init(command: String) {
        self.command = command
    }

    /// Adds a family of gauges; each sample also gets the `command` label.
    public mutating func add(_ name: String, help: String, samples: [(labels: [(String, String)], value: Double)]) {
        precondition(RunMetrics.isValidName(name), "invalid metric name \(name)")
        families.append(Family(name: name, help: help,
                               samples: samples.map { ([("command", command)] + $0.labels, $0.value) }))
    }

    /// The metrics of a nightly scoring run that took `seconds` (wall clock, seconds).
    public static func score(_ report: NightlyScoring.Report, seconds: Double) -> RunMetrics {
        var metrics = RunMetrics(command: "score")
        metrics.addRun(seconds: seconds, inputFiles: report.inputFiles)
        let manifest = report.manifest
        metrics.add("arscore_excluded_accounts", help: "Accounts excluded from calls.csv by each contact rule.",
                    samples: manifest.exclusions.sorted { $0.key < $1.key }.map { ([("rule", $0.key)], Double($0.value)) })
        metrics.add("arscore_queue_rows", help: "Rows of each published queue file.",
                    samples: manifest.files.sorted { $0.key < $1.key }.map { ([("file", $0.key)], Double($0.value.rows)) })
        if let psi = manifest.scorePSI {
            metrics.add("arscore_score_psi", help: "Population stability index of the model's scores against training.",
                        samples: [([("model", "pay_likelihood")], psi)])
        }
        if let day = CivilDate.parse(manifest.asOf) {
            metrics.add("arscore_published_as_of_timestamp_seconds",
                        help: "The published as-of date (00:00 UTC) as a unix timestamp.",
                        samples: [([], Double(day) * 86_400)])
        }
        return metrics
    }

    /// The metrics of a training run that took `seconds` (wall clock, seconds).
    public static func train(_ report: BundleTraining.Report, seconds: Double) -> RunMetrics {
        var metrics = RunMetrics(command: "train")
        metrics.addRun(seconds: seconds, inputFiles: report.inputFiles)
        let holdout = report.bundle.manifest.holdoutMetrics
        let aucs = [("pay_likelihood", holdout.payLikelihood?.auc), ("call_window", holdout.callWindow?.auc),
                    ("promise_kept", holdout.promiseKept?.auc)]
        metrics.add("arscore_holdout_auc", help: "AUC of each model on the out-of-time holdout.",
                    samples: aucs.compactMap { name, auc in auc.map { ([("model", name)], $0) } })
        return metrics
    }

    /// The families every run has: duration, rows and quarantined rows per input file.
    private mutating func addRun(seconds: Double, inputFiles: [FileLoadSummary]) {
        add("arscore_run_duration_seconds", help: "Wall-clock duration of the run in seconds.", samples: [([], seconds)])
        let present = inputFiles.filter(\.present)
        add("arscore_input_rows", help: "Data rows read from each input file (accepted and quarantined).",
            samples: present.map { ([("file", $0.file)], Double($0.acceptedRows + $0.rejectedRows)) })
        add("arscore_quarantined_rows", help: "Rows of each input file rejected into the quarantine.",
            samples: present.map { ([("file", $0.file)], Double($0.rejectedRows)) })
    }

    /// The text-format exposition: `# HELP`, `# TYPE name gauge`, then one line per sample, `\n` line ends.
    public var text: String {
        var lines: [String] = []
        for family in families {
            lines.append("# HELP \(family.name) \(RunMetrics.escapeHelp(family.help))")
            lines.append("# TYPE \(family.name) gauge")
            for sample in family.samples {
                let labels = sample.labels.map { "\($0.0)=\"\(RunMetrics.escapeLabel($0.1))\"" }.joined(separator: ",")
                lines.append(family.name + (labels.isEmpty ? "" : "{\(labels)}") + " " + RunMetrics.format(sample.value))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `text` to `path` atomically (a hidden temporary file in the same folder, renamed over `path`), so the
    /// textfile collector never reads half a file.
    /// - Throws: `FileSafetyError` naming the path.
    public func write(to path: String) throws {
        try AtomicFile.write(Data(text.utf8), to: path)
    }

    /// Whether `name` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        let head = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:")
        let tail = head.union(CharacterSet(charactersIn: "0123456789"))
        return head.contains(first) && name.unicodeScalars.allSatisfy { tail.contains($0) && $0.isASCII }
    }

    /// A label value with `\`, `"` and line feeds escaped.
    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A help text with `\` and line feeds escaped.
    static func escapeHelp(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value: integers without a fraction, others in shortest round-trip form, `NaN`, `+Inf`, `-Inf`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
