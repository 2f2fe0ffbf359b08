import Foundation

/// SplitMix64 step: a strong 64-bit mixer, used to derive independent stream seeds.
@inline(__always)
func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// xoshiro256** (Blackman & Vigna): the per-customer random stream.
///
/// Every customer gets its own stream derived from the seed and the customer's index, so a
/// customer's history does not depend on how customers are split over threads or chunks.
struct RandomSource {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// The stream of customer `index` (0-based) for `seed`.
    init(seed: UInt64, stream index: UInt64) {
        var mixer = seed
        let base = splitMix64(&mixer)
        var key = index &* 0xD1B5_4A32_D192_ED03
        let streamKey = splitMix64(&key)
        var state = base ^ streamKey ^ 0x5851_F42D_4C95_7F2D
        s0 = splitMix64(&state)
        s1 = splitMix64(&state)
        s2 = splitMix64(&state)
        s3 = splitMix64(&state)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// The stream of one (customer, day, purpose) of the closed loop: every customer-day draws its own numbers, so two
    /// policies that call differently see the same world wherever their calls do not differ.
    init(seed: UInt64, customer: Int, day: Int, purpose: UInt64) {
        var mixer = seed ^ (UInt64(bitPattern: Int64(day)) &* 0x9E37_79B9_7F4A_7C15) ^ (purpose &* 0xC2B2_AE3D_27D4_EB4F)
        self.init(seed: splitMix64(&mixer), stream: UInt64(customer))
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on (0, 1]: safe to take the logarithm of.
    @inline(__always)
    mutating func uniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// Uniform on [lower, upper).
    @inline(__always)
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * uniform()
    }

    /// Uniform integer in `0 ..< bound` (Lemire's multiply-shift; bias below 2⁻³² for small bounds).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// Uniform integer in the closed range.
    @inline(__always)
    mutating func integer(_ lower: Int, _ upper: Int) -> Int {
        lower + below(upper - lower + 1)
    }

    @inline(__always)
    mutating func bernoulli(_ probability: Double) -> Bool {
        uniform() < probability
    }

    /// Standard normal (Box–Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = uniformPositive()
        let u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    mutating func normal(mean: Double, sd: Double) -> Double {
        mean + sd * normal()
    }

    /// Exponential with rate 1.
    @inline(__always)
    mutating func exponential() -> Double {
        -Foundation.log(uniformPositive())
    }

    /// Index drawn from unnormalised weights.
    mutating func pick(_ weights: [Double]) -> Int {
        var total = 0.0
        for weight in weights { total += weight }
        var target = uniform() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }
}

/// Rounds to `places` decimals, so values written to truth.json are exactly the values simulated.
@inline(__always)
func rounded(_ value: Double, places: Int) -> Double {
    let scale = places == 4 ? 10_000.0 : Foundation.pow(10, Double(places))
    return (value * scale).rounded() / scale
}

@inline(__always)
func logistic(_ x: Double) -> Double {
    1 / (1 + Foundation.exp(-x))
}
