import Bundles
import CallGrid
import Features
import LinearAlgebra
import Metrics
import Models

/// Holdout metrics of a call-window model: how well the RPC probabilities, scored from the history before the
/// holdout, predict the outcomes of the attempts made in it, beside issue 13's smoothed-rate baseline on the same
/// attempts.
public enum CallWindowEvaluation {
    /// Scores every account from `attempts`/`contacts` (its history, row-major accounts × windows; row r is
    /// customer `customers[r]`) and compares with `heldOutAttempts` (attempts outside the windows are skipped).
    public static func evaluate(model: CallWindowModel, attempts: Matrix, contacts: Matrix, customers: [Int32],
                                heldOutAttempts: [ContactAttempt]) throws -> BundleManifest.CallWindowMetrics {
        var rowOfCustomer = [Int32: Int](minimumCapacity: customers.count)
        for (row, customer) in customers.enumerated() { rowOfCustomer[customer] = row }
        let modelScores = try Scores(try model.contactProbabilities(attempts: attempts, contacts: contacts),
                                     rowOfCustomer: rowOfCustomer, heldOutAttempts: heldOutAttempts)
        var metrics = try modelScores.metrics()
        if attempts.columns == CallWindows.count {
            let baseline = SmoothedRateWindowBaseline(layout: .grid(weekdays: CallWindows.weekdays,
                                                                    blocksPerDay: CallWindows.windowsPerDay))
            let baselineScores = try Scores(try baseline.contactProbabilities(attempts: attempts, contacts: contacts),
                                            rowOfCustomer: rowOfCustomer, heldOutAttempts: heldOutAttempts)
            let baselineMetrics = try baselineScores.metrics()
            metrics.baselineAuc = baselineMetrics.auc
            metrics.baselineLogLoss = baselineMetrics.logLoss
            metrics.baselineRpcRateInChosenWindow = baselineMetrics.rpcRateInChosenWindow
        }
        return metrics
    }

    /// One scorer's P(contact) of every held-out attempt and where its chosen windows were.
    struct Scores {
        var predicted: [Double] = [], outcomes: [Bool] = []
        var inChosen = 0, contactsInChosen = 0, inOthers = 0, contactsInOthers = 0

        init(_ probabilities: Matrix, rowOfCustomer: [Int32: Int], heldOutAttempts: [ContactAttempt]) throws {
            let chosen = CallWindowModel.chosenWindows(probabilities)
            let w = probabilities.columns
            for attempt in heldOutAttempts where attempt.window >= 0 && Int(attempt.window) < w {
                guard let row = rowOfCustomer[attempt.customer] else { continue }
                let window = Int(attempt.window)
                predicted.append(probabilities.storage[row * w + window])
                outcomes.append(attempt.rightPartyContact)
                if window == chosen[row] {
                    inChosen += 1
                    if attempt.rightPartyContact { contactsInChosen += 1 }
                } else {
                    inOthers += 1
                    if attempt.rightPartyContact { contactsInOthers += 1 }
                }
            }
        }

        func metrics() throws -> BundleManifest.CallWindowMetrics {
            let bothClasses = Set(outcomes).count == 2
            return .init(
                attempts: predicted.count,
                auc: bothClasses ? try ClassificationMetrics.rocAUC(scores: predicted, labels: outcomes) : nil,
                logLoss: bothClasses ? try ClassificationMetrics.logLoss(probabilities: predicted, labels: outcomes) : nil,
                rpcRateInChosenWindow: inChosen > 0 ? Double(contactsInChosen) / Double(inChosen) : nil,
                attemptsInChosenWindow: inChosen,
                rpcRateInOtherWindows: inOthers > 0 ? Double(contactsInOthers) / Double(inOthers) : nil)
        }
    }
}
