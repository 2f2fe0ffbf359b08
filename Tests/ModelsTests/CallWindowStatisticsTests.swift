import Foundation
import LinearAlgebra
import Testing
@testable import Models

/// Histories on 6 windows: each account prefers one window (contact rate 0.6 there, 0.15 elsewhere); every third
/// account has no attempts at all (deterministic).
private func histories(accounts: Int, seed: UInt64) -> (attempts: Matrix, contacts: Matrix) {
    var random = SplitMix64(seed: seed)
    var attempts = Matrix(rows: accounts, columns: 6), contacts = Matrix(rows: accounts, columns: 6)
    for account in 0..<accounts where account % 3 != 2 {
        let best = Int(random.next() % 6)
        for _ in 0..<(4 + Int(random.next() % 8)) {
            let window = Int(random.next() % 6)
            attempts.storage[account * 6 + window] += 1
            if random.nextUnit() < (window == best ? 0.6 : 0.15) { contacts.storage[account * 6 + window] += 1 }
        }
    }
    return (attempts, contacts)
}

/// The call-window fit reads only its sufficient statistics: population sums over every account and the sample rows
/// in the caller's order, so statistics assembled elsewhere (from shards) give the same model.
@Suite("Call-window statistics")
struct CallWindowStatisticsTests {
    let names = (0..<6).map { "w\($0)" }
    var options: CallWindowFitter.Options {
        .init(profiles: 2, starts: 2, reachLevels: [0.6, 1], layout: .grid(weekdays: 2, blocksPerDay: 3), maximumAccounts: 40)
    }

    @Test func theSampleIsTheFirstActiveAccountsInTheGivenOrder() {
        let data = histories(accounts: 30, seed: 3)
        let order = Array((0..<30).reversed())
        let statistics = CallWindowStatistics(attempts: data.attempts, contacts: data.contacts, sampleOrder: order,
                                              maximumAccounts: 5)
        // Rows 28, 27, 25, 24, 22 are the first five with attempts in reverse order (rows ≡ 2 mod 3 have none).
        #expect(statistics.sampleAttempts == data.attempts.gatheringRows([28, 27, 25, 24, 22]))
        #expect(statistics.sampleContacts == data.contacts.gatheringRows([28, 27, 25, 24, 22]))
        for window in 0..<6 {
            #expect(statistics.populationAttempts[window] == (0..<30).reduce(0) { $0 + data.attempts[$1, window] })
            #expect(statistics.populationContacts[window] == (0..<30).reduce(0) { $0 + data.contacts[$1, window] })
        }
    }

    @Test func fittingFromAssembledStatisticsEqualsFittingTheHistory() throws {
        let data = histories(accounts: 120, seed: 9)
        let order = (0..<120).map { ($0 * 37) % 120 }
        let direct = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                              options: options, sampleOrder: order)
        // Population sums added over two "shards" (rows split by parity) and the sample taken in the same order.
        let even = (0..<120).filter { $0 % 2 == 0 }, odd = (0..<120).filter { $0 % 2 == 1 }
        let parts = [even, odd].map {
            CallWindowStatistics(attempts: data.attempts.gatheringRows($0), contacts: data.contacts.gatheringRows($0),
                                 maximumAccounts: 40)
        }
        let sample = order.filter { data.attempts.row($0).contains { $0 > 0 } }.prefix(40)
        let assembled = CallWindowStatistics(
            populationAttempts: (0..<6).map { w in parts.reduce(0) { $0 + $1.populationAttempts[w] } },
            populationContacts: (0..<6).map { w in parts.reduce(0) { $0 + $1.populationContacts[w] } },
            sampleAttempts: data.attempts.gatheringRows(Array(sample)), sampleContacts: data.contacts.gatheringRows(Array(sample)))
        let combined = try CallWindowFitter.fit(statistics: assembled, windowNames: names, options: options)
        #expect(combined == direct)
        #expect(try combined.jsonData() == direct.jsonData())
        #expect(direct.fit.accounts == 40)
        // Another order samples other accounts: the order is what decides the sample.
        let other = try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                             options: options)
        #expect(other != direct)
    }

    @Test func badStatisticsAndOrdersAreRefused() throws {
        let data = histories(accounts: 12, seed: 1)
        #expect(throws: ModelFitError.self) {
            try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                     options: options, sampleOrder: [0, 1, 1])
        }
        #expect(throws: ModelFitError.self) {
            try CallWindowFitter.fit(attempts: data.attempts, contacts: data.contacts, windowNames: names,
                                     options: options, sampleOrder: [12])
        }
        let good = CallWindowStatistics(attempts: data.attempts, contacts: data.contacts, maximumAccounts: 40)
        var moreContacts = good
        moreContacts.populationContacts[2] = moreContacts.populationAttempts[2] + 1
        var fractional = good
        fractional.populationAttempts[0] += 0.5
        var shortSums = good
        shortSums.populationAttempts = Array(shortSums.populationAttempts.prefix(5))
        for bad in [moreContacts, fractional, shortSums] {
            #expect(throws: ModelFitError.self) { try CallWindowFitter.fit(statistics: bad, windowNames: names, options: options) }
        }
        var noSample = good
        noSample.sampleAttempts = Matrix(rows: 0, columns: 6)
        noSample.sampleContacts = Matrix(rows: 0, columns: 6)
        #expect(throws: ModelFitError.self) { try CallWindowFitter.fit(statistics: noSample, windowNames: names, options: options) }
    }
}
