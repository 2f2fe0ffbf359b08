import CivilTime
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One call a policy places on the loop's current day: which customer, at what local time.
public struct PlannedCall: Sendable, Equatable {
    /// The customer's index (0-based; its id is `customerID(index)`).
    public var customer: Int
    /// Local time of the call, seconds after midnight (08:00–18:00 for the window grid).
    public var secondOfDay: Int

    public init(customer: Int, secondOfDay: Int) {
        self.customer = customer
        self.secondOfDay = secondOfDay
    }
}

/// What a collector sees of one account at the start of the loop's day (rows before the day): the facts the plain
/// policies (aging, random) and the world's contact rules use.
public struct AccountView: Sendable, Equatable {
    public var customer: Int
    /// Non-disputed past-due balance in US dollars (converted at the world's fixed rates).
    public var pastDueUSD: Double
    /// Days past due of the oldest non-disputed past-due invoice.
    public var oldestDaysPastDue: Int
    /// Whether the contact rules every policy shares allow a call today: not do-not-call, no promise window open,
    /// fewer than 3 attempts in 7 days, a non-disputed past-due balance of at least the minimum (25 US dollars).
    public var callable: Bool
    /// Whether today's collectors would also call it: callable, no hold after a conversation (5 days) or a dispute
    /// (30 days), and its oldest past-due invoice 5+ days past due (the history's practice).
    public var collectorsWouldCall: Bool
}

/// The generator's world run day by day from a start date, with the calls chosen from outside.
///
/// `init` generates the history before `start` exactly as `arscore generate --end start` would (the same rows), keeps
/// every customer's state, and then each `step(calls:)` runs one day: every customer's invoicing and payments, then
/// the planned calls. The loop's random numbers come from one stream per (customer, day, purpose): payments from
/// one, a call's outcome from another, so two policies differ only where and because their calls differ.
public final class ClosedLoopWorld {
    public let configuration: ClosedLoopConfiguration
    /// The loop's first day, the day it is at, and the day after its last (day numbers).
    public let start: Int
    public private(set) var day: Int
    public let end: Int
    /// The weekdays on which the policy calls.
    public let callingDays: [Int]

    let records = ChunkRecords()
    var customers: [CustomerWorld] = []
    let context: WorldContext
    let tables: TimeTables
    let loopSeed: UInt64
    /// Payments already counted in `tally`.
    private var paymentsCounted: Int
    /// Promises made before the loop (not the loop's).
    let promisesBeforeLoop: Int
    public private(set) var tally = ClosedLoopTally()
    /// The queue's selections so far (`logSelections`), written to the export as selections.csv.
    public internal(set) var selectionLog: [LoggedSelection] = []
    /// The queue's call candidates per calling day (`logCandidates`): (day, customer).
    var candidateLog: [(day: Int, customer: Int)] = []
    /// Each logged candidate's world at the start of its day, the calls placed (customer → day → second of the day)
    /// and the shadow policies' calls (name → day → customer → second of the day): ClosedLoopCounterfactual.swift.
    var candidateStates: [CustomerWorldState] = []
    var placedCalls: [Int: [Int: Int]] = [:]
    var shadowCalls: [String: [Int: [Int: Int]]] = [:]
    /// Payment records made before the loop.
    let paymentsBeforeLoop: Int

    /// Generates the history and stops at the start of `configuration.start`.
    /// - Throws: `GeneratorError.invalidConfiguration` naming the field.
    public init(_ configuration: ClosedLoopConfiguration) throws(GeneratorError) {
        self.configuration = configuration
        let days = try configuration.validatedDays()
        start = days.start
        day = days.start
        end = days.end
        callingDays = ClosedLoopConfiguration.callingDays(from: days.start, count: configuration.callingDays)
        tables = try TimeTables(start: days.historyStart, end: days.end)
        let history = WorldContext(start: days.historyStart, end: days.start, recordingEnd: days.start,
                                   customerCount: configuration.customers, tables: tables, world: configuration.world)
        context = WorldContext(start: days.historyStart, end: days.start, recordingEnd: days.end,
                               customerCount: configuration.customers, tables: tables, world: configuration.world)
        var mixer = configuration.seed ^ 0x436C_6F73_6564_4C70
        loopSeed = splitMix64(&mixer)
        records.reset(firstCustomer: 0)
        let simulator = CustomerSimulator(seed: configuration.seed, context: history)
        customers.reserveCapacity(configuration.customers)
        for index in 0..<configuration.customers {
            customers.append(simulator.simulate(customer: index, into: records))
        }
        paymentsCounted = records.payments.count
        paymentsBeforeLoop = records.payments.count
        promisesBeforeLoop = records.promises.count
    }

    /// Whether the loop has run its last day.
    public var isFinished: Bool { day >= end }

    /// Whether the policy calls today (a weekday of the calling period).
    public var isCallingDay: Bool { day <= (callingDays.last ?? -1) && CivilDate.weekday(Int32(day)) < 5 }

    /// The US-dollar value of one unit of each currency the world invoices in (its fixed rates).
    public var exchangeRatesToUSD: [String: Double] {
        Dictionary(uniqueKeysWithValues: World.currencies.map { ($0.code, 1 / $0.perUSD) })
    }

    /// The id of customer `index` in the export (`C000001` for index 0, at least six digits).
    public func customerID(_ index: Int) -> String {
        let digits = ExportFiles.customerDigits(for: configuration.customers)
        let number = String(index + 1)
        return "C" + String(repeating: "0", count: max(0, digits - number.count)) + number
    }

    /// The customer index of an export id (nil when it is not one of this world's).
    public func customerIndex(ofID id: String) -> Int? {
        guard id.first == "C", let number = Int(id.dropFirst()), number >= 1, number <= customers.count else { return nil }
        return customerID(number - 1) == id ? number - 1 : nil
    }

    /// What the collectors see of every account at the start of today.
    public func accountViews() -> [AccountView] {
        customers.enumerated().map { index, world in
            let pastDue = world.pastDue(on: day)
            let usd = Double(pastDue.balance) / world.account.minorPerUSD
            let callable = !world.account.doNotCall && !world.hasOpenPromise
                && world.state.recentAttempts(on: day) < World.maximumAttemptsPer7Days
                && pastDue.balance >= world.account.minimumPastDue
            let practice = callable && day >= world.state.callHoldUntil && pastDue.oldestDays >= World.minimumDaysPastDue
            return AccountView(customer: index, pastDueUSD: usd, oldestDaysPastDue: pastDue.oldestDays, callable: callable,
                               collectorsWouldCall: practice)
        }
    }

    /// Runs today: every customer's invoicing and payments, then `calls` (at most one per customer, later duplicates
    /// are ignored; none on a day that is not a calling day); moves to tomorrow.
    /// - Precondition: the loop is not finished.
    public func step(calls: [PlannedCall]) {
        precondition(!isFinished, "the closed loop has run its last day")
        for index in customers.indices {
            var rng = RandomSource(seed: loopSeed, customer: index, day: day, purpose: 0)
            _ = customers[index].beginDay(day, rng: &rng, records: records)
        }
        if isCallingDay { place(calls) }
        countPayments()
        day += 1
    }

    /// Places the day's calls in customer order and counts them and their outcomes.
    private func place(_ calls: [PlannedCall]) {
        var seen = Set<Int>()
        let ordered = calls.filter { customers.indices.contains($0.customer) && seen.insert($0.customer).inserted }
            .sorted { $0.customer < $1.customer }
        for call in ordered {
            var rng = RandomSource(seed: loopSeed, customer: call.customer, day: day, purpose: 1)
            let promisesBefore = records.promises.count
            guard let outcome = customers[call.customer].placeCall(on: day, secondOfDay: call.secondOfDay, context: context,
                                                                   rng: &rng, records: records) else { continue }
            placedCalls[call.customer, default: [:]][day] = call.secondOfDay
            tally.calls += 1
            if outcome.isRightPartyContact { tally.rightPartyContacts += 1 }
            if records.promises.count > promisesBefore {
                tally.promises += 1
                if records.promises[promisesBefore].kept { tally.keptPromises += 1 }
            }
        }
    }

    /// Adds the day's new payments to the tally in US dollars.
    private func countPayments() {
        var cash = 0.0
        for payment in records.payments[paymentsCounted...] {
            cash += Double(payment.amount) / customers[Int(payment.customer)].account.minorPerUSD
        }
        paymentsCounted = records.payments.count
        tally.cashUSD += cash
        if isCallingDay { tally.cashDuringCallingUSD += cash }
    }

    /// The book's non-disputed past-due balance in US dollars at the start of today.
    public func pastDueUSD() -> Double {
        customers.reduce(0) { sum, world in sum + Double(world.pastDue(on: day).balance) / world.account.minorPerUSD }
    }

    /// A local time inside the two-hour window starting at `hour`, drawn from the (customer, day) stream of call
    /// times: the same for every policy that calls the customer that day in that window.
    public func secondOfDay(customer: Int, windowStartHour hour: Int) -> Int {
        var rng = RandomSource(seed: loopSeed, customer: customer, day: day, purpose: 2)
        return hour * 3600 + rng.below(2 * 3600)
    }

    /// A local time of the agents' shift (08:00–18:00, as the history's collectors call), from the same stream.
    public func shiftSecondOfDay(customer: Int) -> Int {
        var rng = RandomSource(seed: loopSeed, customer: customer, day: day, purpose: 2)
        return CustomerSimulator.shiftSecond(rng: &rng)
    }

    /// Writes the export as it stands (every row dated before today) into `folder`: the five CSV files of the export
    /// contract, without truth.json.
    /// - Throws: `GeneratorError.io` naming the file.
    public func writeExport(to folder: String) throws(GeneratorError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .io(path: folder, reason: "cannot create directory (\(error.localizedDescription))")
        }
        let formatter = ChunkFormatter(customerCount: configuration.customers, tables: tables)
        formatter.format(records, bases: IdBases(), includeTruth: false)
        let header = OutputBuffer(capacity: 256)
        for (index, file) in ExportFiles.csv.enumerated() {
            let path = OutputFiles.join(folder, file.name)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
            header.removeAll()
            header.append(file.header.joined(separator: ","))
            header.append(UInt8(ascii: "\n"))
            let failure = header.write(to: descriptor) ?? formatter.buffers[index].write(to: descriptor)
            let closed = close(descriptor)
            if let failure { throw .io(path: path, reason: failure) }
            if closed != 0 { throw .io(path: path, reason: String(cString: strerror(errno))) }
        }
        try writeSelections(to: folder)
    }
}

/// What happened in the loop so far: calls and their outcomes, and the cash the whole book paid (US dollars).
public struct ClosedLoopTally: Sendable, Equatable, Codable {
    public var calls = 0
    public var rightPartyContacts = 0
    public var promises = 0
    /// Promises made in the loop whose drawn outcome is kept (paid in full by the promised date plus grace).
    public var keptPromises = 0
    /// Every payment of the book from the loop's first day on, and those on calling days.
    public var cashUSD = 0.0
    public var cashDuringCallingUSD = 0.0
}
