import Foundation
import Testing
@testable import ArscoreCLI

/// Runs an arscore command in-process; returns nil on success or the one-line error message.
func runCommand(_ arguments: [String]) -> String? {
    do {
        var command = try ArscoreCommand.parseAsRoot(arguments)
        try command.run()
        return nil
    } catch {
        return ArscoreMain.oneLineMessage(for: error)
    }
}

/// A small table with a clear but not perfect relation between x and y.
func trainingTable(rows: Int = 60) -> String {
    var lines = ["id,segment,x,z,w,y"]
    for i in 0..<rows {
        let x = Double(i % 13) / 3 - 2
        let z = Double((i * 7) % 11) / 5
        let y = (i % 5 == 0) ? (x > 0 ? 0 : 1) : (x > 0 ? 1 : 0)
        lines.append(String(format: "%04d,seg%d,%.4f,%.4f,%.2f,%d", i, i % 3, x, z, 1 + Double(i % 4) / 4, y))
    }
    return lines.joined(separator: "\n") + "\n"
}
