import Foundation
import LinearAlgebra
import Testing
@testable import Models

/// Simulated histories from known profiles (deterministic).
private func simulate(accounts: Int, profiles: [[Double]], attemptsPerAccount: Int, seed: UInt64)
    -> (attempts: Matrix, contacts: Matrix, membership: [Int]) {
    let w = profiles[0].count
    var random = SplitMix64(seed: seed)
    var attempts = Matrix(rows: accounts, columns: w), contacts = Matrix(rows: accounts, columns: w)
    var membership: [Int] = []
    for account in 0..<accounts {
        let profile = account % profiles.count
        membership.append(profile)
        for _ in 0..<attemptsPerAccount {
            let window = Int(random.next() % UInt64(w))
            attempts.storage[account * w + window] += 1
            if random.nextUnit() < profiles[profile][window] { contacts.storage[account * w + window] += 1 }
        }
    }
    return (attempts, contacts, membership)
}

@Suite("Call-window profile mixture")
struct CallWindowModelTests {
    let truth: [[Double]] = [
        [0.70, 0.10, 0.10, 0.10, 0.05, 0.05],  // mornings
        [0.05, 0.05, 0.10, 0.10, 0.60, 0.80],  // afternoons
    ]
    let names = ["w1", "w2", "w3", "w4", "w5", "w6"]
    /// Small settings keep the debug-build tests quick.
    let light = CallWindowFitter.Options(profiles: 3, starts: 2, reachLevels: [0.6, 1])

    @Test func recoversKnownProfilesAndAssignsAccounts() throws {
        let data = simulate(accounts: 3000, profiles: truth, attemptsPerAccount: 12, seed: 1)
        let model = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                             options: .init(profiles: 2, reachLevels: [1]))
        #expect(model.profiles.count == 2 && model.fit.converged)
        // Match fitted profiles to the truth by their first window.
        let morning = model.profiles.first { $0[0] > 0.4 }!, afternoon = model.profiles.first { $0[5] > 0.4 }!
        for window in 0..<6 {
            #expect(abs(morning[window] - truth[0][window]) < 0.04)
            #expect(abs(afternoon[window] - truth[1][window]) < 0.04)
        }
        #expect(abs(model.mixingWeights[0] - 0.5) < 0.05)
        // The chosen window of nearly every account is its profile's best window.
        let probabilities = try model.contactProbabilities(attempts: data.attempts, contacts: data.contacts)
        var correct = 0
        for account in 0..<3000 {
            let row = Array(probabilities.row(account))
            let chosen = row.indices.max { row[$0] < row[$1] }!
            if chosen == (data.membership[account] == 0 ? 0 : 5) { correct += 1 }
        }
        #expect(correct >= 2900)
    }

    @Test func anAccountWithoutHistoryGetsThePopulationMix() throws {
        let data = simulate(accounts: 2000, profiles: truth, attemptsPerAccount: 10, seed: 2)
        let model = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names, options: light)
        let empty = Matrix(rows: 1, columns: 6)
        let p = try model.contactProbabilities(attempts: empty, contacts: empty)
        for window in 0..<6 {
            let mix = zip(model.mixingWeights, model.profiles).reduce(0) { $0 + $1.0 * $1.1[window] }
            #expect(abs(p[0, window] - mix) < 1e-12)
        }
    }

    @Test func fitsAreDeterministicAndRoundTripThroughJSON() throws {
        let data = simulate(accounts: 800, profiles: truth, attemptsPerAccount: 8, seed: 3)
        let first = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names, options: light)
        let second = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names, options: light)
        #expect(first == second)
        let json = try first.jsonData()
        #expect(try CallWindowModel.load(jsonData: json, source: "m.json") == first)
        #expect(String(decoding: json, as: UTF8.self).contains("\"mixing_weights\""))
    }

    @Test func ownHistoryShrinksTowardsTheAccountsRates() throws {
        let data = simulate(accounts: 1000, profiles: truth, attemptsPerAccount: 10, seed: 4)
        var options = light
        options.historyPriorStrength = 10
        options.estimatesAccountEffects = false
        let model = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names, options: options)
        var attempts = Matrix(rows: 1, columns: 6), contacts = Matrix(rows: 1, columns: 6)
        attempts.storage[2] = 10
        contacts.storage[2] = 10
        let mix = try model.profileMix(attempts: attempts, contacts: contacts)
        let p = try model.contactProbabilities(attempts: attempts, contacts: contacts)
        #expect(abs(p[0, 2] - (10 + 10 * mix[0, 2]) / 20) < 1e-12)
        #expect(abs(p[0, 0] - mix[0, 0]) < 1e-12)
    }

    @Test func badCountsAndEmptyHistoriesAreHandled() throws {
        var attempts = Matrix(rows: 2, columns: 6), contacts = Matrix(rows: 2, columns: 6)
        attempts.storage[3] = 1
        contacts.storage[3] = 2
        #expect(throws: ModelFitError.invalidCount(row: 0, window: 3, attempts: 1, contacts: 2)) {
            try CallWindowFitter.fit(attempts: attempts, contacts: contacts, windowNames: names)
        }
        let none = try CallWindowFitter.fit(attempts: Matrix(rows: 2, columns: 6), contacts: Matrix(rows: 2, columns: 6),
                                            windowNames: names)
        #expect(none.fallback == "no call attempts in the training history")
        #expect(throws: ModelFitError.self) {
            try CallWindowFitter.fit(attempts: Matrix(rows: 2, columns: 5), contacts: Matrix(rows: 2, columns: 5), windowNames: names)
        }
        var hostile = try CallWindowFitter.fit(attempts: Matrix(rows: 1, columns: 6), contacts: Matrix(rows: 1, columns: 6), windowNames: names)
        hostile.profiles[0][1] = 1.5
        #expect(throws: ModelFileError.self) { try hostile.validate(source: "x.json") }
    }
}
