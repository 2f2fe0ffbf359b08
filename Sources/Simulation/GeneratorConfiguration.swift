import CivilTime
/// What to generate: how many customers, how many months of history ending where, from which seed.
///
/// The history covers the half-open date range `[end − months, end)`: `end − months` is the same
/// day of the month `months` calendar months earlier (clamped to the month's last day), and no
/// row of the export is dated on or after `end`. `world` picks the causal story (`lift` when absent from JSON).
public struct GeneratorConfiguration: Sendable, Codable, Equatable {
    /// Number of customers (at least 1).
    public var customers: Int
    /// Length of the history in calendar months before `end` (1 ... 120).
    public var months: Int
    /// Seed of every random stream; the same configuration always gives byte-identical files.
    public var seed: UInt64
    /// First day after the history, `YYYY-MM-DD`.
    public var end: String
    /// The synthetic world the customers follow (default `lift`, today's generating process).
    public var world: WorldKind

    public init(customers: Int = 1000, months: Int = 12, seed: UInt64 = 1, end: String = "2026-11-01",
                world: WorldKind = .lift) {
        self.customers = customers
        self.months = months
        self.seed = seed
        self.end = end
        self.world = world
    }

    private enum CodingKeys: String, CodingKey {
        case customers, months, seed, end, world
    }

    /// Decodes a configuration; a missing `world` is `lift` (configurations written before there were two worlds).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customers = try container.decode(Int.self, forKey: .customers)
        months = try container.decode(Int.self, forKey: .months)
        seed = try container.decode(UInt64.self, forKey: .seed)
        end = try container.decode(String.self, forKey: .end)
        world = try container.decodeIfPresent(WorldKind.self, forKey: .world) ?? .lift
    }

    /// Largest accepted customer count (ids and counters stay well inside their formats).
    public static let maximumCustomers = 100_000_000
    /// Largest accepted history length in months.
    public static let maximumMonths = 120

    /// Checks the configuration and returns the history's first day and `end` as day numbers
    /// (days since 1970-01-01).
    func validatedRange() throws(GeneratorError) -> (start: Int, end: Int) {
        guard customers >= 1 else {
            throw .invalidConfiguration("customers must be at least 1 (got \(customers))")
        }
        guard customers <= Self.maximumCustomers else {
            throw .invalidConfiguration("customers must be at most \(Self.maximumCustomers) (got \(customers))")
        }
        guard months >= 1, months <= Self.maximumMonths else {
            throw .invalidConfiguration("months must be between 1 and \(Self.maximumMonths) (got \(months))")
        }
        guard let endDay = CivilDate.parseExact(end) else {
            throw .invalidConfiguration("end must be a valid date written YYYY-MM-DD (got \"\(end)\")")
        }
        let startDay = CivilDate.addingMonths(-months, to: endDay)
        guard CivilDate.components(startDay).year >= 1971, CivilDate.components(endDay).year <= 9999 else {
            throw .invalidConfiguration("the history [end − months, end) must lie between 1971-01-01 and 9999-12-31 (got end \(end), months \(months))")
        }
        return (Int(startDay), Int(endDay))
    }
}

/// Row counts and size of a generated export folder.
public struct GenerationSummary: Sendable, Equatable {
    /// Rows in customers.csv.
    public var customers: Int
    /// Rows in invoices.csv.
    public var invoices: Int
    /// Rows in payments.csv.
    public var payments: Int
    /// Rows in calls.csv.
    public var calls: Int
    /// Rows in promises.csv.
    public var promises: Int
    /// Bytes written over all six files (the five CSV files and truth.json).
    public var bytesWritten: Int

    public init(customers: Int = 0, invoices: Int = 0, payments: Int = 0, calls: Int = 0, promises: Int = 0, bytesWritten: Int = 0) {
        self.customers = customers
        self.invoices = invoices
        self.payments = payments
        self.calls = calls
        self.promises = promises
        self.bytesWritten = bytesWritten
    }
}

/// Why generation failed.
public enum GeneratorError: Error, CustomStringConvertible, Equatable {
    /// The configuration is out of range; the message says which field and why.
    case invalidConfiguration(String)
    /// A file or folder could not be created or written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return "invalid generator configuration: \(message)"
        case .io(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
