import Foundation
import Testing

/// The package root (this file is Tests/ArchitectureTests/ModuleGraphTests.swift).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// One library or executable target of Package.swift and the package's own targets it depends on.
private struct DeclaredTarget: Equatable {
    let name: String
    let dependencies: Set<String>
}

/// The non-test targets declared in Package.swift (system libraries included, with no dependencies).
private func declaredTargets() throws -> [String: DeclaredTarget] {
    let text = try String(contentsOfFile: packageRoot + "/Package.swift", encoding: .utf8)
    var targets: [String: DeclaredTarget] = [:]
    let system = try NSRegularExpression(pattern: #"\.systemLibrary\(\s*name: "([\w-]+)""#)
    for match in system.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        let name = String(text[Range(match.range(at: 1), in: text)!])
        targets[name] = DeclaredTarget(name: name, dependencies: [])
    }
    let pattern = try NSRegularExpression(
        pattern: #"\.(?:target|executableTarget)\(\s*name: "([\w-]+)",\s*dependencies: \[([^\]]*)\]"#)
    for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        let name = String(text[Range(match.range(at: 1), in: text)!])
        let list = String(text[Range(match.range(at: 2), in: text)!])
        // Only plain "Name" entries are the package's own targets; products are `.product(name:package:)`.
        let own = list.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.hasPrefix("\"") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        targets[name] = DeclaredTarget(name: name, dependencies: Set(own))
    }
    return targets
}

/// The module table of docs/ARCHITECTURE.md: module → (layer, dependencies).
private func documentedGraph() throws -> [String: (layer: Int, dependencies: Set<String>)] {
    let text = try String(contentsOfFile: packageRoot + "/docs/ARCHITECTURE.md", encoding: .utf8)
    guard let start = text.range(of: "<!-- module-table -->"), let end = text.range(of: "<!-- /module-table -->") else {
        Issue.record("docs/ARCHITECTURE.md has no <!-- module-table --> block")
        return [:]
    }
    var graph: [String: (Int, Set<String>)] = [:]
    for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| `") {
        let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let name = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
        let dependencies = cells[3] == "—" ? [] : cells[3].components(separatedBy: ",")
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "` "))}
        graph[name] = (Int(cells[2]) ?? -1, Set(dependencies))
    }
    return graph
}

/// The package modules imported by the Swift files of a source folder.
private func importedModules(in folder: String, among modules: Set<String>) throws -> Set<String> {
    var found: Set<String> = []
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let file = enumerator?.nextObject() as? String {
        guard file.hasSuffix(".swift") else { continue }
        let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
            let name = String(line.split(separator: " ").last!)
            if modules.contains(name) { found.insert(name) }
        }
    }
    return found
}

@Suite("Module graph")
struct ModuleGraphTests {
    @Test func architectureDocumentShowsTheGraphPackageSwiftDeclares() throws {
        // The benchmark executable and the test-support target (under Tests/) are not part of the product's graph.
        let declared = try declaredTargets().filter {
            $0.key != "arscore-bench" && !FileManager.default.fileExists(atPath: packageRoot + "/Tests/" + $0.key)
        }
        let documented = try documentedGraph()
        #expect(Set(documented.keys) == Set(declared.keys))
        for (name, target) in declared {
            #expect(documented[name]?.dependencies == target.dependencies, "\(name): docs/ARCHITECTURE.md vs Package.swift")
        }
    }

    @Test func everyDependencyPointsDownTheLayers() throws {
        let documented = try documentedGraph()
        for (name, entry) in documented {
            for dependency in entry.dependencies {
                let layer = documented[dependency]?.layer ?? .max
                #expect(layer < entry.layer, "\(name) (layer \(entry.layer)) depends on \(dependency) (layer \(layer))")
            }
        }
    }

    @Test func importsAreExactlyTheDeclaredDependencies() throws {
        let declared = try declaredTargets()
        let modules = Set(declared.keys)
        for (name, target) in declared {
            let folder = name == "arscore-bench" ? packageRoot + "/Benchmarks/Sources/arscore-bench" : packageRoot + "/Sources/" + name
            guard FileManager.default.fileExists(atPath: folder) else { continue }
            let imported = try importedModules(in: folder, among: modules).subtracting([name])
            #expect(imported == target.dependencies.intersection(modules), "\(name): imports vs Package.swift dependencies")
        }
    }
}
