import Bundles
import Foundation

/// The files of a model bundle, in the order the fuzz input carries them.
let bundleFiles = ["bundle.json", "pay_likelihood.json", "time_to_pay.json", "call_window.json", "promise_kept.json",
                   "cash_share.json", "call_effect.json"]

/// libFuzzer entry point for the bundle loader: the input's first byte picks one file of the bundle and the rest
/// replaces it; the other files are those of the committed demo bundle (copied from `ARSCORE_FUZZ_BUNDLE`, default
/// Models/demo/v1). `ModelBundle.load` must load or throw a `BundleError`; a crash or a sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundleLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let folder = fuzzScratch + "/v1"
    let template = ProcessInfo.processInfo.environment["ARSCORE_FUZZ_BUNDLE"] ?? "Models/demo/v1"
    let file = bundleFiles[Int(data[0]) % bundleFiles.count]
    mkdir(folder, 0o700)
    for name in bundleFiles where name != file {
        guard let original = templateFiles(template)[name] else { continue }
        original.withUnsafeBytes { writeFile(folder + "/" + name, $0) }
    }
    writeFile(folder + "/" + file, UnsafeRawBufferPointer(start: data + 1, count: size - 1))
    if let bundle = try? ModelBundle.load(path: folder) {
        // A bundle that loads scores with the features it declares.
        precondition(bundle.payLikelihood.features.count == bundle.payLikelihood.coefficientVector.count)
    }
    return 0
}

/// The template bundle's files, read once.
nonisolated(unsafe) var cachedTemplate: [String: Data]?

func templateFiles(_ folder: String) -> [String: Data] {
    if let cachedTemplate { return cachedTemplate }
    var files: [String: Data] = [:]
    for name in bundleFiles {
        if let data = FileManager.default.contents(atPath: folder + "/" + name) { files[name] = data }
    }
    guard files["bundle.json"] != nil else { fatalError("no bundle.json in \(folder): set ARSCORE_FUZZ_BUNDLE") }
    cachedTemplate = files
    return files
}
