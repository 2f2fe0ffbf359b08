import CivilTime
import Foundation

/// One selection the queue logged on a day of the loop: what a team archives from the day's calls.csv (`priority`,
/// `explore`) and holdout.csv (`holdout`), with the probability the queue printed.
public struct LoggedSelection: Sendable, Equatable {
    /// Day number, customer index, `priority` | `explore` | `holdout`, and the printed selection probability.
    public var day: Int
    public var customer: Int
    public var selection: String
    public var probability: Double

    public init(day: Int, customer: Int, selection: String, probability: Double) {
        self.day = day
        self.customer = customer
        self.selection = selection
        self.probability = probability
    }
}

extension ClosedLoopWorld {
    /// Appends today's logged selections (the loop's queue policy calls this after scoring the day).
    public func logSelections(_ selections: [LoggedSelection]) {
        selectionLog.append(contentsOf: selections)
    }

    /// Writes selections.csv (as_of_date, customer_id, selection, selection_probability) when anything was logged; a
    /// history without logged selections has no such file, as an export from a team that never explored.
    func writeSelections(to folder: String) throws(GeneratorError) {
        let path = OutputFiles.join(folder, "selections.csv")
        guard !selectionLog.isEmpty else {
            if FileManager.default.fileExists(atPath: path) {
                do { try FileManager.default.removeItem(atPath: path) } catch {
                    throw .io(path: path, reason: "cannot remove (\(error.localizedDescription))")
                }
            }
            return
        }
        var text = "as_of_date,customer_id,selection,selection_probability\n"
        for entry in selectionLog {
            text += "\(CivilDate.format(Int32(entry.day))),\(customerID(entry.customer)),\(entry.selection),"
                + "\(entry.probability)\n"
        }
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw .io(path: path, reason: error.localizedDescription)
        }
    }
}

/// The mean cash per call candidate and day under the policy that ran: the policy's value on the scale an off-policy
/// estimate from logged selections has (`arscore compare`'s off-policy section), so the two can be checked.
public struct CandidateDayValue: Sendable, Equatable, Codable {
    /// The outcome window after each candidate day (days, the day itself included).
    public var horizonDays: Int
    /// (calling day, candidate) pairs logged, and the mean cash those candidates paid within the window (US dollars).
    public var candidateDays: Int
    public var meanCashUSD: Double
    /// The sample standard error of that mean (over candidate days).
    public var standardErrorUSD: Double
}

extension ClosedLoopWorld {
    /// Logs today's call candidates (eligible accounts before the holdout draw; the queue policy calls this).
    public func logCandidates(_ customers: [Int]) {
        candidateLog.append(contentsOf: customers.map { (day, $0) })
        candidateStates.append(contentsOf: customers.map { CustomerWorldState(world: self.customers[$0]) })
    }

    /// The mean cash (US dollars) each logged candidate paid in [day, day + `horizonDays`), over the candidate days
    /// whose window ends by the loop's end; nil without any.
    public func candidateDayValue(horizonDays: Int) -> CandidateDayValue? {
        let cash = actualCash(horizonDays: horizonDays)
        let kept = candidateLog.indices.filter { candidateLog[$0].day + horizonDays <= end }.map { cash[$0] }
        return kept.count > 1 ? CandidateDayValue(kept, horizonDays: horizonDays) : nil
    }
}
