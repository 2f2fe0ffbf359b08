/// The points of `QueuePublisher.publish` at which its fault hook is called, in order.
///
/// Each step is named after the state the disk is in when the hook runs, so a hook that stops
/// the process there (`_exit`) leaves exactly that state behind. `name` is a stable identifier
/// for command-line or environment settings (for example `before-rename`).
public enum QueuePublishStep: Sendable, Hashable, CustomStringConvertible {
    /// The empty temporary folder `<out>/.<as-of>.partial-<pid>` exists (stale ones are removed).
    case createdPartialFolder
    /// The named data file is written into the temporary folder (not yet flushed).
    case wroteFile(String)
    /// `manifest.json` is written into the temporary folder.
    case wroteManifest
    /// Every file and the temporary folder are flushed to disk; verification comes next.
    case beforeVerify
    /// Every file re-read from disk matched (and, when `latest` will move, the new link
    /// `<out>/.latest.tmp-<pid>` exists); the folder is about to get its final name.
    case beforeRename
    /// On a re-run of the same as-of date: the new folder holds the final name and the previous
    /// content sits under the temporary name, about to be deleted.
    case beforeRemovingReplaced
    /// The folder is published under `<out>/<as-of>`; `latest` still points where it did.
    case beforeLatestSwitch
    /// The new link `<out>/.latest.tmp-<pid>` exists; it is about to be renamed over `latest`. Not reached by a
    /// replay of a day older than `latest` (which stays where it is).
    case beforeLatestRename

    /// A stable kebab-case identifier: `created-partial-folder`, `wrote-file:<name>`,
    /// `wrote-manifest`, `before-verify`, `before-rename`, `before-removing-replaced`,
    /// `before-latest-switch`, `before-latest-rename`.
    public var name: String {
        switch self {
        case .createdPartialFolder: return "created-partial-folder"
        case .wroteFile(let file): return "wrote-file:" + file
        case .wroteManifest: return "wrote-manifest"
        case .beforeVerify: return "before-verify"
        case .beforeRename: return "before-rename"
        case .beforeRemovingReplaced: return "before-removing-replaced"
        case .beforeLatestSwitch: return "before-latest-switch"
        case .beforeLatestRename: return "before-latest-rename"
        }
    }

    public var description: String { name }
}
