import Foundation
import LinearAlgebra

/// Estimates the shrinkage strengths of `AccountWindowEffects` from the training history itself, by cross-validation
/// inside it: every attempt is put in one of `folds` folds (seeded, contacts drawn without replacement within each
/// cell), and each fold in turn is held out while the account level is computed from the others.
///
/// Two criteria, because the levels serve two purposes:
/// - the overall strength κ_A sets how reachable an account is at all; it is chosen by the held-out binomial
///   log-likelihood of all held-out attempts (`logLikelihood`);
/// - the group weight and the weekday, hour-block and window strengths decide *which window* an account is called
///   in, a within-account ranking; they are chosen by the held-out right-party contacts gained in each account's
///   chosen window over the account's own held-out average rate (`chosenWindowGain`), the empirical value of the
///   decision itself with the account's reach taken out (so a candidate is not rewarded for choosing the windows
///   where high-reach accounts happen to have held-out attempts). Pooled likelihood is
///   dominated by between-account reach and calibration and, on histories whose preferences are unlike the profiles,
///   prefers levels that make the choice worse (Benchmarks/README.md, "Call-window accuracy against truth").
/// The search is coordinate-wise over a log grid of strengths (plus "level off") and of the group weight, two rounds,
/// from a middle start; the same seed gives the same answer. A pure function of the model's profiles and population
/// and the sampled accounts' counts.
enum CallWindowShrinkageTuner {
    /// Candidate strengths of every level; nil switches the level off.
    static let grid: [Double?] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, nil]
    /// Candidate group weights.
    static let groupWeights: [Double] = [1, 0.75, 0.5, 0.25, 0]
    /// Cross-validation folds (each holds out about a quarter of the attempts).
    static let folds = 4
    /// Share of the attempts one fold holds out.
    static var heldOutShare: Double { 1 / Double(folds) }

    /// What a candidate is scored by.
    enum Criterion { case likelihood, chosenWindow }

    /// The strengths for `model`'s profiles on the histories `attempts` / `contacts` (the fit's sample).
    /// Without a `layout` only the overall and window levels are searched (weekday and hour levels stay off).
    static func tune(model: CallWindowModel, layout: CallWindowLayout?, attempts: Matrix, contacts: Matrix,
                     seed: UInt64) throws -> AccountWindowEffects {
        let splits = crossValidationSplits(attempts: attempts, contacts: contacts, seed: seed)
        let priors = try splits.map { try model.profileMix(attempts: $0.trainAttempts, contacts: $0.trainContacts) }
        let population = model.populationMix
        let grouped = layout != nil
        var effects = AccountWindowEffects(layout: layout ?? .singleGroup(windows: model.windowCount), overallStrength: 4,
                                           weekdayStrength: grouped ? 4 : nil, hourStrength: grouped ? 4 : nil,
                                           windowStrength: 8)
        let choiceLevels: [WritableKeyPath<AccountWindowEffects, Double?>] = grouped
            ? [\.weekdayStrength, \.hourStrength, \.windowStrength] : [\.windowStrength]
        func score(_ candidate: AccountWindowEffects, _ criterion: Criterion) -> Double {
            crossValidatedScore(candidate, criterion: criterion, priors: priors, population: population, splits: splits)
        }
        for _ in 0..<2 {
            effects.overallStrength = best(of: grid) { strength in
                var candidate = effects
                candidate.overallStrength = strength
                return score(candidate, .likelihood)
            }
            effects.groupWeight = best(of: groupWeights) { weight in
                var candidate = effects
                candidate.groupWeight = weight
                return score(candidate, .chosenWindow)
            }
            for level in choiceLevels {
                effects[keyPath: level] = best(of: grid) { strength in
                    var candidate = effects
                    candidate[keyPath: level] = strength
                    return score(candidate, .chosenWindow)
                }
            }
        }
        return effects
    }

    /// The first candidate of highest score (a later one must beat it by more than 1e-12).
    static func best<Candidate>(of candidates: [Candidate], score: (Candidate) -> Double) -> Candidate {
        var winner: (score: Double, candidate: Candidate)?
        for candidate in candidates {
            let value = score(candidate)
            if winner == nil || value > winner!.score + 1e-12 { winner = (value, candidate) }
        }
        return winner!.candidate
    }

    /// `criterion` summed over the folds.
    static func crossValidatedScore(_ effects: AccountWindowEffects, criterion: Criterion, priors: [Matrix],
                                    population: [Double], splits: [Split]) -> Double {
        var total = 0.0
        for (split, prior) in zip(splits, priors) {
            var predicted = prior
            effects.apply(to: &predicted, population: population, attempts: split.trainAttempts, contacts: split.trainContacts)
            switch criterion {
            case .likelihood:
                total += logLikelihood(predicted, attempts: split.heldAttempts, contacts: split.heldContacts)
            case .chosenWindow:
                total += chosenWindowGain(predicted, attempts: split.heldAttempts, contacts: split.heldContacts)
            }
        }
        return total
    }

    /// The counts split into a training part and a held-out part.
    struct Split {
        var trainAttempts: Matrix, trainContacts: Matrix, heldAttempts: Matrix, heldContacts: Matrix
    }

    /// `folds` splits: every attempt is held out in exactly one of them (its fold drawn uniformly); whether an attempt
    /// was a contact is drawn without replacement from its cell's contacts and misses.
    static func crossValidationSplits(attempts: Matrix, contacts: Matrix, seed: UInt64) -> [Split] {
        var random = SplitMix64(seed: seed ^ 0x5EED_0F_7E57)
        let empty = Matrix(rows: attempts.rows, columns: attempts.columns)
        var splits = [Split](repeating: Split(trainAttempts: attempts, trainContacts: contacts, heldAttempts: empty,
                                              heldContacts: empty), count: folds)
        var heldTries = [Double](repeating: 0, count: folds), heldHits = heldTries
        for cell in attempts.storage.indices where attempts.storage[cell] > 0 {
            var triesLeft = Int(attempts.storage[cell]), hitsLeft = Int(contacts.storage[cell])
            for fold in 0..<folds { heldTries[fold] = 0; heldHits[fold] = 0 }
            while triesLeft > 0 {
                let hit = random.nextUnit() * Double(triesLeft) < Double(hitsLeft)
                let fold = min(Int(random.nextUnit() * Double(folds)), folds - 1)
                heldTries[fold] += 1
                if hit { heldHits[fold] += 1; hitsLeft -= 1 }
                triesLeft -= 1
            }
            for fold in 0..<folds {
                splits[fold].heldAttempts.storage[cell] = heldTries[fold]
                splits[fold].heldContacts.storage[cell] = heldHits[fold]
                splits[fold].trainAttempts.storage[cell] -= heldTries[fold]
                splits[fold].trainContacts.storage[cell] -= heldHits[fold]
            }
        }
        return splits
    }

    /// The first cross-validation split: about `heldOutShare` of each cell's attempts held out.
    static func thin(attempts: Matrix, contacts: Matrix, seed: UInt64) -> Split {
        crossValidationSplits(attempts: attempts, contacts: contacts, seed: seed)[0]
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

    /// Σ over accounts of (held-out contacts in the chosen window − held-out attempts there × the account's held-out
    /// contact rate over all windows): contacts gained by the choice against calling the account at random among its
    /// held-out attempts. The chosen window is the first of highest probability, as in `chosenWindows`.
    static func chosenWindowGain(_ probabilities: Matrix, attempts: Matrix, contacts: Matrix) -> Double {
        let w = probabilities.columns
        var gain = 0.0
        for row in 0..<probabilities.rows {
            let base = row * w
            var chosen = 0, tries = 0.0, hits = 0.0
            for window in 0..<w {
                tries += attempts.storage[base + window]
                hits += contacts.storage[base + window]
                if probabilities.storage[base + window] > probabilities.storage[base + chosen] { chosen = window }
            }
            guard tries > 0 else { continue }
            gain += contacts.storage[base + chosen] - attempts.storage[base + chosen] * hits / tries
        }
        return gain
    }
}
