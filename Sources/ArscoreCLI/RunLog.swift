import ArgumentParser
import Foundation
import Logging

/// How `arscore score` and `arscore train` write their log on stderr.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `arscore: [elapsed s] message` lines, only when stderr is a terminal (the progress lines of every command).
    case human
    /// One JSON object per line (`time`, `level`, `logger`, `message`, then the metadata), always, for log shippers.
    case json
}

/// The structured log of one job run: a swift-log `Logger` whose handler writes human or JSON lines.
enum RunLog {
    /// A logger labelled `arscore.<command>` writing `format` lines through `write` (stderr by default);
    /// `quiet` silences it (errors still reach stderr through `ArscoreMain`).
    static func logger(
        command: String, format: LogFormat, quiet: Bool,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> Logger {
        let start = now()
        return Logger(label: "arscore.\(command)") { label in
            switch format {
            case .human:
                return HumanLogHandler(enabled: !quiet && isatty(STDERR_FILENO) != 0, start: start, now: now, write: write)
            case .json:
                return JSONLogHandler(label: label, enabled: !quiet, now: now, write: write)
            }
        }
    }
}

/// Writes `arscore: [elapsed s] message` (as the progress lines always were), metadata as ` key=value` pairs.
struct HumanLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let enabled: Bool
    let start: Date
    let now: @Sendable () -> Date
    let write: @Sendable (String) -> Void

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard enabled else { return }
        let elapsed = String(format: "%6.1f s", now().timeIntervalSince(start))
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }
        let suffix = fields.map { " \($0.key)=\($0.value)" }.joined()
        write("arscore: [\(elapsed)] \(event.message)\(suffix)")
    }
}

/// Writes one JSON object per event: `time` (ISO 8601 UTC with milliseconds), `level`, `logger`, `message`, then the
/// metadata keys (strings, or arrays and objects of strings), keys sorted.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    let enabled: Bool
    let now: @Sendable () -> Date
    let write: @Sendable (String) -> Void

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard enabled else { return }
        var object: [String: Any] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = Self.json(value)
        }
        object["time"] = Self.timestamp(now())
        object["level"] = event.level.rawValue
        object["logger"] = label
        object["message"] = event.message.description
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        write(String(decoding: data, as: UTF8.self))
    }

    /// The error line of a failed run as one JSON object (level `error`).
    static func errorLine(_ message: String, label: String, now: Date = Date()) -> String {
        let object: [String: Any] = ["time": timestamp(now), "level": "error", "logger": label, "message": message]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return message }
        return String(decoding: data, as: UTF8.self)
    }

    /// A metadata value as a JSON value.
    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let values): return values.mapValues(json)
        }
    }

    /// `2026-12-02T17:18:11.123Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// The options `arscore score` and `arscore train` share for operations: the log format and the metrics file.
struct OperationsOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Log lines on stderr: human (progress, only on a terminal) or json (always, one object per line).")
    var logFormat: LogFormat = .human

    @Option(name: .customLong("metrics-file"), help: "Write the run's metrics here in Prometheus text format (atomically, for node_exporter's textfile collector; name it *.prom).")
    var metricsFile: String?
}
