import Foundation
import LinearAlgebra
import Testing
@testable import Models

/// Histories where every account has its own weekday × hour-block preference on a 3 × 3 grid (not a shared
/// profile): `preferred` is the account's best window, contact rates 0.7 there, 0.35 on its weekday or block, 0.08
/// elsewhere; attempts uniform over the windows (deterministic).
private func ownPreferences(accounts: Int, attemptsPerAccount: Int, seed: UInt64)
    -> (attempts: Matrix, contacts: Matrix, preferred: [Int]) {
    var random = SplitMix64(seed: seed)
    var attempts = Matrix(rows: accounts, columns: 9), contacts = Matrix(rows: accounts, columns: 9)
    var preferred: [Int] = []
    for account in 0..<accounts {
        let best = Int(random.next() % 9)
        preferred.append(best)
        for _ in 0..<attemptsPerAccount {
            let window = Int(random.next() % 9)
            let sameDay = window / 3 == best / 3, sameBlock = window % 3 == best % 3
            let rate = sameDay && sameBlock ? 0.7 : (sameDay || sameBlock ? 0.35 : 0.08)
            attempts.storage[account * 9 + window] += 1
            if random.nextUnit() < rate { contacts.storage[account * 9 + window] += 1 }
        }
    }
    return (attempts, contacts, preferred)
}

@Suite("Pooled call-window model")
struct PooledCallWindowTests {
    let names = (0..<9).map { "d\($0 / 3)_b\($0 % 3)" }
    let layout = CallWindowLayout.grid(weekdays: 3, blocksPerDay: 3)
    var options: CallWindowFitter.Options { .init(profiles: 3, starts: 2, reachLevels: [0.6, 1], layout: layout) }

    @Test func noHistoryKeepsTheGroupRatesAndLotsOfHistoryReachesTheOwnRates() {
        let effects = AccountWindowEffects(layout: .grid(weekdays: 2, blocksPerDay: 2), overallStrength: 2,
                                           weekdayStrength: 2, hourStrength: 2, windowStrength: 4)
        let prior = Matrix(rows: 2, columns: 4, repeating: 0.2)
        var attempts = Matrix(rows: 2, columns: 4), contacts = Matrix(rows: 2, columns: 4)
        let own = [0.9, 0.1, 0.5, 0.05]
        for window in 0..<4 {
            attempts[1, window] = 20_000
            contacts[1, window] = 20_000 * own[window]
        }
        var predicted = prior
        effects.apply(to: &predicted, population: [0.3, 0.3, 0.3, 0.3], attempts: attempts, contacts: contacts)
        for window in 0..<4 {
            #expect(predicted[0, window] == 0.2)  // no history: the group rate (group weight 1)
            #expect(abs(predicted[1, window] - own[window]) < 0.002)  // lots of history: the account's own rate
        }
        var blended = effects
        blended.groupWeight = 0.25
        var predictedBlend = prior
        blended.apply(to: &predictedBlend, population: [0.3, 0.3, 0.3, 0.3], attempts: Matrix(rows: 2, columns: 4),
                      contacts: Matrix(rows: 2, columns: 4))
        #expect(predictedBlend.storage.allSatisfy { abs($0 - (0.25 * 0.2 + 0.75 * 0.3)) < 1e-12 })
    }

    @Test func aFewAttemptsMoveTheRatesOnlyPartWay() {
        let effects = AccountWindowEffects(layout: .grid(weekdays: 2, blocksPerDay: 2), overallStrength: nil,
                                           weekdayStrength: nil, hourStrength: nil, windowStrength: 4)
        var predicted = Matrix(rows: 1, columns: 4, repeating: 0.2)
        var attempts = Matrix(rows: 1, columns: 4), contacts = Matrix(rows: 1, columns: 4)
        attempts[0, 0] = 4
        contacts[0, 0] = 4
        effects.apply(to: &predicted, population: [0.2, 0.2, 0.2, 0.2], attempts: attempts, contacts: contacts)
        #expect(abs(predicted[0, 0] - (4 + 4 * 0.2) / 8) < 1e-12)
        #expect(predicted[0, 1] == 0.2)
    }

    @Test func theFitEstimatesTheAccountLevelAndBeatsTheProfileMixOnOwnPreferences() throws {
        let data = ownPreferences(accounts: 1500, attemptsPerAccount: 40, seed: 11)
        let pooled = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                              options: options)
        let effects = try #require(pooled.accountEffects)
        #expect(effects.layout == layout && pooled.formatVersion == 2)
        #expect(effects.weekdayStrength != nil || effects.hourStrength != nil || effects.windowStrength != nil)
        var mixOnly = pooled
        mixOnly.accountEffects = nil
        func right(_ model: CallWindowModel) throws -> Int {
            let chosen = CallWindowModel.chosenWindows(try model.contactProbabilities(attempts: data.attempts,
                                                                                      contacts: data.contacts))
            return zip(chosen, data.preferred).filter { $0 == $1 }.count
        }
        let pooledRight = try right(pooled), mixRight = try right(mixOnly)
        #expect(pooledRight > mixRight)
        #expect(pooledRight >= 1000)
        // Same data, same options: the same model, byte for byte.
        let again = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                             options: options)
        #expect(try again.jsonData() == pooled.jsonData())
    }

    @Test func withoutACallLogTheModelIsAFlatFallback() throws {
        let none = try CallWindowFitter.fit(attempts: Matrix(rows: 3, columns: 9), contacts: Matrix(rows: 3, columns: 9),
                                            windowNames: names, options: options)
        #expect(none.fallback != nil && none.accountEffects == nil)
        let p = try none.contactProbabilities(attempts: Matrix(rows: 2, columns: 9), contacts: Matrix(rows: 2, columns: 9))
        #expect(Set(p.storage).count == 1)
    }

    @Test func thinningSplitsEveryCellWithoutLosingCounts() {
        let data = ownPreferences(accounts: 200, attemptsPerAccount: 30, seed: 5)
        let split = CallWindowShrinkageTuner.thin(attempts: data.attempts, contacts: data.contacts, seed: 3)
        var held = 0.0
        for cell in data.attempts.storage.indices {
            #expect(split.trainAttempts.storage[cell] + split.heldAttempts.storage[cell] == data.attempts.storage[cell])
            #expect(split.trainContacts.storage[cell] + split.heldContacts.storage[cell] == data.contacts.storage[cell])
            #expect(split.heldContacts.storage[cell] <= split.heldAttempts.storage[cell])
            #expect(split.trainContacts.storage[cell] <= split.trainAttempts.storage[cell])
            held += split.heldAttempts.storage[cell]
        }
        let share = held / data.attempts.storage.reduce(0, +)
        #expect(share > 0.2 && share < 0.3)
        let again = CallWindowShrinkageTuner.thin(attempts: data.attempts, contacts: data.contacts, seed: 3)
        #expect(again.heldAttempts == split.heldAttempts && again.heldContacts == split.heldContacts)
    }

    @Test func theFileRoundTripsAndBadFilesAreRejected() throws {
        let data = ownPreferences(accounts: 300, attemptsPerAccount: 20, seed: 7)
        let model = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                             options: options)
        let json = try model.jsonData()
        #expect(try CallWindowModel.load(jsonData: json, source: "cw.json") == model)
        #expect(try CallWindowModel.load(jsonData: json, source: "cw.json").jsonData() == json)
        #expect(String(decoding: json, as: UTF8.self).contains("\"weekday_of_window\""))

        var shortLayout = model
        shortLayout.accountEffects?.layout.weekdayOfWindow.removeLast()
        #expect(throws: ModelFileError.malformed(source: "cw.json",
                                                 detail: "account_effects: weekday_of_window has 8 entries for 9 windows")) {
            try CallWindowModel.load(jsonData: shortLayout.jsonData(), source: "cw.json")
        }
        var negative = model
        negative.accountEffects?.windowStrength = -1
        #expect(throws: ModelFileError.malformed(source: "cw.json", detail: "account_effects: window_strength must be finite and > 0")) {
            try CallWindowModel.load(jsonData: negative.jsonData(), source: "cw.json")
        }
        var badWeight = model
        badWeight.accountEffects?.groupWeight = 1.5
        #expect(throws: ModelFileError.malformed(source: "cw.json", detail: "account_effects: group_weight must be in [0, 1]")) {
            try CallWindowModel.load(jsonData: badWeight.jsonData(), source: "cw.json")
        }
        var oldWithEffects = model
        oldWithEffects.formatVersion = 1
        #expect(throws: ModelFileError.malformed(source: "cw.json", detail: "account_effects needs format_version 2")) {
            try CallWindowModel.load(jsonData: oldWithEffects.jsonData(), source: "cw.json")
        }
        // A version-1 file (no account level) still loads and scores with its own rule.
        var legacy = model
        legacy.formatVersion = 1
        legacy.accountEffects = nil
        legacy.historyPriorStrength = 5
        let loaded = try CallWindowModel.load(jsonData: legacy.jsonData(), source: "cw.json")
        #expect(loaded == legacy)
        var future = model
        future.formatVersion = 3
        #expect(throws: ModelFileError.unsupportedVersion(source: "cw.json", version: 3)) {
            try CallWindowModel.load(jsonData: future.jsonData(), source: "cw.json")
        }
    }

    @Test func theBaselineShrinksWeekdayAndBlockRatesAndMultiplies() throws {
        let baseline = SmoothedRateWindowBaseline(layout: .grid(weekdays: 2, blocksPerDay: 2))
        // Account 0: 10 attempts in window 0 (day 0, block 0), 3 contacts; account 1: 10 in window 3 (day 1, block 1), 1.
        var attempts = Matrix(rows: 2, columns: 4), contacts = Matrix(rows: 2, columns: 4)
        attempts[0, 0] = 10
        contacts[0, 0] = 3
        attempts[1, 3] = 10
        contacts[1, 3] = 1
        let p = try baseline.contactProbabilities(attempts: attempts, contacts: contacts)
        // Population: day 0 and block 0 rate 0.3, day 1 and block 1 rate 0.1, overall 0.2.
        let own0 = (3 + 5 * 0.3) / 15, own1 = (1 + 5 * 0.1) / 15
        #expect(abs(p[0, 0] - own0 * own0 / 0.2) < 1e-12)
        #expect(abs(p[0, 3] - 0.1 * 0.1 / 0.2) < 1e-12)  // no day-1 or block-1 history: the population's rates
        #expect(abs(p[1, 1] - 0.3 * own1 / 0.2) < 1e-12)  // day 0 (none: 0.3) × its own block 1
        #expect(abs(p[1, 3] - own1 * own1 / 0.2) < 1e-12)
        #expect(CallWindowModel.chosenWindows(p) == [0, 0])
        #expect(throws: LinearAlgebraError.self) {
            try baseline.contactProbabilities(attempts: Matrix(rows: 1, columns: 3), contacts: Matrix(rows: 1, columns: 3))
        }
    }
}
