import Foundation
import LinearAlgebra
import Testing
@testable import Models

/// The shared model-file skeleton: kind and version checks, byte-stable writing and reading, and the kind dispatch.
struct ModelFileTests {
    static func logistic() -> LogisticRegressionModel {
        LogisticRegressionModel(features: ["balance", "daysPastDue"], intercept: -1.25,
                                coefficients: ["balance": 0.002, "daysPastDue": -0.0375])
    }

    static func cox() -> CoxModel {
        CoxModel(features: ["x"], coefficients: ["x": 0.5], means: ["x": 2],
                 baseline: .init(times: [2, 5, 9], cumulativeHazard: [0.1, 0.3, 0.7]))
    }

    static func callWindow() -> CallWindowModel {
        CallWindowModel(
            windows: ["mon_08", "mon_10"], profiles: [[0.6, 0.1], [0.1, 0.5]], mixingWeights: [0.75, 0.25],
            populationRates: [0.3, 0.2], historyPriorStrength: 4,
            fit: .init(iterations: 12, converged: true, logLikelihood: -40.5, accounts: 9, attempts: 30,
                       rightPartyContacts: 8, starts: 2))
    }

    /// The three files, each as written.
    static func files() throws -> [(kind: String, data: Data)] {
        [("logistic", try logistic().jsonData()), ("cox", try cox().jsonData()), ("call_window", try callWindow().jsonData())]
    }

    /// A scratch folder for files on disk.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "/model-file-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func eachModelNamesItsKind() {
        #expect(LogisticRegressionModel.kind == "logistic")
        #expect(CoxModel.kind == "cox")
        #expect(CallWindowModel.kind == "call_window")
        #expect(Self.logistic().kind == LogisticRegressionModel.kind)
        #expect(Self.cox().kind == CoxModel.kind)
        #expect(Self.callWindow().kind == CallWindowModel.kind)
    }

    @Test func wrongKindErrorNamesTheFileAndBothKinds() throws {
        // Complete files whose kind says otherwise (a file of another model fails earlier, on its missing keys).
        for kind in ["cox", "call_window", "tree"] {
            var model = Self.logistic()
            model.kind = kind
            #expect(throws: ModelFileError.wrongKind(source: "models/pay.json", expected: "logistic", found: kind)) {
                try LogisticRegressionModel.load(jsonData: model.jsonData(), source: "models/pay.json")
            }
        }
        var cox = Self.cox()
        cox.kind = "logistic"
        #expect(throws: ModelFileError.wrongKind(source: "models/ttp.json", expected: "cox", found: "logistic")) {
            try CoxModel.load(jsonData: cox.jsonData(), source: "models/ttp.json")
        }
        var window = Self.callWindow()
        window.kind = "cox"
        #expect(throws: ModelFileError.wrongKind(source: "models/cw.json", expected: "call_window", found: "cox")) {
            try CallWindowModel.load(jsonData: window.jsonData(), source: "models/cw.json")
        }
        let error = ModelFileError.wrongKind(source: "models/pay.json", expected: "logistic", found: "cox")
        #expect(error.description == "models/pay.json: model kind is \"cox\", expected \"logistic\"")
    }

    @Test func wrongKindFromAPathNamesThePath() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/time_to_pay.json"
        var model = Self.logistic()
        model.kind = "cox"
        try model.jsonData().write(to: URL(fileURLWithPath: path))
        #expect(throws: ModelFileError.wrongKind(source: path, expected: "logistic", found: "cox")) {
            try LogisticRegressionModel.load(path: path)
        }
    }

    @Test func validateChecksKindThenVersionThenContents() throws {
        var model = Self.logistic()
        model.kind = "cox"
        model.formatVersion = 2
        model.coefficients["balance"] = .nan
        #expect(throws: ModelFileError.wrongKind(source: "m.json", expected: "logistic", found: "cox")) {
            try model.validate(source: "m.json")
        }
        model.kind = "logistic"
        #expect(throws: ModelFileError.unsupportedVersion(source: "m.json", version: 2)) { try model.validate(source: "m.json") }
        model.formatVersion = 1
        #expect(throws: ModelFileError.malformed(source: "m.json", detail: "coefficient of \"balance\" is not finite")) {
            try model.validate(source: "m.json")
        }
        var window = Self.callWindow()
        window.formatVersion = 3
        #expect(throws: ModelFileError.unsupportedVersion(source: "w.json", version: 3)) {
            try CallWindowModel.load(jsonData: window.jsonData(), source: "w.json")
        }
    }

    @Test func roundTripIsByteStable() throws {
        let logistic = try Self.logistic().jsonData()
        #expect(try LogisticRegressionModel.load(jsonData: logistic, source: "m.json") == Self.logistic())
        #expect(try LogisticRegressionModel.load(jsonData: logistic, source: "m.json").jsonData() == logistic)
        let cox = try Self.cox().jsonData()
        #expect(try CoxModel.load(jsonData: cox, source: "m.json") == Self.cox())
        #expect(try CoxModel.load(jsonData: cox, source: "m.json").jsonData() == cox)
        let window = try Self.callWindow().jsonData()
        #expect(try CallWindowModel.load(jsonData: window, source: "m.json") == Self.callWindow())
        #expect(try CallWindowModel.load(jsonData: window, source: "m.json").jsonData() == window)
        // Encoding twice gives the same bytes (sorted keys, also inside the coefficient dictionaries).
        #expect(try Self.logistic().jsonData() == logistic)
    }

    @Test func roundTripThroughAFileIsByteStable() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/pay_likelihood.json"
        let data = try Self.logistic().jsonData()
        try data.write(to: URL(fileURLWithPath: path))
        let loaded = try LogisticRegressionModel.load(path: path)
        #expect(loaded == Self.logistic())
        #expect(try loaded.jsonData() == data)
        let windowPath = folder + "/call_window.json"
        try Self.callWindow().jsonData().write(to: URL(fileURLWithPath: windowPath))
        #expect(try CallWindowModel.load(path: windowPath).jsonData() == Self.callWindow().jsonData())
    }

    @Test func writingKeepsEachFilesNames() throws {
        // Logistic and Cox files: the CodingKeys as written, feature names untouched.
        let legacy = JSONEncoder()
        legacy.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        #expect(try Self.logistic().jsonData() == legacy.encode(Self.logistic()))
        #expect(try Self.cox().jsonData() == legacy.encode(Self.cox()))
        let text = String(decoding: try Self.logistic().jsonData(), as: UTF8.self)
        #expect(text.contains("\"format_version\" : 1"))
        #expect(text.contains("\"daysPastDue\" : -0.0375"))
        #expect(text.contains("\"kind\" : \"logistic\""))
        // The call-window file: snake_case property names.
        legacy.keyEncodingStrategy = .convertToSnakeCase
        #expect(try Self.callWindow().jsonData() == legacy.encode(Self.callWindow()))
        let window = String(decoding: try Self.callWindow().jsonData(), as: UTF8.self)
        #expect(window.contains("\"mixing_weights\""))
        #expect(window.contains("\"history_prior_strength\" : 4"))
    }

    @Test func malformedAndUnreadableFilesNameTheFile() throws {
        #expect(throws: ModelFileError.self) { try CoxModel.load(jsonData: Data("{".utf8), source: "m.json") }
        do {
            _ = try CallWindowModel.load(jsonData: Data("{\"kind\": \"call_window\"}".utf8), source: "cw.json")
            Issue.record("a file without fields was read")
        } catch let error as ModelFileError {
            guard case .malformed(let source, let detail) = error else { throw error }
            #expect(source == "cw.json")
            #expect(detail.hasPrefix("missing key"))
        }
        let missing = NSTemporaryDirectory() + "/no-such-model-" + UUID().uuidString + ".json"
        #expect(throws: ModelFileError.unreadable(source: missing, reason: "No such file or directory")) {
            try CoxModel.load(path: missing)
        }
        #expect(ModelFileError.unreadable(source: "m.json", reason: "Permission denied").description
                == "m.json: cannot read model file: Permission denied")
    }

    // MARK: - Kind dispatch

    @Test func anyModelFileReadsEveryKind() throws {
        #expect(try AnyModelFile.load(jsonData: Self.logistic().jsonData(), source: "m.json") == .logistic(Self.logistic()))
        #expect(try AnyModelFile.load(jsonData: Self.cox().jsonData(), source: "m.json") == .cox(Self.cox()))
        #expect(try AnyModelFile.load(jsonData: Self.callWindow().jsonData(), source: "m.json")
                == .callWindow(Self.callWindow()))
        for (kind, data) in try Self.files() {
            #expect(try AnyModelFile.load(jsonData: data, source: "m.json").kind.rawValue == kind)
        }
    }

    @Test func anyModelFileRejectsKindsNotAccepted() throws {
        let window = try Self.callWindow().jsonData()
        #expect(throws: ModelFileError.wrongKind(source: "m.json", expected: "logistic or cox", found: "call_window")) {
            try AnyModelFile.load(jsonData: window, source: "m.json", accepting: [.logistic, .cox])
        }
        // The kind is checked before the rest, so a broken file of another kind still gets the kind error.
        let broken = Data("{\"kind\": \"call_window\", \"windows\": 3}".utf8)
        #expect(throws: ModelFileError.wrongKind(source: "m.json", expected: "logistic or cox", found: "call_window")) {
            try AnyModelFile.load(jsonData: broken, source: "m.json", accepting: [.logistic, .cox])
        }
        let unknown = Data("{\"kind\": \"tree\"}".utf8)
        #expect(throws: ModelFileError.wrongKind(source: "m.json", expected: "logistic, cox or call_window", found: "tree")) {
            try AnyModelFile.load(jsonData: unknown, source: "m.json")
        }
        #expect(throws: ModelFileError.wrongKind(source: "m.json", expected: "cox", found: "tree")) {
            try AnyModelFile.load(jsonData: unknown, source: "m.json", accepting: [.cox])
        }
    }

    @Test func anyModelFileNeedsAJSONObjectWithAKind() throws {
        #expect(throws: ModelFileError.malformed(source: "m.json", detail: "not a JSON object")) {
            try AnyModelFile.load(jsonData: Data("[1, 2]".utf8), source: "m.json")
        }
        #expect(throws: ModelFileError.malformed(source: "m.json", detail: "missing key \"kind\"")) {
            try AnyModelFile.load(jsonData: Data("{\"format_version\": 1}".utf8), source: "m.json")
        }
        #expect(throws: ModelFileError.malformed(source: "m.json", detail: "missing key \"kind\"")) {
            try AnyModelFile.load(jsonData: Data("{\"kind\": 7}".utf8), source: "m.json")
        }
        // A file of an accepted kind then goes through that kind's own checks.
        var model = Self.cox()
        model.baseline.times = [2, 2, 9]
        #expect(throws: ModelFileError.malformed(source: "m.json", detail: "baseline times must be strictly increasing (time 2)")) {
            try AnyModelFile.load(jsonData: model.jsonData(), source: "m.json")
        }
    }

    @Test func anyModelFileReadsFromAPath() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/m.json"
        try Self.cox().jsonData().write(to: URL(fileURLWithPath: path))
        #expect(try AnyModelFile.load(path: path) == .cox(Self.cox()))
        #expect(throws: ModelFileError.wrongKind(source: path, expected: "logistic", found: "cox")) {
            try AnyModelFile.load(path: path, accepting: [.logistic])
        }
        #expect(throws: ModelFileError.unreadable(source: folder + "/none.json", reason: "No such file or directory")) {
            try AnyModelFile.load(path: folder + "/none.json")
        }
    }
}
