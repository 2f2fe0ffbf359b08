/// The version of arscore, as `arscore --version` prints it and bundles record it.
public enum ArscoreVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
