import Foundation
import TestSupport
import Testing
@testable import ArscoreCLI
import Models

/// `arscore fit logistic` and `arscore predict`, run in-process through the argument parser.
struct FitPredictCommandTests {
    @Test func fitThenPredictGivesOneRowPerInputRowInOrder() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", trainingTable())
        #expect(runCommand(["fit", "logistic", "--table", table, "--target", "y", "--features", "x,z",
                            "--out", "\(folder.path)/m.json", "--quiet"]) == nil)
        let modelText = try folder.read("m.json")
        let model = try LogisticRegressionModel.load(jsonData: Data(modelText.utf8), source: "m.json")
        #expect(model.features == ["x", "z"])
        #expect(model.coefficients["x"]! > 0)
        #expect(modelText.contains("\"kind\" : \"logistic\""))

        #expect(runCommand(["predict", "--model", "\(folder.path)/m.json", "--table", table,
                            "--keep", "id", "--out", "\(folder.path)/p.csv", "--quiet"]) == nil)
        let lines = try folder.read("p.csv").split(separator: "\n").map(String.init)
        #expect(lines.first == "id,p")
        #expect(lines.count == 61)
        #expect(lines[1].hasPrefix("0000,"))    // leading zeros kept, input order kept
        #expect(lines[60].hasPrefix("0059,"))
        let probabilities = lines.dropFirst().map { Double($0.split(separator: ",")[1])! }
        #expect(probabilities.allSatisfy { $0 > 0 && $0 < 1 })
        // Maximum likelihood with an intercept: mean prediction equals the base rate.
        let positives = trainingTable().split(separator: "\n").dropFirst().filter { $0.hasSuffix(",1") }.count
        #expect(abs(probabilities.reduce(0, +) - Double(positives)) < 1e-6)
    }

    @Test func defaultFeaturesAreTheNumericColumnsButTargetAndWeight() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", trainingTable())
        #expect(runCommand(["fit", "logistic", "--table", table, "--target", "y", "--weight", "w",
                            "--l2", "0.5", "--out", "\(folder.path)/m.json", "--quiet"]) == nil)
        let model = try LogisticRegressionModel.load(jsonData: Data(try folder.read("m.json").utf8), source: "m")
        // "id" parses as numbers (0000, 0001, ...) and is numeric; "segment" is text and is left out.
        #expect(model.features == ["id", "x", "z"])
        #expect(model.l2 == 0.5)
        #expect(model.fit.weightSum > 60)
    }

    @Test func predictionsFileIsNotCreatedWhenTheFitFails() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", "x,y\n1,0\n2,1\n3,2\n")
        let message = runCommand(["fit", "logistic", "--table", table, "--target", "y", "--out", "\(folder.path)/m.json"])
        #expect(message == "arscore: \(table):4: column \"y\": target must be 0 or 1, found 2")
        #expect(!folder.exists("m.json"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["t.csv"])
    }

    @Test func missingTableFileIsNamed() throws {
        let folder = try TemporaryFolder()
        let message = try #require(runCommand(["fit", "logistic", "--table", "\(folder.path)/nope.csv",
                                               "--target", "y", "--out", "\(folder.path)/m.json"]))
        #expect(message.contains("nope.csv"))
        #expect(message.lowercased().contains("no such file"))
    }

    @Test func missingTargetAndFeatureColumnsAreNamed() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", trainingTable())
        let noTarget = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "paid",
                                                "--out", "\(folder.path)/m.json"]))
        #expect(noTarget.contains("t.csv") && noTarget.contains("\"paid\""))
        let noFeature = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "y",
                                                 "--features", "x,balance", "--out", "\(folder.path)/m.json"]))
        #expect(noFeature.contains("t.csv") && noFeature.contains("\"balance\""))
    }

    @Test func nonNumericCellNamesFileLineAndColumn() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", "x,y\n1.5,0\n2.5,1\nabc,1\n0.5,0\n")
        let message = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "y",
                                               "--features", "x", "--out", "\(folder.path)/m.json"]))
        #expect(message.contains("t.csv:4"))
        #expect(message.contains("\"x\""))
        #expect(message.contains("abc"))
    }

    @Test func nonNumericTargetIsReportedWithoutFeaturesGiven() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", "x,y\n1.5,0\n2.5,yes\n")
        let message = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "y",
                                               "--out", "\(folder.path)/m.json"]))
        #expect(message.contains("t.csv:3") && message.contains("\"y\"") && message.contains("yes"))
    }

    @Test func emptyFileAndHeaderOnlyTableAreErrors() throws {
        let folder = try TemporaryFolder()
        let empty = try folder.write("empty.csv", "")
        let emptyMessage = try #require(runCommand(["fit", "logistic", "--table", empty, "--target", "y",
                                                    "--out", "\(folder.path)/m.json"]))
        #expect(emptyMessage.contains("empty.csv") && emptyMessage.contains("empty"))
        let headerOnly = try folder.write("header.csv", "x,y\n")
        let headerMessage = try #require(runCommand(["fit", "logistic", "--table", headerOnly, "--target", "y",
                                                     "--features", "x", "--out", "\(folder.path)/m.json"]))
        #expect(headerMessage.contains("header.csv") && headerMessage.contains("no data rows"))
    }

    @Test func badWeightIsLocated() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", "x,w,y\n1,1,0\n2,-3,1\n3,1,1\n")
        let message = runCommand(["fit", "logistic", "--table", table, "--target", "y", "--weight", "w",
                                  "--out", "\(folder.path)/m.json"])
        #expect(message == "arscore: \(table):3: column \"w\": weight must be finite and non-negative, found -3")
    }

    @Test func separationSuggestsAPenalty() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", "x,y\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n")
        let message = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "y",
                                               "--out", "\(folder.path)/m.json"]))
        #expect(message.contains("separation") && message.contains("--l2"))
        #expect(runCommand(["fit", "logistic", "--table", table, "--target", "y", "--l2", "1",
                            "--out", "\(folder.path)/m.json", "--quiet"]) == nil)
    }

    @Test func singleClassTargetIsAnError() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", "x,y\n1,1\n2,1\n")
        let message = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "y",
                                               "--out", "\(folder.path)/m.json"]))
        #expect(message.contains("single class"))
    }

    @Test func argumentErrorsAreOneLine() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", trainingTable())
        let negative = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "y", "--l2", "-1",
                                                "--out", "\(folder.path)/m.json"]))
        #expect(negative.contains("--l2"))
        #expect(!negative.contains("\n"))
        let sameColumn = try #require(runCommand(["fit", "logistic", "--table", table, "--target", "y",
                                                  "--features", "x,y", "--out", "\(folder.path)/m.json"]))
        #expect(sameColumn.contains("\"y\""))
        #expect(runCommand(["fit", "logistic", "--table", table]) != nil)
    }

    @Test func predictErrorsNameTheModelOrTable() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", trainingTable())
        let missingModel = try #require(runCommand(["predict", "--model", "\(folder.path)/none.json", "--table", table,
                                                    "--out", "\(folder.path)/p.csv"]))
        #expect(missingModel.contains("none.json"))
        let garbage = try folder.write("bad.json", "{ not json")
        let garbageMessage = try #require(runCommand(["predict", "--model", garbage, "--table", table,
                                                      "--out", "\(folder.path)/p.csv"]))
        #expect(garbageMessage.contains("bad.json") && garbageMessage.contains("invalid model file"))
        let otherKind = try folder.write("other.json", "{\"kind\": \"forest\"}")
        let kindMessage = try #require(runCommand(["predict", "--model", otherKind, "--table", table,
                                                   "--out", "\(folder.path)/p.csv"]))
        #expect(kindMessage.contains("forest"))

        #expect(runCommand(["fit", "logistic", "--table", table, "--target", "y", "--features", "x,z",
                            "--out", "\(folder.path)/m.json", "--quiet"]) == nil)
        let narrow = try folder.write("narrow.csv", "x,y\n1,0\n")
        let missingColumn = try #require(runCommand(["predict", "--model", "\(folder.path)/m.json", "--table", narrow,
                                                     "--out", "\(folder.path)/p.csv"]))
        #expect(missingColumn.contains("narrow.csv") && missingColumn.contains("\"z\""))
        #expect(!folder.exists("p.csv"))
    }

    @Test func exitStatusIsNonZeroOnFailureAndZeroOnSuccess() throws {
        let folder = try TemporaryFolder()
        let table = try folder.write("t.csv", trainingTable())
        #expect(ArscoreMain.run(["fit", "logistic", "--table", table, "--target", "y", "--out",
                                 "\(folder.path)/m.json", "--quiet"]) == 0)
        #expect(ArscoreMain.run(["fit", "logistic", "--table", "\(folder.path)/missing.csv", "--target", "y",
                                 "--out", "\(folder.path)/m.json"]) != 0)
        #expect(ArscoreMain.run(["no-such-command"]) != 0)
    }
}
