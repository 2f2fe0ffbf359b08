import CallGrid

/// truth.json's customer objects in the `archetypes` world.
extension ChunkFormatter {
    private static let archetypeNames = ArchetypeWorld.Archetype.allCases.map { Array($0.name.utf8) }
    private static let weekdayNames = CallWindows.weekdayNames.map { Array($0.utf8) }

    /// One customer's truth.json object (one line; customers after the first are preceded by ",\n"): the traits, the
    /// archetype, the contact weekdays and hour block, the window probabilities, promises and call-raised disputes.
    func formatArchetypeTruthEntry(_ customer: CustomerRecord, local: Int, records: ChunkRecords, bases: IdBases) {
        let comma = Self.comma
        let decimals = World.currencies[customer.currency].decimals
        appendTruthEntryHead(customer)
        truth.append(comma); key("archetype"); quoted(Self.archetypeNames[Int(customer.archetype)])
        truth.append(comma); key("pay_propensity"); truth.appendFixed4(customer.payPropensity)
        truth.append(comma); key("delay_tendency"); truth.appendInt(customer.delayTendency)
        truth.append(comma); key("promise_reliability"); truth.appendFixed4(customer.promiseReliability)
        truth.append(comma); key("contact_weekdays"); contactWeekdays(customer.weekdayMask)
        truth.append(comma); key("contact_hours")
        truth.append(UInt8(ascii: "["))
        truth.appendInt(customer.blockStart)
        truth.append(comma)
        truth.appendInt(customer.blockEnd)
        truth.append(UInt8(ascii: "]"))
        truth.append(comma); key("reach"); truth.appendFixed4(customer.reach)
        truth.append(comma); key("window_rpc_probability")
        windowProbabilities(local: local, records: records)
        truth.append(comma); key("best_window"); quoted(Self.windowNames[customer.bestWindow])
        truth.append(comma); key("do_not_call"); truth.append(literal: customer.doNotCall ? "true" : "false")
        truth.append(comma); key("doubtful_from"); optionalDate(customer.doubtfulFrom)
        truth.append(comma); key("onboarded"); optionalDate(customer.onboarded)
        truth.append(comma); key("invoicing_stops"); optionalDate(customer.invoicingStops)
        truth.append(comma); key("invoice_interval_days"); truth.appendInt(customer.intervalDays)
        truth.append(comma); key("default_terms"); truth.appendInt(customer.defaultTerms)
        truth.append(comma); key("typical_invoice_amount"); truth.appendAmount(customer.typicalInvoice, decimals: decimals)
        truth.append(comma); key("promises")
        truthPromises(customer, records: records, bases: bases)
        truth.append(comma); key("disputes_raised")
        raisedDisputes(customer, records: records, bases: bases)
        truth.append(UInt8(ascii: "}"))
    }

    /// The contact weekdays as a JSON array of names, Monday first.
    private func contactWeekdays(_ mask: UInt8) {
        truth.append(UInt8(ascii: "["))
        var first = true
        for day in 0..<CallWindows.weekdays where mask & (1 << day) != 0 {
            if !first { truth.append(Self.comma) }
            quoted(Self.weekdayNames[day])
            first = false
        }
        truth.append(UInt8(ascii: "]"))
    }

    /// The disputes the customer raised in calls, as a JSON array of `{invoice_id, date}` in the order raised.
    private func raisedDisputes(_ customer: CustomerRecord, records: ChunkRecords, bases: IdBases) {
        truth.append(UInt8(ascii: "["))
        for index in customer.firstDispute..<customer.disputeEnd {
            let dispute = records.disputes[index]
            if index > customer.firstDispute { truth.append(Self.comma) }
            truth.append(UInt8(ascii: "{"))
            key("invoice_id")
            truth.append(UInt8(ascii: "\""))
            appendId(Self.invoicePrefix, bases.invoices + Int(dispute.invoice) + 1, to: truth)
            truth.append(UInt8(ascii: "\""))
            truth.append(Self.comma); key("date")
            optionalDate(Int(dispute.day))
            truth.append(UInt8(ascii: "}"))
        }
        truth.append(UInt8(ascii: "]"))
    }
}
