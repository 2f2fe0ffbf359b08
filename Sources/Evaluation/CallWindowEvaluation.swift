import Bundles
import CallGrid
import Features
import LinearAlgebra
import Metrics
import Models

/// Holdout metrics of a call-window model: how well the RPC probabilities, scored from the history before the
/// holdout, predict the outcomes of the attempts made in it.
public enum CallWindowEvaluation {
    /// Scores every account from `attempts`/`contacts` (its history, row-major accounts × windows; row r is
    /// customer `customers[r]`) and compares with `heldOutAttempts` (attempts outside the windows are skipped).
    public static func evaluate(model: CallWindowModel, attempts: Matrix, contacts: Matrix, customers: [Int32],
                                heldOutAttempts: [ContactAttempt]) throws -> BundleManifest.CallWindowMetrics {
        let probabilities = try model.contactProbabilities(attempts: attempts, contacts: contacts)
        let chosen = CallWindowModel.chosenWindows(probabilities)
        var rowOfCustomer = [Int32: Int](minimumCapacity: customers.count)
        for (row, customer) in customers.enumerated() { rowOfCustomer[customer] = row }
        var predicted: [Double] = [], outcomes: [Bool] = []
        var inChosen = 0, contactsInChosen = 0, inOthers = 0, contactsInOthers = 0
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
