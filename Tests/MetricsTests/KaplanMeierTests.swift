import Foundation
import Testing

@testable import Metrics

/// ``KaplanMeier`` against lifelines' `KaplanMeierFitter` (via `Fixtures/make_delong_reference.py`,
/// to 1e-10), hand-checked steps, invariances and errors.
@Suite("Kaplan–Meier")
struct KaplanMeierTests {
    static let cases = DeLongReference.shared?.kaplanMeier ?? []

    @Test("fixture loads with every case")
    func fixtureLoads() throws {
        let fixture = try DeLongReference.load()
        #expect(Set(fixture.kaplanMeier.map(\.name)).isSuperset(of: ["ties_and_censoring", "small", "events_at_zero", "no_events"]))
    }

    @Test("curve matches lifelines", arguments: cases)
    func curveMatchesReference(_ data: DeLongReference.KaplanMeierCase) throws {
        let curve = try KaplanMeier.curve(durations: data.durations, events: data.events)
        try #require(curve.count == data.curve.count, "\(data.name): \(curve.count) points, expected \(data.curve.count)")
        for (k, (got, want)) in zip(curve, data.curve).enumerated() {
            #expect(got.time == want.time, "\(data.name) time[\(k)]")
            #expect(got.atRisk == want.atRisk, "\(data.name) at risk[\(k)]")
            expectAgrees(got.survival, want.survival, absolute: 1e-15, "\(data.name) S[\(k)]")
        }
    }

    @Test("S(t) matches lifelines' survival_function_at_times", arguments: cases)
    func survivalAtMatchesReference(_ data: DeLongReference.KaplanMeierCase) throws {
        let curve = try KaplanMeier.curve(durations: data.durations, events: data.events)
        for (t, want) in zip(data.queries, data.survivalAt) {
            expectAgrees(KaplanMeier.survival(at: t, in: curve), want, absolute: 1e-15, "\(data.name) S(\(t))")
        }
    }

    // MARK: hand-checked

    @Test("ties: events before censorings at the same time")
    func tiesByHand() throws {
        // t: 1(event) 2(event) 2(censored) 3(event) 3(event) 4(censored)
        let curve = try KaplanMeier.curve(durations: [2, 1, 3, 2, 4, 3], events: [true, true, true, false, false, true])
        #expect(curve.map(\.time) == [0, 1, 2, 3])
        #expect(curve.map(\.atRisk) == [6, 6, 5, 3])  // the row censored at 2 is at risk at 2
        expectClose(curve[1].survival, 5.0 / 6, relative: 1e-15, "S(1)")
        expectClose(curve[2].survival, 5.0 / 6 * 4 / 5, relative: 1e-15, "S(2)")
        expectClose(curve[3].survival, 5.0 / 6 * 4 / 5 * 1 / 3, relative: 1e-15, "S(3)")
        #expect(curve[0] == SurvivalPoint(time: 0, survival: 1, atRisk: 6))
    }

    @Test("no censoring: S is one minus the empirical CDF")
    func noCensoring() throws {
        let n = 40
        let durations = (0..<n).map { Double(($0 * 17) % n + 1) }  // 1…40 in scrambled order
        let curve = try KaplanMeier.curve(durations: durations, events: [Bool](repeating: true, count: n))
        #expect(curve.count == n + 1)
        for k in 1...n {
            expectClose(curve[k].survival, Double(n - k) / Double(n), relative: 1e-14, "S(\(k))")
            #expect(curve[k].atRisk == n - k + 1)
        }
        #expect(curve[n].survival == 0)
    }

    @Test("events at time 0 lower the first point; no extra point")
    func eventsAtZero() throws {
        let curve = try KaplanMeier.curve(durations: [0, 0, 2, 5], events: [true, false, true, false])
        #expect(curve.count == 2)
        #expect(curve[0] == SurvivalPoint(time: 0, survival: 0.75, atRisk: 4))
        #expect(curve[1].time == 2 && curve[1].atRisk == 2)
        expectClose(curve[1].survival, 0.375, relative: 1e-15, "S(2)")
        // Censored at 0 only: no change.
        #expect(try KaplanMeier.curve(durations: [0, 1], events: [false, true]) ==
                [SurvivalPoint(time: 0, survival: 1, atRisk: 2), SurvivalPoint(time: 1, survival: 0, atRisk: 1)])
        // −0.0 is time 0.
        #expect(try KaplanMeier.curve(durations: [-0.0, 1], events: [true, false])[0].survival == 0.5)
    }

    @Test("no events: the single point (0, 1, n)")
    func noEvents() throws {
        #expect(try KaplanMeier.curve(durations: [3, 1, 2], events: [false, false, false]) ==
                [SurvivalPoint(time: 0, survival: 1, atRisk: 3)])
    }

    @Test("S(t) is a right-continuous step function")
    func stepFunction() throws {
        let curve = try KaplanMeier.curve(durations: [1, 2, 2, 3, 5], events: [true, false, true, true, false])
        #expect(KaplanMeier.survival(at: -1, in: curve) == 1)
        #expect(KaplanMeier.survival(at: 0, in: curve) == 1)
        #expect(KaplanMeier.survival(at: 0.999, in: curve) == 1)
        #expect(KaplanMeier.survival(at: 1, in: curve) == curve[1].survival)
        #expect(KaplanMeier.survival(at: 1.999, in: curve) == curve[1].survival)
        #expect(KaplanMeier.survival(at: 2, in: curve) == curve[2].survival)
        #expect(KaplanMeier.survival(at: 3, in: curve) == curve[3].survival)
        #expect(KaplanMeier.survival(at: 1e9, in: curve) == curve[3].survival)
        #expect(KaplanMeier.survival(at: .infinity, in: curve) == curve[3].survival)
        #expect(KaplanMeier.survival(at: .nan, in: curve).isNaN)
        #expect(KaplanMeier.survival(at: 4, in: []) == 1)
    }

    // MARK: invariances

    @Test("row order does not matter (bit for bit)", arguments: cases)
    func rowOrder(_ data: DeLongReference.KaplanMeierCase) throws {
        let order = seededPermutation(data.durations.count, seed: 17)
        let original = try KaplanMeier.curve(durations: data.durations, events: data.events)
        let shuffled = try KaplanMeier.curve(durations: order.map { data.durations[$0] }, events: order.map { data.events[$0] })
        #expect(shuffled == original)
    }

    @Test("rescaling time moves the steps, not the estimate", arguments: cases)
    func timeScale(_ data: DeLongReference.KaplanMeierCase) throws {
        let original = try KaplanMeier.curve(durations: data.durations, events: data.events)
        let scaled = try KaplanMeier.curve(durations: data.durations.map { $0 * 24 }, events: data.events)
        #expect(scaled.map(\.time) == original.map { $0.time * 24 })
        #expect(scaled.map(\.survival) == original.map(\.survival))
        #expect(scaled.map(\.atRisk) == original.map(\.atRisk))
    }

    @Test("5 000 rows with ties agree with the definition")
    func largeAgainstDefinition() throws {
        var rng = SplitMix64(seed: 1988)
        let n = 5_000
        let durations = (0..<n).map { _ in Double(Int.random(in: 0..<200, using: &rng)) }
        let events = (0..<n).map { _ in Double.random(in: 0..<1, using: &rng) < 0.6 }
        let curve = try KaplanMeier.curve(durations: durations, events: events)
        // Direct: S(t) = Π over event times u ≤ t of (1 − d_u / #{duration ≥ u}).
        var s = 1.0
        var expected: [SurvivalPoint] = [SurvivalPoint(time: 0, survival: 1, atRisk: n)]
        for t in Set(durations).sorted() {
            let atRisk = durations.filter { $0 >= t }.count
            let deaths = zip(durations, events).filter { $0.0 == t && $0.1 }.count
            guard deaths > 0 else { continue }
            s *= 1 - Double(deaths) / Double(atRisk)
            if t == 0 { expected[0].survival = s } else { expected.append(SurvivalPoint(time: t, survival: s, atRisk: atRisk)) }
        }
        try #require(curve.count == expected.count)
        for (got, want) in zip(curve, expected) {
            #expect(got.time == want.time && got.atRisk == want.atRisk)
            expectAgrees(got.survival, want.survival, relative: 1e-12, absolute: 1e-15, "S(\(want.time))")
        }
    }

    @Test("points encode and decode")
    func coding() throws {
        let curve = try KaplanMeier.curve(durations: [1, 2, 2, 4], events: [true, true, false, true])
        #expect(try JSONDecoder().decode([SurvivalPoint].self, from: JSONEncoder().encode(curve)) == curve)
    }

    // MARK: errors

    @Test("errors, in the documented order")
    func errors() {
        #expect(throws: MetricsError.lengthMismatch(argument: "events", expected: 2, actual: 1)) {
            try KaplanMeier.curve(durations: [1, 2], events: [true])
        }
        #expect(throws: MetricsError.lengthMismatch(argument: "events", expected: 0, actual: 1)) {
            try KaplanMeier.curve(durations: [], events: [true])
        }
        #expect(throws: MetricsError.empty) { try KaplanMeier.curve(durations: [], events: []) }
        #expect(throws: MetricsError.nonFinite(index: 1)) { try KaplanMeier.curve(durations: [1, .nan, -1], events: [true, true, true]) }
        #expect(throws: MetricsError.nonFinite(index: 0)) { try KaplanMeier.curve(durations: [.infinity], events: [false]) }
        #expect(throws: SurvivalError.negativeDuration(index: 0)) { try KaplanMeier.curve(durations: [-1, .nan], events: [true, true]) }
        #expect(throws: SurvivalError.negativeDuration(index: 2)) { try KaplanMeier.curve(durations: [1, 2, -1e-300], events: [true, true, true]) }
        #expect(SurvivalError.negativeDuration(index: 4).description.contains("row 4"))
    }
}
