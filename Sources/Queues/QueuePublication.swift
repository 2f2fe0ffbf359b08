/// What `QueuePublisher.publish` put on disk: the folder, its manifest, and whether it replaced one.
public struct QueuePublication: Sendable, Equatable {
    /// The published folder, `<out>/<as-of>`; `<out>/latest` points to it when `movedLatest`.
    public let folder: String
    /// The manifest as written to `<folder>/manifest.json`, with every file's entry filled in.
    public let manifest: QueueManifest
    /// Whether a folder of the same as-of date (an earlier run of the same day) was swapped out.
    public let replacedPrevious: Bool
    /// The as-of date `<out>/latest` points to after the run.
    public let latestAsOf: String
    /// Whether `latest` now points to this folder; false for a replay of a day older than `latest`, which
    /// stays where it was.
    public let movedLatest: Bool

    /// A publication record (`QueuePublisher` creates it).
    public init(folder: String, manifest: QueueManifest, replacedPrevious: Bool, latestAsOf: String, movedLatest: Bool) {
        self.folder = folder
        self.manifest = manifest
        self.replacedPrevious = replacedPrevious
        self.latestAsOf = latestAsOf
        self.movedLatest = movedLatest
    }
}
