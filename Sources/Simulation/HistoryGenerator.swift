import CivilTime
import Foundation
import Parallelism
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a synthetic accounts-receivable export folder with known ground truth.
///
/// `generate(_:into:)` writes the five files of the export contract (DESIGN.md: customers.csv,
/// invoices.csv, payments.csv, calls.csv, promises.csv) and `truth.json`, the latent traits and the
/// generating parameters, so that models trained on the export can be checked against the truth.
///
/// ## Two worlds
///
/// `configuration.world` picks the causal story: `lift` (the default, described next) or `archetypes` (after it). Both
/// share the export contract, the random streams, the lifecycle, the invoicing habits and the history's aging call
/// policy; they differ in who pays, what a call does, how promises and disputes work and how contact preferences are
/// shaped. truth.json's `configuration` has `"world": "archetypes"` for the second and no `world` key for `lift`.
///
/// ## The generating process of `lift`
///
/// Every customer is simulated independently from its own random stream (xoshiro256**, seeded by
/// SplitMix64 from the configuration's seed and the customer's index), day by day over the
/// history `[end − months, end)`. The same configuration always gives byte-identical files, however
/// many threads run. All constants below are written to truth.json under `"parameters"`.
///
/// 1. **Customer.** A segment (`enterprise`, `smb`, `public_sector`, `consumer`) and an IANA time
///    zone from a realistic mix (the Americas, Europe, India, East Asia, Australia and New Zealand,
///    with and without daylight saving time); country and currency follow the zone. Latent traits:
///    - `pay_propensity` — the customer's log-hazard shift (segment normal);
///    - `delay_tendency` — how many days after the due date the customer typically pays;
///    - `promise_reliability` ∈ (0, 1) — how well the customer keeps promises;
///    - a contact pattern (e.g. Tue–Thu mornings, late afternoons only, lunchtime, any time) that
///      gives a right-party-contact probability for each of the 25 local windows
///      Mon–Fri × 08–10, 10–12, 12–14, 14–16, 16–18; `best_window` is the most likely one.
///    Some customers join during the history, some stop buying, ~2% are do-not-call, and a few
///    become doubtful: from a date on they never pay again.
/// 2. **Invoices** arrive at a customer-specific interval with net 15/30/60 terms
///    (`due_date = invoice_date + terms`) and lognormal (heavy-tailed) amounts; ~4% are disputed.
/// 3. **Payments.** Each open invoice is paid on day t with probability 1 − exp(−h(t)),
///    `h(t) = h0(u) · exp(pay_propensity + log 2.5 · [right-party contact in the 7 days before t] + log 0.15 · disputed)`,
///    `u = (t − due_date) − delay_tendency`, h0 piecewise constant. Most payments settle the invoice;
///    some are partial and ~1% are posted on account (empty invoice_id). 40% of disputed invoices
///    are never paid, and doubtful customers stop paying.
/// 4. **Calls** follow a plain aging policy, as a collections team without a model would: every
///    local weekday, an account with a non-disputed past-due balance at least 5 days old is called
///    with a probability that grows with the age of the debt (at most once a day and three times in
///    seven days; pauses after contacts, disputes and promises, and on days the customer paid). So
///    the data carries the usual selection bias. The local call time is drawn from the agents' shift
///    (08:00–18:00 local, mostly uniform), independent of the customer's preferences, and the
///    right party answers with the probability of the window it falls in; otherwise the outcome is
///    `no_answer`, `voicemail` or `wrong_party`. A right-party contact ends as `promise`,
///    `refused`, `dispute` (likely when a disputed invoice is past due) or `right_party`.
///    `started_at` is UTC, converted from local time with the tz database (correct across DST).
/// 5. **Promises** are made on `promise` calls for the past-due balance or part of it, due 3–14
///    days later. A promise is kept with probability
///    σ(−1.2 + 3·reliability + 2·(smoothed past kept ratio − 0.5) − 0.04·horizon + 0.4·partial);
///    a kept promise is paid by `promised_date + 3` days (the DESIGN.md grace period), a broken one
///    gets nothing or a part within that window. While a promise is open the regular hazard is
///    off, so "kept" as DESIGN.md defines it matches the truth exactly (promises whose grace
///    period reaches past `end` are censored).
///
/// ## The generating process of `archetypes`
///
/// Constants in `ArchetypeWorld` (truth.json "parameters": `archetypes`, `hazard`, `disputes`, `promise_model`,
/// `contact_model`, ...); steps in CustomerWorldArchetypes.swift and CustomerSimulatorArchetypes.swift.
///
/// 1. **Customer.** Segment and zone from this world's mix (North America and Europe: USD, CAD, GBP, EUR), traits as in
///    `lift` (nobody turns doubtful), and a latent **archetype** with shares by segment: `self_payer` (pays by its own
///    hazard; calls change nothing: it never promises or raises a dispute), `call_responsive` (slow unaided; a
///    right-party contact on day c adds bump(d) · 0.7^(t − c − 1) to the hazard of each invoice d days past due on days
///    t = c+1 ... c+10, bump 0.30 / 0.15 / 0.05 for d ≤ 30 / ≤ 90 / beyond), `promise_driven` (pays by the hazard
///    until an invoice is more than 10 days past due, then only through kept promises), `lost` (never pays unaided;
///    refuses often; few small promises kept). **Contact preferences**: a random set of 1–5 of Mon–Fri × a contiguous
///    local block of 2–5 hours between 08:00 and 18:00 × reach; an hour inside has P(right party) 0.85 · reach, any
///    other 0.05 · reach; each of the 25 windows takes the mean of its two hours (times a little noise).
/// 2. **Invoices** as in `lift`; 2% are disputed at issue (none is never paid: disputed invoices pay at 0.1× hazard).
/// 3. **Payments.** Outside a promise window, h(t) = h0(u) · exp(pay_propensity) · the archetype's unaided multiplier
///    (0 past its cutoff) + the contact bump, × 0.1 when disputed; this world's own baseline h0; 10% of hazard payments
///    are partial; none on account.
/// 4. **Calls** follow the same aging policy. A right-party contact disputes again (a disputed invoice past due),
///    **raises a dispute** on one of its past-due invoices (drawn uniformly; from that day the invoice is disputed, and
///    invoices.csv's static `disputed` flag shows the state as of `end`; truth.json lists it under `disputes_raised`),
///    refuses, promises or just talks, with the archetype's probabilities.
/// 5. **Promises** are **instalments**: the past-due balance / k (k from the archetype's range), due 2–10 days later,
///    kept with P = base + slope · reliability − 0.15 · (broken streak, at most 3), clamped; a kept promise pays its
///    amount on the promised date, a broken one nothing; the regular hazard is off during the promise window.
///
/// ## Output
///
/// Ids are sequential strings in customer order: `C000001` (at least six digits, one width per
/// export), `INV0000001`, `PAY0000001`, `CALL0000001`, `PRM0000001`, agents `A0001`. Rows are
/// grouped by customer, not sorted by date. No row is dated on or after `end` (invoice, payment,
/// promise creation dates and call times); due and promised dates may lie after it.
/// truth.json holds `format_version`, `configuration`, `parameters` and one object per customer
/// (traits, `window_rpc_probability` in window order, `best_window`, and each promise's `p_kept`
/// and drawn outcome `kept`; `archetypes` adds `archetype`, `contact_weekdays`, `contact_hours` `[start, end)` and
/// `disputes_raised` `[{invoice_id, date}]`, and has no `contact_pattern`).
///
/// ## Scale
///
/// Customers are simulated in chunks by one worker thread per core; each chunk's rows are
/// formatted into byte buffers (no Foundation formatting) and appended to the files in customer
/// order with POSIX `write`, so memory stays bounded (a few chunks in flight) for any number of
/// customers.
public enum HistoryGenerator {
    /// Writes customers.csv, invoices.csv, payments.csv, calls.csv, promises.csv and truth.json into `folder` (created if needed).
    public static func generate(_ configuration: GeneratorConfiguration, into folder: String) throws -> GenerationSummary {
        try run(configuration, into: folder, workers: defaultWorkers, chunkSize: defaultChunkSize, progress: nil)
    }

    /// Same as `generate(_:into:)`, reporting `(customers written, total customers)` after each chunk.
    /// The callback runs on a worker thread, in order, once per chunk.
    public static func generate(
        _ configuration: GeneratorConfiguration,
        into folder: String,
        progress: @escaping @Sendable (_ customersDone: Int, _ customersTotal: Int) -> Void
    ) throws -> GenerationSummary {
        try run(configuration, into: folder, workers: defaultWorkers, chunkSize: defaultChunkSize, progress: progress)
    }

    static let defaultChunkSize = 512
    static var defaultWorkers: Int { max(1, min(8, ProcessInfo.processInfo.activeProcessorCount)) }

    static func run(
        _ configuration: GeneratorConfiguration,
        into folder: String,
        workers requestedWorkers: Int,
        chunkSize: Int,
        progress: (@Sendable (Int, Int) -> Void)?
    ) throws(GeneratorError) -> GenerationSummary {
        let range = try configuration.validatedRange()
        let tables = try TimeTables(start: range.start, end: range.end)
        try createFolder(folder)

        let files = try OutputFiles(folder: folder)
        var summary = GenerationSummary()
        do throws(GeneratorError) {
            try files.writeHeaders(truthHeader: truthHeader(configuration, start: range.start, end: range.end))
            let chunkCount = (configuration.customers + chunkSize - 1) / chunkSize
            let workers = max(1, min(requestedWorkers, chunkCount))
            let pipeline = ChunkPipeline(
                configuration: configuration, start: range.start, end: range.end, tables: tables,
                files: files, chunkSize: chunkSize, chunkCount: chunkCount, progress: progress)
            Parallel.perform(workers) { _ in pipeline.work() }
            if let failure = pipeline.failure { throw failure }
            summary = pipeline.summary
            try files.writeTruthFooter()
            summary.bytesWritten = files.bytesWritten
            try files.close()
        } catch {
            files.closeQuietly()
            throw error
        }
        summary.customers = configuration.customers
        return summary
    }

    private static func createFolder(_ folder: String) throws(GeneratorError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .io(path: folder, reason: "exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .io(path: folder, reason: "cannot create directory (\(error.localizedDescription))")
        }
    }

    private static func truthHeader(_ configuration: GeneratorConfiguration, start: Int, end: Int) -> String {
        func quote(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let parametersJSON: String
        // `lift` writes no "world" key (its truth.json stays as it was before there were two worlds; absent means lift).
        var worldLine = ""
        switch configuration.world {
        case .lift:
            parametersJSON = TruthParameters.current().json()
        case .archetypes:
            parametersJSON = ArchetypeTruthParameters.current().json()
            worldLine = "\n    \"world\": \(quote(configuration.world.rawValue)),"
        }
        let parameters = parametersJSON
            .split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\n  ")
        return """
        {
          "format_version": 1,
          "generator": "arscore Simulation",
          "configuration": {\(worldLine)
            "customers": \(configuration.customers),
            "months": \(configuration.months),
            "seed": \(configuration.seed),
            "end": \(quote(configuration.end)),
            "history_start": \(quote(CivilDate.format(Int32(start)))),
            "history_end_exclusive": \(quote(CivilDate.format(Int32(end))))
          },
          "parameters": \(parameters),
          "customers": [

        """
    }
}

/// The six output files, opened with POSIX `open` and written with `write`.
final class OutputFiles: @unchecked Sendable {
    let folder: String
    private(set) var descriptors: [Int32] = []
    private(set) var bytesWritten = 0
    static let names = ExportFiles.csv.map(\.name) + [ExportFiles.truth]

    init(folder: String) throws(GeneratorError) {
        self.folder = folder
        for name in Self.names {
            let path = Self.join(folder, name)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if descriptor < 0 {
                let reason = String(cString: strerror(errno))
                closeQuietly()
                throw .io(path: path, reason: reason)
            }
            descriptors.append(descriptor)
        }
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Writes buffer `index` (file order: the five CSV files, then truth.json).
    func write(_ buffer: OutputBuffer, file index: Int) throws(GeneratorError) {
        if let reason = buffer.write(to: descriptors[index]) {
            throw .io(path: Self.join(folder, Self.names[index]), reason: reason)
        }
        bytesWritten += buffer.count
    }

    func writeHeaders(truthHeader: String) throws(GeneratorError) {
        let buffer = OutputBuffer(capacity: 1 << 14)
        for (index, file) in ExportFiles.csv.enumerated() {
            buffer.removeAll()
            buffer.append(file.header.joined(separator: ","))
            buffer.append(UInt8(ascii: "\n"))
            try write(buffer, file: index)
        }
        buffer.removeAll()
        buffer.append(truthHeader)
        try write(buffer, file: 5)
    }

    func writeTruthFooter() throws(GeneratorError) {
        let buffer = OutputBuffer(capacity: 64)
        buffer.append("\n  ]\n}\n")
        try write(buffer, file: 5)
    }

    func close() throws(GeneratorError) {
        var failure: GeneratorError?
        for (index, descriptor) in descriptors.enumerated() where descriptor >= 0 {
            if closeDescriptor(descriptor) != 0, failure == nil {
                failure = .io(path: Self.join(folder, Self.names[index]), reason: String(cString: strerror(errno)))
            }
        }
        descriptors = []
        if let failure { throw failure }
    }

    func closeQuietly() {
        for descriptor in descriptors where descriptor >= 0 { _ = closeDescriptor(descriptor) }
        descriptors = []
    }

    private func closeDescriptor(_ descriptor: Int32) -> Int32 {
        #if canImport(Darwin)
        return Darwin.close(descriptor)
        #elseif canImport(Musl)
        return Musl.close(descriptor)
        #else
        return Glibc.close(descriptor)
        #endif
    }
}

/// Hands out chunks of consecutive customers to workers, assigns each chunk's id offsets as soon as
/// the counts of all earlier chunks are known, and lets workers append their bytes in chunk order.
/// At most one chunk per worker is in flight, so memory is bounded.
final class ChunkPipeline: @unchecked Sendable {
    private let configuration: GeneratorConfiguration
    private let start: Int
    private let end: Int
    private let tables: TimeTables
    private let files: OutputFiles
    private let chunkSize: Int
    private let chunkCount: Int
    private let progress: (@Sendable (Int, Int) -> Void)?

    private let condition = NSCondition()
    private var nextChunk = 0
    private var publishedCounts: [Int: IdBases] = [:]
    private var knownBases: [Int: IdBases] = [:]
    private var nextBaseChunk = 0
    private var runningTotals = IdBases()
    private var writeTurn = 0
    private(set) var failure: GeneratorError?
    private(set) var summary = GenerationSummary()

    init(configuration: GeneratorConfiguration, start: Int, end: Int, tables: TimeTables, files: OutputFiles,
         chunkSize: Int, chunkCount: Int, progress: (@Sendable (Int, Int) -> Void)?) {
        self.configuration = configuration
        self.start = start
        self.end = end
        self.tables = tables
        self.files = files
        self.chunkSize = chunkSize
        self.chunkCount = chunkCount
        self.progress = progress
    }

    /// One worker's loop: take a chunk, simulate, wait for its id offsets, format, wait for its turn, write.
    func work() {
        let simulator = CustomerSimulator(seed: configuration.seed, start: start, end: end,
                                          customerCount: configuration.customers, tables: tables, world: configuration.world)
        let records = ChunkRecords()
        let formatter = ChunkFormatter(customerCount: configuration.customers, tables: tables, world: configuration.world)
        while let chunk = claimChunk() {
            let customersDone = simulate(chunk, with: simulator, into: records)
            let counts = IdBases(invoices: records.invoices.count, payments: records.payments.count,
                                 calls: records.calls.count, promises: records.promises.count)
            guard let bases = publish(counts, of: chunk) else { return }
            formatter.format(records, bases: bases)
            guard waitForTurn(chunk) else { return }
            let writeError = write(formatter.buffers)
            finishTurn(counts: counts, customersDone: customersDone, writeError: writeError)
        }
    }

    /// The next chunk no worker has taken, or nil when all are taken or a worker has failed.
    private func claimChunk() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard failure == nil, nextChunk < chunkCount else { return nil }
        let chunk = nextChunk
        nextChunk += 1
        return chunk
    }

    /// Simulates the chunk's customers into `records`; returns the number of customers up to its last one.
    private func simulate(_ chunk: Int, with simulator: CustomerSimulator, into records: ChunkRecords) -> Int {
        let first = chunk * chunkSize
        let last = min(configuration.customers, first + chunkSize)
        records.reset(firstCustomer: first)
        for customer in first..<last {
            simulator.simulate(customer: customer, into: records)
        }
        return last
    }

    /// Publishes the chunk's row counts, turns the counts of every chunk whose predecessors are all known into id
    /// offsets, and waits for this chunk's offsets (nil once a worker has failed).
    private func publish(_ counts: IdBases, of chunk: Int) -> IdBases? {
        condition.lock()
        defer { condition.unlock() }
        publishedCounts[chunk] = counts
        while let next = publishedCounts.removeValue(forKey: nextBaseChunk) {
            knownBases[nextBaseChunk] = runningTotals
            runningTotals.invoices += next.invoices
            runningTotals.payments += next.payments
            runningTotals.calls += next.calls
            runningTotals.promises += next.promises
            nextBaseChunk += 1
        }
        condition.broadcast()
        while knownBases[chunk] == nil, failure == nil { condition.wait() }
        guard failure == nil else { return nil }
        return knownBases.removeValue(forKey: chunk)
    }

    /// Waits until every earlier chunk is written; false once a worker has failed.
    private func waitForTurn(_ chunk: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while writeTurn != chunk, failure == nil { condition.wait() }
        return failure == nil
    }

    /// Appends the chunk's buffers to the six files; only the worker whose turn it is calls this.
    private func write(_ buffers: [OutputBuffer]) -> GeneratorError? {
        do throws(GeneratorError) {
            for (index, buffer) in buffers.enumerated() {
                try files.write(buffer, file: index)
            }
            return nil
        } catch {
            return error
        }
    }

    /// Records the write's failure, or adds the chunk to the summary and reports progress; then passes the turn on.
    private func finishTurn(counts: IdBases, customersDone: Int, writeError: GeneratorError?) {
        condition.lock()
        defer { condition.unlock() }
        if let writeError {
            failure = writeError
        } else {
            summary.invoices += counts.invoices
            summary.payments += counts.payments
            summary.calls += counts.calls
            summary.promises += counts.promises
            progress?(customersDone, configuration.customers)
        }
        writeTurn += 1
        condition.broadcast()
    }
}
