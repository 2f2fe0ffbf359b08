import Foundation
import LinearAlgebra

/// Estimates the shrinkage strengths of `AccountWindowEffects` from the training history itself, by held-out
/// likelihood: a random quarter of every account's attempts (binomial thinning of the counts, contacts drawn without
/// replacement) is set aside, the account level is computed from the rest, and the strengths that give the set-aside
/// attempts the highest binomial log-likelihood win. The search is coordinate-wise over a log grid of strengths
/// (plus "level off") and of the group weight, two rounds, from a middle start; the same seed gives the same answer.
enum CallWindowShrinkageTuner {
    /// Candidate strengths of every level; nil switches the level off.
    static let grid: [Double?] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, nil]
    /// Share of the attempts set aside.
    static let heldOutShare = 0.25

    /// The strengths for `model`'s profiles on the histories `attempts` / `contacts` (the fit's sample).
    /// Without a `layout` only the overall and window levels are searched (weekday and hour levels stay off).
    static func tune(model: CallWindowModel, layout: CallWindowLayout?, attempts: Matrix, contacts: Matrix,
                     seed: UInt64) throws -> AccountWindowEffects {
        let split = thin(attempts: attempts, contacts: contacts, seed: seed)
        let prior = try model.profileMix(attempts: split.trainAttempts, contacts: split.trainContacts)
        let population = model.populationMix
        let grouped = layout != nil
        var effects = AccountWindowEffects(layout: layout ?? .singleGroup(windows: model.windowCount), overallStrength: 4,
                                           weekdayStrength: grouped ? 4 : nil, hourStrength: grouped ? 4 : nil,
                                           windowStrength: 8)
        let levels: [WritableKeyPath<AccountWindowEffects, Double?>] = grouped
            ? [\.overallStrength, \.weekdayStrength, \.hourStrength, \.windowStrength] : [\.overallStrength, \.windowStrength]
        for _ in 0..<2 {
            effects.groupWeight = try bestGroupWeight(effects, prior: prior, population: population, split: split)
            for level in levels {
                var best: (logLikelihood: Double, strength: Double?)?
                for strength in grid {
                    var candidate = effects
                    candidate[keyPath: level] = strength
                    var predicted = prior
                    candidate.apply(to: &predicted, population: population, attempts: split.trainAttempts, contacts: split.trainContacts)
                    let score = logLikelihood(predicted, attempts: split.heldAttempts, contacts: split.heldContacts)
                    if best == nil || score > best!.logLikelihood + 1e-9 { best = (score, strength) }
                }
                effects[keyPath: level] = best!.strength
            }
        }
        return effects
    }

    /// The group weight (of 0, 0.25, … 1) whose predictions give the held-out attempts the highest likelihood.
    static func bestGroupWeight(_ effects: AccountWindowEffects, prior: Matrix, population: [Double], split: Split) throws
        -> Double {
        var best: (logLikelihood: Double, weight: Double)?
        for weight in [1, 0.75, 0.5, 0.25, 0] {
            var candidate = effects
            candidate.groupWeight = weight
            var predicted = prior
            candidate.apply(to: &predicted, population: population, attempts: split.trainAttempts, contacts: split.trainContacts)
            let score = logLikelihood(predicted, attempts: split.heldAttempts, contacts: split.heldContacts)
            if best == nil || score > best!.logLikelihood + 1e-9 { best = (score, weight) }
        }
        return best!.weight
    }

    /// The counts split into a training part and a held-out part (about `heldOutShare` of each cell's attempts).
    struct Split {
        var trainAttempts: Matrix, trainContacts: Matrix, heldAttempts: Matrix, heldContacts: Matrix
    }

    /// Binomial thinning: each attempt is held out with probability `heldOutShare`; whether a held-out attempt was a
    /// contact is drawn without replacement from its cell's contacts and misses.
    static func thin(attempts: Matrix, contacts: Matrix, seed: UInt64) -> Split {
        var random = SplitMix64(seed: seed ^ 0x5EED_0F_7E57)
        var split = Split(trainAttempts: attempts, trainContacts: contacts,
                          heldAttempts: Matrix(rows: attempts.rows, columns: attempts.columns),
                          heldContacts: Matrix(rows: attempts.rows, columns: attempts.columns))
        for cell in attempts.storage.indices where attempts.storage[cell] > 0 {
            var triesLeft = Int(attempts.storage[cell]), hitsLeft = Int(contacts.storage[cell])
            var heldTries = 0, heldHits = 0
            while triesLeft > 0 {
                let hit = random.nextUnit() * Double(triesLeft) < Double(hitsLeft)
                if random.nextUnit() < heldOutShare {
                    heldTries += 1
                    if hit { heldHits += 1 }
                }
                if hit { hitsLeft -= 1 }
                triesLeft -= 1
            }
            split.heldAttempts.storage[cell] = Double(heldTries)
            split.heldContacts.storage[cell] = Double(heldHits)
            split.trainAttempts.storage[cell] -= Double(heldTries)
            split.trainContacts.storage[cell] -= Double(heldHits)
        }
        return split
    }

    /// Binomial log-likelihood (coefficients omitted) of the held-out counts under `probabilities`.
    static func logLikelihood(_ probabilities: Matrix, attempts: Matrix, contacts: Matrix) -> Double {
        var total = 0.0
        for cell in attempts.storage.indices where attempts.storage[cell] > 0 {
            let p = min(max(probabilities.storage[cell], 1e-9), 1 - 1e-9)
            total += contacts.storage[cell] * log(p) + (attempts.storage[cell] - contacts.storage[cell]) * log1p(-p)
        }
        return total
    }
}
