import ArgumentParser
import FileSafety
import Foundation
import Jobs
import Tabular

/// The `arscore` command tree. Parsing works on `[String]`; only `main` touches the process.
public struct ArscoreCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "arscore",
        abstract: "Accounts-receivable scoring: who to call tomorrow, when, and why.",
        version: ArscoreVersion.current,
        subcommands: [GenerateCommand.self, FeaturesCommand.self, TrainCommand.self, ScoreCommand.self, CompareCommand.self,
                      BacktestCommand.self, SimulateCommand.self, KpiCommand.self, FitCommand.self, PredictCommand.self, PartitionCommand.self,
                      MergeCommand.self, FitShardedCommand.self, FitShardCommand.self, FitCombineCommand.self])

    public init() {}
}

/// Entry points for the executable and for tests that run whole commands in-process.
public enum ArscoreMain {
    /// Parses and runs `arguments` (without the program name).
    /// - Returns: the exit status (`exitStatus(for:parserStatus:)`): 0 on success; help and version print to stdout;
    ///   errors print one line to stderr (a JSON object with `--log-format json`).
    ///
    /// `environment` may set `ARSCORE_FAULT_POINT` to a queue-publishing step name (e.g. `before-rename`): the process
    /// then exits at that step, as a crash would (used by the crash-safety tests).
    public static func run(_ arguments: [String], environment: [String: String] = [:]) -> Int32 {
        do {
            var command = try ArscoreCommand.parseAsRoot(arguments)
            if var score = command as? ScoreCommand {
                score.faultPointName = environment["ARSCORE_FAULT_POINT"]
                command = score
            }
            if var merge = command as? MergeCommand {
                merge.faultPointName = environment["ARSCORE_FAULT_POINT"]
                command = merge
            }
            try command.run()
            return 0
        } catch {
            let code = ArscoreCommand.exitCode(for: error)
            if code == .success {
                print(ArscoreCommand.fullMessage(for: error))
                return 0
            }
            let line = oneLineMessage(for: error)
            writeError(jsonLogRequested(arguments)
                ? JSONLogHandler.errorLine(line, label: "arscore." + (arguments.first ?? "arscore")) : line)
            return exitStatus(for: error, parserStatus: code.rawValue)
        }
    }

    /// Exit statuses (README, "Exit status"): 0 success, 64 bad usage, 65 bad input (a missing or malformed file or
    /// column, too many bad rows), 66 an invalid or missing bundle or model file, 73 output that could not be
    /// written or published, 1 anything else; 86 is the crash-test fault point.
    public static func exitStatus(for error: Error, parserStatus: Int32) -> Int32 {
        switch FailureKind.of(error) {
        case .usage: return 64
        case .badInput: return 65
        case .bundleInvalid: return 66
        case .outputFailed: return 73
        case .other: return parserStatus == 0 ? 1 : parserStatus
        }
    }

    /// Whether the arguments ask for JSON log lines (then the error line is a JSON object too).
    static func jsonLogRequested(_ arguments: [String]) -> Bool {
        zip(arguments, arguments.dropFirst()).contains { $0 == "--log-format" && $1 == "json" }
            || arguments.contains("--log-format=json")
    }

    /// The one-line reason shown for `error` (argument errors keep ArgumentParser's wording).
    /// Control characters an input smuggled into the message (a feature name with ESC in a hostile bundle, …)
    /// are escaped here, at the one place errors leave the process, so the terminal never interprets them.
    public static func oneLineMessage(for error: Error) -> String {
        if let plain = FileSafetyError(foundationError: error) {
            return "arscore: " + MessageText.escaped(plain.description, limit: .max)
        }
        let message = ArscoreCommand.message(for: error)
        let firstLine = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        return "arscore: " + MessageText.escaped(firstLine, limit: .max)
    }

    static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
