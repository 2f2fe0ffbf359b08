import Foundation
import Testing
@testable import Simulation

@Suite("Determinism and configuration")
struct DeterminismTests {
    private func generateFiles(_ configuration: GeneratorConfiguration, workers: Int? = nil, chunkSize: Int? = nil) throws -> [String: Data] {
        let folder = temporaryFolder("determinism")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if let workers, let chunkSize {
            _ = try HistoryGenerator.run(configuration, into: folder, workers: workers, chunkSize: chunkSize, progress: nil)
        } else {
            _ = try HistoryGenerator.generate(configuration, into: folder)
        }
        return try readFiles(in: folder)
    }

    @Test func sameSeedGivesByteIdenticalFiles() throws {
        let configuration = GeneratorConfiguration(customers: 700, months: 6, seed: 99, end: "2026-04-15")
        let first = try generateFiles(configuration)
        let second = try generateFiles(configuration)
        #expect(first.count == 6)
        for (name, data) in first {
            #expect(second[name] == data, "\(name) differs between two runs with the same seed")
        }
    }

    @Test func outputDoesNotDependOnThreadsOrChunking() throws {
        let configuration = GeneratorConfiguration(customers: 333, months: 4, seed: 5, end: "2026-03-31")
        let reference = try generateFiles(configuration, workers: 1, chunkSize: 1000)
        for (workers, chunkSize) in [(1, 7), (2, 16), (3, 50), (8, 1)] {
            let other = try generateFiles(configuration, workers: workers, chunkSize: chunkSize)
            for (name, data) in reference {
                #expect(other[name] == data, "\(name) differs with \(workers) workers and chunks of \(chunkSize)")
            }
        }
    }

    @Test func differentSeedsGiveDifferentFiles() throws {
        let first = try generateFiles(GeneratorConfiguration(customers: 200, months: 6, seed: 1))
        let second = try generateFiles(GeneratorConfiguration(customers: 200, months: 6, seed: 2))
        for name in ["customers.csv", "invoices.csv", "payments.csv", "calls.csv", "truth.json"] {
            #expect(first[name] != second[name], "\(name) is identical for seeds 1 and 2")
        }
    }

    @Test func aCustomersHistoryDoesNotDependOnTheCustomerCount() throws {
        // Customer i has its own random stream: a larger export extends a smaller one.
        let small = try generateFiles(GeneratorConfiguration(customers: 100, months: 3, seed: 8))
        let large = try generateFiles(GeneratorConfiguration(customers: 150, months: 3, seed: 8))
        let smallCustomers = String(decoding: small["customers.csv"]!, as: UTF8.self)
        let largeCustomers = String(decoding: large["customers.csv"]!, as: UTF8.self)
        #expect(largeCustomers.hasPrefix(smallCustomers))
        let smallInvoices = String(decoding: small["invoices.csv"]!, as: UTF8.self)
        let largeInvoices = String(decoding: large["invoices.csv"]!, as: UTF8.self)
        #expect(largeInvoices.hasPrefix(smallInvoices))
    }

    static let invalidConfigurations: [(GeneratorConfiguration, String)] = [
        (GeneratorConfiguration(customers: 0), "customers must be at least 1"),
        (GeneratorConfiguration(customers: -5), "customers must be at least 1"),
        (GeneratorConfiguration(customers: GeneratorConfiguration.maximumCustomers + 1), "customers must be at most"),
        (GeneratorConfiguration(months: 0), "months must be between 1 and 120"),
        (GeneratorConfiguration(months: 121), "months must be between 1 and 120"),
        (GeneratorConfiguration(end: "2026-13-01"), "end must be a valid date"),
        (GeneratorConfiguration(end: "2026-02-30"), "end must be a valid date"),
        (GeneratorConfiguration(end: "2026-11-1"), "end must be a valid date"),
        (GeneratorConfiguration(end: "1.11.2026"), "end must be a valid date"),
        (GeneratorConfiguration(end: ""), "end must be a valid date"),
        (GeneratorConfiguration(months: 12, end: "1971-06-01"), "must lie between 1971-01-01"),
    ]

    @Test(arguments: invalidConfigurations)
    func invalidConfigurationIsRejected(configuration: GeneratorConfiguration, message: String) throws {
        let folder = temporaryFolder("invalid")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            _ = try HistoryGenerator.generate(configuration, into: folder)
            Issue.record("accepted an invalid configuration: \(configuration)")
        } catch let error as GeneratorError {
            guard case .invalidConfiguration(let text) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(text.contains(message), "message was: \(text)")
            #expect(error.description.hasPrefix("invalid generator configuration: "))
        }
        #expect(!FileManager.default.fileExists(atPath: folder), "nothing is written for an invalid configuration")
    }

    @Test func validBoundaryConfigurationsAreAccepted() throws {
        for configuration in [
            GeneratorConfiguration(customers: 1, months: 1, seed: 0, end: "2024-03-31"),
            GeneratorConfiguration(customers: 3, months: 120, seed: UInt64.max, end: "2024-02-29"),
        ] {
            let folder = temporaryFolder("boundary")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let summary = try HistoryGenerator.generate(configuration, into: folder)
            #expect(summary.customers == configuration.customers)
            let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/truth.json"))) as? [String: Any]
            #expect((truth?["customers"] as? [Any])?.count == configuration.customers)
        }
    }

    @Test func writingIntoAFileFailsWithAnIOError() throws {
        let path = temporaryFolder("file")
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GeneratorError.io(path: path, reason: "exists and is not a directory")) {
            _ = try HistoryGenerator.generate(GeneratorConfiguration(customers: 2), into: path)
        }
    }

    @Test func theFolderIsCreatedWithItsParents() throws {
        let root = temporaryFolder("nested")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = root + "/a/b/"
        let summary = try HistoryGenerator.generate(GeneratorConfiguration(customers: 5, months: 2), into: folder)
        let files = try readFiles(in: folder)
        #expect(files.values.reduce(0) { $0 + $1.count } == summary.bytesWritten)
    }

    @Test func progressIsReportedInOrderUpToTheTotal() throws {
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var values: [Int] = []
        }
        let log = Log()
        let folder = temporaryFolder("progress")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try HistoryGenerator.generate(GeneratorConfiguration(customers: 1500, months: 2), into: folder) { done, total in
            #expect(total == 1500)
            log.lock.lock()
            log.values.append(done)
            log.lock.unlock()
        }
        #expect(log.values == log.values.sorted())
        #expect(log.values.last == 1500)
    }

    @Test func configurationIsCodable() throws {
        let configuration = GeneratorConfiguration(customers: 12, months: 3, seed: 77, end: "2025-01-31")
        let decoded = try JSONDecoder().decode(GeneratorConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(decoded == configuration)
        #expect(GeneratorConfiguration() == GeneratorConfiguration(customers: 1000, months: 12, seed: 1, end: "2026-11-01"))
    }
}
