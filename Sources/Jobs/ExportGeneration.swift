import FileSafety
import Simulation

/// The library side of `arscore generate`: a synthetic export folder, published whole.
public enum ExportGeneration {
    /// Generates the export of `configuration` into `folder`, which appears only when every file is written and
    /// flushed (a failed run leaves nothing under that name).
    /// - Parameter progress: `(customers written, total customers)` after each chunk.
    /// - Throws: `GeneratorError` for a bad configuration, `FileSafetyError` when the folder cannot be written.
    public static func run(_ configuration: GeneratorConfiguration, into folder: String,
                           progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in })
        throws -> GenerationSummary {
        try AtomicFolder.write(at: folder) { temporary in
            try HistoryGenerator.generate(configuration, into: temporary, progress: progress)
        }
    }

    /// The synthetic world named `name` (`lift`, `archetypes`).
    /// - Throws: `ArscoreError` naming the unknown world and listing the known ones.
    public static func world(named name: String) throws(ArscoreError) -> WorldKind {
        guard let world = WorldKind(name: name) else {
            throw ArscoreError("unknown world \"\(name)\" (known worlds: \(WorldKind.knownNames))")
        }
        return world
    }
}
