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
                      BacktestCommand.self, SimulateCommand.self, KpiCommand.self, FitCommand.self, PredictCommand.self])

    public init() {}
}

/// Entry points for the executable and for tests that run whole commands in-process.
public enum ArscoreMain {
    /// Parses and runs `arguments` (without the program name).
    /// - Returns: the exit status: 0 on success; help and version print to stdout; errors print one line to stderr.
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
            try command.run()
            return 0
        } catch {
            let code = ArscoreCommand.exitCode(for: error)
            if code == .success {
                print(ArscoreCommand.fullMessage(for: error))
                return 0
            }
            writeError(oneLineMessage(for: error))
            return code.rawValue == 0 ? 1 : code.rawValue
        }
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
