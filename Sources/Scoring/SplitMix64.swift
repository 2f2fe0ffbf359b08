/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference `splitmix64.c`): the seeded, platform-independent
/// pseudo-random generator behind the queue's exploration and holdout draws (docs/POLICY.md, "Exploration and
/// holdout").
///
/// Each step adds γ = 0x9E3779B97F4A7C15 to the 64-bit state and returns the state mixed by
/// `z = (z ^ (z >> 30)) × 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) × 0x94D049BB133111EB; z ^ (z >> 31)`
/// (wrapping arithmetic), so the same seed gives the same numbers on every platform and Swift version.
/// Swift's `random` is never used.
public struct SplitMix64: Sendable {
    /// The generator's 64-bit state.
    public private(set) var state: UInt64

    /// A generator whose state starts at `state`.
    public init(state: UInt64) {
        self.state = state
    }

    /// The generator of one day's draw: the state is `mix(mix(seed) ^ day) ^ stream`, where `mix(x)` is the first
    /// output of a generator seeded with x and `day` the as-of day number (days since 1970-01-01) as a two's-complement
    /// 64-bit value; `stream` separates the draws of one day (`QueueDraw.holdoutStream`, `QueueDraw.explorationStream`).
    public init(seed: UInt64, day: Int64, stream: UInt64) {
        self.init(state: Self.mix(Self.mix(seed) ^ UInt64(bitPattern: day)) ^ stream)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0 ..< `bound` (bound > 0), without modulo bias: draws below 2⁶⁴ mod bound are rejected.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let n = UInt64(bound)
        let threshold = (0 &- n) % n
        while true {
            let value = next()
            if value >= threshold { return Int(value % n) }
        }
    }

    /// The first output of a generator seeded with `value`.
    static func mix(_ value: UInt64) -> UInt64 {
        var generator = SplitMix64(state: value)
        return generator.next()
    }
}
