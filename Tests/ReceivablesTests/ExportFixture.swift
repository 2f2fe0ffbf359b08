import Foundation
import TestSupport

/// A small valid export: 3 customers, 4 invoices, 2 payments, 3 calls, 1 promise.
func validExport() throws -> TemporaryFolder {
    let folder = try TemporaryFolder("export")
    try folder.write("customers.csv", """
        customer_id,timezone,segment,country,credit_limit,do_not_call
        007,America/New_York,smb,US,5000,0
        7,Europe/Berlin,enterprise,DE,,1
        C3,Asia/Tokyo,,JP,100000,
        """ + "\n")
    try folder.write("invoices.csv", """
        invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed
        I2,7,2026-02-01,2026-03-03,2500.00,EUR,1
        I1,007,2026-01-15,2026-02-14,1200.50,USD,0
        I3,C3,2026-03-01,2026-03-31,99.99,JPY,
        I4,007,2026-03-10,2026-04-09,300,USD,0
        """ + "\n")
    try folder.write("payments.csv", """
        payment_id,customer_id,payment_date,amount,invoice_id
        P1,007,2026-02-20,1200.50,I1
        P2,C3,2026-03-05,50,
        """ + "\n")
    try folder.write("calls.csv", """
        call_id,customer_id,started_at,outcome,agent_id,duration_s
        K1,007,2026-02-16T14:05:00Z,no_answer,A1,0
        K2,007,2026-02-17T10:00:00-05:00,promise,A1,245
        K3,C3,2026-03-02T01:30:00+09:00,right_party,A2,
        """ + "\n")
    try folder.write("promises.csv", """
        promise_id,customer_id,created_date,promised_date,promised_amount,call_id
        R1,007,2026-02-17,2026-02-20,1200.50,K2
        """ + "\n")
    return folder
}
