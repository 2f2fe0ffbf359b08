import Bundles
import CallGrid
import Features
import Models

/// The promise follow-ups of one day (routing rule 5 of `QueueBuilder`), scored and ranked: the open, unpaid
/// promises due within the policy's follow-up days (or in their grace days), of customers who may be called.
struct PromiseFollowUps {
    /// The promises, in the feature builder's order.
    var promises: [OpenPromise] = []
    /// Per promise: P(kept), and the expected shortfall remaining × (1 − P(kept)).
    var pKept: [Double] = []
    var shortfall: [Double] = []
    /// Per promise: the call window (0 … 24) and its P(right-party contact).
    var window: [Int] = []
    var pContact: [Double] = []
    /// Positions in `promises` in rank order: expected shortfall descending, ties by customer id then promise id.
    var order: [Int] = []

    /// The customers with a follow-up (one entry per promise).
    var customers: [Int32] { promises.map(\.customer) }
}

extension QueueBuilder {
    /// Selects the day's promise follow-ups, scores them, picks each one's call window and ranks them.
    func promiseFollowUps(_ scored: ScoredAccounts) throws -> PromiseFollowUps {
        let lastDue = asOf + Int32(policy.promiseFollowUpDays)
        let open = builder.openPromises(asOf: asOf).filter { $0.remaining > 0 && $0.promisedDate <= lastDue }
        guard !open.isEmpty else { return PromiseFollowUps() }
        let doNotCall = export.customers.doNotCall
        let customers = export.customers
        let callable = open.filter {
            !(policy.excludeDoNotCall && doNotCall[Int($0.customer)]) && !customers.isBlockedInEveryWindow(Int($0.customer))
        }
        let pKept = try promiseKeptProbabilities(callable)
        let shortfall = callable.indices.map { callable[$0].remaining * (1 - pKept[$0]) }
        let windows = try followUpWindows(callable, scored: scored)
        let ids = export.customers.ids, promiseIds = export.promises.ids
        let order = Self.rank(Array(callable.indices), by: { shortfall[$0] }, id: {
            ids.id(Int(callable[$0].customer)) + "\u{0}" + promiseIds.id(Int(callable[$0].promiseRow))
        })
        return PromiseFollowUps(promises: callable, pKept: pKept, shortfall: shortfall, window: windows.window,
                                pContact: windows.pContact, order: order)
    }

    /// P(kept) of each promise, from the bundle's promise-kept model.
    private func promiseKeptProbabilities(_ promises: [OpenPromise]) throws -> [Double] {
        let records = builder.promiseRecords(at: promises.map(\.record))
        let model = bundle.promiseKept
        let design = try records.features.matrix(columns: model.features)
        let probabilities = try model.probabilities(design)
        try FiniteScores.check(probabilities, what: "P(kept)",
                               modelFile: FiniteScores.modelFile(bundle, ModelBundle.FileName.promiseKept))
        return probabilities
    }

    /// Each promise's call window and P(contact): its account's chosen window, or the population's for accounts
    /// without an open balance today (they have no snapshot row).
    private func followUpWindows(_ promises: [OpenPromise], scored: ScoredAccounts) throws -> (window: [Int], pContact: [Double]) {
        let population = try bundle.callWindow.contactProbabilities(attempts: .init(rows: 1, columns: CallWindows.count),
                                                                   contacts: .init(rows: 1, columns: CallWindows.count))
        let populationWindow = CallWindowModel.chosenWindows(population)[0]
        var rowOfCustomer = [Int32: Int](minimumCapacity: scored.count)
        for row in 0..<scored.count { rowOfCustomer[scored.table.customers[row]] = row }
        let rows = promises.map { rowOfCustomer[$0.customer] }
        // Without a snapshot row: the population's best window among those the customer's do-not-call times leave.
        let times = export.customers.doNotCallTimes
        func populationChoice(_ customer: Int32) -> (window: Int, pContact: Double) {
            let blocked = Int(customer) < times.count ? times[Int(customer)].blockedWindows : 0
            guard blocked != 0 else { return (populationWindow, population.storage[populationWindow]) }
            var best = -1
            for window in 0..<CallWindows.count where blocked & (1 << UInt32(window)) == 0
                && (best < 0 || population.storage[window] > population.storage[best]) { best = window }
            return best < 0 ? (populationWindow, 0) : (best, population.storage[best])
        }
        let choices = zip(promises, rows).map { promise, row in
            row.map { (scored.chosenWindow[$0], scored.pContact[$0]) } ?? populationChoice(promise.customer)
        }
        return (choices.map(\.0), choices.map(\.1))
    }
}
