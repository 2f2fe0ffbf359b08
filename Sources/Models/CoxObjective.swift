#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import LinearAlgebra
import Parallelism
import Metrics

/// The penalised negative Cox log partial likelihood over standardised features, with its gradient and Hessian.
///
/// Objective (to minimise): `−ℓ(β) + (l2/2)·‖β‖²`, `β` the standardised coefficients (no intercept:
/// the partial likelihood does not identify one). With `ηᵢ = zᵢ·β`, `φᵢ = wᵢ·e^ηᵢ` and, at each
/// distinct event time `t` with `d` tied events of total weight `W`, the risk-set sums
/// `S₀ = Σ_{tᵢ ≥ t} φᵢ`, `S₁ = Σ φᵢ zᵢ`, `S₂ = Σ φᵢ zᵢzᵢᵀ` and the tied-event sums `T₀, T₁, T₂`:
///
/// - Efron (lifelines' convention for case weights: the `d` terms share the mean event weight
///   `W/d`; `d` counts the tied events with non-zero weight):
///   `ℓ = Σ_events wᵢηᵢ − Σ_t (W/d)·Σ_{k=0}^{d−1} log(S₀ − (k/d)·T₀)`;
/// - Breslow: `ℓ = Σ_events wᵢηᵢ − Σ_t W·log S₀`.
///
/// Gradient `−Σ_events wᵢzᵢ + Σ_t (W/d)·Σ_k m_k + l2·β` with `m_k = (S₁ − c_k T₁)/D_k`,
/// `D_k = S₀ − c_k T₀`, `c_k = k/d` (Breslow: one term, `c = 0`, weight `W`); Hessian
/// `Σ_t (W/d)·Σ_k [(S₂ − c_k T₂)/D_k − m_k m_kᵀ] + l2·I`.
///
/// Evaluation never forms `S₂`: because every row enters all risk sets from its own time down,
/// `Σ_t Σ_k (W/d)(S₂ − c_k T₂)/D_k = Σᵢ cᵢ zᵢzᵢᵀ` with the per-row weight
/// `cᵢ = φᵢ·(Aᵢ − [i is an event]·b_{t(i)})`, where `a_t = (W/d)Σ_k 1/D_k`, `b_t = (W/d)Σ_k c_k/D_k`
/// and `Aᵢ = Σ_{event times t ≤ tᵢ} a_t`; and the same weights give the risk-set part of the
/// gradient, `Σᵢ cᵢ zᵢ = Zᵀc`. The rank-one terms of a tied group collapse to at most two rows
/// (`Σ_k (W/d) m_k m_kᵀ` is a quadratic form in `S₁, T₁`, factored as `r₁r₁ᵀ + r₂r₂ᵀ`).
///
/// One evaluation therefore reads the sorted standardised features three times:
/// 1. `η = Z·β`, `φ = w·e^{η − shift}` and the partitions' totals of φ;
/// 2. each partition's pass over its groups in descending time: S₀ (from the earlier partitions'
///    total), S₁ and T₁ of each group by DGEMV, the log-likelihood terms, `a_t`, `b_t` and the
///    collapsed rows. S₁ is summed from the partition's own start; the earlier partitions' part `O`
///    adds `√α·O` to each `r₁`, which is added to `MᵀM` afterwards in closed form;
/// 3. `Zᵀc` (DGEMV) and `Zᵀ·diag(c)·Z` (DSYRK on `√cᵢ`-scaled 1024-row blocks; measured faster than
///    hand-written four-row rank-one updates at p = 10), minus `MᵀM` (DSYRK on the collapsed rows).
/// All three run on all cores over a fixed number (8) of row partitions cut at group boundaries,
/// with OpenBLAS single-threaded inside, and partial sums are added in a fixed order, so results do
/// not depend on the core count. `value(at:)` does passes 1 and 2 without the vector sums.
///
/// `φ` is computed as `wᵢ·e^{ηᵢ − max η}`: the shift cancels in every ratio and is added back to the
/// log-likelihood, so large linear predictors do not overflow.
///
/// The rows are sorted once by duration (descending, a radix sort; at equal durations the events
/// first, each part in input order) and the standardised features are materialised in that order
/// (`rows × parameterCount` doubles).
/// Not thread-safe: one solver at a time (evaluations reuse the object's buffers).
public final class CoxObjective: NewtonObjective {
    /// How tied event times are handled.
    public let ties: CoxRegression.Ties
    /// Ridge strength on the standardised coefficients.
    public let l2: Double
    /// Number of (kept, standardised) features.
    public let parameterCount: Int
    /// Total weight of the events: the gradient is a sum over events, so the solver's test reads as a mean.
    public let gradientScale: Double
    /// Rows of the data.
    public let rows: Int
    /// `order[k]` is the input row at sorted position `k` (descending duration, events first at ties).
    public let order: [Int]

    // Sorted data, allocated once and freed in deinit (stable addresses for the parallel passes).
    /// Standardised features, row-major `rows × parameterCount`.
    let z: UnsafeMutableBufferPointer<Double>
    /// Durations, descending.
    let durations: UnsafeMutableBufferPointer<Double>
    /// Case weights.
    let weights: UnsafeMutableBufferPointer<Double>
    /// Event flags (an event with weight 0 is not an event).
    let isEvent: UnsafeMutableBufferPointer<Bool>
    /// Sorted position → group of equal duration.
    let groupOfRow: UnsafeMutableBufferPointer<Int32>
    /// Group `g` holds rows `groupStarts[g] ..< groupStarts[g + 1]` (`groupCount + 1` entries).
    let groupStarts: UnsafeMutableBufferPointer<Int>
    /// Per group: number of events (non-zero weight) and their total weight.
    let groupEventCounts: UnsafeMutableBufferPointer<Int>
    let groupEventWeights: UnsafeMutableBufferPointer<Double>
    /// Number of groups of equal duration.
    let groupCount: Int
    /// `Σ_events wᵢ zᵢ`.
    let eventFeatureSum: [Double]
    /// Total event weight.
    let eventWeight: Double
    /// Smallest risk-set denominator (after the shift by max η) still treated as representable:
    /// `1e-150 ×` the smallest positive weight. Below it `1/D²` would overflow, which only happens
    /// when linear predictors spread over more than ~345 (coefficients running off in a monotone
    /// likelihood); the objective is then reported as +∞ so the solver's line search backs off.
    let domainFloor: Double

    /// Rows per cache block of scaled rows.
    static let blockRows = 1024
    /// Groups of at least this many rows get their sums from DGEMV, smaller ones from a plain loop.
    static let blasGroupRows = 16
    /// Fixed number of partitions (independent of the machine, for reproducible sums).
    static let partitionCount = 8
    /// Row ranges of the partitions (contiguous, in sorted order, starting at group boundaries).
    let partitions: [Range<Int>]
    /// Group ranges of the partitions.
    let partitionGroups: [Range<Int>]
    private let scratch: [PartitionScratch]

    // Per-evaluation buffers (partitions write disjoint ranges).
    private let eta: UnsafeMutableBufferPointer<Double>
    private let phi: UnsafeMutableBufferPointer<Double>
    /// a_t per group, then (after the ascending pass) A_t.
    private let groupA: UnsafeMutableBufferPointer<Double>
    /// b_t per group.
    private let groupB: UnsafeMutableBufferPointer<Double>
    /// Per group, the collapsed rows' coefficients: r₁ = √α·S₁ − cross·T₁, r₂ = rest·T₁.
    private let groupRootAlpha: UnsafeMutableBufferPointer<Double>
    private let groupCross: UnsafeMutableBufferPointer<Double>
    private let groupRest: UnsafeMutableBufferPointer<Double>

    /// Per-partition sums and buffers, allocated once (stable addresses, no closures to reach them) and reused
    /// across evaluations.
    private final class PartitionScratch: @unchecked Sendable {
        /// √c-scaled rows of the current block, `blockRows × p`.
        let scaled: UnsafeMutableBufferPointer<Double>
        /// Per-row weights cᵢ of the current block.
        let rowWeights: UnsafeMutableBufferPointer<Double>
        /// The partition's `Zᵀc` and `Zᵀ·diag(c)·Z − MᵀM` (upper triangle).
        let gradient: UnsafeMutableBufferPointer<Double>
        let hessian: UnsafeMutableBufferPointer<Double>
        /// Collapsed rank-one rows of this partition's groups, computed with S₁ summed from the
        /// partition's own first row ("local"); the earlier partitions' part is added in closed form.
        var rankOne: [Double] = []
        /// `Σ_g √α_g·r₁,local(g)` and `Σ_g α_g` over the partition's groups (for that correction).
        let rootAlphaRows: UnsafeMutableBufferPointer<Double>
        var alphaSum = 0.0
        /// Σ a_t over the partition's groups.
        var aTotal = 0.0
        var maxEta = -Double.infinity
        /// Σφ over the partition's rows, and the local S₁ at its end (= Σφz over its rows).
        var s0Total = 0.0
        let s1Total: UnsafeMutableBufferPointer<Double>
        /// S₀ of all earlier (later-time) partitions.
        var s0Start = 0.0
        var logLikelihood = 0.0
        var smallestDenominator = Double.infinity
        /// Running S₁ and T₁ of the group being summed.
        let s1: UnsafeMutableBufferPointer<Double>
        let t1: UnsafeMutableBufferPointer<Double>

        init(blockRows: Int, p: Int) {
            scaled = .allocate(filledWith: 0, count: blockRows * p)
            rowWeights = .allocate(filledWith: 0, count: blockRows)
            gradient = .allocate(filledWith: 0, count: p)
            hessian = .allocate(filledWith: 0, count: p * p)
            rootAlphaRows = .allocate(filledWith: 0, count: p)
            s1Total = .allocate(filledWith: 0, count: p)
            s1 = .allocate(filledWith: 0, count: p)
            t1 = .allocate(filledWith: 0, count: p)
        }

        deinit {
            for buffer in [scaled, rowWeights, gradient, hessian, rootAlphaRows, s1Total, s1, t1] { buffer.deallocate() }
        }

        /// Zeroes the sums of the vector pass (`p` parameters) and empties the collapsed rows.
        func clearVectorSums(_ p: Int) {
            rankOne.removeAll(keepingCapacity: true)
            for j in 0..<p {
                gradient[j] = 0
                s1[j] = 0
                t1[j] = 0
                rootAlphaRows[j] = 0
            }
            for j in 0..<(p * p) { hessian[j] = 0 }
        }
    }

    /// Sorts the rows and materialises the standardised features.
    /// - Parameters:
    ///   - design: raw features with the kept columns and their moments (the intercept column is not used).
    ///   - durations: finite, non-negative durations (any time unit), one per row.
    ///   - events: whether each row's event happened at its duration (false = censored).
    ///   - weights: non-negative case weights.
    /// - Precondition: all arrays have `design.rows` elements.
    public init(
        design: StandardizedDesign, durations: [Double], events: [Bool], weights: [Double],
        ties: CoxRegression.Ties, l2: Double
    ) {
        let n = design.rows, p = design.kept.count
        precondition(durations.count == n && events.count == n && weights.count == n)
        self.ties = ties
        self.l2 = l2
        self.parameterCount = p
        self.rows = n

        let order = Self.sortOrder(durations: durations, events: events, weights: weights)
        self.order = order
        let sorted = Self.sortedRows(design: design, durations: durations, events: events, weights: weights, order: order)
        self.z = sorted.z
        self.durations = sorted.durations
        self.weights = sorted.weights
        self.isEvent = sorted.isEvent
        self.eventFeatureSum = Self.eventFeatureSum(sorted, rows: n, columns: p)

        let groups = GroupLayout(sorted, rows: n)
        let groupCount = groups.count
        self.groupCount = groupCount
        self.groupOfRow = groups.groupOfRow
        self.groupStarts = .allocate(copying: groups.starts)
        self.groupEventCounts = .allocate(copying: groups.eventCounts)
        self.groupEventWeights = .allocate(copying: groups.eventWeights)
        self.eventWeight = groups.eventWeight
        self.gradientScale = groups.eventWeight
        self.domainFloor = 1e-150 * (groups.smallestWeight.isFinite ? groups.smallestWeight : 1)

        let cuts = Self.partitionCuts(starts: groups.starts, groupCount: groupCount, rows: n)
        self.partitionGroups = cuts.groups
        self.partitions = cuts.rows
        self.scratch = (0..<Self.partitionCount).map { _ in PartitionScratch(blockRows: Self.blockRows, p: p) }
        self.eta = .allocate(capacity: max(1, n))
        self.phi = .allocate(capacity: max(1, n))
        self.groupA = .allocate(capacity: max(1, groupCount))
        self.groupB = .allocate(capacity: max(1, groupCount))
        self.groupRootAlpha = .allocate(capacity: max(1, groupCount))
        self.groupCross = .allocate(capacity: max(1, groupCount))
        self.groupRest = .allocate(capacity: max(1, groupCount))
    }

    deinit {
        for buffer in [z, durations, weights, eta, phi, groupA, groupB, groupRootAlpha, groupCross, groupRest,
                       groupEventWeights] { buffer.deallocate() }
        isEvent.deallocate()
        groupOfRow.deallocate()
        groupStarts.deallocate()
        groupEventCounts.deallocate()
    }

    /// Number of distinct durations with at least one event (of non-zero weight).
    public var eventTimeCount: Int { groupEventCounts.prefix(groupCount).reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    // MARK: - Sorting the rows

    /// The sorted order: `order[k]` is the input row at position `k`.
    ///
    /// Descending durations; within equal durations the events (of non-zero weight) first, each part in input
    /// order (the radix sort is stable), so that a group's events are contiguous and its T₁ is a sub-range of its S₁.
    private static func sortOrder(durations: [Double], events: [Bool], weights: [Double]) -> [Int] {
        let n = durations.count
        var eventsFirst = [Int]()
        eventsFirst.reserveCapacity(n)
        for i in 0..<n where events[i] && weights[i] > 0 { eventsFirst.append(i) }
        for i in 0..<n where !(events[i] && weights[i] > 0) { eventsFirst.append(i) }
        return RadixSort.descendingOrder(durations, startingFrom: eventsFirst)
    }

    /// The inputs in sorted order, in buffers the objective owns.
    private struct SortedRows: @unchecked Sendable {
        /// Standardised features, row-major `rows × p`.
        let z: UnsafeMutableBufferPointer<Double>
        let durations: UnsafeMutableBufferPointer<Double>
        let weights: UnsafeMutableBufferPointer<Double>
        /// Event flags (an event with weight 0 is not an event).
        let isEvent: UnsafeMutableBufferPointer<Bool>
    }

    /// Read-only views of what the scatter reads, valid inside the call that made them.
    private struct ScatterSource: @unchecked Sendable {
        /// Raw features, row-major `rows × columns`.
        let raw: UnsafeBufferPointer<Double>
        let columns: Int
        /// Input row → sorted position.
        let position: UnsafeBufferPointer<Int>
        let durations: UnsafeBufferPointer<Double>
        let weights: UnsafeBufferPointer<Double>
        let events: UnsafeBufferPointer<Bool>
        /// The design's kept raw columns, their means and reciprocal standard deviations.
        let kept: UnsafeBufferPointer<Int>
        let means: UnsafeBufferPointer<Double>
        let scales: UnsafeBufferPointer<Double>
    }

    /// Allocates the sorted buffers and fills them from the inputs in `order`.
    private static func sortedRows(
        design: StandardizedDesign, durations: [Double], events: [Bool], weights: [Double], order: [Int]
    ) -> SortedRows {
        let n = design.rows, p = design.kept.count
        var position = [Int](repeating: 0, count: n)
        for k in 0..<n { position[order[k]] = k }
        let sorted = SortedRows(
            z: .allocate(capacity: max(1, n * p)), durations: .allocate(capacity: max(1, n)),
            weights: .allocate(capacity: max(1, n)), isEvent: .allocate(capacity: max(1, n)))
        let blocks = max(1, min(64, n / 4096))
        zeroInParallel(sorted.z, count: n * p, blocks: blocks)
        withUnsafeBuffers(design.features.storage, position, durations, weights) { raw, position, durations, weights in
            withUnsafeBuffers(events, design.kept, design.means, design.inverseScales) { events, kept, means, scales in
                let source = ScatterSource(
                    raw: raw, columns: design.features.columns, position: position, durations: durations,
                    weights: weights, events: events, kept: kept, means: means, scales: scales)
                scatter(source, into: sorted, rows: n, blocks: blocks)
            }
        }
        return sorted
    }

    /// First touch of a fresh buffer, in order and in parallel: page faults in random order (by the scatter
    /// itself) cost several times more.
    private static func zeroInParallel(_ buffer: UnsafeMutableBufferPointer<Double>, count total: Int, blocks: Int) {
        nonisolated(unsafe) let buffer = buffer
        Parallel.perform(blocks) { block in
            let range = (total * block / blocks)..<(total * (block + 1) / blocks)
            (buffer.baseAddress! + range.lowerBound).initialize(repeating: 0, count: range.count)
        }
    }

    /// Writes each input row at its sorted position, standardising its features: reading the raw rows in order
    /// and writing at random is about twice as fast as gathering random rows. Blocks write disjoint rows.
    private static func scatter(_ source: ScatterSource, into sorted: SortedRows, rows n: Int, blocks: Int) {
        Parallel.perform(blocks) { block in
            let raw = source.raw, columns = source.columns, position = source.position
            let durations = source.durations, weights = source.weights, events = source.events
            let kept = source.kept, means = source.means, scales = source.scales, p = kept.count
            let z = sorted.z, sortedDurations = sorted.durations
            let sortedWeights = sorted.weights, sortedEvents = sorted.isEvent
            for i in (n * block / blocks)..<(n * (block + 1) / blocks) {
                let k = position[i], w = weights[i]
                sortedDurations[k] = durations[i]
                sortedWeights[k] = w
                sortedEvents[k] = events[i] && w > 0
                let row = i * columns, out = k * p
                for j in 0..<p { z[out + j] = (raw[row + kept[j]] - means[j]) * scales[j] }
            }
        }
    }

    /// `Σ_events wᵢzᵢ = Zᵀ·(w∘event)`, one DGEMV.
    private static func eventFeatureSum(_ sorted: SortedRows, rows n: Int, columns p: Int) -> [Double] {
        var eventFeatureSum = [Double](repeating: 0, count: p)
        guard n > 0 && p > 0 else { return eventFeatureSum }
        let eventRowWeights = (0..<n).map { sorted.isEvent[$0] ? sorted.weights[$0] : 0 }
        eventRowWeights.withUnsafeBufferPointer { w in
            eventFeatureSum.withUnsafeMutableBufferPointer { sum in
                BLAS.gemv(rows: n, columns: p, sorted.z.baseAddress!, transpose: true, w.baseAddress!, into: sum.baseAddress!)
            }
        }
        return eventFeatureSum
    }

    /// The groups of equal duration in the sorted rows, with their events' counts and weights.
    private struct GroupLayout {
        /// Sorted position → group (a buffer the objective takes over).
        let groupOfRow: UnsafeMutableBufferPointer<Int32>
        /// Group `g` holds rows `starts[g] ..< starts[g + 1]` (`count + 1` entries).
        var starts: [Int] = []
        /// Per group: number of events (non-zero weight) and their total weight.
        var eventCounts: [Int] = []
        var eventWeights: [Double] = []
        /// Total event weight, and the smallest positive weight of any row.
        var eventWeight = 0.0
        var smallestWeight = Double.infinity

        /// Number of groups.
        var count: Int { eventCounts.count }

        init(_ sorted: SortedRows, rows n: Int) {
            groupOfRow = .allocate(capacity: max(1, n))
            var groupEvents = 0, groupWeight = 0.0
            for k in 0..<n {
                if k == 0 || sorted.durations[k] != sorted.durations[k - 1] {
                    if k > 0 {
                        eventCounts.append(groupEvents)
                        eventWeights.append(groupWeight)
                    }
                    starts.append(k)
                    groupEvents = 0
                    groupWeight = 0
                }
                groupOfRow[k] = Int32(starts.count - 1)
                let w = sorted.weights[k]
                if w > 0 { smallestWeight = min(smallestWeight, w) }
                if sorted.isEvent[k] {
                    groupEvents += 1
                    groupWeight += w
                    eventWeight += w
                }
            }
            if n > 0 {
                eventCounts.append(groupEvents)
                eventWeights.append(groupWeight)
            }
            starts.append(n)
        }
    }

    /// Row and group ranges of the partitions: about n/8 rows each, cut at the first group boundary at or
    /// after the even split.
    private static func partitionCuts(starts: [Int], groupCount: Int, rows n: Int)
        -> (groups: [Range<Int>], rows: [Range<Int>]) {
        let count = partitionCount
        var groupCuts = [0]
        var g = 0
        for c in 1..<count {
            while g < groupCount && starts[g] < n * c / count { g += 1 }
            groupCuts.append(max(g, groupCuts.last!))
        }
        groupCuts.append(groupCount)
        return ((0..<count).map { groupCuts[$0]..<groupCuts[$0 + 1] },
                (0..<count).map { starts[groupCuts[$0]]..<starts[groupCuts[$0 + 1]] })
    }

    // MARK: - Evaluation

    /// Makes OpenBLAS single-threaded (the partitions already use every core) and returns the undo.
    ///
    /// Nothing is changed when it already is: switching OpenBLAS back to several threads wakes its
    /// thread pool, which then spins for a while and steals the cores from the next evaluation, so
    /// `CoxRegression.fit` switches once for the whole fit.
    static func singleThreadedBLAS() -> () -> Void {
        BLAS.enterSingleThreaded()
        return { BLAS.leaveSingleThreaded() }
    }

    /// Runs `body` once per partition on all cores.
    private func forEachPartition(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            Parallel.perform(Self.partitionCount) { body($0) }
        }
    }

    /// The risk scores last computed: parameters and shift (reused by the baseline at the solution).
    private var lastRisk: (parameters: [Double], shift: Double)?

    /// Pass 1: fills `eta = Z·β`, `phi = w·e^{η − max η}` and the partitions' totals of φ and their
    /// offsets; returns the shift (max η) or nil when η is not finite.
    private func riskScores(_ beta: [Double]) -> Double? {
        if let last = lastRisk, last.parameters == beta { return last.shift }
        let shift: Double
        if beta.allSatisfy({ $0 == 0 }) {
            unitRiskScores()
            shift = 0
        } else {
            let maxEta = fillLinearPredictors(beta)
            guard !maxEta.isNaN, maxEta != .infinity else { return nil }
            shift = maxEta == -.infinity ? 0 : maxEta
            exponentiateRiskScores(shift: shift)
        }
        // S₀ offsets in partition order (descending time), a fixed-order sum.
        var s0 = 0.0
        for work in scratch {
            work.s0Start = s0
            s0 += work.s0Total
        }
        lastRisk = (beta, shift)
        return shift
    }

    /// β = 0 (the usual start): η = 0 and φ = w, no products and no exponentials.
    private func unitRiskScores() {
        nonisolated(unsafe) let context = self
        forEachPartition { c in
            let range = context.partitions[c], work = context.scratch[c]
            let phi = context.phi, w = context.weights
            var s0 = 0.0
            for i in range {
                phi[i] = w[i]
                s0 += w[i]
            }
            work.s0Total = s0
        }
    }

    /// `eta = Z·β` (a plain dot product per row); returns max η.
    private func fillLinearPredictors(_ beta: [Double]) -> Double {
        let p = parameterCount
        nonisolated(unsafe) let context = self
        beta.withUnsafeBufferPointer { b in
            nonisolated(unsafe) let b = b
            forEachPartition { c in
                let range = context.partitions[c], work = context.scratch[c]
                let z = context.z, eta = context.eta
                var localMax = -Double.infinity
                for i in range {
                    var sum = 0.0
                    for j in 0..<p { sum += z[i * p + j] * b[j] }
                    eta[i] = sum
                    localMax = max(localMax, sum)
                }
                work.maxEta = localMax
            }
        }
        return scratch.reduce(-Double.infinity) { max($0, $1.maxEta) }
    }

    /// `phi = w·e^{η − shift}` and the partitions' totals of φ.
    private func exponentiateRiskScores(shift: Double) {
        nonisolated(unsafe) let context = self
        forEachPartition { c in
            let range = context.partitions[c], work = context.scratch[c]
            let eta = context.eta, phi = context.phi, w = context.weights
            var s0 = 0.0
            for i in range {
                let f = w[i] * exp(eta[i] - shift)
                phi[i] = f
                s0 += f
            }
            work.s0Total = s0
        }
    }

    /// Pass 2: each partition's scalar pass over its groups in descending time (no features read):
    /// the log-likelihood terms, `a_t`, `b_t` and the coefficients of the collapsed rows, then the
    /// partition-local ascending sums `Σ_{later groups of the partition} a` into `groupA`.
    private func scalarPass() {
        nonisolated(unsafe) let context = self
        forEachPartition { c in context.scalarPartition(c) }
    }

    /// Running sums of one partition's scalar pass.
    private struct ScalarSums {
        var logLikelihood = 0.0
        /// Smallest risk-set denominator met.
        var smallest = Double.infinity
        /// `Σ_g α_g`.
        var alphaSum = 0.0
    }

    /// Partition `c`'s part of pass 2, into its scratch.
    private func scalarPartition(_ c: Int) {
        let work = scratch[c], phi = self.phi, starts = groupStarts, counts = groupEventCounts
        var sums = ScalarSums()
        var s0 = work.s0Start
        let groups = partitionGroups[c]
        for g in groups {
            // The group's events are its first d rows.
            let d = counts[g], eventsEnd = starts[g] + d
            var t0 = 0.0
            for i in starts[g]..<eventsEnd { t0 += phi[i] }
            s0 += t0
            for i in eventsEnd..<starts[g + 1] { s0 += phi[i] }
            if d == 0 {
                clearGroup(g)
            } else if ties == .breslow || d == 1 {
                singleTermGroup(g, s0: s0, &sums)
            } else {
                efronGroup(g, events: d, s0: s0, t0: t0, &sums)
            }
        }
        work.aTotal = ascendingSumsOfA(groups)
        work.logLikelihood = sums.logLikelihood
        work.smallestDenominator = sums.smallest
        work.alphaSum = sums.alphaSum
    }

    /// A group without events: no terms, no collapsed rows.
    @inline(__always)
    private func clearGroup(_ g: Int) {
        groupA[g] = 0
        groupB[g] = 0
        groupRootAlpha[g] = 0
        groupCross[g] = 0
        groupRest[g] = 0
    }

    /// A group of one term (Breslow, or a single event) with c = 0: a = W/S₀, b = 0, collapsed row (√W/S₀)·S₁.
    @inline(__always)
    private func singleTermGroup(_ g: Int, s0: Double, _ sums: inout ScalarSums) {
        let weight = groupEventWeights[g]
        sums.smallest = min(sums.smallest, s0)
        sums.logLikelihood -= weight * log(s0)
        groupA[g] = weight / s0
        groupB[g] = 0
        groupRootAlpha[g] = weight.squareRoot() / s0
        groupCross[g] = 0
        groupRest[g] = 0
        sums.alphaSum += weight / (s0 * s0)
    }

    /// Sums over the `d` Efron terms `D_k = S₀ − (k/d)·T₀` of a tied group.
    struct EfronTerms {
        /// `Σ_k log D_k`.
        var logSum: Double
        /// `Σ 1/D_k`, `Σ c_k/D_k`, `Σ 1/D_k²`, `Σ c_k/D_k²`, `Σ c_k²/D_k²`.
        var a = 0.0, b = 0.0, aa = 0.0, ab = 0.0, bb = 0.0
    }

    /// The Efron sums of a group with `d` tied events of φ-total `t0` and risk set `s0`.
    ///
    /// `Σ_k log D_k = d·log S₀ + Σ log Π (D_k/S₀)` over chunks of 16 factors: each factor is ≥ 1/d, so a
    /// chunk's product stays a normal number for any d < 10¹⁹, and one log per chunk replaces sixteen.
    @inline(__always)
    static func efronTerms(events d: Int, s0: Double, t0: Double) -> EfronTerms {
        let inverseS0 = 1 / s0
        var terms = EfronTerms(logSum: Double(d) * log(s0))
        var product = 1.0
        for k in 0..<d {
            let fraction = Double(k) / Double(d)
            let denominator = s0 - fraction * t0
            let inverse = 1 / denominator
            product *= denominator * inverseS0
            if k & 15 == 15 {
                terms.logSum += log(product)
                product = 1
            }
            terms.a += inverse
            terms.b += fraction * inverse
            let inverse2 = inverse * inverse
            terms.aa += inverse2
            terms.ab += fraction * inverse2
            terms.bb += fraction * fraction * inverse2
        }
        terms.logSum += log(product)
        return terms
    }

    /// A group of `d > 1` tied events under Efron: its log-likelihood term, `a_t`, `b_t` and collapsed rows.
    @inline(__always)
    private func efronGroup(_ g: Int, events d: Int, s0: Double, t0: Double, _ sums: inout ScalarSums) {
        let meanWeight = groupEventWeights[g] / Double(d)
        sums.smallest = min(sums.smallest, s0 - Double(d - 1) / Double(d) * t0)
        let terms = Self.efronTerms(events: d, s0: s0, t0: t0)
        sums.logLikelihood -= meanWeight * terms.logSum
        groupA[g] = meanWeight * terms.a
        groupB[g] = meanWeight * terms.b
        // Σ_k (W/d)·m_k m_kᵀ = α S₁S₁ᵀ − β (S₁T₁ᵀ + T₁S₁ᵀ) + γ T₁T₁ᵀ = r₁r₁ᵀ + r₂r₂ᵀ with
        // r₁ = √α·S₁ − (β/√α)·T₁ and r₂ = √(γ − β²/α)·T₁.
        let alpha = meanWeight * terms.aa, beta = meanWeight * terms.ab, gamma = meanWeight * terms.bb
        let rootAlpha = alpha.squareRoot(), cross = beta / rootAlpha
        groupRootAlpha[g] = rootAlpha
        groupCross[g] = cross
        groupRest[g] = max(0, gamma - cross * cross).squareRoot()
        sums.alphaSum += alpha
    }

    /// Partition-local ascending sums of a over `groups` (the earlier-time partitions' total is added later);
    /// returns their total.
    private func ascendingSumsOfA(_ groups: Range<Int>) -> Double {
        var running = 0.0
        for g in groups.reversed() {
            running += groupA[g]
            groupA[g] = running
        }
        return running
    }

    /// Pass 3: each partition reads its rows once, in blocks, for the gradient `Zᵀc`, the Hessian part
    /// `Zᵀ·diag(c)·Z` (DSYRK on √c-scaled rows) and, group by group in descending time, the local S₁,
    /// T₁ and collapsed rows (then `−MᵀM` by DSYRK). `aOffsets[c]` completes the partition-local sums of
    /// `a` to `A_t`.
    private func vectorPass(aOffsets: [Double]) {
        nonisolated(unsafe) let context = self
        forEachPartition { c in context.vectorPartition(c, aOffset: aOffsets[c]) }
    }

    /// Partition `c`'s part of pass 3, into its scratch.
    private func vectorPartition(_ c: Int, aOffset: Double) {
        let p = parameterCount, range = partitions[c], work = scratch[c]
        work.clearVectorSums(p)
        guard p > 0, !range.isEmpty else { return }
        var g = partitionGroups[c].lowerBound
        var start = range.lowerBound
        while start < range.upperBound {
            let rows = start..<(start + min(Self.blockRows, range.upperBound - start))
            addWeightedGram(rows: rows, work, aOffset: aOffset)
            addGroupSums(rows: rows, work, group: &g)
            start = rows.upperBound
        }
        for j in 0..<p { work.s1Total[j] = work.s1[j] }
        subtractCollapsedRows(work)
    }

    /// For a block of rows: cᵢ = φᵢ·(A_{t(i)} − [event]·b_{t(i)}), the √c-scaled rows, then `Zᵀc` (DGEMV) and
    /// `Zᵀ·diag(c)·Z` (DSYRK) added to the partition's sums.
    @inline(__always)
    private func addWeightedGram(rows: Range<Int>, _ work: PartitionScratch, aOffset: Double) {
        let p = parameterCount, start = rows.lowerBound, count = rows.count
        let z = self.z, phi = self.phi, isEvent = self.isEvent, groupOfRow = self.groupOfRow
        let groupA = self.groupA, groupB = self.groupB, weights = work.rowWeights, scaled = work.scaled
        for r in 0..<count {
            let i = start + r, group = Int(groupOfRow[i])
            let weight = max(0, phi[i] * (groupA[group] + aOffset - (isEvent[i] ? groupB[group] : 0)))
            weights[r] = weight
            let root = weight.squareRoot(), row = i * p, out = r * p
            for j in 0..<p { scaled[out + j] = root * z[row + j] }
        }
        BLAS.gemv(rows: count, columns: p, z.baseAddress! + start * p, transpose: true,
                  weights.baseAddress!, beta: 1, into: work.gradient.baseAddress!)
        BLAS.gramUpper(scaled.baseAddress!, rows: count, columns: p, into: work.hessian.baseAddress!, beta: 1)
    }

    /// The groups' S₁ and T₁ from a block's rows (still in cache), starting in group `g`; each group completed
    /// in the block gets its collapsed rows and `g` moves on. A group's events come first, so T₁ sums the rows up
    /// to its last event and S₁ = T₁ + the censored rows.
    @inline(__always)
    private func addGroupSums(rows: Range<Int>, _ work: PartitionScratch, group g: inout Int) {
        let p = parameterCount, end = rows.upperBound, starts = groupStarts, counts = groupEventCounts
        var i = rows.lowerBound
        while i < end {
            let groupEnd = starts[g + 1], segmentEnd = min(groupEnd, end), d = counts[g]
            let needsT1 = d > 1 && ties == .efron
            let eventsEnd = needsT1 ? max(i, min(starts[g] + d, segmentEnd)) : i
            if eventsEnd > i {
                Self.addWeightedRows(z, phi, rows: i..<eventsEnd, columns: p, into: work.t1)
            }
            if segmentEnd > eventsEnd {
                Self.addWeightedRows(z, phi, rows: eventsEnd..<segmentEnd, columns: p, into: work.s1)
            }
            i = segmentEnd
            guard segmentEnd == groupEnd else { break }
            completeGroup(g, events: d, needsT1: needsT1, work)
            g += 1
        }
    }

    /// Group `g` is summed: S₁ gets T₁, the collapsed rows r₁ = √α·S₁ − cross·T₁ and r₂ = rest·T₁ are appended,
    /// and T₁ restarts.
    @inline(__always)
    private func completeGroup(_ g: Int, events d: Int, needsT1: Bool, _ work: PartitionScratch) {
        let p = parameterCount, s1 = work.s1, t1 = work.t1, rootAlphaRows = work.rootAlphaRows
        if needsT1 { for j in 0..<p { s1[j] += t1[j] } }
        if d > 0 {
            let rootAlpha = groupRootAlpha[g], cross = groupCross[g], rest = groupRest[g]
            for j in 0..<p {
                let value = rootAlpha * s1[j] - cross * t1[j]
                work.rankOne.append(value)
                rootAlphaRows[j] += rootAlpha * value
            }
            if rest > 0 { for j in 0..<p { work.rankOne.append(rest * t1[j]) } }
        }
        if needsT1 { for j in 0..<p { t1[j] = 0 } }
    }

    /// `−MᵀM` (DSYRK on the partition's collapsed rows) added to its Hessian sum.
    private func subtractCollapsedRows(_ work: PartitionScratch) {
        let p = parameterCount
        let rankOneRows = work.rankOne.count / p
        guard rankOneRows > 0 else { return }
        work.rankOne.withUnsafeBufferPointer { m in
            BLAS.gramUpper(m.baseAddress!, rows: rankOneRows, columns: p, into: work.hessian.baseAddress!,
                           alpha: -1, beta: 1)
        }
    }

    /// `sums += Σ_{i ∈ rows} φᵢ·zᵢ`: DGEMV for longer runs, a plain loop for short ones.
    @inline(__always)
    static func addWeightedRows(
        _ z: UnsafeMutableBufferPointer<Double>, _ phi: UnsafeMutableBufferPointer<Double>, rows: Range<Int>,
        columns p: Int, into sums: UnsafeMutableBufferPointer<Double>
    ) {
        if rows.count >= blasGroupRows {
            BLAS.gemv(rows: rows.count, columns: p, z.baseAddress! + rows.lowerBound * p, transpose: true,
                      phi.baseAddress! + rows.lowerBound, beta: 1, into: sums.baseAddress!)
        } else {
            for i in rows {
                let f = phi[i], row = i * p
                for j in 0..<p { sums[j] += f * z[row + j] }
            }
        }
    }

    /// The log partial likelihood after `scalarPass` (fixed-order sum), or nil outside the representable
    /// domain (a risk-set denominator below `domainFloor`).
    private func collectLogLikelihood(_ parameters: [Double], shift: Double) -> Double? {
        // Σ_events wᵢηᵢ = β·Σ_events wᵢzᵢ.
        var logLikelihood = zip(parameters, eventFeatureSum).reduce(0) { $0 + $1.0 * $1.1 }
        var smallest = Double.infinity
        for work in scratch {
            logLikelihood += work.logLikelihood
            smallest = min(smallest, work.smallestDenominator)
        }
        guard smallest >= domainFloor else { return nil }
        return logLikelihood - eventWeight * shift
    }

    public func value(at parameters: [Double]) -> Double {
        let restore = Self.singleThreadedBLAS()
        defer { restore() }
        guard let shift = riskScores(parameters) else { return .nan }
        scalarPass()
        guard let logLikelihood = collectLogLikelihood(parameters, shift: shift) else { return .infinity }
        return -logLikelihood + penalty(parameters)
    }

    public func evaluate(at parameters: [Double], gradient: inout [Double], hessian: inout Matrix) -> Double {
        let restore = Self.singleThreadedBLAS()
        defer { restore() }
        guard let shift = riskScores(parameters) else {
            for j in gradient.indices { gradient[j] = .nan }
            return .nan
        }
        scalarPass()
        guard let logLikelihood = collectLogLikelihood(parameters, shift: shift) else {
            for j in gradient.indices { gradient[j] = .nan }
            return .infinity
        }
        vectorPass(aOffsets: aOffsets())
        collectVectorSums(parameters, gradient: &gradient, hessian: &hessian)
        return -logLikelihood + penalty(parameters)
    }

    /// Per partition, the `a` of all later-time partitions (fixed order): added to the partition-local sums
    /// it gives A_t.
    private func aOffsets() -> [Double] {
        var aOffsets = [Double](repeating: 0, count: scratch.count)
        var running = 0.0
        for c in stride(from: scratch.count - 1, through: 0, by: -1) {
            aOffsets[c] = running
            running += scratch[c].aTotal
        }
        return aOffsets
    }

    /// The gradient and Hessian from the partitions' sums (fixed-order reduction), plus the penalty's.
    ///
    /// Each partition's collapsed rows used its local S₁; with the S₁ of the earlier partitions, O, each r₁
    /// gains √α·O, so MᵀM gains O·uᵀ + u·Oᵀ + (Σα)·O·Oᵀ, u = Σ √α·r₁,local.
    private func collectVectorSums(_ parameters: [Double], gradient: inout [Double], hessian: inout Matrix) {
        let p = parameterCount
        for j in 0..<p { gradient[j] = -eventFeatureSum[j] }
        for j in hessian.storage.indices { hessian.storage[j] = 0 }
        var offset = [Double](repeating: 0, count: p)
        for work in scratch {
            let u = work.rootAlphaRows, alphaSum = work.alphaSum
            for j in 0..<p {
                gradient[j] += work.gradient[j]
                for k in j..<p {
                    hessian.storage[j * p + k] += work.hessian[j * p + k]
                        - (offset[j] * u[k] + u[j] * offset[k] + alphaSum * offset[j] * offset[k])
                }
            }
            for j in 0..<p { offset[j] += work.s1Total[j] }
        }
        hessian.symmetrizeFromUpper()
        if l2 > 0 {
            for j in 0..<p {
                gradient[j] += l2 * parameters[j]
                hessian.storage[j * p + j] += l2
            }
        }
    }

    private func penalty(_ parameters: [Double]) -> Double {
        guard l2 > 0 else { return 0 }
        return 0.5 * l2 * parameters.reduce(0) { $0 + $1 * $1 }
    }

    // MARK: - Quantities at a solution

    /// The log partial likelihood `ℓ(β)` (no penalty), natural log.
    public func logPartialLikelihood(at parameters: [Double]) -> Double {
        value(at: parameters) - penalty(parameters)
    }

    /// `zᵢ·β` for sorted row `k`: a plain dot product in feature order, so identical feature rows get
    /// identical predictors (ties stay ties for the concordance).
    private func dot(row k: Int, _ parameters: [Double]) -> Double {
        var sum = 0.0
        for j in 0..<parameterCount { sum += z[k * parameterCount + j] * parameters[j] }
        return sum
    }

    /// Linear predictors `zᵢ·β` (centred at the training means) in INPUT row order.
    public func linearPredictors(at parameters: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: rows)
        for k in 0..<rows { result[order[k]] = dot(row: k, parameters) }
        return result
    }

    /// Breslow's estimator of the baseline cumulative hazard for the reference covariates `z = 0`
    /// (the training means), at each distinct event time, ascending.
    ///
    /// `H₀(t) = Σ_{event times s ≤ t} W_s / Σ_{tᵢ ≥ s} wᵢ·e^{zᵢ·β}` (`W_s` the event weight at `s`), the
    /// estimator lifelines reports for any tie method. Times are in the durations' unit.
    public func breslowBaseline(at parameters: [Double]) -> (times: [Double], cumulativeHazard: [Double]) {
        let restore = Self.singleThreadedBLAS()
        let shift = riskScores(parameters) ?? .nan
        restore()
        var times: [Double] = [], increments: [Double] = []
        var s0 = 0.0
        for g in 0..<groupCount {
            for i in groupStarts[g]..<groupStarts[g + 1] { s0 += phi[i] }
            guard groupEventCounts[g] > 0 else { continue }
            times.append(durations[groupStarts[g]])
            increments.append(exp(log(groupEventWeights[g]) - log(s0) - shift))
        }
        times.reverse()
        increments.reverse()
        var cumulative = 0.0
        let hazard = increments.map { increment -> Double in
            cumulative += increment
            return cumulative
        }
        return (times, hazard)
    }

    /// Harrell's concordance of the linear predictors at `parameters` on the rows with non-zero weight.
    public func concordance(at parameters: [Double]) throws -> Concordance {
        var times: [Double] = [], events: [Bool] = [], risks: [Double] = []
        times.reserveCapacity(rows)
        events.reserveCapacity(rows)
        risks.reserveCapacity(rows)
        for k in 0..<rows where weights[k] > 0 {
            times.append(durations[k])
            events.append(isEvent[k])
            risks.append(dot(row: k, parameters))
        }
        return try Concordance.harrell(durations: times, events: events, risks: risks)
    }
}
