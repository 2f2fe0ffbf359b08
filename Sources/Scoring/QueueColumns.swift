import Features

/// The snapshot columns that routing and the queue files read, each indexed by snapshot row.
struct QueueColumns {
    /// One feature's values, indexed by snapshot row (0 ..< rowCount).
    struct Column {
        let values: ArraySlice<Double>

        subscript(row: Int) -> Double { values[values.startIndex + row] }
    }

    let pastDue, open, maxDaysPastDue, doNotCall: Column
    let disputedOpen, disputedPastDue, disputedInvoices, disputeCalls90d: Column
    let openPromiseNotDue, daysSinceLastPayment, daysSinceLastRPC: Column

    init(_ table: FeatureTable) {
        func column(_ feature: Feature) -> Column { Column(values: table.column(feature)) }
        pastDue = column(.pastDueBalance)
        open = column(.openBalance)
        maxDaysPastDue = column(.maxDaysPastDue)
        doNotCall = column(.doNotCall)
        disputedOpen = column(.disputedOpenBalance)
        disputedPastDue = column(.disputedPastDueBalance)
        disputedInvoices = column(.disputedOpenInvoiceCount)
        disputeCalls90d = column(.disputeCalls90d)
        openPromiseNotDue = column(.openPromiseNotDue)
        daysSinceLastPayment = column(.daysSinceLastPayment)
        daysSinceLastRPC = column(.daysSinceLastRPC)
    }
}
