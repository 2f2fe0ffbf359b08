import Foundation

/// The JSON conventions of arscore's own files (bundle.json, model files, compare and backtest output): pretty-printed,
/// sorted keys, snake_case names, slashes not escaped, so two files can be compared with `diff` and read by scripts.
///
/// Non-finite numbers are refused by default (a model or bundle file must not carry them); `allowingNonFinite`
/// writes and reads them as the strings "inf", "-inf" and "nan" for reports whose statistics can be infinite.
public enum StableJSON {
    /// An encoder with the conventions above.
    public static func encoder(allowingNonFinite: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        if allowingNonFinite {
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        return encoder
    }

    /// The matching decoder (snake_case names to camelCase properties).
    public static func decoder(allowingNonFinite: Bool = false) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        if allowingNonFinite {
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        return decoder
    }
}
