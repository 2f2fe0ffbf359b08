import CallGrid
import CivilTime
import Foundation
import Queues
import Receivables
import Tabular

/// Writes the rows of the queue files, one function per file, in the order it is given them.
struct QueueFiles {
    let customerIds: IDIndex
    let promiseIds: IDIndex
    let zoneNames: [String]
    let zoneOfCustomer: [Int32]
    let clock: WindowClock

    init(export: ReceivablesExport, clock: WindowClock) {
        customerIds = export.customers.ids
        promiseIds = export.promises.ids
        zoneNames = export.customers.timezoneNames
        zoneOfCustomer = export.customers.timezone
        self.clock = clock
    }

    /// promise_followups.csv: the follow-ups in rank order.
    func promiseFollowUps(_ followUps: PromiseFollowUps) throws -> Data {
        var csv = CSVWriter(header: QueueBuilder.promiseHeader)
        for (rank, index) in followUps.order.enumerated() {
            let promise = followUps.promises[index]
            let window = try callWindow(window: followUps.window[index], customer: promise.customer)
            csv.appendCell(rank + 1)
            csv.appendCell(CellSanitizer.neutralise(customerIds.id(Int(promise.customer))))
            csv.appendCell(CellSanitizer.neutralise(promiseIds.id(Int(promise.promiseRow))))
            csv.appendCell(CivilDate.format(promise.createdDate))
            csv.appendCell(CivilDate.format(promise.promisedDate))
            csv.appendCell(promise.amount, decimals: 2)
            csv.appendCell(promise.remaining, decimals: 2)
            csv.appendCell(followUps.pKept[index], decimals: 4)
            csv.appendCell(followUps.shortfall[index], decimals: 2)
            csv.appendCell(window.local)
            csv.appendCell(window.startUTC)
            csv.appendCell(followUps.pContact[index], decimals: 4)
            csv.endRow()
        }
        return csv.data
    }

    /// The next occurrence of call window `window` (0 … 24) in the time zone of `customer`.
    func callWindow(window: Int, customer: Int32) throws -> CallWindow {
        try clock.window(zone: zoneNames[Int(zoneOfCustomer[Int(customer)])], weekday: CallWindows.weekday(ofWindow: window),
                         startHour: CallWindows.startHours[CallWindows.slot(ofWindow: window)])
    }
}
