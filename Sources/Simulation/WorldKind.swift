/// Which causal story a synthetic export is drawn from (`arscore generate --world`).
///
/// - `lift`: a right-party contact multiplies every open invoice's payment hazard by 2.5 for 7 days; promises follow a
///   logistic kept model; contact preferences are one of six fixed pattern shapes × reach (`World`).
/// - `archetypes`: every customer is one latent payment archetype (self-payer, call-responsive, promise-driven, lost)
///   with its own rules; promises are instalments; contacts can raise disputes; contact preferences are a weekday set ×
///   a local hour block (`ArchetypeWorld`).
public enum WorldKind: String, Codable, CaseIterable, Sendable {
    case lift
    case archetypes

    /// The known world names, comma-separated, for error messages.
    public static var knownNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The world named `name`; nil for an unknown name.
    public init?(name: String) {
        self.init(rawValue: name)
    }
}
