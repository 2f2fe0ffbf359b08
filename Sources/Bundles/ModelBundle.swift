import FileSafety
import Foundation
import Models

/// A model bundle: the models of one training run and their `bundle.json`.
///
/// On disk: `Models/<name>/<version>/` holding `bundle.json`, `pay_likelihood.json` (logistic), `time_to_pay.json`
/// (Cox), `call_window.json`, `promise_kept.json` (logistic, or a population rate), `cash_share.json` (fractional
/// logistic; absent in bundles trained before it existed), `call_effect.json` (`CallEffectModel`; absent without a
/// call log or in older bundles) and `model_card.md`.
/// Versions are `v1`, `v2`, …; a bundle path without a version means its newest version.
public struct ModelBundle: Equatable, Sendable {
    public var manifest: BundleManifest
    /// P(pay within H days) from account features.
    public var payLikelihood: LogisticRegressionModel
    /// Time to first payment (days).
    public var timeToPay: CoxModel
    /// P(right-party contact) per call window.
    public var callWindow: CallWindowModel
    /// P(an open promise is kept).
    public var promiseKept: PromiseKeptModel
    /// Expected share of the past-due balance collected within H days (a fractional logistic model on the pay
    /// features); nil for a bundle trained before the model existed, whose scoring uses P(pay) as the share.
    public var cashShare: LogisticRegressionModel?
    /// The incremental share of the past-due balance a right-party contact brings (`CallEffectModel`); nil when the
    /// training export had no call log or the bundle predates the model.
    public var callEffect: CallEffectModel?
    /// The Markdown model card.
    public var card: String
    /// The version folder the bundle was loaded from (nil for a bundle built in memory), for messages that
    /// name a model file. Not part of the bundle's value: two bundles with the same content are equal.
    public var folder: String?

    public static func == (a: ModelBundle, b: ModelBundle) -> Bool {
        a.manifest == b.manifest && a.payLikelihood == b.payLikelihood && a.timeToPay == b.timeToPay
            && a.callWindow == b.callWindow && a.promiseKept == b.promiseKept && a.cashShare == b.cashShare
            && a.callEffect == b.callEffect && a.card == b.card
    }

    /// Fixed file names inside a version folder.
    public enum FileName {
        public static let manifest = "bundle.json"
        public static let payLikelihood = "pay_likelihood.json"
        public static let timeToPay = "time_to_pay.json"
        public static let callWindow = "call_window.json"
        public static let promiseKept = "promise_kept.json"
        public static let cashShare = "cash_share.json"
        public static let callEffect = "call_effect.json"
        public static let card = "model_card.md"
    }

    /// Largest model file read (a guard against a hostile or corrupt bundle).
    public static let maximumFileBytes = 256 << 20

    public init(manifest: BundleManifest, payLikelihood: LogisticRegressionModel, timeToPay: CoxModel,
                callWindow: CallWindowModel, promiseKept: PromiseKeptModel, cashShare: LogisticRegressionModel? = nil,
                callEffect: CallEffectModel? = nil, card: String) {
        self.manifest = manifest
        self.payLikelihood = payLikelihood
        self.timeToPay = timeToPay
        self.callWindow = callWindow
        self.promiseKept = promiseKept
        self.cashShare = cashShare
        self.callEffect = callEffect
        self.card = card
    }

    /// The fallback note a bundle without a cash-share model gets when loaded (in `manifest.fallbacks`).
    public static let cashShareFallback = "cash_share: the bundle has no cash_share.json (trained before the cash-share "
        + "model); P(pay) stands in for the share of the past-due balance collected, so expected cash is past due × P(pay)"

    /// Which model gives the cash share: `cash_share`, or `pay_likelihood` when the bundle has no cash-share model.
    public var cashShareSource: String { cashShare == nil ? "pay_likelihood" : "cash_share" }

    // MARK: - Reading

    /// Loads and validates the bundle at `path`: a version folder (holding bundle.json) or a bundle folder (its
    /// newest version is used).
    /// A bundle whose bundle.json has no `models.cash_share` loads without a cash-share model and with
    /// `cashShareFallback` added to `manifest.fallbacks`; one that lists it must hold a valid `cash_share.json`.
    /// - Throws: `BundleError` naming the file and what is wrong (missing, unreadable, malformed, inconsistent).
    public static func load(path: String) throws -> ModelBundle {
        let folder = try resolveVersionFolder(path)
        var manifest = try BundleManifest.load(jsonData: try read(folder, FileName.manifest), source: folder + "/" + FileName.manifest)
        guard manifest.formatVersion == 1 else {
            throw BundleError.invalid(folder + "/" + FileName.manifest, reason: "unsupported format_version \(manifest.formatVersion)")
        }
        try BundleValidation.checkManifest(manifest, folder: folder)
        let entries = manifest.models
        for (role, entry, expected) in [("pay_likelihood", entries.payLikelihood, FileName.payLikelihood),
                                        ("time_to_pay", entries.timeToPay, FileName.timeToPay),
                                        ("call_window", entries.callWindow, FileName.callWindow),
                                        ("promise_kept", entries.promiseKept, FileName.promiseKept)]
                                        + (entries.cashShare.map { [("cash_share", $0, FileName.cashShare)] } ?? [])
                                        + (entries.callEffect.map { [("call_effect", $0, FileName.callEffect)] } ?? [])
            where entry.file != expected {
            throw BundleError.invalid(folder + "/" + FileName.manifest,
                                      reason: "models.\(role).file is \"\(entry.file)\", expected \"\(expected)\"")
        }
        do {
            let pay = try LogisticRegressionModel.load(jsonData: try read(folder, FileName.payLikelihood),
                                                       source: folder + "/" + FileName.payLikelihood)
            let cox = try CoxModel.load(jsonData: try read(folder, FileName.timeToPay), source: folder + "/" + FileName.timeToPay)
            let window = try CallWindowModel.load(jsonData: try read(folder, FileName.callWindow),
                                                  source: folder + "/" + FileName.callWindow)
            let promise = try PromiseKeptModel.load(jsonData: try read(folder, FileName.promiseKept),
                                                    source: folder + "/" + FileName.promiseKept)
            let cashShare = try loadOptional(folder, FileName.cashShare, role: "cash_share", listed: entries.cashShare != nil)
            if cashShare == nil { manifest.fallbacks.append(cashShareFallback) }
            let callEffect = try loadOptional(folder, FileName.callEffect, role: "call_effect", listed: entries.callEffect != nil)
                .map { try CallEffectModel(outcome: $0, source: folder + "/" + FileName.callEffect) }
            let card = String(decoding: (try? read(folder, FileName.card)) ?? Data(), as: UTF8.self)
            var bundle = ModelBundle(manifest: manifest, payLikelihood: pay, timeToPay: cox, callWindow: window,
                                     promiseKept: promise, cashShare: cashShare, callEffect: callEffect, card: card)
            bundle.folder = folder
            try BundleValidation.checkEntries(bundle, folder: folder)
            return bundle
        } catch let error as ModelFileError {
            throw BundleError.invalid(folder, reason: error.description)
        }
    }

    /// The version folder for `path`: `path` itself when it holds bundle.json, else its newest `vN` subfolder.
    public static func resolveVersionFolder(_ path: String) throws -> String {
        let manager = FileManager.default
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: trimmed, isDirectory: &isFolder), isFolder.boolValue else {
            throw BundleError.missing(trimmed, reason: "no such bundle folder")
        }
        if manager.fileExists(atPath: trimmed + "/" + FileName.manifest) { return trimmed }
        guard let newest = versions(in: trimmed).last else {
            throw BundleError.missing(trimmed, reason: "neither a bundle version (no \(FileName.manifest)) nor a bundle with v1, v2, … folders")
        }
        return trimmed + "/v\(newest)"
    }

    /// Version numbers N of the `vN` folders under a bundle folder, ascending.
    public static func versions(in bundleFolder: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: bundleFolder)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("v"), let number = Int(name.dropFirst()), number > 0, "v\(number)" == name else { return nil }
            return FileManager.default.fileExists(atPath: bundleFolder + "/" + name + "/" + FileName.manifest) ? number : nil
        }.sorted()
    }

    /// The next free version name under a bundle folder ("v1" for a new bundle).
    public static func nextVersion(in bundleFolder: String) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: bundleFolder)) ?? []
        let taken = names.compactMap { name -> Int? in name.hasPrefix("v") ? Int(name.dropFirst()) : nil }
        return "v\((taken.max() ?? 0) + 1)"
    }

    /// An optional logistic model file (cash share, call effect) when bundle.json lists it (`listed`), else nil.
    /// - Throws: `BundleError.missing` naming the file and the `models.<role>` key when it is listed but absent;
    ///   `ModelFileError` naming the file when it is malformed.
    private static func loadOptional(_ folder: String, _ name: String, role: String, listed: Bool) throws -> LogisticRegressionModel? {
        guard listed else { return nil }
        let path = folder + "/" + name
        let data: Data
        do {
            data = try read(folder, name)
        } catch BundleError.missing(let path, let reason) {
            throw BundleError.missing(path, reason: reason + " (bundle.json lists it as models.\(role).file)")
        }
        return try LogisticRegressionModel.load(jsonData: data, source: path)
    }

    private static func read(_ folder: String, _ name: String) throws -> Data {
        let path = folder + "/" + name
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw BundleError.missing(path, reason: "missing from the bundle")
        }
        if let size = attributes[.size] as? Int, size > maximumFileBytes {
            throw BundleError.invalid(path, reason: "file is \(size) bytes, larger than the \(maximumFileBytes)-byte limit")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BundleError.missing(path, reason: "cannot be read")
        }
        return data
    }

    // MARK: - Writing

    /// Writes the bundle into the version folder `folder` (e.g. Models/demo/v2), which must not exist yet.
    ///
    /// Everything is written into a temporary sibling folder, flushed to disk and renamed into place, so a crash or
    /// an error never leaves a partial bundle under the final name.
    /// - Throws: `BundleError.versionExists` when the folder already holds a bundle (or anything else);
    ///   write errors naming the path.
    public func write(to folder: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder) {
            let contents = (try? manager.contentsOfDirectory(atPath: folder)) ?? ["?"]
            if !contents.isEmpty { throw BundleError.versionExists(folder) }
        }
        let files: [(String, Data)] = [
            (FileName.manifest, try manifest.jsonData()),
            (FileName.payLikelihood, try payLikelihood.jsonData()),
            (FileName.timeToPay, try timeToPay.jsonData()),
            (FileName.callWindow, try callWindow.jsonData()),
            (FileName.promiseKept, try promiseKept.jsonData()),
        ] + (try cashShare.map { [(FileName.cashShare, try $0.jsonData())] } ?? [])
            + (try callEffect.map { [(FileName.callEffect, try $0.outcome.jsonData())] } ?? []) + [
            (FileName.card, Data(card.utf8)),
        ]
        try AtomicFolder.write(at: folder) { temporary in
            for (name, contents) in files {
                let path = temporary + "/" + name
                guard manager.createFile(atPath: path, contents: contents + Data("\n".utf8)) else {
                    throw BundleError.unwritable(path)
                }
            }
        }
    }
}

/// A bundle that cannot be read or written: the path and the reason, in one line.
public enum BundleError: Error, Equatable, CustomStringConvertible, Sendable {
    case missing(String, reason: String)
    case invalid(String, reason: String)
    case versionExists(String)
    case unwritable(String)

    public var description: String {
        switch self {
        case .missing(let path, let reason): return "\(path): \(reason)"
        case .invalid(let path, let reason): return "\(path): invalid bundle: \(reason)"
        case .versionExists(let path): return "\(path): this bundle version already exists; choose another --version or remove it"
        case .unwritable(let path): return "\(path): cannot write bundle file"
        }
    }
}
